"""Questions to the server and operator commands as WeeChat has them (/motd /version /ison
/whowas /oper /wallops /kill /knock /samode /remove /setname /action...), against a real InspIRCd: each
sends its line and the answer shows as WeeChat shows it. /allchan, /allpv and /allserv run a
command in many buffers. A scripted server checks the exact lines sent and the answers
neither real server gives (WHOIS extras, 438, 973, a snomask)."""
import pytest

from conftest import request
from inspircd import OPER_NAME, OPER_PASSWORD
from ircd import RawIrc
from test_irc import CONFIG, BadServer, cmd, lines, wait_for, wait_line

SERVER = "irc.server.i"
CHAN = "irc.i.#k"
FAST = CONFIG + "anti_flood = 0\n"


@pytest.fixture
def insp(inspircd_factory):
    """InspIRCd with KNOCK (told as numerics), SAMODE and REMOVE."""
    return inspircd_factory(extra_conf='<module name="knock">\n<knock notify="numeric">\n'
                                       '<module name="samode">\n<module name="remove">\n')


def connect(p, insp):
    cmd(p, f"/server add i 127.0.0.1/{insp.port} -notls -nicks=perchy")
    cmd(p, "/connect i")
    wait_line(p, SERVER, "Welcome")


def answer(p, command, tag, buffer=SERVER):
    """Runs command and returns the first line tagged tag it brought."""
    before = {l["id"] for l in lines(p, buffer)}
    cmd(p, command, buffer=buffer)
    found = []

    def came():
        found[:] = [l for l in lines(p, buffer) if l["id"] not in before and tag in l["tags"]]
        return found
    wait_for(came)
    return found[0]


def test_questions_are_sent_and_answered_as_weechat_shows_them(perchd_factory, insp):
    p = perchd_factory(config=FAST)
    connect(p, insp)
    bob = RawIrc(insp.port, "bob")
    version = answer(p, "/version", "irc_351")
    assert version["message"].startswith("InspIRCd-3. irc.test")
    online = answer(p, "/ison bob nobody", "irc_303")
    assert online["message"] == "Users online: bob"
    assert answer(p, "/userhost bob", "irc_302")["message"].startswith("bob=+bob@127.0.0.1")
    assert answer(p, "/whowas gone", "irc_406")["message"] == "gone: There was no such nickname"
    assert answer(p, "/time", "irc_391")["message"].startswith("irc.test ")
    assert answer(p, "/admin", "irc_257")["message"] == "Name: perch"
    answer(p, "/info", "irc_374")
    answer(p, "/lusers", "irc_251")
    assert answer(p, "/links", "irc_364")["message"].startswith("irc.test irc.test")
    assert answer(p, "/stats u", "irc_242")["message"].startswith("Server up ")
    answer(p, "/map", "irc_017")
    assert answer(p, "/motd", "irc_372")["message"] == "perch test server"
    # /rules sends RULES alone, whatever follows (InspIRCd has no such command).
    assert answer(p, "/rules a b", "irc_421")["message"] == "RULES: Unknown command"
    # The network prefix and the nick colour as WeeChat sends them.
    online = request(p.plain_port, "GET",
                     f"/api/buffers/{SERVER}/lines/{online['id']}?colors=weechat",
                     tls=False).json()
    assert online["prefix"] == "\x1905--" and online["message"] == "Users online: \x1914bob"

    assert answer(p, "/oper perchoper wrong", "irc_491")["message"] == "Invalid oper credentials"
    assert answer(p, f"/oper {OPER_NAME} {OPER_PASSWORD}", "irc_381")["message"] == \
        "You are now an Admin"
    cmd(p, "/mode perchy +w", buffer=SERVER)
    wait_line(p, SERVER, "User mode [+w] by perchy")
    wallops = answer(p, "/wallops hello to all", "irc_wallops")
    assert wallops["message"] == "Wallops from perchy (perch@127.0.0.1): hello to all"
    assert {"notify_private", "nick_perchy", "host_perch@127.0.0.1", "log3"} <= \
        set(wallops["tags"])
    cmd(p, "/setname Perch Bot", buffer=SERVER)
    wait_line(p, SERVER, 'Your real name has been set to "Perch Bot"')
    cmd(p, "/kill bob go away now", buffer=SERVER)
    assert "go away now" in bob.wait_for("ERROR")
    bob.close()


