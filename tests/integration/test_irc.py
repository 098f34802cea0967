"""IRC networks against a real ngircd: /server add, /connect, registration and the server
buffer, alternate nicks, /quote, /disconnect with its QUIT, reconnection after the server
dies, and networks kept across a restart with their QUIT on /quit."""
import socket
import ssl
import threading
import time

import pytest

from conftest import Perchd, request
from ircd import Ngircd, RawIrc, self_signed_cert

# anti_flood 0: the tests send bursts of commands, which the default pacing (one line per
# 2 s after 5) would spread over seconds; the flood control tests set their own.
CONFIG = ("[irc]\nreconnect_first = 200\nreconnect_max = 1000\nconnect_timeout = 30000\n"
          "anti_flood = 0\n")


def cmd(p, command, buffer="core.weechat"):
    r = request(p.plain_port, "POST", "/api/input", tls=False,
                body={"buffer_name": buffer, "command": command})
    assert r.status == 204, r.body


def lines(p, buffer):
    r = request(p.plain_port, "GET", f"/api/buffers/{buffer}/lines?colors=strip", tls=False)
    return r.json() if r.status == 200 else []


def wait_line(p, buffer, text, count=1, timeout=20):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = [l for l in lines(p, buffer) if text in l["message"]]
        if len(found) >= count:
            return found[-1]
        time.sleep(0.05)
    raise AssertionError(f"{text!r} x{count} not in {buffer}: "
                         f"{[l['message'] for l in lines(p, buffer)][-15:]}")


def test_connect_register_talk_and_disconnect(perchd_factory, ngircd):
    p = perchd_factory(config=CONFIG)
    cmd(p, "/server add other irc.example.org -password=sekrit -sasl_password=hush")
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks=perchy,perchy2")
    listing = [l["message"] for l in lines(p, "core.weechat")]
    assert any("server added: test" in m for m in listing)
    cmd(p, "/server listfull")
    listing = [l["message"] for l in lines(p, "core.weechat")]
    assert "    password: ********" in listing and "    sasl_password: ********" in listing
    assert not any("sekrit" in m or "hush" in m for m in listing)
    cmd(p, "/connect test")
    welcome = wait_line(p, "irc.server.test", "Welcome")
    assert "irc_001" in welcome["tags"]
    b = request(p.plain_port, "GET", "/api/buffers/irc.server.test", tls=False).json()
    assert b["short_name"] == "test"
    assert b["local_variables"]["type"] == "server"
    assert b["local_variables"]["server"] == "test"
    assert b["local_variables"]["nick"] == "perchy"
    bob = RawIrc(ngircd.port, "bob")
    bob.send("JOIN #perch")
    bob.wait_for("JOIN")
    cmd(p, "/quote JOIN #perch", buffer="irc.server.test")
    assert "perchy" in bob.wait_for("JOIN :#perch") or True
    bob.send("PRIVMSG perchy :hello there")
    wait_line(p, "irc.test.bob", "hello there")
    # CR/LF never reach the wire from user input: the line is refused whole.
    r = request(p.plain_port, "POST", "/api/input", tls=False,
                body={"buffer_name": "irc.server.test", "command": "/quote PRIVMSG #perch :a\r\nQUIT"})
    assert r.status == 204
    cmd(p, "/disconnect test see you")
    assert "see you" in bob.wait_for("QUIT")
    wait_line(p, "irc.server.test", "disconnected from server")
    bob.close()


def test_alternate_nick_and_reconnection(perchd_factory, ngircd):
    squatter = RawIrc(ngircd.port, "perchy")
    p = perchd_factory(config=CONFIG)
    # Empty entries of the list are skipped, as WeeChat's split collapses them.
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks=,perchy,,perchy2,")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome")
    b = request(p.plain_port, "GET", "/api/buffers/irc.server.test", tls=False).json()
    assert b["local_variables"]["nick"] == "perchy2"
    # irc_protocol_cb_433 while registering: the next nick tried and said, no 433 shown.
    said = lines(p, "irc.server.test")
    tried = [l for l in said if "already in use" in l["message"]]
    assert [(l["message"], l["tags"]) for l in tried] == [
        ('irc: nickname "perchy" is already in use, trying nickname "perchy2"', [])]
    squatter.close()
    ngircd.kill()
    wait_line(p, "irc.server.test", "disconnected from server")
    wait_line(p, "irc.server.test", "reconnecting to server in")
    time.sleep(0.5)
    ngircd.start()
    wait_line(p, "irc.server.test", "Welcome", count=2)


