"""Conversation lines as WeeChat's irc plugin shows them: the text's IRC formatting as
WeeChat colour codes (so colors=ansi gives ANSI, never raw ^B/^C), actions, notices,
messages to a channel's ops (STATUSMSG), a service's welcome in its channel, and CTCP
queries and replies, each in the buffer WeeChat picks, with its colours and tags."""
import re

from conftest import request
from test_irc import CONFIG, BadServer, cmd, lines, wait_for, wait_line

SERVER = "irc.server.bad"
CHAN = "irc.bad.%23c"  # in URLs

# WeeChat's codes: weechat.color.chat_channel 13, chat_nick_self 15, chat_host 27,
# chat_delimiters 28, irc.color.notice green (F05), "bob" hashed to colour 248, reset, and
# IRC bold (^B) as set/unset attribute bold.
CH, ME, HOST, DL = "\x1913", "\x1915", "\x1927", "\x1928"
NOTICE, BOB, RS = "\x19F05", "\x19F@00248", "\x1c"
BOLD_ON, BOLD_OFF = "\x1a\x01", "\x1b\x01"

SCRIPT = [
    b":bad.server 001 perchy :Welcome \x02perchy\r\n",
    b":bad.server 005 perchy PREFIX=(ov)@+ STATUSMSG=@+ CHANTYPES=# :are supported\r\n",
    b":perchy!p@h JOIN #c\r\n",
    b":bad.server 353 perchy = #c :@perchy bob\r\n",
    b":bad.server 366 perchy #c :End of /NAMES list.\r\n",
    b":bob!b@h PRIVMSG #c :\x02bold\x02 plain\r\n",
    b":bob!b@h PRIVMSG #c :\x01ACTION waves \x02hard\x02\x01\r\n",
    b":bob!b@h PRIVMSG @#c :ops only\r\n",
    b":bob!b@h NOTICE @#c :heads up\r\n",
    b":ChanServ!s@services NOTICE perchy :[#c] Welcome to the channel\r\n",
    b":bob!b@h PRIVMSG #c :\x01VERSION\x01\r\n",
    b":bob!b@h PRIVMSG perchy :\x01time\x01\r\n",
    b":bob!b@h PRIVMSG perchy :\x01FOO bar\x01\r\n",
    b":bob!b@h NOTICE perchy :\x01VERSION irssi \x02" b"1.4\x01\r\n",
    b":bob!b@h NOTICE perchy :\x01PING 1 0\x01\r\n",
    b":bad.server NOTICE perchy :*** server says\r\n",
    b":bob!b@h NOTICE perchy :psst\r\n",
    b":bad.server NOTICE perchy :last\r\n",
]


def colored(p, buffer, mode="weechat"):
    r = request(p.plain_port, "GET", f"/api/buffers/{buffer}/lines?colors={mode}", tls=False)
    return r.json() if r.status == 200 else []


def line_with(p, buffer, text, mode="weechat"):
    """The line whose stripped message holds text, as colors=mode gives it."""
    plain = wait_line(p, buffer, text)
    return next(l for l in colored(p, buffer, mode) if l["id"] == plain["id"])


def connected(perchd_factory, script=SCRIPT):
    server = BadServer(script)
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add bad 127.0.0.1/{server.port} -notls -nicks=perchy")
    cmd(p, "/connect bad")
    wait_line(p, SERVER, "last")
    return p, server


