"""IRC buffers and lines exactly as WeeChat's irc plugin makes them, against a real ngircd:
nick colours in prefixes and tags, input prompts, channel modes, the server title and local
variables, 329/333, the smart filter, WHOIS replies and where errors go.

Expected values come from WeeChat's source (HEAD of the mirror, see docs/irc-compat.md):
colour codes from gui-color.c (gui_color_get_custom: basic colour "\\x19F" + 2 digits,
extended "\\x19F@" + 5 digits; an option colour "\\x19" + its 2-digit number, chat_nick_self
being 15; bar_delim "\\x19bD"), prefixes from irc-nick.c (irc_nick_as_prefix,
irc_nick_mode_for_display), prompts from irc-channel.c / irc-server.c
(irc_channel_get_buffer_input_prompt), line formats from irc-protocol.c."""
import re
import time

import pytest

from conftest import request
from ircd import RawIrc
from test_irc import wait_for

# auto_away off: away only when the user says so, as in WeeChat.
CONFIG = ("[irc]\nreconnect_first = 200\nreconnect_max = 1000\nconnect_timeout = 30000\n"
          "auto_away =\n")
CHAN = "irc.test.%23perch"  # in URLs
CHAN_NAME = "irc.test.#perch"  # in input

# weechat.color.chat_nick_colors with djb2 (gui-nick.c): bob -> 248, carol -> 184.
BOB = "\x19F@00248bob"
SELF = "\x1915"           # weechat.color.chat_nick_self, option colour 15
OP = "\x19F06@"           # irc.color.nick_prefixes o:lightgreen (basic colour 6)
NO_MODE = "\x19F10"       # "*:lightblue": a nick without a mode keeps this colour
INPUT_NICK = "\x19F14"    # irc.color.input_nick lightcyan
DATE = r"\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2}"  # weechat.look.time_format


def cmd(p, command, buffer="irc.server.test"):
    r = request(p.plain_port, "POST", "/api/input", tls=False,
                body={"buffer_name": buffer, "command": command})
    assert r.status == 204, r.body


def lines(p, buffer, colors="strip"):
    r = request(p.plain_port, "GET", f"/api/buffers/{buffer}/lines?colors={colors}", tls=False)
    return r.json() if r.status == 200 else []


def buffer(p, name):
    return request(p.plain_port, "GET", f"/api/buffers/{name}?colors=weechat", tls=False).json()


def wait_line(p, name, text, colors="strip", count=1):
    """The last line of name whose stripped message holds text (with its prefix in colors)."""
    def found():
        stripped = lines(p, name)
        hits = [i for i, l in enumerate(stripped) if text in l["message"]]
        if len(hits) < count:
            return None
        return lines(p, name, colors)[hits[-1]]
    try:
        return wait_for(found)
    except AssertionError:
        raise AssertionError(f"{text!r} not in {name}: "
                             f"{[l['message'] for l in lines(p, name)][-15:]}") from None


def wait_prop(p, name, key, value):
    try:
        return wait_for(lambda: buffer(p, name).get(key) == value)
    except AssertionError:
        raise AssertionError(f"{name} {key}: {buffer(p, name).get(key)!r} != {value!r}") from None


@pytest.fixture
def linked(perchd_factory, ngircd):
    """perchd linked as perchy, bob (op) and perchy in #perch with a topic bob set."""
    bob = RawIrc(ngircd.port, "bob")
    bob.send("JOIN #perch")
    bob.wait_for("366")
    bob.send("TOPIC #perch :the topic")
    bob.wait_for("TOPIC")
    bob.send("MODE #perch +nt")
    bob.wait_for("MODE")
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks=perchy", "core.weechat")
    cmd(p, "/connect test", "core.weechat")
    wait_line(p, "irc.server.test", "Welcome")
    cmd(p, "/join #perch")
    bob.wait_for("JOIN :#perch")
    wait_line(p, CHAN, "Channel #perch: 2 nicks")
    yield p, bob, ngircd
    bob.close()