def test_errors_of_the_server_commands_change_nothing(perchd_factory, insp):
    p = perchd_factory(config=FAST)
    cmd(p, "/motd")
    wait_line(p, "core.weechat",
              'irc: command "motd" must be executed on irc buffer (server, channel or private)')
    cmd(p, f"/server add i 127.0.0.1/{insp.port} -notls -nicks=perchy")
    cmd(p, "/stats u", buffer=SERVER)
    wait_line(p, SERVER, 'irc: command "stats" must be executed on connected irc server')
    cmd(p, "/connect i")
    wait_line(p, SERVER, "Welcome")
    for command in ("/oper onlyone", "/kill", "/ison", "/whowas", "/saquit bob", "/setname"):
        name = command.split()[0][1:]
        cmd(p, command, buffer=SERVER)
        wait_line(p, SERVER, f'Too few arguments for command "/{name}"')
    # Text typed in the server buffer is for no one.
    cmd(p, "hello?", buffer=SERVER)
    assert wait_line(p, SERVER, "irc: this buffer is not a channel!")["prefix"] == "=!="
    # The link goes on.
    assert answer(p, "/ison perchy", "irc_303")["message"] == "Users online: perchy"


def test_knock_samode_remove_and_a_version_asked_of_a_nick(perchd_factory, insp):
    p = perchd_factory(config=FAST)
    connect(p, insp)
    alice = RawIrc(insp.port, "alice")
    alice.send("JOIN #k")
    alice.wait_for(" 366 ")
    cmd(p, "/join #k", buffer=SERVER)
    wait_line(p, CHAN, "perchy (")
    cmd(p, f"/oper {OPER_NAME} {OPER_PASSWORD}", buffer=SERVER)
    wait_line(p, SERVER, "You are now an Admin")
    # /samode: modes on the buffer's channel, as a server operator.
    cmd(p, "/samode +io perchy", buffer=CHAN)
    wait_line(p, CHAN, "Mode #k [+io perchy] by ")
    cmd(p, "/samode +i", buffer=SERVER)
    wait_line(p, SERVER, 'you must specify channel for "samode" command if you\'re not in a '
              'channel')
    # A KNOCK on our channel: in the channel, tagged with the knocker.
    bob = RawIrc(insp.port, "bob")
    bob.send("KNOCK #k :let me in")
    knock = wait_line(p, CHAN, "bob (bob@127.0.0.1) is KNOCKing: let me in")
    assert "irc_710" in knock["tags"] and "notify_message" in knock["tags"]
    assert "nick_bob" in knock["tags"] and "host_bob@127.0.0.1" in knock["tags"]
    # Our KNOCK on bob's closed channel: he is told, we read the server's answer.
    bob.send("JOIN #closed")
    bob.wait_for(" 366 ")
    cmd(p, "/samode #closed +io bob", buffer=SERVER)
    bob.wait_for("MODE #closed +io")
    cmd(p, "/knock #closed please", buffer=SERVER)
    assert "please" in bob.wait_for(" 710 ")
    delivered = wait_line(p, SERVER, "#closed: ")
    assert "irc_711" in delivered["tags"]
    # /version of a nick in the channel: a CTCP to it; of anything else: the server's.
    cmd(p, "/invite bob", buffer=CHAN)
    bob.wait_for("INVITE bob")
    bob.send("JOIN #k")
    bob.wait_for(" 366 ")
    wait_line(p, CHAN, "bob (bob) (bob@127.0.0.1) has joined")
    cmd(p, "/version bob", buffer=CHAN)
    assert bob.wait_for("PRIVMSG bob").endswith(":\x01VERSION\x01")
    # /remove: a forced part, $nick and $channel replaced in the reason.
    cmd(p, "/remove bob out of $channel, says $nick", buffer=CHAN)
    assert "out of #k, says perchy" in bob.wait_for("PART #k")
    alice.close()
    bob.close()