def test_every_nick_taken_then_weechats_alternates_then_a_taken_nick_later(perchd_factory,
                                                                            ngircd):
    """irc_server_get_alternate_nick: the list used up, the first nick gets "_" until 9
    characters long, then a number at its end; once registered, a 433 is an error line."""
    from test_irc_display import nick_color  # that module imports this one
    squatters = [RawIrc(ngircd.port, n) for n in ("perchy", "perchy2", "perchy_", "perchy__",
                                                  "perchy___")]
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks=perchy,perchy2")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome")
    said = [l["message"] for l in lines(p, "irc.server.test") if "already in use" in l["message"]]
    assert said == [f'irc: nickname "{a}" is already in use, trying nickname "{b}"' for a, b in
                    [("perchy", "perchy2"), ("perchy2", "perchy_"), ("perchy_", "perchy__"),
                     ("perchy__", "perchy___"), ("perchy___", "perchy__1")]]
    b = request(p.plain_port, "GET", "/api/buffers/irc.server.test", tls=False).json()
    assert b["local_variables"]["nick"] == "perchy__1"
    # Registered: a nick taken is the server's error, the nick in its colour (generic_error).
    cmd(p, "/nick perchy", buffer="irc.server.test")
    line = wait_line(p, "irc.server.test", "perchy: Nickname already in use")
    assert line["tags"] == ["irc_433", "irc_numeric", "nick_irc.test", "log3"]
    r = request(p.plain_port, "GET", "/api/buffers/irc.server.test/lines?lines=-1&colors=weechat",
                tls=False)
    assert r.json()[0]["message"] == nick_color("perchy") + "perchy\x1c: Nickname already in use"
    assert request(p.plain_port, "GET", "/api/buffers/irc.server.test",
                   tls=False).json()["local_variables"]["nick"] == "perchy__1"
    for sq in squatters:
        sq.close()


def test_an_invalid_nick_is_an_error_then_the_next_one_is_tried(perchd_factory, ngircd):
    """irc_protocol_cb_432 while registering: the server's error (its "*" target kept, as
    generic_error keeps it), then the next nick tried, said with the error prefix."""
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks=9bad,perchy")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome")
    said = [(l["prefix"], l["message"], l["tags"]) for l in lines(p, "irc.server.test")
            if "9bad" in l["message"]]
    assert said == [("--", "* 9bad Erroneous nickname", ["irc_432", "irc_numeric", "nick_irc.test",
                                                          "log3"]),
                    ("=!=", 'irc: nickname "9bad" is invalid, trying nickname "perchy"', [])]


def test_networks_survive_a_restart_and_quit_says_goodbye(perchd_factory, ngircd):
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks=perchy")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome")
    bob = RawIrc(ngircd.port, "bob")
    bob.send("JOIN #perch")
    cmd(p, "/quote JOIN #perch", buffer="irc.server.test")
    bob.wait_for("perchy")
    cmd(p, "/quit gone fishing")
    assert "gone fishing" in bob.wait_for("QUIT")
    assert p.proc.wait(timeout=30) == 0
    p.log.close()
    again = Perchd(p.dir)
    p.proc, p.log, p.tls_port, p.plain_port = again.proc, again.log, again.tls_port, again.plain_port
    # Connected when perchd stopped: connected again, by itself.
    wait_line(p, "irc.server.test", "Welcome", count=2)
    cmd(p, "/server list")
    assert any(f"test 127.0.0.1/{ngircd.port}" in l["message"] for l in lines(p, "core.weechat"))
    bob.close()


