"""WeeChat's aliases, which WeeChat /remote sends as typed (its remote buffers pass every
command on): the defaults act on a real ngircd, and the user's own aliases are kept across
a restart and an upgrade; /version and /uptime as WeeChat's core has them."""
from conftest import request
from ircd import RawIrc
from test_irc import CONFIG, cmd, lines, wait_line
from test_irc_commands import connect, restart
from test_upgrade import control

CHAN = "irc.test.%23perch"


def messages(p, buffer):
    return [l["message"] for l in lines(p, buffer)]


def test_default_aliases_act_on_the_network(perchd_factory, ngircd):
    p = perchd_factory(config=CONFIG)
    connect(p, ngircd)
    bob = RawIrc(ngircd.port, "bob")
    bob.send("JOIN #perch")
    bob.wait_for("366")
    # /j is /join, /q /query, /m /msg, /t /topic, /wii "/whois $1 $1".
    cmd(p, "/j #perch", buffer="irc.server.test")
    assert "JOIN :#perch" in bob.wait_for("perchy")
    wait_line(p, CHAN, "has joined #perch")
    cmd(p, "/q bob hello there", buffer=CHAN.replace("%23", "#"))
    assert bob.wait_for("PRIVMSG").endswith(":hello there")
    wait_line(p, "irc.test.bob", "hello there")
    cmd(p, "/m #perch to all", buffer="irc.server.test")
    assert bob.wait_for("PRIVMSG #perch").endswith(":to all")
    cmd(p, "/wii bob", buffer="irc.server.test")
    wait_line(p, "irc.server.test", "idle:")
    # /umode is "/mode $nick": $nick is the server buffer's local variable.
    cmd(p, "/umode +i", buffer="irc.server.test")
    wait_line(p, "irc.server.test", "User mode [+i] by perchy")
    # /version in the server's buffer asks the server; /v (/command core version) is perchd's.
    cmd(p, "/version", buffer="irc.server.test")
    wait_line(p, "irc.server.test", "ngircd")
    cmd(p, "/v", buffer="irc.server.test")
    wait_line(p, "core.weechat", "perchd ")
    # /leave parts, /close closes the channel's buffer (and parts).
    cmd(p, "/leave #perch bye now", buffer="irc.server.test")
    assert bob.wait_for("PART").endswith(":bye now")
    cmd(p, "/j #perch", buffer="irc.server.test")
    bob.wait_for("JOIN")
    cmd(p, "/close", buffer=CHAN.replace("%23", "#"))
    bob.wait_for("PART")
    assert request(p.plain_port, "GET", f"/api/buffers/{CHAN}", tls=False).status == 404
    bob.close()


def alias_list(p):
    cmd(p, "/alias list")
    return [m for m in messages(p, "core.weechat") if m.startswith("  ")]


def test_own_aliases_are_kept_across_restart_and_upgrade(perchd_factory):
    p = perchd_factory()
    cmd(p, "/print -newbuffer notes")
    cmd(p, "/alias add note /print -buffer core.notes [$1] $2-;/print -buffer core.notes done")
    wait_line(p, "core.weechat", 'Alias created: "note" => "/print -buffer core.notes [$1] $2-;')
    cmd(p, "/alias del j")
    wait_line(p, "core.weechat", 'Alias "j" removed')
    cmd(p, "/note a b  c")
    wait_line(p, "core.notes", "[a] b c")
    wait_line(p, "core.notes", "done")
    before = alias_list(p)
    assert "  note => /print -buffer core.notes [$1] $2-;/print -buffer core.notes done" in before
    assert not [m for m in before if m.startswith("  j =>")]

    restart(p)
    assert alias_list(p)[-len(before):] == before
    cmd(p, "/note x")
    wait_line(p, "core.notes", "[x] ")

    cmd(p, "/uptime")
    started = wait_line(p, "core.weechat", "perchd uptime: ")["message"].split("started on ")[1]
    r = control(p, "upgrade")
    assert r.returncode == 0, r.stderr
    # The upgraded process goes on counting from the same start.
    cmd(p, "/uptime")
    wait_line(p, "core.weechat", f"started on {started}", count=2)
    assert alias_list(p)[-len(before):] == before
    cmd(p, "/j #x")
    wait_line(p, "core.weechat", 'Unknown command "j"')
    # The defaults come back on request.
    cmd(p, "/alias missing")
    wait_line(p, "core.weechat", 'Alias created: "j" => "join"')
    # /bye (an alias of /quit) is answered before perchd stops, as /quit is.
    cmd(p, "/bye")
    assert p.proc.wait(timeout=30) == 0
