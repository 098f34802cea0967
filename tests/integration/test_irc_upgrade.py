"""IRC links across an upgrade: a plain registered link keeps its connection to a real ngircd
(no QUIT, no JOIN, the same session), every line the server sends during the exec is shown
once, perchd goes on sending, pinging, setting itself away and reconnecting; a TLS link ends
cleanly and is joined again at once; a failed exec keeps every link; a link whose handed-over
state is bad (closed descriptor, state cut short) connects again instead."""
import os
import shutil
import signal
import subprocess
import threading
import time

import pytest

from conftest import PERCHD, request
from ircd import Ngircd, RawIrc
from test_goodbye import synced_ws
from test_irc import CONFIG, cmd, lines, nicklist, wait_for, wait_line
from test_upgrade import control

CHAN = "irc.test.%23perch"


def buffer(p, name):
    return request(p.plain_port, "GET", f"/api/buffers/{name}", tls=False).json()


def state(p, name):
    """What a buffer shows, but the lag and the auto-away, which follow time and clients."""
    b = buffer(p, name)
    out = {k: b[k] for k in ("title", "modes", "input_prompt", "nicklist")}
    out["local_variables"] = {k: v for k, v in b["local_variables"].items()
                              if k not in ("lag", "away")}
    return out


def join_plain(p, ngircd, bob):
    """perchd on network "test" as perchy, in #perch with bob (op) there."""
    bob.send("JOIN #perch")
    bob.wait_for("366")
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks=perchy")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome")
    cmd(p, "/join #perch", buffer="irc.server.test")
    wait_line(p, CHAN, "Channel #perch: 2 nicks")
    bob.send("MODE #perch +v perchy")
    bob.send("TOPIC #perch :kept across")
    wait_for(lambda: nicklist(p, CHAN)["v"] == ["+perchy"])
    wait_line(p, CHAN, 'has changed topic for #perch to "kept across"')


def signon(client, nick):
    """ngircd's signon time of nick (RPL_WHOISIDLE): the same while its connection is; and
    every line read up to it."""
    client.send(f"WHOIS {nick}")
    got = read_until(client, " 317 ")
    return got[-1].split()[5], got


def left_or_joined(got, nick="perchy"):
    return [line for line in got
            if line.startswith(f":{nick}!") and (" QUIT " in line or " JOIN " in line)]


def read_until(client, text, timeout=20):
    """Every line the raw client gets up to the one holding text."""
    got, end = [], time.monotonic() + timeout
    while time.monotonic() < end:
        got.append(client.line())
        if text in got[-1]:
            return got
    raise AssertionError(f"{text!r} not received: {got[-10:]}")


def talk(client, ids, gap=0.1):
    """client says "seq I" for each I of ids in #perch from a thread, started now (slowly:
    ngircd holds back a client that sends faster than a line a second for long)."""
    def run():
        for i in ids:
            client.send(f"PRIVMSG #perch :seq {i}")
            time.sleep(gap)
    t = threading.Thread(target=run)
    t.start()
    return t


def seq_lines(p):
    return [int(l["message"].split()[1]) for l in lines(p, CHAN)
            if l["message"].startswith("seq ")]


def each_once_in_order(seen, n):
    """Every one of 0..n-1 once; each talker's (even, odd) in the order sent."""
    assert sorted(seen) == list(range(n)), seen
    assert [i for i in seen if i % 2 == 0] == list(range(0, n, 2)), seen