def test_server_title_local_variables_and_prompt(linked):
    p, bob, ngircd = linked
    # irc_server_set_buffer_title: "IRC: address/port (ip)" once 001 came.
    server = buffer(p, "irc.server.test")
    assert server["title"] == f"IRC: 127.0.0.1/{ngircd.port} (127.0.0.1)"
    lv = server["local_variables"]
    # irc_server_set_tls_version: "cleartext" on a plain link; no lag below 500 ms.
    assert lv["tls_version"] == "cleartext" and "lag" not in lv and "away" not in lv
    # irc_server_create_buffer's charset modifier; irc_server_connect_cb's line once the link
    # is up, right after the one saying where it goes.
    assert lv["charset_modifier"] == "irc.test"
    said = [l["message"] for l in lines(p, "irc.server.test")]
    at = said.index(f"irc: connecting to server 127.0.0.1/{ngircd.port}...")
    assert said[at + 1] == f"irc: connected to 127.0.0.1/{ngircd.port} (127.0.0.1)"
    assert lines(p, "irc.server.test")[at + 1]["tags"] == []
    # Our own JOIN tells our host (irc_server_set_host), on every buffer of the server.
    join = wait_line(p, CHAN, "perchy (")
    host = next(t[5:] for t in join["tags"] if t.startswith("host_"))
    assert lv["host"] == host == "~perch@127.0.0.1"
    assert buffer(p, CHAN)["local_variables"]["host"] == host
    # The prompt: the nick in irc.color.input_nick, then "(modes)" once we have user modes.
    wait_prop(p, "irc.server.test", "input_prompt", INPUT_NICK + "perchy")
    cmd(p, "/quote MODE perchy +i")
    prompt_i = INPUT_NICK + "perchy\x19bD(\x19F00i\x19bD)"
    wait_prop(p, "irc.server.test", "input_prompt", prompt_i)
    wait_prop(p, CHAN, "input_prompt", prompt_i)
    # 221 resets the modes to what the server says.
    cmd(p, "/quote MODE perchy")
    line = wait_line(p, "irc.server.test", "User mode for perchy is [+i]")
    assert line["tags"] == ["irc_221", "irc_numeric", "nick_irc.test", "log3"]
    # Our prefix in the channel prompt, in its mode's colour.
    bob.send("MODE #perch +o perchy")
    wait_prop(p, CHAN, "input_prompt", OP + prompt_i)
    cmd(p, "/away lunch")
    wait_for(lambda: buffer(p, CHAN)["local_variables"].get("away") == "lunch")
    assert buffer(p, "irc.server.test")["local_variables"]["away"] == "lunch"
    # A new private buffer copies host and away (irc_channel_create_buffer).
    cmd(p, "/query bob")
    pv = wait_for(lambda: buffer(p, "irc.test.bob").get("local_variables"))
    assert pv["host"] == host and pv["away"] == "lunch"
    assert buffer(p, "irc.test.bob")["input_prompt"] == prompt_i
    # Disconnected: no title, tls_version, away, prompt or modes; nick and host stay.
    cmd(p, "/disconnect test")
    wait_prop(p, "irc.server.test", "title", "")
    server = buffer(p, "irc.server.test")
    lv = server["local_variables"]
    assert "tls_version" not in lv and "away" not in lv and lv["host"] == host
    assert lv["nick"] == "perchy" and server["input_prompt"] == ""
    chan = buffer(p, CHAN)
    assert chan["input_prompt"] == "" and chan["modes"] == ""


def test_a_private_buffer_follows_its_nick(linked, ngircd):
    """irc_channel_pv_rename: the private buffer of a nick that changes is renamed (name,
    short name, "channel") and says so in both nicks' colours, unless the new nick has a
    buffer already; a change of case alone renames it too."""
    p, bob, ngircd = linked
    bob.send("PRIVMSG perchy :psst")
    wait_line(p, "irc.test.bob", "psst")
    bob.send("NICK bobby")
    line = wait_line(p, "irc.test.bobby", "bob is now known as bobby", colors="weechat")
    assert line["message"] == "\x19F@00248bob\x1c is now known as \x19F@00070bobby\x1c"
    assert line["prefix"] == "\x1905--"
    assert line["tags"] == ["irc_nick", "irc_nick1_bob", "irc_nick2_bobby", "nick_bob",
                            "host_~bob@127.0.0.1", "log2"]
    pv = buffer(p, "irc.test.bobby")
    assert pv["short_name"] == "bobby" and pv["local_variables"]["channel"] == "bobby"
    assert [l["message"] for l in lines(p, "irc.test.bobby")][0] == "psst"
    assert request(p.plain_port, "GET", "/api/buffers/irc.test.bob", tls=False).status == 404
    # The buffer answers as the new nick: what is said there goes to bobby.
    cmd(p, "still there?", "irc.test.bobby")
    assert bob.wait_for("PRIVMSG bobby").endswith(":still there?")
    # Only the case changes: renamed all the same.
    bob.send("NICK Bobby")
    wait_line(p, "irc.test.Bobby", "bobby is now known as Bobby")
    # The new nick has a buffer already: each keeps its own, and neither says anything.
    cmd(p, "/query dave", "irc.server.test")
    wait_for(lambda: buffer(p, "irc.test.dave").get("short_name") == "dave")
    bob.send("NICK dave")
    bob.send("PRIVMSG perchy :now as dave")
    wait_line(p, "irc.test.dave", "now as dave")
    assert buffer(p, "irc.test.Bobby")["short_name"] == "Bobby"
    for name in ("irc.test.Bobby", "irc.test.dave"):
        assert not any("known as dave" in l["message"] for l in lines(p, name))