def test_allchan_allpv_and_allserv_run_in_each_buffer(perchd_factory, insp):
    p = perchd_factory(config=FAST)
    connect(p, insp)
    bob = RawIrc(insp.port, "bob")
    for channel in ("#a", "#b", "#c"):
        bob.send(f"JOIN {channel}")
        bob.wait_for(" 366 ")
        cmd(p, f"/join {channel}", buffer=SERVER)
        wait_line(p, f"irc.i.{channel}", "perchy (")
    cmd(p, "/query bob", buffer=SERVER)
    cmd(p, "/part #c", buffer="irc.i.#c")
    wait_line(p, "irc.i.#c", "has left #c")
    # Joined channels only, one left out; the variables of each buffer.
    cmd(p, "/allchan -exclude=#b hi in $channel from $nick on $server", buffer=SERVER)
    assert bob.wait_for("PRIVMSG #a").endswith(":hi in #a from perchy on i")
    cmd(p, "/allchan -include=#b,#zz /me waves", buffer=SERVER)
    assert bob.wait_for("PRIVMSG #b").endswith(":\x01ACTION waves\x01")
    # Parted channels: their buffers get the text (no link: an error there, nothing sent).
    cmd(p, "/allchan -parted /join $channel", buffer=SERVER)
    wait_line(p, "irc.i.#c", "perchy (", count=2)
    cmd(p, "/allpv psst $channel", buffer=SERVER)
    assert bob.wait_for("PRIVMSG bob").endswith(":psst bob")
    cmd(p, "/allserv /setname Perch of $server", buffer="core.weechat")
    wait_line(p, SERVER, 'Your real name has been set to "Perch of i"')
    cmd(p, "/allserv -exclude=i /setname never", buffer="core.weechat")
    cmd(p, "/allchan -current /part", buffer="core.weechat")
    wait_line(p, "core.weechat", 'command "allchan" with option "-current" must be executed on '
              'irc buffer')
    cmd(p, "/allchan", buffer=SERVER)
    wait_line(p, SERVER, 'Too few arguments for command "/allchan"')
    # #b never got the first text, #a never the second.
    assert answer(p, "/ison bob", "irc_303")["message"] == "Users online: bob"
    sent = [l["message"] for b in ("irc.i.#a", "irc.i.#b") for l in lines(p, b)]
    assert "hi in #b from perchy on i" not in sent
    assert not [l for l in lines(p, SERVER) if "never" in l["message"]]
    # /action: to each target, shown in its buffer; "*" needs a channel or private buffer.
    cmd(p, "/action bob,#a dances", buffer=SERVER)
    assert bob.wait_for("PRIVMSG bob :").endswith(":\x01ACTION dances\x01")
    assert bob.wait_for("PRIVMSG #a :").endswith(":\x01ACTION dances\x01")
    wait_line(p, "irc.i.#a", "perchy dances")
    cmd(p, "/action * waves", buffer=SERVER)
    wait_line(p, SERVER, '"action *" command can only be executed in a channel or private buffer')
    bob.close()