def test_bad_server_arguments_change_nothing(perchd):
    for bad in ["/server add", "/server add x", "/server add bad/name host",
                "/server add x host/99999", "/server add x host -nope=1", "/connect irc://",
                "/connect bad/name", "/connect ircs://h:99999",
                "/server del nowhere", "/quote PING"]:
        cmd(perchd, bad)
    cmd(perchd, "/server list")
    messages = [l["message"] for l in lines(perchd, "core.weechat")]
    assert messages[-1] == "No server"
    assert sum(m.startswith("=!=") or "irc:" in m or "Too few" in m for m in messages) >= 9


def nicklist(p, buffer):
    """Group name without its rank ("o", "v", "...") -> sorted "prefix+nick"."""
    root = request(p.plain_port, "GET", f"/api/buffers/{buffer}/nicks", tls=False).json()
    return {g["name"].split("|", 1)[1]: sorted(n["prefix"] + n["name"] for n in g["nicks"])
            for g in root["groups"]}


def wait_for(predicate, timeout=20):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not reached")


def test_channels_private_messages_and_nicklist(perchd_factory, ngircd):
    p = perchd_factory(config=CONFIG)
    bob = RawIrc(ngircd.port, "bob")
    bob.send("JOIN #perch")
    bob.wait_for("366")
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks=perchy")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome")
    cmd(p, "/join #perch", buffer="irc.server.test")
    chan = "irc.test.%23perch"
    joined = wait_line(p, chan, "has joined #perch")
    assert joined["prefix"] == "-->" and "irc_join" in joined["tags"] and "log4" in joined["tags"]
    # One count per mode of the server's PREFIX (ngircd: qaohv), as WeeChat words it.
    wait_line(p, chan, "Channel #perch: 2 nicks (0 owners, 0 admins, 1 op, 0 halfops, 0 voiced, "
                       "1 regular)")
    b = request(p.plain_port, "GET", f"/api/buffers/{chan}", tls=False).json()
    assert b["short_name"] == "#perch" and b["nicklist"]
    assert {k: b["local_variables"][k] for k in ("type", "server", "channel", "nick")} == \
        {"type": "channel", "server": "test", "channel": "#perch", "nick": "perchy"}
    root = request(p.plain_port, "GET", f"/api/buffers/{chan}/nicks", tls=False).json()
    assert [g["name"] for g in root["groups"]] == ["000|q", "001|a", "002|o", "003|h", "004|v",
                                                   "999|..."]
    groups = nicklist(p, chan)
    assert groups["o"] == ["@bob"] and groups["..."] == [" perchy"] and groups["v"] == []

    bob.send("PRIVMSG #perch :hello perchy")
    line = wait_line(p, chan, "hello perchy")
    assert line["prefix"] == "@bob"
    tags = line["tags"]
    assert tags[:2] == ["irc_privmsg", "notify_message"] and tags[2].startswith("prefix_nick_")
    assert tags[3] == "nick_bob" and tags[4].startswith("host_") and tags[-1] == "log1"

    cmd(p, "hi bob", buffer="irc.test.#perch")  # plain text in a channel is a PRIVMSG
    assert bob.wait_for("PRIVMSG #perch").endswith(":hi bob")
    own = wait_line(p, chan, "hi bob")
    assert own["prefix"] == "perchy" and "self_msg" in own["tags"] and "notify_none" in own["tags"]
    cmd(p, "/me waves", buffer="irc.test.#perch")
    assert "\x01ACTION waves\x01" in bob.wait_for("PRIVMSG #perch")
    # Long text is split at the server's limit, nothing lost.
    cmd(p, "x" * 1200, buffer="irc.test.#perch")
    got = ""
    while len(got) < 1200:
        got += bob.wait_for("PRIVMSG #perch").split(" :", 1)[1]
    assert got == "x" * 1200

    bob.send("PRIVMSG perchy :psst")
    private = wait_line(p, "irc.test.bob", "psst")
    assert "notify_private" in private["tags"]
    pv = request(p.plain_port, "GET", "/api/buffers/irc.test.bob", tls=False).json()
    assert pv["local_variables"]["type"] == "private"
    cmd(p, "/msg bob back at you", buffer="irc.test.#perch")
    assert bob.wait_for("PRIVMSG bob").endswith(":back at you")
    wait_line(p, "irc.test.bob", "back at you")

    bob.send("MODE #perch +v perchy")
    wait_line(p, chan, "Mode #perch [+v perchy] by bob")
    assert nicklist(p, chan)["v"] == ["+perchy"]
    bob.send("TOPIC #perch :a fine topic")
    wait_line(p, chan, 'has changed topic for #perch to "a fine topic"')
    assert request(p.plain_port, "GET", f"/api/buffers/{chan}", tls=False).json()["title"] == \
        "a fine topic"
    bob.send("MODE #perch +o perchy")
    wait_line(p, chan, "Mode #perch [+o perchy] by bob")
    bob.send("NICK bobby")
    wait_line(p, chan, "bob is now known as bobby")
    # Each group's nicks in WeeChat's order, by name: bobby, re-added last, comes first.
    root = request(p.plain_port, "GET", f"/api/buffers/{chan}/nicks", tls=False).json()
    assert [n["name"] for n in root["groups"][2]["nicks"]] == ["bobby", "perchy"]
    bob.send("KICK #perch perchy :out")
    wait_line(p, chan, "bobby has kicked perchy (out)")
    assert all(not v for v in nicklist(p, chan).values()) or nicklist(p, chan) == {}
    cmd(p, "/join #perch", buffer="irc.test.#perch")
    wait_line(p, chan, "has joined #perch", count=2)
    bob.send("QUIT :bye now")
    assert "bye now" in wait_line(p, chan, "bobby (~bob@127.0.0.1) has quit (")["message"]
    assert nicklist(p, chan)["o"] == []
    bob.close()