def test_a_private_partner_back_on_the_server_is_said(linked, ngircd):
    """irc_channel_display_nick_back_in_pv: a nick that quit and joins one of our channels
    again is "back on server" in its private buffer (once), whose title follows its
    address (irc_channel_set_topic_private_buffers), also for a buffer opened by /query."""
    p, bob, ngircd = linked
    bob.send("PRIVMSG perchy :psst")
    wait_line(p, "irc.test.bob", "psst")
    cmd(p, "/query carol")
    bob.send("QUIT :brb")
    wait_line(p, "irc.test.bob", "has quit")
    bob2 = RawIrc(ngircd.port, "bob")
    bob2.send("JOIN #perch")
    back = wait_line(p, "irc.test.bob", "is back on server", colors="weechat")
    assert back["prefix"] == "\x1907-->"
    assert back["message"] == (BOB + " \x1928(\x1927~bob@127.0.0.1\x1928)\x19F05 is back on server")
    assert back["tags"] == ["irc_nick_back", "nick_bob", "host_~bob@127.0.0.1", "log4"]
    bob2.send("PART #perch")
    bob2.send("JOIN #perch")
    wait_line(p, CHAN, "bob (~bob@127.0.0.1) has joined #perch", count=2)
    assert sum("back on server" in l["message"] for l in lines(p, "irc.test.bob")) == 1
    assert buffer(p, "irc.test.carol")["title"] == ""
    carol = RawIrc(ngircd.port, "carol")
    carol.send("JOIN #perch")
    wait_prop(p, "irc.test.carol", "title", "~carol@127.0.0.1")
    assert not any("back on server" in l["message"] for l in lines(p, "irc.test.carol"))
    bob2.close()
    carol.close()


def hotlist_count(p, name):
    """The counts of name's hotlist entry (low, message, private, highlight), or None."""
    ids = {b["id"]: b["name"] for b in request(p.plain_port, "GET", "/api/buffers",
                                                  tls=False).json()}
    hot = request(p.plain_port, "GET", "/api/hotlist", tls=False).json()
    return next((h["count"] for h in hot if ids.get(h["buffer_id"]) == name), None)


def test_away_and_back_said_in_every_channel_and_private_buffer(linked):
    """irc.look.display_away local: /away prints "[nick away: message]" and, back,
    "[nick back: gone HH:MM:SS]" in each channel and private buffer (tag away_info, no
    prefix), adding nothing to the hotlist; not connected, the message waits for the next
    connection ("future away"). Our own nick change adds nothing to the hotlist either."""
    p, bob, ngircd = linked
    bob.send("PRIVMSG perchy :psst")
    wait_line(p, "irc.test.bob", "psst")
    cmd(p, "/hotlist clear")
    cmd(p, "/away \x02lunch\x02 break", CHAN_NAME)
    for name in (CHAN, "irc.test.bob"):
        line = wait_line(p, name, "away: lunch break", colors="weechat")
        assert line["message"] == "\x1928[\x1915perchy\x1c away: \x1a\x01lunch\x1b\x01 break\x1928]"
        assert line["prefix"] == "" and line["tags"] == ["away_info"]
    wait_line(p, "irc.server.test", "You have been marked as being away")
    cmd(p, "/away", "irc.test.bob")
    for name in (CHAN, "irc.test.bob"):
        back = wait_line(p, name, "back: gone")
        assert re.fullmatch(r"\[perchy back: gone 00:00:0\d\]", back["message"]), back
    # The away lines (and the server's 305/306 in the server buffer, low) left the
    # channel and private buffers out of the hotlist.
    assert hotlist_count(p, CHAN) is None and hotlist_count(p, "irc.test.bob") is None
    cmd(p, "/nick perchy2")
    wait_line(p, CHAN, "You are now known as perchy2")
    assert hotlist_count(p, CHAN) is None
    # Back when not away: nothing said.
    cmd(p, "/away", CHAN_NAME)
    cmd(p, "/disconnect test")
    wait_line(p, "irc.server.test", "disconnected from server")
    cmd(p, "/away gone home")
    wait_line(p, "irc.server.test", "irc: future away: gone home")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome", count=2)
    wait_line(p, "irc.server.test", "You have been marked as being away", count=2)
    assert buffer(p, "irc.server.test")["local_variables"]["away"] == "gone home"
    assert sum("back: gone" in l["message"] for l in lines(p, CHAN)) == 1
    cmd(p, "/away", "core.weechat")
    assert "must be executed on irc buffer" in lines(p, "core.weechat")[-1]["message"]