def test_exact_lines_sent_and_answers_no_real_server_gives(perchd_factory):
    script = [b":s 001 perchy :Welcome perchy\r\n",
              b":s 327 perchy bob host.example 1.2.3.4 :Bob B\r\n",
              b":s 350 perchy bob * 1.2.3.4 :is connecting through a gateway\r\n",
              b":s 344 perchy #c *!*@reop.example\r\n",
              b":s 345 perchy #c :End of Channel Reop List\r\n",
              b":s 438 perchy newnick :Nick change too fast\r\n",
              b":s 973 perchy +R :only registered users may message you\r\n",
              b":s 008 perchy :+cC\r\n",
              b":s 305 perchy\r\n",
              b":s 042 someone :\x02bold\x02 text\r\n",
              b":s 375 perchy :- s message of the day\r\n"]
    server = BadServer(script)
    p = perchd_factory(config=FAST)
    cmd(p, f"/server add s 127.0.0.1/{server.port} -notls -nicks=perchy")
    cmd(p, "/connect s")
    wait_line(p, "irc.server.s", "message of the day")
    shown = [l["message"] for l in lines(p, "irc.server.s")]
    for text in ("[bob] host.example 1.2.3.4 (Bob B)",
                 "[bob] (1.2.3.4) is connecting through a gateway",
                 "Channel reop #c: *!*@reop.example", "#c: End of Channel Reop List",
                 "Nick change too fast (perchy => newnick)",
                 "+R: only registered users may message you",
                 "Server notice mask for perchy: +cC",
                 # A numeric not to us: every parameter, formatting decoded.
                 "someone bold text"):
        assert text in shown, (text, shown)
    # 305 without words shows nothing.
    assert not [m for m in shown if m in ("perchy", "")]
    commands = ["/kill bob spam and more", "/ison a b", "/squery Service do this",
                "/saquit bob bye now", "/rules ignored words", "/stats u extra",
                "/whowas old 5", "/oper me pw", "/setname A B", "/wallops x y",
                "/knock #c open up", "/sanick a b", "/version s2", "/ping :x y"]
    for command in commands:
        cmd(p, command, buffer="irc.server.s")
    expected = ["KILL bob :spam and more", "ISON :a b", "SQUERY Service :do this",
                "SAQUIT bob :bye now", "RULES", "STATS u extra", "WHOWAS old 5", "OPER me pw",
                "SETNAME :A B", "WALLOPS :x y", "KNOCK #c :open up", "SANICK a b",
                "VERSION s2", "PING :x y"]

    def got():
        return [l for l in b"".join(server.got).decode().split("\r\n") if l]
    wait_for(lambda: "PING :x y" in got())
    sent = got()
    assert sent[sent.index(expected[0]):] == expected


def test_autojoin_edits_sorts_applies_and_joins(perchd_factory, insp):
    p = perchd_factory(config=FAST)
    connect(p, insp)
    for channel in ("#b", "#a"):
        cmd(p, f"/join {channel}", buffer=SERVER)
        wait_line(p, f"irc.i.{channel}", "perchy (")

    def changed(command, old, new, buffer=SERVER):
        cmd(p, command, buffer=buffer)
        said = f'Autojoin changed from "{old}" to "{new}"' if old else \
            f'Autojoin changed from empty value to "{new}"'
        wait_line(p, SERVER, said)

    # Joins keep the value (perch's autojoin is dynamic); /autojoin edits it.
    changed("/autojoin del", "#b,#a", "#b", buffer="irc.i.#a")
    changed("/autojoin add #a #c", "#b", "#b,#a,#c")
    changed("/autojoin sort", "#b,#a,#c", "#a,#b,#c")
    changed("/autojoin addraw #k,#b kk", "#a,#b,#c", "#k,#a,#b,#c kk")
    changed("/autojoin apply", "#k,#a,#b,#c kk", "#b,#a")
    # By buffer: #b's buffer comes before #a's.
    changed("/autojoin addraw #0", "#b,#a", "#b,#a,#0")
    changed("/autojoin sort", "#b,#a,#0", "#0,#a,#b")
    changed("/autojoin sort buffer", "#0,#a,#b", "#b,#a,#0")
    cmd(p, "/autojoin del", buffer=SERVER)
    wait_line(p, SERVER, '"autojoin add" command can only be executed in a channel buffer')
    cmd(p, "/autojoin frob", buffer=SERVER)
    wait_line(p, SERVER, 'Error with command "/autojoin frob"')
    cmd(p, "/autojoin", buffer=SERVER)
    wait_line(p, SERVER, 'Too few arguments for command "/autojoin"')
    # Parted channels leave it; "join" joins what it holds.
    changed("/autojoin del #0", "#b,#a,#0", "#b,#a")
    cmd(p, "/part", buffer="irc.i.#a")
    wait_line(p, "irc.i.#a", "has left #a")
    changed("/autojoin addraw #a", "#b", "#b,#a")
    cmd(p, "/autojoin join", buffer=SERVER)
    wait_line(p, "irc.i.#a", "perchy (", count=2)
    cmd(p, "/set irc.server.i.autojoin", buffer=SERVER)
    wait_line(p, SERVER, "irc.server.i.autojoin = #b,#a")


