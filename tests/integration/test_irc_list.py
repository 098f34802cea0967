"""/list as WeeChat 4 has it, against a real ngircd: the channels in the free buffer
irc.list_NAME, sorted and filtered by what is typed there, a selected line moved by /list -up,
-down and -go and joined with "j", "$" to refresh, "q" to close; /list -raw REGEX prints the
replies in the server buffer, channels whose names match only."""
import pytest

from conftest import request
from ircd import RawIrc
from test_irc import CONFIG, cmd, lines, wait_for, wait_line

SERVER = "irc.server.i"
LIST = "irc.list_i"
SELECTED = "\x19*16~@00024"


@pytest.fixture
def network(perchd_factory, ngircd):
    """perchd on InspIRCd, where bob made #alpha, ##beta (topic with formatting) and #gamma
    (with alice too); yields (perchd, bob)."""
    p = perchd_factory(config=CONFIG + "anti_flood = 0\n")
    cmd(p, f"/server add i 127.0.0.1/{ngircd.port} -notls -nicks=perchy")
    cmd(p, "/connect i")
    wait_line(p, SERVER, "Welcome")
    bob = RawIrc(ngircd.port, "bob")
    alice = RawIrc(ngircd.port, "alice")
    for channel in ("#alpha", "##beta", "#gamma"):
        bob.send(f"JOIN {channel}")
        bob.wait_for(" 366 ")
    bob.send("TOPIC ##beta :the \x02second\x02 one")
    bob.wait_for("TOPIC ##beta")
    alice.send("JOIN #gamma")
    alice.wait_for(" 366 ")
    yield p, bob
    alice.close()
    bob.close()


def row(name, users, topic=""):
    """WeeChat's line: the name padded to the widest ("&SERVER", ngircd's own channel), the
    users in 7 columns, two spaces, the topic."""
    return f"{name:<7} {users:>7}  {topic}"


def names(p):
    return [m.split()[0] for m in shown(p).values()]


def shown(p, colors="strip"):
    """The list buffer's lines, by y."""
    r = request(p.plain_port, "GET", f"/api/buffers/{LIST}/lines?colors={colors}", tls=False)
    return {l["y"]: l["message"] for l in r.json()} if r.status == 200 else {}


def buffer(p):
    r = request(p.plain_port, "GET", f"/api/buffers/{LIST}", tls=False)
    return r.json() if r.status == 200 else None


def typed(p, text):
    cmd(p, text, buffer=LIST)