def test_nick_colours_in_prefixes_and_tags(linked):
    p, bob, _ = linked
    bob.send("PRIVMSG #perch :hello all")
    line = wait_line(p, CHAN, "hello all", colors="weechat")
    # irc_nick_as_prefix: the op char in lightgreen, then bob in his hashed colour (248).
    assert line["prefix"] == OP + BOB
    assert line["tags"][:3] == ["irc_privmsg", "notify_message", "prefix_nick_248"]
    # Our own line: no mode here, so the space is dropped but "*"'s colour stays, then our
    # nick in chat_nick_self; the tag names its colour, white.
    cmd(p, "hi bob", CHAN_NAME)
    bob.wait_for("PRIVMSG #perch :hi bob")
    own = wait_line(p, CHAN, "hi bob", colors="weechat")
    assert own["prefix"] == NO_MODE + SELF + "perchy"
    assert own["tags"] == ["irc_privmsg", "self_msg", "notify_none", "no_highlight",
                           "prefix_nick_white", "nick_perchy", "log1"]
    # A private message: a colour reset where the mode would be (no nick in a channel).
    bob.send("PRIVMSG perchy :psst")
    pv = wait_line(p, "irc.test.bob", "psst", colors="weechat")
    assert pv["prefix"] == "\x1c" + BOB
    assert pv["tags"][:3] == ["irc_privmsg", "notify_private", "prefix_nick_248"]
    # The stripped form is what a client without colours shows.
    assert wait_line(p, "irc.test.bob", "psst")["prefix"] == "bob"
    # ANSI clients get the same colours: bob's 248 as a 256-colour escape.
    ansi = wait_line(p, CHAN, "hello all", colors="ansi")
    assert "\x1b[38;5;248mbob" in ansi["prefix"]


def test_channel_modes_and_join_numerics(linked):
    p, bob, _ = linked
    # 332 then 333 on join: "Topic set by N (user@host) on <date>" (irc-protocol.c, 333).
    topic = wait_line(p, CHAN, "Topic set by bob")
    assert re.fullmatch(rf"Topic set by bob( \(~bob@127\.0\.0\.1\))? on {DATE}",
                        topic["message"]), topic["message"]
    assert topic["prefix"] == "--"
    assert topic["tags"] == ["irc_333", "irc_numeric", "nick_irc.test", "log3"]
    # WeeChat sends MODE #chan after the first 366: 324 sets the modes silently, 329 is shown.
    created = wait_line(p, CHAN, "Channel created on")
    assert re.fullmatch(rf"Channel created on {DATE}", created["message"])
    assert created["tags"] == ["irc_329", "irc_numeric", "nick_irc.test", "log3"]
    initial = wait_for(lambda: buffer(p, CHAN)["modes"])
    assert initial in ("+nt", "+tn"), initial
    assert not any(l["message"].startswith("Mode #perch [") for l in lines(p, CHAN))
    # MODE changes: a mode with an argument goes at the end with it; k hides every argument
    # (irc.look.item_channel_modes_hide_args = "k").
    bob.send("MODE #perch +l 50")
    wait_prop(p, CHAN, "modes", initial + "l 50")
    bob.send("MODE #perch +k secret")
    wait_prop(p, CHAN, "modes", initial + "lk")
    bob.send("MODE #perch -l")
    wait_prop(p, CHAN, "modes", initial + "k")
    bob.send("MODE #perch -k secret")
    wait_prop(p, CHAN, "modes", initial)
    # A mode without an argument goes first.
    bob.send("MODE #perch +m")
    wait_prop(p, CHAN, "modes", "+m" + initial[1:])
    # A 324 asked again is shown once one was received.
    cmd(p, "/quote MODE #perch")
    shown = wait_for(lambda: [l for l in lines(p, CHAN)
                              if re.fullmatch(r"Mode #perch \[\+[mnt]{3}\]", l["message"])])[-1]
    assert shown["tags"] == ["irc_324", "irc_numeric", "nick_irc.test", "log3"]
    # Parted: no nicks, so no modes (irc_channel_set_buffer_modes).
    cmd(p, "/part", CHAN_NAME)
    wait_prop(p, CHAN, "modes", "")