def test_join_query_msg_and_nick_take_weechats_forms(perchd_factory, insp):
    p = perchd_factory(config=FAST)
    connect(p, insp)
    bob, alice = RawIrc(insp.port, "bob"), RawIrc(insp.port, "alice")
    bob.send("JOIN #n1")
    bob.wait_for(" 366 ")
    # -noswitch means nothing here (no current buffer): read and left out.
    cmd(p, "/join -noswitch #n1", buffer=SERVER)
    wait_line(p, "irc.i.#n1", "perchy (")
    cmd(p, "/join -server i -noswitch #n2", buffer="core.weechat")
    wait_line(p, "irc.i.#n2", "perchy (")
    # Alone in a parted channel's buffer: that channel again.
    cmd(p, "/part", buffer="irc.i.#n2")
    wait_line(p, "irc.i.#n2", "has left #n2")
    cmd(p, "/join", buffer="irc.i.#n2")
    wait_line(p, "irc.i.#n2", "perchy (", count=2)
    cmd(p, "/join", buffer=SERVER)
    wait_line(p, SERVER, 'Error with command "/join"')
    # Several targets: one message each, each shown where it belongs.
    cmd(p, "/query -noswitch bob,alice hi both", buffer=SERVER)
    assert bob.wait_for("PRIVMSG bob").endswith(":hi both")
    assert alice.wait_for("PRIVMSG alice").endswith(":hi both")
    wait_line(p, "irc.i.bob", "hi both")
    wait_line(p, "irc.i.alice", "hi both")
    cmd(p, "/query #n1", buffer=SERVER)
    wait_line(p, SERVER, '"query" command can not be executed with a channel name ("#n1")')
    cmd(p, "/msg #n1,bob hello", buffer=SERVER)
    assert bob.wait_for("PRIVMSG #n1").endswith(":hello")
    assert bob.wait_for("PRIVMSG bob").endswith(":hello")
    wait_line(p, "irc.i.#n1", "hello")
    wait_line(p, "irc.i.bob", "hello")
    cmd(p, "/msg * nowhere", buffer=SERVER)
    wait_line(p, SERVER, '"msg *" command can only be executed in a channel or private buffer')
    cmd(p, "/msg *,bob to bob", buffer="irc.i.#n1")
    assert bob.wait_for("PRIVMSG #n1").endswith(":to bob")
    assert bob.wait_for("PRIVMSG bob").endswith(":to bob")
    # /nick -all: on every connected network.
    cmd(p, "/nick -all perchy2", buffer=SERVER)
    wait_line(p, SERVER, "You are now known as perchy2")
    cmd(p, "/nick a b", buffer=SERVER)
    wait_line(p, SERVER, 'Error with command "/nick a b"')
    bob.close()
    alice.close()


def test_cap_shows_and_changes_the_capabilities(perchd_factory, insp):
    p = perchd_factory(config=FAST)
    connect(p, insp)
    cmd(p, "/cap", buffer=SERVER)
    offered = wait_line(p, SERVER, "irc: client capability, server supports: ", count=2)
    assert "echo-message" in offered["message"]
    enabled = wait_line(p, SERVER, "irc: client capability, currently enabled: ")
    assert "echo-message" in enabled["message"].split(": ", 1)[1].split()
    cmd(p, "/cap req -echo-message", buffer=SERVER)
    wait_line(p, SERVER, "irc: client capability, disabled: echo-message")
    cmd(p, "/cap list", buffer=SERVER)
    again = wait_line(p, SERVER, "irc: client capability, currently enabled: ", count=2)
    assert "echo-message" not in again["message"].split(": ", 1)[1].split()
