"""A channel operator's commands against a real ngircd, as WeeChat does them: /op /deop
/voice /devoice match the channel's nicks ("*" wildcards, "*" alone only with -yes), skip
nicks already so, and split their changes by the server's MODES; /ban /unban /kickban turn a
nick of the channel into its default ban mask; /ban alone lists the bans, numbered, and
/unban takes those numbers (also after an upgrade); /names, /invite and /cycle. Against
InspIRCd: being killed by an operator."""
import re

import pytest

from inspircd import OPER_NAME, OPER_PASSWORD
from ircd import RawIrc
from test_irc import CONFIG, cmd, lines, wait_for, wait_line
from test_irc_commands import connect, nicks
from test_upgrade import control

CHAN, NAME, SERVER = "irc.test.%23perch", "irc.test.#perch", "irc.server.test"
USERS = ["n1", "n2", "n3", "n4", "n5", "n6", "[n]"]


def server_modes(client):
    """The MODES figure of the server, from its 005 lines (answered to VERSION)."""
    client.send("VERSION")
    return int(re.search(r" MODES=(\d+)", client.wait_for(" MODES=")).group(1))


def mode_lines_until(client, marker):
    """The MODE changes of #perch the client sees until a change naming marker, marker's
    own line left out: [(sign+letters, [args])]."""
    seen = []
    while True:
        words = client.wait_for("MODE #perch").split(" ")
        if marker in words[4:]:
            return seen
        seen.append((words[3], words[4:]))


def ban_list(p, count=1):
    """/ban alone: the list as printed in the channel, mask -> number (WeeChat's form
    "[#perch] [N] MASK banned by perchy on DATE"), once the count-th end came."""
    cmd(p, "/ban", buffer=NAME)
    wait_line(p, NAME, "[#perch] End of channel ban list", count=count)
    found = {}
    for line in lines(p, NAME):
        m = re.fullmatch(r"\[#perch\] \[(\d+)\] (\S+) banned by perchy on \w{3}, .*",
                         line["message"])
        if m:
            found[m.group(2)] = int(m.group(1))
        if line["message"] == "[#perch] End of channel ban list":
            count -= 1
            if count == 0:
                return found
            found = {}
    raise AssertionError("no end of the ban list")


def nick_prefixes(p):
    from conftest import request
    root = request(p.plain_port, "GET", f"/api/buffers/{CHAN}/nicks", tls=False).json()
    return {n["name"]: n["prefix"].strip() for g in root["groups"] for n in g["nicks"]}


def joiner(ngircd, nick):
    """A user registered as nick with a plain user name (ngircd refuses "[n]" as one)."""
    u = RawIrc(ngircd.port, nick, register=False)
    u.send(f"NICK {nick}")
    u.send(f"USER {nick.strip('[]')} 0 * :{nick}")
    u.wait_for(" 001 ")
    return u


@pytest.fixture
def channel(perchd_factory, ngircd):
    """perchy, op of #perch, with bob (op, first in) and USERS; yields (perchd, bob)."""
    p = perchd_factory(config=CONFIG)
    connect(p, ngircd)
    bob = RawIrc(ngircd.port, "bob")
    bob.send("JOIN #perch")
    bob.wait_for(" 366 ")
    cmd(p, "/join #perch", buffer=SERVER)
    wait_for(lambda: "perchy" in nicks(p, CHAN))
    bob.send("MODE #perch +o perchy")
    bob.wait_for("MODE #perch +o perchy")
    users = [joiner(ngircd, n) for n in USERS]
    for u in users:
        u.send("JOIN #perch")
        u.wait_for(" 366 ")
    wait_for(lambda: set(USERS) <= nicks(p, CHAN))
    wait_for(lambda: nick_prefixes(p)["perchy"] == "@")
    yield p, bob
    for u in users:
        u.close()
    bob.close()