def test_smart_filter_for_nicks_silent_lately(linked, ngircd):
    p, bob, _ = linked
    carol = RawIrc(ngircd.port, "carol")
    try:
        carol.send("JOIN #perch")
        # carol never spoke: her join is tagged irc_smart_filter (irc-protocol.c, join).
        join = wait_line(p, CHAN, "carol (")
        assert join["tags"][:2] == ["irc_join", "irc_smart_filter"]
        bob.send("PRIVMSG #perch :I speak")
        wait_line(p, CHAN, "I speak")
        # bob spoke within irc.look.smart_filter_delay: his nick change is not filtered,
        # carol's is (smart filter first, then irc_nick1_/irc_nick2_).
        bob.send("NICK bobby")
        nick = wait_line(p, CHAN, "bob is now known as bobby")
        assert nick["tags"][:3] == ["irc_nick", "irc_nick1_bob", "irc_nick2_bobby"]
        carol.send("NICK caro")
        nick = wait_line(p, CHAN, "carol is now known as caro")
        assert nick["tags"][:3] == ["irc_nick", "irc_smart_filter", "irc_nick1_carol"]
        # The speaking time follows the new nick.
        bob.send("PART #perch :later")
        part = wait_line(p, CHAN, "bobby (")
        assert part["tags"][:2] == ["irc_part", "nick_bobby"]
        carol.send("QUIT :bye")
        quit_ = wait_line(p, CHAN, "caro (")
        assert quit_["tags"][:2] == ["irc_quit", "irc_smart_filter"]
        # Our own lines are never filtered.
        cmd(p, "/nick perchy2")
        own = wait_line(p, CHAN, "You are now known as perchy2")
        assert "irc_smart_filter" not in own["tags"]
    finally:
        carol.close()


def test_whois_replies_and_where_errors_go(linked):
    p, bob, _ = linked
    cmd(p, "/whois bob")
    # WHOIS in the server buffer: "[N] ..." forms of irc-protocol.c, tags irc_3NN,irc_numeric.
    user = wait_line(p, "irc.server.test", "[bob] (~bob@127.0.0.1): bob")
    assert user["prefix"] == "--"
    assert user["tags"] == ["irc_311", "irc_numeric", "nick_irc.test", "log3"]
    wait_line(p, "irc.server.test", "[bob] irc.test (perch test server)")
    wait_line(p, "irc.server.test", "[bob] @#perch")
    idle = wait_line(p, "irc.server.test", "[bob] idle: ")
    assert re.fullmatch(rf"\[bob\] idle: \d\d hours? \d\d minutes? \d\d seconds?, signon at: {DATE}",
                        idle["message"]), idle["message"]
    end = wait_line(p, "irc.server.test", "[bob] End of WHOIS list")
    assert end["tags"] == ["irc_318", "irc_numeric", "nick_irc.test", "log3"]
    # 401 about a nick: the server buffer, or that nick's private buffer when open.
    cmd(p, "/quote PRIVMSG nosuch :x")
    err = wait_line(p, "irc.server.test", "nosuch: No such nick")
    assert err["prefix"] == "--" and err["tags"][:2] == ["irc_401", "irc_numeric"]
    cmd(p, "/query nosuch")
    cmd(p, "/quote PRIVMSG nosuch :y")
    wait_line(p, "irc.test.nosuch", "nosuch: No such nick")
    # 482 about a channel: that channel's buffer (ngircd's words).
    cmd(p, "/quote KICK #perch bob")
    err = wait_line(p, CHAN, "#perch: Your privileges are too low")
    assert err["tags"] == ["irc_482", "irc_numeric", "nick_irc.test", "log3"]
    # 403 about a channel not open: the server buffer.
    cmd(p, "/quote PART #nowhere")
    wait_line(p, "irc.server.test", "#nowhere: No such channel")
    # 421: "FOO: Unknown command".
    cmd(p, "/quote FOO")
    wait_line(p, "irc.server.test", "FOO: Unknown command")


class SlowPongServer:
    """A scripted IRC server: sends script after USER, then answers each PING of perchd
    late (delay seconds), so that the lag is measurable on loopback."""

    def __init__(self, script, delay):
        import socket
        import threading
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.script, self.delay, self.got = script, delay, []
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        conn, _ = self.listener.accept()
        conn.settimeout(30)
        buf = b""
        try:
            while b"USER " not in buf:
                buf += conn.recv(4096)
            buf = b""
            for chunk in self.script:
                conn.sendall(chunk)
            while True:
                data = conn.recv(4096)
                if not data:
                    break
                buf += data
                while b"\r\n" in buf:
                    line, buf = buf.split(b"\r\n", 1)
                    self.got.append(line)
                    if line.startswith(b"PING "):
                        time.sleep(self.delay)
                        token = line[5:].lstrip(b":")
                        conn.sendall(b":bad.server PONG bad.server :" + token + b"\r\n")
        except OSError:
            pass
        conn.close()