def test_received_lines_carry_weechat_codes_in_the_buffers_weechat_picks(perchd_factory):
    p, server = connected(perchd_factory)
    # The server's words too (here its welcome).
    assert line_with(p, SERVER, "Welcome perchy")["message"] == "Welcome " + BOLD_ON + "perchy"
    # A message: ^B as WeeChat's bold; ANSI for colors=ansi, never the raw IRC code.
    said = line_with(p, CHAN, "bold plain")
    assert said["message"] == BOLD_ON + "bold" + BOLD_OFF + " plain"
    ansi = line_with(p, CHAN, "bold plain", "ansi")["message"]
    assert "\x02" not in ansi and "\x1b[1m" in ansi
    # An action: the nick in its colour after the nick mode's reset.
    action = line_with(p, CHAN, "bob waves hard")
    assert action["message"] == RS + BOB + "bob" + RS + " waves " + BOLD_ON + "hard" + BOLD_OFF
    assert action["tags"][:3] == ["irc_privmsg", "irc_action", "notify_message"]
    # To the channel's ops: in the channel's buffer, with the target; no "@#c" buffer.
    ops = line_with(p, CHAN, "Msg(bob) -> @#c: ops only")
    assert ops["message"] == "Msg" + DL + "(" + RS + BOB + "bob" + DL + ")" + RS + " -> " + \
        CH + "@#c" + RS + ": ops only"
    notice = line_with(p, CHAN, "Notice(bob) -> @#c: heads up")
    assert notice["message"].startswith(NOTICE + "Notice" + DL + "(")
    assert "notify_message" in notice["tags"]
    names = [b["name"] for b in request(p.plain_port, "GET", "/api/buffers", tls=False).json()]
    assert "irc.bad.@#c" not in names and "irc.bad.#c" in names
    # ChanServ's "[#c] welcome" goes to #c (irc.look.notice_welcome_redirect).
    welcome = line_with(p, CHAN, "PvNotice(ChanServ): Welcome to the channel")
    assert "notify_private" not in welcome["tags"]
    # CTCP: the query in the channel it came to, the replies in the server buffer.
    asked = line_with(p, CHAN, "CTCP requested by bob: VERSION")
    assert asked["message"] == "CTCP requested by " + BOB + "bob" + RS + ": " + CH + "VERSION" + RS
    assert "irc_ctcp" in asked["tags"]
    # Answered (the type in any case, the answer's in capitals) and, with no echo-message to
    # show it, our answer is shown as WeeChat shows it, as our own line; FOO is unknown.
    wait_for(lambda: b"NOTICE bob :\x01TIME " in b"".join(server.got))
    assert b"NOTICE bob :\x01VERSION perch " in b"".join(server.got)
    answered = line_with(p, SERVER, "CTCP reply to bob: VERSION perch ")
    assert answered["message"].startswith("CTCP reply to " + BOB + "bob" + RS + ": " + CH +
                                          "VERSION" + RS + " perch ")
    assert answered["prefix"].endswith("--")
    assert answered["tags"] == ["irc_privmsg", "irc_ctcp", "irc_ctcp_reply", "self_msg",
                                "notify_none", "no_highlight", "nick_perchy", "log1"]
    wait_line(p, SERVER, "CTCP reply to bob: TIME ")
    unknown = line_with(p, SERVER, "Unknown CTCP requested by bob: FOO bar")
    assert unknown["message"] == "Unknown CTCP requested by " + BOB + "bob" + RS + ": " + CH + \
        "FOO" + RS + " bar"
    assert b"\x01FOO" not in b"".join(server.got)
    reply = line_with(p, SERVER, "CTCP reply from bob: VERSION irssi 1.4")
    assert reply["message"] == "CTCP reply from " + BOB + "bob" + RS + ": " + CH + "VERSION" + \
        RS + " irssi " + BOLD_ON + "1.4"
    assert reply["tags"][:2] == ["irc_notice", "irc_ctcp"]
    pong = wait_line(p, SERVER, "CTCP reply from bob: PING")["message"]
    assert re.fullmatch(r"CTCP reply from bob: PING \d+\.\d{3}s", pong), pong
    # Notices to us: a server's by its name, a user's with its address, notify_private.
    server_notice = line_with(p, SERVER, "bad.server: *** server says")
    assert server_notice["message"].endswith("bad.server" + RS + ": *** server says")
    psst = line_with(p, SERVER, "bob (b@h): psst")
    assert psst["message"] == BOB + "bob " + DL + "(" + HOST + "b@h" + DL + ")" + RS + ": psst"
    assert "notify_private" in psst["tags"]


