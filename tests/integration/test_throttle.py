"""Failed-login throttling: wrong passwords from one address are slowed, then refused with 429
(HTTP and WebSocket) for a growing period; other addresses and the right password after the
block are served; the block survives an upgrade."""
import os
import signal
import subprocess
import time

import pytest

from conftest import PASSWORD, PERCHD, Client, basic, request
from wsraw import RawWS

ATTACKER = "127.0.0.2"  # loopback answers all of 127/8: a second client address for free
LIMIT = 3
DELAY_MS = 200
BLOCK_MIN_MS = 1000

CONFIG = f"""
[relay]
auth_fail_limit = {LIMIT}
auth_fail_period = 60000
auth_fail_delay = {DELAY_MS}
auth_block_min = {BLOCK_MIN_MS}
auth_block_max = {BLOCK_MIN_MS * 2}
"""

WRONG = "wrong-guess-7f3a"


def login(p, password=PASSWORD, source=ATTACKER, tls=True):
    """One GET /api/version with the password; returns (response, seconds, clean end)."""
    c = Client(p.tls_port if tls else p.plain_port, tls=tls, source=source)
    start = time.monotonic()
    r = c.request("GET", "/api/version", auth=False,
                  headers={"Authorization": basic(f"plain:{password}")})
    elapsed = time.monotonic() - start
    clean = r.status == 200 or c.at_eof()
    c.close()
    return r, elapsed, clean


def block(p, source=ATTACKER):
    """LIMIT wrong passwords: each a 401, each later one answered more slowly."""
    for i in range(LIMIT):
        r, elapsed, clean = login(p, WRONG, source)
        assert r.status == 401 and r.json() == {"error": "Invalid password"}
        assert clean, "a 401 ends with close_notify"
        assert elapsed >= i * DELAY_MS / 1000 - 0.02, (i, elapsed)


def assert_blocked(r, retry_after):
    assert r.status == 429 and r.reason == "Too Many Requests"
    assert r.json() == {"error": "Too many failed logins"}
    assert r.header("Retry-After") == str(retry_after)


@pytest.fixture
def relay(perchd_factory):
    return perchd_factory(config=CONFIG)


def test_failures_then_429_and_other_addresses_unaffected(relay):
    block(relay)
    # Blocked: even the right password gets 429, and the connection ends cleanly.
    r, _, clean = login(relay, PASSWORD)
    assert_blocked(r, 1)
    assert clean, "a 429 ends with close_notify"
    r, _, _ = login(relay, WRONG, tls=False)
    assert_blocked(r, 1)
    # Another address logs in at once.
    r, elapsed, _ = login(relay, PASSWORD, source="127.0.0.1")
    assert r.status == 200 and elapsed < 0.5
    # One line for the episode, naming the address, never the password.
    time.sleep(0.1)
    log = relay.read_log()
    assert log.count(f"login: {ATTACKER} blocked for {BLOCK_MIN_MS} ms after {LIMIT}") == 1, log
    assert WRONG not in log and PASSWORD not in log


def test_websocket_upgrade_refused_the_same_way(relay):
    block(relay)
    for tls, port in ((True, relay.tls_port), (False, relay.plain_port)):
        ws = RawWS(port, tls=tls, source=ATTACKER)
        status, headers, body = ws.handshake()
        assert status == "HTTP/1.1 429 Too Many Requests"
        assert dict(headers)["Retry-After"] == "1"
        assert body == b'{"error":"Too many failed logins"}'
        assert ws.at_eof()
    ws = RawWS(relay.plain_port, source="127.0.0.1")
    status, _, _ = ws.handshake()
    assert status == "HTTP/1.1 101 Switching Protocols"
    ws.close()


def test_block_ends_after_its_period_then_grows(relay):
    block(relay)
    assert_blocked(login(relay, PASSWORD)[0], 1)
    time.sleep(BLOCK_MIN_MS / 1000 + 0.1)
    # Over: new failures count from zero, and the next block lasts twice as long.
    block(relay)
    assert_blocked(login(relay, PASSWORD)[0], 2)
    time.sleep(2 * BLOCK_MIN_MS / 1000 + 0.1)
    assert login(relay, PASSWORD)[0].status == 200
    # The success forgot everything: failures start again from the first, undelayed one.
    block(relay)
    assert_blocked(login(relay, PASSWORD)[0], 1)


def test_success_resets_the_count(relay):
    for _ in range(3):
        for _ in range(LIMIT - 1):
            assert login(relay, WRONG)[0].status == 401
        assert login(relay, PASSWORD)[0].status == 200


def test_missing_credentials_are_not_failures(relay):
    for _ in range(LIMIT * 3):
        r = request(relay.tls_port, "GET", "/api/version", auth=False, source=ATTACKER)
        assert r.status == 401 and r.json() == {"error": "Missing password"}
    assert login(relay, PASSWORD)[0].status == 200


def test_block_survives_an_upgrade(relay):
    block(relay)
    out = subprocess.run([PERCHD, "--dir", relay.dir, "--upgrade"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert_blocked(login(relay, PASSWORD)[0], 1)
    time.sleep(BLOCK_MIN_MS / 1000 + 0.1)
    assert login(relay, PASSWORD)[0].status == 200


def test_held_answer_goes_out_when_the_connection_ends_early(perchd_factory):
    p = perchd_factory(config=CONFIG.replace(f"auth_fail_delay = {DELAY_MS}",
                                             "auth_fail_delay = 10000"))
    assert login(p, WRONG)[0].status == 401
    c = Client(p.tls_port, source=ATTACKER)
    wrong = {"Authorization": basic(f"plain:{WRONG}")}
    # Held for 10 s; a request behind it is never read.
    c.send(b"GET /api/version HTTP/1.1\r\nHost: x\r\nAuthorization: " +
           wrong["Authorization"].encode() + b"\r\n\r\nGET /api/version HTTP/1.1\r\n\r\n")
    time.sleep(0.5)
    start = time.monotonic()
    os.kill(p.proc.pid, signal.SIGTERM)
    r = c.read_response()
    assert r.status == 401 and r.json() == {"error": "Invalid password"}
    assert c.at_eof() and not c.buf
    assert time.monotonic() - start < 3
    assert p.proc.wait(timeout=10) == 0