def test_lag_and_bad_numerics(perchd_factory):
    # Numerics missing parameters, with huge or negative numbers and invalid UTF-8: shown
    # or ignored, never a crash, and the link goes on.
    script = [b":bad.server 001 perchy :Welcome perchy\r\n",
              b":perchy!u@h JOIN #x\r\n",
              b":bad.server 353 perchy = #x :@perchy\r\n",
              b":bad.server 366 perchy #x :End\r\n",
              b":bad.server 324 perchy\r\n", b":bad.server 324 perchy #x +kl\r\n",
              b":bad.server 324 perchy #x +" + b"k" * 300 + b" a b\r\n",
              b":bad.server MODE #x +kkkkkkkkkklllllll\r\n", b":bad.server MODE perchy\r\n",
              b":bad.server 329 perchy #x 99999999999999999999999999\r\n",
              b":bad.server 329 perchy #x -77\r\n",
              b":bad.server 333 perchy #x\r\n", b":bad.server 333 perchy #x 0\r\n",
              b":bad.server 333 perchy #x ! 99999999999999999999\r\n",
              b":bad.server 311 perchy\r\n", b":bad.server 311 perchy bob\r\n",
              b":bad.server 311 perchy bob u h * :caf\xe9 \xff\r\n",
              b":bad.server 317 perchy bob 99999999999999999999 -5 :idle\r\n",
              b":bad.server 317 perchy bob -1 x\r\n",
              b":bad.server 401 perchy\r\n", b":bad.server 482 perchy #nochan\r\n",
              b":bad.server 482 * :no target\r\n", b":bad.server 221 perchy\r\n",
              b":bad.server 221 perchy +" + b"i" * 500 + b"\r\n",
              b":bad.server 301 perchy bob\r\n", b":bad.server 338 perchy bob\r\n",
              b":bad.server 372 perchy :- the end\r\n"]
    server = SlowPongServer(script, delay=2.2)
    p = perchd_factory(config=CONFIG + "ping_interval = 1000\nping_timeout = 20000\n")
    cmd(p, f"/server add bad 127.0.0.1/{server.port} -notls -nicks=perchy", "core.weechat")
    cmd(p, "/connect bad", "core.weechat")
    wait_line(p, "irc.server.bad", "- the end")
    messages = [l["message"] for l in lines(p, "irc.server.bad")]
    assert "[bob] (u@h): caf\ufffd \ufffd" in messages
    assert "User mode for perchy is [+i]" in messages[-30:] or any(
        m.startswith("User mode for perchy is [+iii") for m in messages)
    # The prompt keeps each user mode once.
    assert buffer(p, "irc.server.bad")["input_prompt"] == INPUT_NICK + "perchy\x19bD(\x19F00i\x19bD)"
    assert buffer(p, "irc.bad.%23x")["modes"].startswith("+")
    # irc_server_set_lag: the lag (>= irc.network.lag_min_show, 500 ms) as "%.3f" seconds,
    # on the server buffer and (since 4.3.0) its channels; while our PING waits past a
    # second, the running count in whole seconds ("%.0f", refreshed each second).
    def lag():
        return buffer(p, "irc.server.bad")["local_variables"].get("lag") or ""
    running = wait_for(lambda: re.fullmatch(r"\d+", lag()) and lag())
    assert 1 <= int(running) <= 3, running
    value = wait_for(lambda: re.fullmatch(r"\d+\.\d{3}", lag()) and float(lag()) > 2 and lag())
    assert float(value) < 5, value
    wait_for(lambda: buffer(p, "irc.bad.%23x")["local_variables"].get("lag"))
    assert server.got.count(b"MODE #x") == 1


# Colour codes of message texts (irc-color.h's IRC_COLOR_* with WeeChat's defaults):
# weechat.color.* options are "\x19" + the option's number in gui-color.h (gui_color_build),
# irc.color.* options the colour they hold (gui_color_get_custom), reset is "\x1c".
CH = "\x1913"           # chat_channel
HOST = "\x1927"         # chat_host
DL = "\x1928"           # chat_delimiters
RS = "\x1c"             # reset
GREEN = "\x19F05"       # irc.color.message_join
RED = "\x19F03"         # irc.color.message_quit, message_kick
DEFAULT = "\x19F00"     # irc.color.reason_kick, topic_current
C244 = "\x19F@00244"    # irc.color.reason_quit, topic_old
C36 = "\x19F@00036"     # irc.color.topic_new
PALETTE = ("cyan,magenta,green,brown,lightblue,lightcyan,lightmagenta,lightgreen,31,35,38,40,"
           "49,63,70,80,92,99,112,126,130,138,142,148,160,162,167,169,174,176,178,184,186,210,"
           "212,215,248").split(",")
BASIC = ["default", "black", "darkgray", "red", "lightred", "green", "lightgreen", "brown",
         "yellow", "blue", "lightblue", "magenta", "lightmagenta", "cyan", "lightcyan", "gray",
         "white"]