def test_channels_are_joined_again_after_a_reconnect(perchd_factory, ngircd):
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks=perchy")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome")
    cmd(p, "/join #again", buffer="irc.server.test")
    wait_line(p, "irc.test.%23again", "has joined #again")
    ngircd.kill()
    wait_line(p, "irc.test.%23again", "disconnected from server")
    ngircd.start()
    wait_line(p, "irc.test.%23again", "has joined #again", count=2)


@pytest.mark.parametrize("options,connects,says", [
    ("", False, "certificate refused: self-signed certificate"),
    ("-tls_verify=off", True, None),
    ("-tls_fingerprint={fp}", True, None),
    ("-tls_fingerprint=" + "ab" * 32, False, "does not have the fingerprint"),
])
def test_tls_verification_and_pinning(perchd_factory, options, connects, says):
    server = Ngircd(tls=True)
    try:
        p = perchd_factory(config=CONFIG)
        opts = options.format(fp=server.fingerprint)
        cmd(p, f"/server add tls 127.0.0.1/{server.port} -tls -nicks=perchy {opts}")
        cmd(p, "/connect tls")
        if connects:
            wait_line(p, "irc.server.tls", "Welcome")
        else:
            wait_line(p, "irc.server.tls", says)
            assert not [l for l in lines(p, "irc.server.tls") if "Welcome" in l["message"]]
            # irc_server_connect_cb: the link never came up, nothing was disconnected.
            assert not [l for l in lines(p, "irc.server.tls") if "disconnected" in l["message"]]
        if says and "certificate refused" in says:
            said = [(l["prefix"], l["message"]) for l in lines(p, "irc.server.tls")]
            at = said.index(("=!=", "irc: TLS handshake failed"))
            assert said[at + 1] == ("=!=", "irc: error: " + says)
    finally:
        server.stop()


def server_said(p, buffer="irc.server.test"):
    return [(l["prefix"], l["message"]) for l in lines(p, buffer)]