def test_what_we_send_is_shown_with_its_target_where_weechat_shows_it(perchd_factory):
    p, server = connected(perchd_factory)
    cmd(p, "/msg @#c for ops", buffer="irc.bad.#c")
    ours = line_with(p, CHAN, "Msg(perchy) -> @#c: for ops")
    assert ours["message"] == "Msg" + DL + "(" + RS + ME + "perchy" + DL + ")" + RS + " -> " + \
        CH + "@#c" + RS + ": for ops"
    assert ours["tags"][:4] == ["irc_privmsg", "self_msg", "notify_none", "no_highlight"]
    cmd(p, "/notice bob \x02psst", buffer="irc.bad.#c")
    notice = line_with(p, SERVER, "Notice(perchy) -> bob: psst")
    assert notice["message"] == NOTICE + "Notice" + RS + DL + "(" + RS + ME + "perchy" + DL + \
        ")" + RS + " -> " + BOB + "bob" + RS + ": " + BOLD_ON + "psst"
    cmd(p, "/me waves", buffer="irc.bad.#c")
    me = line_with(p, CHAN, "perchy waves")
    assert me["message"] == RS + ME + "perchy" + RS + " waves"
    assert me["prefix"].endswith(" *")
    cmd(p, "/action bob hi there", buffer="irc.bad.#c")
    action = line_with(p, SERVER, "Action -> bob: perchy hi there")
    assert action["message"] == "Action -> " + BOB + "bob" + RS + ": " + RS + ME + "perchy" + \
        RS + " hi there"
    # /ctcp: several targets, "*" the buffer's channel; a PING carries the time.
    cmd(p, "/ctcp bob,* ping", buffer="irc.bad.#c")
    query = line_with(p, CHAN, "CTCP query to #c: PING")
    assert re.fullmatch(r"CTCP query to #c: PING \d+ \d+",
                        wait_line(p, CHAN, "CTCP query to #c")["message"])
    assert query["tags"][:2] == ["irc_privmsg", "irc_ctcp"]

    def sent():
        return b"".join(server.got)
    wait_for(lambda: re.search(rb"PRIVMSG bob :\x01PING \d+ \d+\x01", sent())
             and re.search(rb"PRIVMSG #c :\x01PING \d+ \d+\x01", sent()))
    cmd(p, "/ctcp * version", buffer=SERVER)
    wait_line(p, SERVER, 'irc: "ctcp *" command can only be executed in a channel or private '
                         'buffer')
    assert b"\x01VERSION\x01" not in sent()


def test_wallchops_reaches_the_ops_as_the_server_allows(perchd_factory):
    # STATUSMSG with '@': one notice to "@#c".
    p, server = connected(perchd_factory)
    cmd(p, "/wallchops meeting now", buffer="irc.bad.#c")
    shown = line_with(p, CHAN, "NoticeOp -> #c: meeting now")
    assert shown["message"] == NOTICE + "NoticeOp" + RS + " -> " + CH + "#c" + RS + \
        ": meeting now"
    wait_for(lambda: b"NOTICE @#c :meeting now\r\n" in b"".join(server.got))
    # Errors: no channel here, a channel we are not on, nothing to say.
    cmd(p, "/wallchops hello", buffer=SERVER)
    wait_line(p, SERVER, 'irc: "wallchops" command can only be executed in a channel buffer')
    cmd(p, "/wallchops #elsewhere hello", buffer=SERVER)
    wait_line(p, SERVER, 'irc: you are not on channel "#elsewhere"')
    cmd(p, "/wallchops", buffer="irc.bad.#c")
    wait_line(p, CHAN, 'Too few arguments for command "/wallchops"')


def test_wallchops_without_statusmsg_notices_each_op_but_us(perchd_factory):
    script = [
        b":bad.server 001 perchy :Welcome perchy\r\n",
        b":bad.server 005 perchy PREFIX=(qov)~@+ CHANTYPES=# :are supported\r\n",
        b":perchy!p@h JOIN #c\r\n",
        b":bad.server 353 perchy = #c :@perchy ~owner @alice +bob carol\r\n",
        b":bad.server 366 perchy #c :End of /NAMES list.\r\n",
        b":bad.server NOTICE perchy :last\r\n",
    ]
    p, server = connected(perchd_factory, script)
    cmd(p, "/wallchops #c to the ops", buffer=SERVER)
    line_with(p, CHAN, "NoticeOp -> #c: to the ops")
    wait_for(lambda: b"NOTICE owner :to the ops" in b"".join(server.got)
             and b"NOTICE alice :to the ops" in b"".join(server.got))
    cmd(p, "/quote PING :marker", buffer=SERVER)
    wait_for(lambda: re.search(rb"PING :?marker", b"".join(server.got)))
    sent = b"".join(server.got)
    assert b"NOTICE perchy" not in sent and b"NOTICE bob" not in sent
    assert b"NOTICE carol" not in sent and b"NOTICE @#c" not in sent