def nick_color(nick):
    """gui_nick_find_color (gui-nick.c): djb2 over the nick (64-bit), an index in
    weechat.color.chat_nick_colors, written by gui_color_get_custom."""
    h = 5381
    for c in nick:
        h = (h ^ ((h << 5) + (h >> 2) + ord(c))) & 0xFFFFFFFFFFFFFFFF
    name = PALETTE[h % len(PALETTE)]
    return f"\x19F{BASIC.index(name):02d}" if name in BASIC else f"\x19F@{int(name):05d}"


def test_message_colours_as_weechat(linked, ngircd):
    p, bob, _ = linked
    assert nick_color("bob") == BOB[:-3] and nick_color("carol") == "\x19F@00184"
    B, C = nick_color("bob"), nick_color("carol")
    # Our own JOIN: IRC_PROTOCOL_CALLBACK(join), the nick in chat_nick_self, prefix "-->" in
    # chat_prefix_join (option 7, gui_chat_prefix_build).
    own = wait_line(p, CHAN, "perchy (", colors="weechat")
    assert own["prefix"] == "\x1907-->"
    assert own["message"] == (SELF + "perchy" + DL + " (" + HOST + "~perch@127.0.0.1" + DL + ")"
                              + GREEN + " has joined " + CH + "#perch" + GREEN)
    # colors=ansi: option colours as gui_color_encode_ansi writes them with the defaults
    # (chat_nick_self white 15, chat_delimiters 22, chat_host cyan 6, chat_channel white 15).
    ansi = wait_line(p, CHAN, "perchy (", colors="ansi")
    assert ansi["message"].startswith("\x1b[0m\x1b[38;5;15m\x1b[49mperchy"
                                      "\x1b[0m\x1b[38;5;22m\x1b[49m ("
                                      "\x1b[0m\x1b[38;5;6m\x1b[49m~perch@127.0.0.1"), ansi
    assert "\x1b[0m\x1b[38;5;15m\x1b[49m#perch" in ansi["message"]
    assert ansi["prefix"] == "\x1b[0m\x1b[38;5;10m\x1b[49m-->"
    carol = RawIrc(ngircd.port, "carol")
    try:
        carol.send("JOIN #perch")
        join = wait_line(p, CHAN, "carol (", colors="weechat")
        assert join["message"] == (C + "carol" + DL + " (" + HOST + "~carol@127.0.0.1" + DL + ")"
                                   + GREEN + " has joined " + CH + "#perch" + GREEN)
        # IRC_PROTOCOL_CALLBACK(topic): old topic in topic_old, new in topic_new.
        bob.send("TOPIC #perch :new topic")
        topic = wait_line(p, CHAN, "has changed topic", colors="weechat")
        assert topic["prefix"] == "\x1905--"
        assert topic["message"] == (B + "bob" + RS + " has changed topic for " + CH + "#perch" + RS
                                    + " from \"" + C244 + "the topic" + RS + "\" to \"" + C36
                                    + "new topic" + RS + "\"")
        # IRC_PROTOCOL_CALLBACK(mode) + irc_mode_get_arguments_colors; +v on carol, who never
        # spoke, by bob: smart filtered (irc_mode_channel_set).
        bob.send("MODE #perch +v carol")
        mode = wait_line(p, CHAN, "Mode #perch [+v carol]", colors="weechat")
        assert mode["message"] == ("Mode " + CH + "#perch " + DL + "[" + RS + "+v carol" + RS + DL
                                   + "]" + RS + " by " + B + "bob")
        assert mode["tags"][:2] == ["irc_mode", "irc_smart_filter"]
        # A mode on us is never filtered.
        bob.send("MODE #perch +v perchy")
        mode = wait_line(p, CHAN, "Mode #perch [+v perchy]")
        assert "irc_smart_filter" not in mode["tags"]
        # IRC_PROTOCOL_CALLBACK(nick): old nick in its colour, new in the new nick's.
        carol.send("NICK caro")
        nick = wait_line(p, CHAN, "carol is now known as caro", colors="weechat")
        assert nick["message"] == (C + "carol" + RS + " is now known as " + nick_color("caro")
                                   + "caro" + RS)
        # IRC_PROTOCOL_CALLBACK(kick): "has kicked" in message_kick, reason in reason_kick.
        bob.send("KICK #perch caro :out")
        kick = wait_line(p, CHAN, "bob has kicked caro", colors="weechat")
        assert kick["prefix"] == "\x1908<--"
        assert kick["message"] == (B + "bob" + RED + " has kicked " + nick_color("caro") + "caro"
                                   + RED + " " + DL + "(" + DEFAULT + "out" + DL + ")")
    finally:
        carol.close()
    dave = RawIrc(ngircd.port, "dave")
    try:
        dave.send("JOIN #perch")
        wait_line(p, CHAN, "dave (")
        dave.send("QUIT :bye")
        quit_ = wait_line(p, CHAN, "dave (", colors="weechat", count=2)
        # IRC_PROTOCOL_CALLBACK(quit): the reason in reason_quit (244); ngircd quotes it.
        assert quit_["message"] == (nick_color("dave") + "dave" + DL + " (" + HOST
                                    + "~dave@127.0.0.1" + DL + ")" + RED + " has quit " + DL + "("
                                    + C244 + "\"bye\"" + DL + ")")
    finally:
        dave.close()
    # WHO: IRC_PROTOCOL_CALLBACK(352) and (315), in the server buffer.
    cmd(p, "/quote WHO #perch")
    who = wait_line(p, "irc.server.test", "[#perch] bob (", colors="weechat")
    assert re.fullmatch(re.escape(DL + "[" + CH + "#perch" + DL + "] " + B + "bob " + DL + "("
                                  + HOST + "~bob@127.0.0.1" + DL + ")" + RS + " ")
                        + r"[HG]\*?@ \d+ " + re.escape(DL + "(" + RS + "bob" + DL + ")"),
                        who["message"]), who["message"]
    end = wait_line(p, "irc.server.test", "[#perch] End of", colors="weechat")
    assert end["message"].startswith(DL + "[" + CH + "#perch" + DL + "]" + RS + " End of")
    assert end["tags"] == ["irc_315", "irc_numeric", "nick_irc.test", "log3"]
    # Unset, then asked: IRC_PROTOCOL_CALLBACK(topic) with the old topic, then (331).
    bob.send("TOPIC #perch :")
    unset = wait_line(p, CHAN, "has unset topic", colors="weechat")
    assert unset["message"] == (B + "bob" + RS + " has unset topic for " + CH + "#perch" + RS
                                + " (old topic: \"" + C244 + "new topic" + RS + "\")")
    cmd(p, "/quote TOPIC #perch")
    none = wait_line(p, CHAN, "No topic set", colors="weechat")
    assert none["message"] == "No topic set for channel " + CH + "#perch"
    assert none["tags"] == ["irc_331", "irc_numeric", "nick_irc.test", "log3"]
    # WHOIS (irc-protocol.c, 311 and whois_nick_msg) and a generic error on a channel.
    cmd(p, "/whois bob")
    user = wait_line(p, "irc.server.test", "[bob] (~bob@127.0.0.1): bob", colors="weechat")
    assert user["message"] == (DL + "[" + B + "bob" + DL + "] (" + HOST + "~bob@127.0.0.1" + DL
                               + ")" + RS + ": bob")
    cmd(p, "/quote PART #nowhere")
    err = wait_line(p, "irc.server.test", "#nowhere: No such channel", colors="weechat")
    assert err["message"] == CH + "#nowhere" + RS + ": No such channel"
    # Our own part: IRC_PROTOCOL_CALLBACK(part) with the reason in reason_quit.
    bob.send("PRIVMSG #perch :still here")
    cmd(p, "/part #perch bye all")
    part = wait_line(p, CHAN, "perchy (", colors="weechat", count=2)
    assert part["message"] == (SELF + "perchy" + DL + " (" + HOST + "~perch@127.0.0.1" + DL + ")"
                               + RED + " has left " + CH + "#perch" + RED + " " + DL + "(" + C244
                               + "bye all" + DL + ")")


def test_smart_filtered_join_unmasked_when_the_nick_speaks(linked, ngircd):
    p, bob, _ = linked
    erin = RawIrc(ngircd.port, "erin")
    try:
        erin.send("JOIN #perch")
        join = wait_line(p, CHAN, "erin (")
        assert join["tags"][:2] == ["irc_join", "irc_smart_filter"]
        erin.send("NICK erin2")
        wait_line(p, CHAN, "erin is now known as erin2")
        # irc_channel_join_smart_filtered_unmask (irc.look.smart_filter_join_unmask = 30 min):
        # speaking within 30 minutes of the join removes irc_smart_filter from the join and
        # from the nick changes since.
        erin.send("PRIVMSG #perch :hello")
        wait_line(p, CHAN, "hello")
        join = wait_for(lambda: [l for l in lines(p, CHAN) if "erin (" in l["message"]
                                 and "irc_smart_filter" not in l["tags"]])[-1]
        assert join["tags"][:2] == ["irc_join", "nick_erin"]
        nick = wait_line(p, CHAN, "erin is now known as erin2")
        assert "irc_smart_filter" not in nick["tags"]
    finally:
        erin.close()