def test_a_lost_link_and_the_reconnections_in_weechats_words(perchd_factory, ngircd):
    """irc_server_recv_cb, irc_server_disconnect, irc_server_reconnect_schedule and
    irc_server_connect_cb: the server ending the link is a read error, then the
    disconnection, said once in each channel and private buffer; each wait is said ("1
    second"), each attempt "reconnecting to server..."; a refused connection is an error,
    with nothing in the channels."""
    p = perchd_factory(config=CONFIG)
    bob, chan = join_with_bob(p, ngircd, "#lost")
    bob.send("PRIVMSG perchy :psst")
    wait_line(p, "irc.test.bob", "psst")
    bob.close()
    ngircd.kill()
    wait_line(p, "irc.server.test", "irc: connection refused", count=2)
    ngircd.start()
    wait_line(p, "irc.server.test", "Welcome", count=2)
    said = server_said(p)
    at = said.index(("=!=", "irc: reading data on socket: error 0 (connection closed by peer)"))
    port = ngircd.port
    assert said[at + 1:at + 9] == [
        ("--", "irc: disconnecting from server..."),
        ("--", "irc: disconnected from server"),
        ("--", "irc: reconnecting to server in 1 second"),
        ("--", "irc: reconnecting to server..."),
        ("--", f"irc: connecting to server 127.0.0.1/{port}..."),
        ("=!=", "irc: connection refused"),
        ("--", "irc: reconnecting to server in 1 second"),
        ("--", "irc: reconnecting to server..."),
    ], said[at:]
    assert sum(m == "irc: disconnected from server" for _, m in said) == 1
    for name in (chan, "irc.test.bob"):
        gone = [m for _, m in server_said(p, name) if "disconnected" in m]
        assert gone == ["irc: disconnected from server"], (name, gone)


def test_a_tls_server_gone_without_close_notify_is_said_as_weechat_says_it(perchd_factory,
                                                                          tmp_path):
    """GnuTLS's words in WeeChat for a TLS link the server ends with a bare TCP close: error
    -110, "The TLS connection was non-properly terminated."."""
    cert, key, _ = self_signed_cert(str(tmp_path), "irc.test")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve():
        conn, _ = listener.accept()
        with ctx.wrap_socket(conn, server_side=True) as tls:
            tls.settimeout(20)
            got = b""
            while b"USER " not in got:
                got += tls.recv(4096)
            tls.sendall(b":srv 001 perchy :Welcome perchy\r\n")
            time.sleep(0.3)
            # A FIN without close_notify; then read until perchd closes (no reset).
            tls.shutdown(socket.SHUT_WR)
            while tls.recv(4096):
                pass

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        p = perchd_factory(config=CONFIG)
        cmd(p, f"/server add tls 127.0.0.1/{port} -tls -tls_verify=off -nicks=perchy")
        cmd(p, "/connect tls")
        wait_line(p, "irc.server.tls", "Welcome perchy")
        wait_line(p, "irc.server.tls", "irc: disconnected from server")
        said = server_said(p, "irc.server.tls")
        at = said.index(("--", "irc: disconnected from server"))
        assert said[at - 2:at] == [
            ("=!=", "irc: reading data on socket: error -110 The TLS connection was "
                    "non-properly terminated."),
            ("--", "irc: disconnecting from server...")]
        cmd(p, "/disconnect tls")
    finally:
        server.join(timeout=20)
        listener.close()


def join_with_bob(p, ngircd, channel):
    """bob in channel first, then perchd as perchy on network "test" joins it; returns bob
    and the channel buffer's name as URLs write it."""
    bob = RawIrc(ngircd.port, "bob")
    bob.send(f"JOIN {channel}")
    bob.wait_for("366")
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks=perchy")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome")
    cmd(p, f"/join {channel}", buffer="irc.server.test")
    chan = "irc.test." + channel.replace("#", "%23")
    wait_line(p, chan, f"has joined {channel}")
    return bob, chan