def test_list_fills_a_buffer_sorted_and_filtered_as_weechat(network):
    p, bob = network
    cmd(p, "/list", buffer=SERVER)
    wait_for(lambda: len(shown(p)) == 4)
    b = buffer(p)
    assert b["type"] == "free"
    assert {k: b["local_variables"][k] for k in ("type", "server", "channel", "no_log",
                                                  "filter")} == {
        "type": "list", "server": "i", "channel": "i", "no_log": "1", "filter": "*"}
    assert b["title"].startswith("4 channels (total: 4) | Filter: * | Sort: ~name2 | ")
    # Sorted by key, as WeeChat keeps a buffer's keys (gui_key_insert_sorted).
    assert b["keys"] == [{"key": k, "command": f"/list {c}"} for k, c in [
        ("ctrl-j", "-join"), ("down", "-down"), ("f11", "-left"), ("f12", "-right"),
        ("meta-end", "-go end"), ("meta-home", "-go 0"), ("up", "-up")]]
    # Sorted on the name without its type characters, case ignored; the topic without its
    # formatting.
    assert names(p) == ["#alpha", "##beta", "#gamma", "&SERVER"]
    assert [shown(p)[y] for y in range(3)] == [row("#alpha", 1), row("##beta", 1, "the second one"),
                                                row("#gamma", 2)]
    # The first line is selected; /list -down and -go move the selection.
    assert shown(p, "weechat")[0].startswith(SELECTED)
    cmd(p, "/list -down", buffer=LIST)
    wait_for(lambda: shown(p, "weechat")[1].startswith(SELECTED))
    assert not shown(p, "weechat")[0].startswith(SELECTED)
    cmd(p, "/list -go end", buffer=LIST)
    wait_for(lambda: shown(p, "weechat")[3].startswith(SELECTED))
    cmd(p, "/list -up 5", buffer=LIST)
    wait_for(lambda: shown(p, "weechat")[0].startswith(SELECTED))
    # Filters: users, a word in name or topic, a name mask; "*" shows everything again.
    typed(p, "u:>1")
    wait_for(lambda: shown(p) == {0: row("#gamma", 2)})
    assert buffer(p)["title"].startswith("1 channels (total: 4) | Filter: u:>1 |")
    assert buffer(p)["local_variables"]["filter"] == "u:>1"
    typed(p, "SECOND")
    wait_for(lambda: list(shown(p).values()) == [row("##beta", 1, "the second one")])
    typed(p, "n:#*a")
    wait_for(lambda: names(p) == ["#alpha", "##beta", "#gamma"])
    typed(p, "t:nothing like it")
    wait_for(lambda: shown(p) == {})
    typed(p, "*")
    wait_for(lambda: len(shown(p)) == 4)
    # Sort: biggest first, then by name (case and "#"s count).
    typed(p, "s:-users,name")
    wait_for(lambda: names(p)[:3] == ["#gamma", "##beta", "#alpha"])
    assert "| Sort: -users,name |" in buffer(p)["title"]
    # "j" joins the selected channel (the first).
    typed(p, "j")
    wait_line(p, "irc.i.#gamma", "perchy (")
    # "$" asks again: a new channel appears.
    bob.send("JOIN #delta")
    bob.wait_for(" 366 ")
    typed(p, "$")
    wait_for(lambda: len(shown(p)) == 5)
    # "q" closes it.
    typed(p, "q")
    wait_for(lambda: buffer(p) is None)
    # Once closed, a /list opens it again.
    cmd(p, "/list", buffer=SERVER)
    wait_for(lambda: len(shown(p)) == 5)


def test_list_raw_prints_matching_channels_in_the_server_buffer(network):
    p, _ = network
    cmd(p, "/list -raw ^#[ag]", buffer=SERVER)
    wait_line(p, SERVER, "End of LIST")
    server = [l["message"] for l in lines(p, SERVER)]
    assert "#alpha(1)" in server and "#gamma(2)" in server
    assert not [m for m in server if "beta" in m]
    assert "Channel Users  Name" in server
    assert buffer(p) is None
    cmd(p, "/list -raw (", buffer=SERVER)
    wait_line(p, SERVER, 'irc: error in regular expression "("')
    cmd(p, "/list -go", buffer=SERVER)
    cmd(p, "/list -export /tmp/channels.txt", buffer=SERVER)
    wait_line(p, SERVER, "irc: /list -export is not available in perchd")
    cmd(p, "/list -server nosuch", buffer=SERVER)
    wait_line(p, SERVER, 'Error with command "/list -server nosuch"')
    cmd(p, "/list")
    wait_line(p, "core.weechat", 'irc: command "list" must be executed on irc buffer')
    # The link goes on.
    cmd(p, "/list", buffer=SERVER)
    wait_for(lambda: len(shown(p)) == 4)


def test_a_list_buffer_kept_across_a_restart_is_taken_back(network):
    from test_irc_commands import restart
    p, _ = network
    cmd(p, "/list", buffer=SERVER)
    wait_for(lambda: len(shown(p)) == 4)
    restart(p)
    # The channels are gone with the old process: the buffer says so, and "$" asks again.
    wait_for(lambda: {y: m for y, m in shown(p).items() if m} ==
             {1: 'Empty list of channels, try "$" to refresh list'})
    assert buffer(p)["local_variables"]["type"] == "list"
    wait_line(p, SERVER, "Welcome", count=2)
    typed(p, "$")
    wait_for(lambda: len(shown(p)) == 4)