def test_plain_link_crosses_the_upgrade_with_its_state(perchd_factory, ngircd):
    tls_server = Ngircd(tls=True)
    try:
        p = perchd_factory(config=CONFIG + "ping_interval = 3000\nping_timeout = 8000\n"
                                           "notify_whois_interval = 60000\n")
        bob = RawIrc(ngircd.port, "bob")
        carol = RawIrc(ngircd.port, "carol")
        dave = RawIrc(ngircd.port, "dave")
        join_plain(p, ngircd, bob)
        # dave is away and watched with /notify -away (asked by WHOIS).
        dave.send("AWAY :brb")
        cmd(p, "/notify add dave test -away", buffer="irc.server.test")
        wait_line(p, "irc.server.test", 'notify: dave is now away: "brb"')
        carol.send("JOIN #perch")
        dave.send("JOIN #perch")
        wait_for(lambda: "dave" in str(nicklist(p, CHAN)) and "carol" in str(nicklist(p, CHAN)))
        # A TLS network beside it, in a channel of its own.
        cmd(p, f"/server add sec 127.0.0.1/{tls_server.port} -tls -tls_verify=off -nicks=perchy")
        cmd(p, "/connect sec")
        wait_line(p, "irc.server.sec", "Welcome")
        cmd(p, "/join #sec", buffer="irc.server.sec")
        wait_line(p, "irc.sec.%23sec", "has joined #sec")
        before = state(p, CHAN), state(p, "irc.server.test")
        nicks_before = nicklist(p, CHAN)
        since, _ = signon(bob, "perchy")
        ws = synced_ws(p.plain_port, tls=False)
        # A TLS client that never answers its goodbye holds the exec back for the close
        # grace (2 s): the IRC link is held that long, its lines waiting in the kernel.
        slow = synced_ws(p.tls_port, tls=True)

        # carol and dave talk before, during and after the exec.
        n = 40
        talkers = [talk(carol, range(0, n, 2)), talk(dave, range(1, n, 2))]
        time.sleep(0.3)
        r = control(p, "upgrade")
        assert r.returncode == 0, r.stderr
        for t in talkers:
            t.join()
        carol.send("PRIVMSG #perch :final")
        wait_line(p, CHAN, "final")
        slow.close()

        # Each line once, in order, in the buffer and to the client synced throughout.
        each_once_in_order(seq_lines(p), n)
        seen, events = [], []
        while True:
            msg = ws.read_json()
            events.append(msg.get("event_name"))
            if msg.get("event_name") != "buffer_line_added":
                continue
            text = msg["body"]["message"]
            if text.startswith("seq "):
                seen.append(int(text.split()[1]))
            elif text == "final":
                break
        each_once_in_order(seen, n)
        assert "upgrade" in events and "upgrade_ended" in events
        wait_for(lambda: "network test kept its connection" in p.read_log())

        # The same session on ngircd, never left nor joined again; perchd still sends.
        now, got = signon(bob, "perchy")
        assert now == since
        cmd(p, "/msg bob still here", buffer="irc.test.#perch")
        cmd(p, "and in the channel", buffer="irc.test.#perch")
        got += read_until(bob, "PRIVMSG #perch :and in the channel")
        assert any("PRIVMSG bob :still here" in line for line in got)
        assert not left_or_joined(got), got
        wait_line(p, CHAN, "and in the channel")
        assert state(p, CHAN) == before[0] and state(p, "irc.server.test") == before[1]
        assert nicklist(p, CHAN) == nicks_before
        # The channel's own view of the nicks crossed too: a mode change finds perchy.
        bob.send("MODE #perch +o perchy")
        wait_for(lambda: nicklist(p, CHAN)["o"] == ["@bob", "@perchy"])

        # /notify -away's watch crossed (test_handover.c checks all of it): dave's away is
        # said once, and the replies to the WHOIS about him stay unseen.
        server_lines = [l["message"] for l in lines(p, "irc.server.test")]
        assert server_lines.count('notify: dave is now away: "brb"') == 1
        assert not [m for m in server_lines if m.startswith("[dave]")]

        # The TLS link ended cleanly and was joined again at once.
        wait_line(p, "irc.server.sec", "Welcome", count=2)
        wait_line(p, "irc.sec.%23sec", "has joined #sec", count=2)

        # Auto-away: the last client leaves, perchy is away on the kept link.
        marked = len([l for l in lines(p, "irc.server.test")
                      if "marked as being away" in l["message"]])
        ws.close()
        wait_line(p, "irc.server.test", "marked as being away", count=marked + 1)
        assert buffer(p, CHAN)["local_variables"].get("away")
        bob.send("WHOIS perchy")
        bob.wait_for(" 301 ")

        # Pings go on: a server that stops answering is left, then reconnected, rejoined.
        ngircd.proc.send_signal(signal.SIGSTOP)
        try:
            wait_line(p, "irc.server.test", "lag is high, disconnecting", timeout=25)
        finally:
            ngircd.proc.send_signal(signal.SIGCONT)
        wait_line(p, "irc.server.test", "Welcome", count=2, timeout=30)
        wait_line(p, CHAN, "has joined #perch", count=2)
        bob.close()
        carol.close()
        dave.close()
    finally:
        tls_server.stop()


def test_failed_exec_keeps_the_link(perchd_factory, ngircd, tmp_path):
    binary = tmp_path / "perchd"
    shutil.copy(PERCHD, binary)
    p = perchd_factory(config=CONFIG, binary=str(binary))
    bob = RawIrc(ngircd.port, "bob")
    join_plain(p, ngircd, bob)
    since, _ = signon(bob, "perchy")
    os.unlink(binary)
    binary.write_bytes(b"\x7fELF garbage")
    binary.chmod(0o755)
    t = talk(bob, range(0, 20, 2))
    r = control(p, "upgrade")
    assert r.returncode == 1 and "exec" in r.stderr, r.stderr
    t.join()
    wait_for(lambda: seq_lines(p) == list(range(0, 20, 2)))
    cmd(p, "after the failure", buffer="irc.test.#perch")
    got = read_until(bob, "PRIVMSG #perch :after the failure")
    now, more = signon(bob, "perchy")
    assert now == since and not left_or_joined(got + more), got + more
    assert "upgrade failed, perchd keeps running" in p.read_log()
    shutil.copy(PERCHD, binary)  # so that teardown's SIGTERM meets a sane process
    bob.close()