def test_highlights_set_the_line_and_the_hotlist(perchd_factory, ngircd):
    p = perchd_factory(config=CONFIG + "highlight_words = coffee, tea time\n")
    bob, chan = join_with_bob(p, ngircd, "#hl")
    for text in ["perchy: are you there?", "perchyx is not you", "more COFFEE please",
                 "it is tea time", "teatime is one word"]:
        bob.send(f"PRIVMSG #hl :{text}")
    wait_line(p, chan, "teatime is one word")
    got = {l["message"]: l["highlight"] for l in lines(p, chan) if l["prefix"] == "@bob"}
    assert got == {"perchy: are you there?": True, "perchyx is not you": False,
                   "more COFFEE please": True, "it is tea time": True,
                   "teatime is one word": False}
    hl = [l for l in lines(p, chan) if l["message"] == "more COFFEE please"][0]
    assert hl["notify_level"] == 3 and "notify_message" in hl["tags"]
    hot = request(p.plain_port, "GET", "/api/hotlist", tls=False).json()
    entry = [h for h in hot if h["buffer_id"] == request(p.plain_port, "GET",
             f"/api/buffers/{chan}", tls=False).json()["id"]][0]
    assert entry["priority"] == 3 and entry["count"][3] == 3
    bob.close()


def test_irc_buffers_highlight_our_nick_in_messages_and_notices_only(perchd_factory, ngircd):
    p = perchd_factory(config=CONFIG)
    bob, chan = join_with_bob(p, ngircd, "#hx")
    bob.send("NOTICE #hx :perchy, a notice")
    bob.send("PRIVMSG #hx :\x01ACTION waves at perchy\x01")
    bob.send("TOPIC #hx :perchy rules")  # an irc_topic line: not a message, no highlight
    wait_line(p, chan, "perchy rules")
    # The user takes our nick out of the channel's words, as in WeeChat.
    cmd(p, "/buffer set highlight_words_del $nick", buffer="irc.test.#hx")
    bob.send("PRIVMSG #hx :perchy: now?")
    bob.send("PART #hx :bye perchy")
    wait_line(p, chan, "has left #hx")
    got = {l["message"]: l["highlight"] for l in lines(p, chan)
           if "perchy" in l["message"] and "bob" in l["message"] + l["prefix"]}
    hl = {m: h for m, h in got.items() if "notice" in m or "waves" in m}
    assert len(hl) == 2 and all(hl.values()), got
    assert [h for m, h in got.items() if "rules" in m] == [False], got
    assert [h for m, h in got.items() if m == "perchy: now?"] == [False], got
    assert [h for m, h in got.items() if "has left" in m] == [False], got
    bob.close()