def test_nick_modes_match_masks_skip_nicks_already_so_and_follow_modes(channel, ngircd):
    p, bob = channel
    per_line = server_modes(bob)
    # "n*" is six nicks: in lines of at most MODES changes, each nick once.
    cmd(p, "/voice n* n1 N2", buffer=NAME)
    cmd(p, "/voice bob", buffer=NAME)
    changes = mode_lines_until(bob, "bob")
    voiced = [a for _, args in changes for a in args]
    assert sorted(voiced) == ["n1", "n2", "n3", "n4", "n5", "n6"]
    assert all(len(args) <= per_line and letters == "+" + "v" * len(args)
               for letters, args in changes)
    assert len(changes) == -(-6 // per_line)
    wait_for(lambda: nick_prefixes(p)["n6"] == "+")
    # Voiced already, or not in the channel: nothing is sent.
    cmd(p, "/voice n* nobody", buffer=NAME)
    # Brackets are a nick's characters, not a pattern: "[n]" is one nick.
    cmd(p, "/op [n]", buffer=NAME)
    assert mode_lines_until(bob, "[n]") == []
    # "*" needs -yes, and /deop * leaves us opped.
    cmd(p, "/devoice *", buffer=NAME)
    wait_line(p, NAME, '"-yes" argument is required for nick "*"')
    cmd(p, "/deop * -yes", buffer=NAME)
    cmd(p, "/devoice n1", buffer=NAME)
    assert mode_lines_until(bob, "n1") == [("-oo", ["bob", "[n]"])]
    wait_for(lambda: nick_prefixes(p)["bob"] == "+")  # voiced above, no longer opped
    assert nick_prefixes(p)["perchy"] == "@"
    # Alone, the command acts on us; outside a channel it is refused.
    cmd(p, "/voice", buffer=NAME)
    assert bob.wait_for("MODE #perch").endswith("+v perchy")
    cmd(p, "/op bob", buffer=SERVER)
    wait_line(p, SERVER, '"op" command can only be executed in a channel buffer')


def test_bans_use_the_default_mask_and_kickban_kicks(channel, ngircd):
    p, bob = channel
    # A nick of the channel bans its host (the ident is unverified, "~n1"); a mask is as given.
    # (ngircd relays each ban of one MODE line on its own.)
    cmd(p, "/ban n1 someone!*@*", buffer=NAME)
    assert bob.wait_for("MODE #perch").endswith("+b *!*@127.0.0.1")
    assert bob.wait_for("MODE #perch").endswith("+b someone!*@*")
    # Alone: the ban list, numbered, in the channel.
    numbers = ban_list(p)  # (ngircd's words for the end)
    assert sorted(numbers) == ["*!*@127.0.0.1", "someone!*@*"]
    assert sorted(numbers.values()) == [1, 2]
    # /unban takes a number of the list, also after an upgrade (the list crosses it); a MODE
    # seen since adds the next number.
    r = control(p, "upgrade")
    assert r.returncode == 0 and "upgrade done" in r.stdout, r.stderr
    cmd(p, f"/unban {numbers['someone!*@*']}", buffer=NAME)
    assert bob.wait_for("MODE #perch").endswith("-b someone!*@*")
    bob.send("MODE #perch +b x!*@*")
    bob.wait_for("+b x!*@*")
    wait_line(p, NAME, "Mode #perch [+b x!*@*] by bob")
    cmd(p, f"/unban #perch {numbers['*!*@127.0.0.1']} 3", buffer=SERVER)
    assert bob.wait_for("MODE #perch").endswith("-b *!*@127.0.0.1")
    assert bob.wait_for("MODE #perch").endswith("-b x!*@*")
    # A range, over a list read again; and masks and nicks, as given.
    cmd(p, "/ban a!*@* b!*@* c!*@*", buffer=NAME)
    for mask in ["a", "b", "c"]:
        bob.wait_for(f"+b {mask}!*@*")
    listed = ban_list(p, 2)
    assert sorted(listed) == ["a!*@*", "b!*@*", "c!*@*"] and sorted(listed.values()) == [1, 2, 3]
    third = [mask for mask, n in listed.items() if n == 3][0]
    cmd(p, f"/unban 1-2 {third}", buffer=NAME)
    assert {bob.wait_for("MODE #perch").split(" ")[-1] for _ in range(3)} == \
        {"a!*@*", "b!*@*", "c!*@*"}
    # Other lists: exceptions have a form of their own.
    cmd(p, "/mode +e friend!*@*", buffer=NAME)
    bob.wait_for("+e friend!*@*")
    cmd(p, "/quote MODE #perch e", buffer=SERVER)
    assert re.fullmatch(r"\[#perch\] \[1\] exception friend!\*@\* by perchy on \w{3}, .*",
                        wait_line(p, NAME, "exception friend")["message"])
    wait_line(p, NAME, "[#perch] End of channel exception list")
    # A list mode the server lacks is refused.
    cmd(p, "/quiet n1", buffer=NAME)
    wait_line(p, NAME, 'cannot execute command /quiet, channel mode "q" is not supported')
    cmd(p, "/unban", buffer=NAME)
    wait_line(p, NAME, "Too few arguments for command \"/unban\"")
    # /kickban: the nick's mask, then the kick with its reason.
    cmd(p, "/kickban n2 go away", buffer=NAME)
    assert bob.wait_for("MODE #perch").endswith("+b *!*@127.0.0.1")
    assert bob.wait_for("KICK #perch").endswith("KICK #perch n2 :go away")
    # A user@host given is banned as *!user@host; the nick is kicked.
    cmd(p, "/kickban n3!~n3@127.0.0.1", buffer=NAME)
    assert bob.wait_for("MODE #perch").endswith("+b *!~n3@127.0.0.1")
    assert bob.wait_for("KICK #perch").split(" ")[3] == "n3"
    cmd(p, "/kickban *!*@127.0.0.1", buffer=NAME)
    wait_line(p, NAME, "mask must begin with nick")
    cmd(p, "/kick n4", buffer=NAME)
    assert bob.wait_for("KICK #perch").split(" ")[3] == "n4"
    wait_for(lambda: not {"n2", "n3", "n4"} & nicks(p, CHAN))



def test_a_kill_is_said_everywhere_and_the_channels_are_joined_again(perchd_factory, inspircd):
    """InspIRCd tells the victim (ngircd sends only the ERROR)."""
    # Time to read the lines before the reconnection's burst pushes them out of memory.
    p = perchd_factory(config=CONFIG.replace("reconnect_first = 200", "reconnect_first = 3000")
                       .replace("reconnect_max = 1000", "reconnect_max = 3000"))
    cmd(p, f"/server add kill 127.0.0.1/{inspircd.port} -notls -nicks=perchy")
    cmd(p, "/connect kill")
    wait_line(p, "irc.server.kill", "Welcome")
    bob = RawIrc(inspircd.port, "bob")
    bob.send("JOIN #k")
    bob.wait_for(" 366 ")
    cmd(p, "/join #k", buffer="irc.server.kill")
    wait_line(p, "irc.kill.#k", "perchy (")
    cmd(p, "/query bob hello", buffer="irc.server.kill")
    bob.wait_for("PRIVMSG bob :hello")
    bob.send(f"OPER {OPER_NAME} {OPER_PASSWORD}")
    bob.wait_for(" 381 ")
    bob.send("KILL perchy :spamming")
    # The server's ERROR, whole, with the error prefix.
    error = wait_line(p, "irc.server.kill", "Closing link: (perch@127.0.0.1) [Killed (bob (spamming))]")
    assert error["prefix"] == "=!=" and "irc_error" in error["tags"]
    # In the channel and the private buffer: WeeChat's line, the quit prefix, irc_kill.
    for buffer in ("irc.kill.#k", "irc.kill.bob"):
        line = wait_line(p, buffer, "You were killed by bob (Killed (bob (spamming)))")
        assert line["prefix"] == "<--" and "irc_kill" in line["tags"] and "nick_bob" in line["tags"]
    # The network reconnects and joins the channel again.
    wait_line(p, "irc.kill.#k", "perchy (", count=2)
    bob.close()


def test_names_lists_the_channel_filtered_and_other_channels_in_the_server_buffer(channel,
                                                                                   ngircd):
    p, bob = channel
    # The join showed the count alone.
    assert not [l for l in lines(p, NAME) if l["message"].startswith("Nicks ")]
    cmd(p, "/voice n1", buffer=NAME)
    wait_for(lambda: nick_prefixes(p)["n1"] == "+")
    cmd(p, "/names", buffer=NAME)
    listed = wait_line(p, NAME, "Nicks #perch: [")
    assert listed["message"] == "Nicks #perch: [@bob @perchy +n1 [n] n2 n3 n4 n5 n6]"
    assert listed["prefix"] == "--" and listed["tags"][0] == "irc_353"
    wait_line(p, NAME, "Channel #perch: 9 nicks (0 owners, 0 admins, 2 ops, 0 halfops, "
              "1 voiced, 6 regular)")
    cmd(p, "/names -o", buffer=NAME)
    wait_line(p, NAME, "Nicks #perch (filter: o): [@bob @perchy]")
    cmd(p, "/names -*", buffer=NAME)
    wait_line(p, NAME, "Nicks #perch (filter: *): [[n] n2 n3 n4 n5 n6]")
    cmd(p, "/names -count", buffer=NAME)
    wait_line(p, NAME, "Channel #perch: 9 nicks", count=4)
    assert len([l for l in lines(p, NAME) if l["message"].startswith("Nicks ")]) == 3
    # A channel perchy is not in: the server's list, in the server buffer.
    alice = RawIrc(ngircd.port, "alice")
    alice.send("JOIN #other")
    alice.wait_for(" 366 ")
    cmd(p, "/names #other", buffer=NAME)
    assert wait_line(p, SERVER, "Nicks #other:")["message"] == "Nicks #other: [@alice]"
    wait_line(p, SERVER, "#other: End of NAMES list")
    cmd(p, "/names", buffer=SERVER)
    wait_line(p, SERVER, '"names" command can only be executed in a channel buffer')
    # /invite: nick and channel, or the buffer's channel; the server's 341 as WeeChat says it.
    cmd(p, "/invite alice", buffer=NAME)
    assert alice.wait_for("INVITE").endswith("INVITE alice #perch")
    line = wait_line(p, SERVER, "perchy has invited alice to #perch")
    assert line["tags"][:3] == ["irc_341", "irc_numeric", "nick_perchy"]
    cmd(p, "/invite n1 #other", buffer=NAME)  # (ngircd: only members invite)
    wait_line(p, SERVER, "#other: You are not on that channel")
    cmd(p, "/invite nobody", buffer=NAME)
    wait_line(p, SERVER, "nobody: No such nick")
    alice.close()
    # /cycle: part with the message, join again.
    cmd(p, "/cycle back soon", buffer=NAME)
    assert bob.wait_for("PART #perch").endswith("PART #perch :back soon")
    bob.wait_for("JOIN")
    wait_line(p, NAME, "perchy (~perch@127.0.0.1) has left #perch (back soon)")
    wait_line(p, NAME, "perchy (~perch@127.0.0.1) has joined #perch", count=2)
    wait_for(lambda: {"perchy", "bob"} <= nicks(p, CHAN))