WRAPPER = """#!/usr/bin/python3
# Spoils the IRC part of the upgrade state, then runs the real perchd.
import json, os, sys
path = os.path.join(sys.argv[sys.argv.index("--dir") + 1], "upgrade.state")
with open(path) as f:
    state = json.load(f)
for link in state["irc"]["links"]:
    if link.get("kept"):
        if {how!r} == "closed":
            os.close(link["fd"])
        else:
            for key in list(link)[list(link).index("peer") + 1:]:
                del link[key]
with open(path, "w") as f:
    json.dump(state, f)
os.execv({perchd!r}, [{perchd!r}] + sys.argv[1:])
"""


@pytest.mark.parametrize("how,says", [
    ("closed", "Bad file descriptor"),
    ("cut", "its saved state is incomplete"),
])
def test_bad_handed_over_state_connects_again(perchd_factory, ngircd, tmp_path, how, says):
    binary = tmp_path / "perchd"
    shutil.copy(PERCHD, binary)
    p = perchd_factory(config=CONFIG, binary=str(binary))
    bob = RawIrc(ngircd.port, "bob")
    join_plain(p, ngircd, bob)
    signon(bob, "perchy")  # what bob got so far is read
    os.unlink(binary)
    binary.write_text(WRAPPER.format(how=how, perchd=os.path.abspath(PERCHD)))
    binary.chmod(0o755)
    r = control(p, "upgrade")
    assert r.returncode == 0, r.stderr
    # The old session ends (its socket closed, or told QUIT), a new one joins again.
    got = read_until(bob, "JOIN :#perch")
    assert any(" QUIT " in line for line in left_or_joined(got)), got
    wait_line(p, "irc.server.test", "could not cross the upgrade")
    wait_line(p, "irc.server.test", "Welcome", count=2)
    wait_line(p, CHAN, "has joined #perch", count=2)
    log = p.read_log()
    assert "network test cannot take its connection over" in log and says in log, log[-2000:]
    bob.send("PRIVMSG #perch :hello again")
    wait_line(p, CHAN, "hello again")
    assert p.proc.poll() is None
    bob.close()


class ScriptedServer:
    """An IRC server played by the test: one connection, lines sent when the test says, what
    perchd sends recorded."""

    def __init__(self):
        import socket as socket_mod
        self.listener = socket_mod.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]
        self.got, self.accepted = b"", 0
        self.conn, self.ready = None, threading.Event()
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        self.conn, _ = self.listener.accept()
        self.accepted += 1
        self.conn.settimeout(60)
        while b"USER " not in self.got:
            self.got += self.conn.recv(4096)
        self.send(b":scripted 001 perchy :Welcome perchy\r\n")
        self.ready.set()
        try:
            while True:
                data = self.conn.recv(4096)
                if not data:
                    break
                self.got += data
        except OSError:
            pass

    def send(self, data):
        self.conn.sendall(data)

    def lines(self):
        return self.got.decode(errors="replace").split("\r\n")

    def close(self):
        self.listener.close()
        if self.conn:
            self.conn.close()


def test_partial_line_and_flood_queue_cross_the_upgrade(perchd_factory):
    server = ScriptedServer()
    try:
        # The default flood control (5 lines at once, then one per 2 s) keeps lines queued.
        p = perchd_factory(config=CONFIG + "anti_flood = 2000\n")
        cmd(p, f"/server add s 127.0.0.1/{server.port} -notls -nicks=perchy")
        cmd(p, "/connect s")
        assert server.ready.wait(20)
        wait_line(p, "irc.server.s", "Welcome perchy")
        # Half a line read before the exec, the rest after it: one line, shown once.
        server.send(b":bob!b@h PRIVMSG perchy :half a li")
        # More lines than the flood bucket lets go at once: the rest wait in its queue.
        for i in range(8):
            cmd(p, f"/quote PRIVMSG bob :queued {i}", buffer="irc.server.s")
        time.sleep(0.3)
        sent = [l for l in server.lines() if l.startswith("PRIVMSG bob :queued")]
        assert 0 < len(sent) < 8, sent
        r = control(p, "upgrade")
        assert r.returncode == 0, r.stderr
        wait_for(lambda: "network s kept its connection" in p.read_log())
        server.send(b"ne\r\n:bob!b@h PRIVMSG perchy :whole\r\n")
        wait_line(p, "irc.s.bob", "whole")
        assert [l["message"] for l in lines(p, "irc.s.bob")] == ["half a line", "whole"]
        wait_for(lambda: len([l for l in server.lines() if "queued" in l]) == 8, timeout=30)
        assert [l for l in server.lines() if "queued" in l] == \
            [f"PRIVMSG bob :queued {i}" for i in range(8)]
        # The same connection, never registered again.
        assert server.accepted == 1
        assert len([l for l in server.lines() if l.startswith("USER ")]) == 1
    finally:
        server.close()