def test_channel_operator_commands_and_settings(perchd_factory, ngircd):
    from conftest import free_port
    p = perchd_factory(config=CONFIG)
    dead = free_port()
    # Several addresses: the first refuses, the second is tried next.
    cmd(p, f"/server add test 127.0.0.1/{dead},127.0.0.1/{ngircd.port} -notls -nicks=perchy")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome")
    cmd(p, "/join #ops", buffer="irc.server.test")
    chan, name = "irc.test.%23ops", "irc.test.#ops"
    wait_line(p, chan, "has joined #ops")
    bob = RawIrc(ngircd.port, "bob")
    bob.send("JOIN #ops")
    wait_line(p, chan, "bob (~bob@127.0.0.1) has joined #ops")
    cmd(p, "/op bob", buffer=name)
    assert "MODE #ops +o bob" in bob.wait_for("MODE #ops +o")
    cmd(p, "/voice bob", buffer=name)
    assert "+v bob" in bob.wait_for("MODE #ops +v")
    cmd(p, "/notice bob psst", buffer=name)
    assert bob.wait_for("NOTICE bob").endswith(":psst")
    cmd(p, "/ctcp bob version", buffer=name)
    assert "\x01VERSION\x01" in bob.wait_for("PRIVMSG bob")
    wait_line(p, "irc.server.test", "CTCP query to bob: VERSION")
    cmd(p, "/whois bob", buffer=name)
    # WeeChat's 311: "[N] (user@host): Real Name".
    wait_line(p, "irc.server.test", "[bob] (~bob@127.0.0.1): bob")
    cmd(p, "/away lunch", buffer=name)
    wait_line(p, "irc.server.test", "You have been marked as being away")
    assert request(p.plain_port, "GET", f"/api/buffers/{chan}",
                   tls=False).json()["local_variables"]["away"] == "lunch"
    cmd(p, "/topic fresh topic", buffer=name)
    assert bob.wait_for("TOPIC #ops").endswith(":fresh topic")
    cmd(p, "/kickban bob go away", buffer=name)
    assert bob.wait_for("MODE #ops +b").endswith("+b *!*@127.0.0.1")  # bob's host
    assert "go away" in bob.wait_for("KICK #ops bob")
    wait_line(p, chan, "perchy has kicked bob (go away)")
    # Options of a network, shown (secrets hidden) and set.
    cmd(p, "/set irc.server.test.password hunter2")
    cmd(p, "/set irc.server.test.password")
    cmd(p, "/set irc.server.test.nicks a,b")
    cmd(p, "/set irc.server.test.tls_verify maybe")
    cmd(p, "/set irc.server.nope.nicks x")
    msgs = [l["message"] for l in lines(p, "core.weechat")]
    assert "irc.server.test.password = ********" in msgs and not any("hunter2" in m for m in msgs)
    assert "irc.server.test.nicks = a,b" in msgs
    assert any("invalid value \"maybe\" for tls_verify" in m for m in msgs)
    assert any('Option "irc.server.nope.nicks" not found' in m for m in msgs)
    # Renaming moves the buffers along.
    cmd(p, "/server rename test other")
    b = request(p.plain_port, "GET", "/api/buffers/irc.server.other", tls=False).json()
    assert b["local_variables"]["server"] == "other" and b["short_name"] == "other"
    assert b["local_variables"]["charset_modifier"] == "irc.other"
    c = request(p.plain_port, "GET", "/api/buffers/irc.other.%23ops", tls=False).json()
    assert c["local_variables"]["server"] == "other"
    bob.close()


def test_ctcp_floods_are_answered_at_a_bounded_rate_and_dcc_refused(perchd_factory, ngircd):
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks=perchy")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome")
    bob = RawIrc(ngircd.port, "bob")
    for i in range(12):
        bob.send(f"PRIVMSG perchy :\x01PING {i}\x01")
    bob.send("PRIVMSG perchy :\x01DCC SEND file 2130706433 5000 10\x01")
    wait_line(p, "irc.server.test", "DCC from bob refused")
    wait_line(p, "irc.server.test", "CTCP requested by bob: PING 11")
    answers = []
    bob.sock.settimeout(1.5)
    try:
        while True:
            line = bob.line()
            if "NOTICE bob :\x01PING" in line:
                answers.append(line)
    except (OSError, EOFError):
        pass
    assert 1 <= len(answers) <= 4, answers
    bob.close()


class BadServer:
    """An IRC server that says what ngircd never would: for the malformed-input test."""

    def __init__(self, script):
        import socket as socket_mod
        import threading
        self.listener = socket_mod.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.script, self.got = script, []
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        conn, _ = self.listener.accept()
        conn.settimeout(20)
        buf = b""
        while b"USER " not in buf:
            buf += conn.recv(4096)
        for chunk in self.script:
            conn.sendall(chunk)
        try:
            while True:
                data = conn.recv(4096)
                if not data:
                    break
                self.got.append(data)
        except OSError:
            pass
        conn.close()


def test_bad_input_from_a_server_is_shown_and_the_link_goes_on(perchd_factory):
    script = [b":bad.server 001 perchy :Welcome perchy\r\n",
              b":bad.server PRIVMSG perchy :" + b"y" * 10000 + b"\r\n",
              b":bob!b@h PRIVMSG perchy :caf\xe9 \xff ok\r\n",
              b"@@@ \r\n", b":bad.server 12345 x\r\n", b":bad.server FROBNICATE a b :c\r\n",
              b"".join(b":bad.server 372 perchy :- motd %d\r\n" % i for i in range(2000)),
              b"PRIVMSG\r\n", b"\r\n\r\n", b"PING :still-alive\r\n"]
    server = BadServer(script)
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add bad 127.0.0.1/{server.port} -notls -nicks=perchy")
    cmd(p, "/connect bad")
    wait_line(p, "irc.server.bad", "motd 1999")
    messages = [l["message"] for l in lines(p, "irc.server.bad")]
    assert any("too long and was cut" in m for m in messages)
    assert any("unparsed message from server: @@@" in m for m in messages)
    assert any("unparsed message from server: :bad.server 12345 x" in m for m in messages)
    assert any("FROBNICATE" in m for m in messages)
    # Invalid UTF-8 is shown, converted, never dropped.
    assert "caf\ufffd \ufffd ok" in wait_line(p, "irc.bad.bob", "ok")["message"]
    end = time.monotonic() + 20
    def ponged():
        return any(l in (b"PONG still-alive", b"PONG :still-alive")
                   for g in server.got for l in g.split(b"\r\n"))
    while time.monotonic() < end and not ponged():
        time.sleep(0.05)
    assert ponged(), server.got[-3:]


def test_closing_buffers_parts_and_disconnects(perchd_factory, ngircd):
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks=perchy")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome")
    bob = RawIrc(ngircd.port, "bob")
    bob.send("JOIN #c")
    cmd(p, "/join #c", buffer="irc.server.test")
    bob.wait_for("JOIN :#c")
    wait_line(p, "irc.test.%23c", "has joined #c")
    cmd(p, "/buffer close irc.test.#c")
    assert "PART #c" in bob.wait_for("PART")
    assert request(p.plain_port, "GET", "/api/buffers/irc.test.%23c", tls=False).status == 404
    cmd(p, "/buffer close irc.server.test")

    def listed_disconnected():
        cmd(p, "/server list")
        return any(m["message"].endswith("(not connected)") for m in lines(p, "core.weechat"))
    wait_for(listed_disconnected)
    # The network stays; connecting again opens its buffer again (with its history: the
    # second welcome is this connection's).
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome", count=2)
    # /close (WeeChat's alias of /buffer close) in the channel's own buffer: parted too.
    cmd(p, "/join #d", buffer="irc.server.test")
    wait_line(p, "irc.test.%23d", "has joined #d")
    bob.send("JOIN #d")
    bob.wait_for("JOIN :#d")
    cmd(p, "/close", buffer="irc.test.#d")
    assert "PART #d" in bob.wait_for("PART")
    assert request(p.plain_port, "GET", "/api/buffers/irc.test.%23d", tls=False).status == 404
    bob.close()


def test_away_while_no_client_is_attached(perchd_factory, ngircd):
    from wsraw import open_ws
    p = perchd_factory(config=CONFIG + "auto_away = gone fishing\n")
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks=perchy")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "You have been marked as being away")
    bob = RawIrc(ngircd.port, "bob")
    bob.send("WHOIS perchy")
    assert "gone fishing" in bob.wait_for(" 301 ")
    ws = open_ws(p.plain_port)  # a client attaches: back
    wait_line(p, "irc.server.test", "You are no longer marked as being away")
    server = request(p.plain_port, "GET", "/api/buffers/irc.server.test", tls=False).json()
    assert "away" not in server["local_variables"]
    ws.close()  # and leaves: away again
    wait_line(p, "irc.server.test", "You have been marked as being away", count=2)
    # /away by the user wins over it.
    ws = open_ws(p.plain_port)
    wait_line(p, "irc.server.test", "You are no longer marked as being away", count=2)
    cmd(p, "/away lunch", buffer="irc.server.test")
    wait_line(p, "irc.server.test", "You have been marked as being away", count=3)
    ws.close()
    time.sleep(0.5)
    bob.send("WHOIS perchy")
    assert "lunch" in bob.wait_for(" 301 "), [l["message"] for l in lines(p, "irc.server.test")]
    bob.close()
