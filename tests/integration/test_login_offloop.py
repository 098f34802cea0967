"""PBKDF2 logins are checked off the event loop: a flood of wrong PBKDF2 credentials leaves
other requests served at once, every wrong one still gets its 401 and counts in the failed-login
throttle, logins queued behind a block get 429 without hashing, and right PBKDF2 credentials
(HTTP keep-alive, pipelined, WebSocket) and plain passwords against a stored hash still log in."""
import base64
import hashlib
import json
import os
import socket
import struct
import subprocess
import threading
import time

import pytest

from conftest import PASSWORD, PERCHD, Client, basic, connect, request
from wsraw import RawWS

ITER = 100000  # the default: what makes a login expensive enough to matter

# Throttling out of the way (0 would disable the counting itself), room for a flood of
# connections from one address, and deadlines far beyond the flood's length.
FLOOD_CONFIG = f"""
[relay]
password_hash_iterations = {ITER}
auth_fail_limit = 1000
auth_fail_delay = 0
[limits]
unauth_max = 500
unauth_max_per_addr = 500
auth_timeout = 120
request_timeout = 120
"""


def pbkdf2_credential(password=PASSWORD, iterations=ITER, ts=None):
    ts = str(int(time.time()) if ts is None else ts)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), ts.encode(), iterations).hex()
    return f"hash:pbkdf2+sha512:{ts}:{iterations}:{digest}"


def bad_credential(iterations=ITER):
    return f"hash:pbkdf2+sha512:{int(time.time())}:{iterations}:00"


def get(path, credential, keep_alive=True):
    return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {basic(credential)}\r\n"
            + ("" if keep_alive else "Connection: close\r\n") + "\r\n").encode()


def ping(data, credential):
    body = json.dumps({"data": data}).encode()
    return (f"POST /api/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {basic(credential)}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def send_all(port, credential, n, tls=False):
    """n connections, each sending one login request, all sent before any answer is read."""
    clients = []
    for _ in range(n):
        c = Client(port, tls=tls, timeout=60)
        c.send(get("/api/version", credential))
        clients.append(c)
    return clients


def answers(clients):
    """Each client's response and when it arrived, read in parallel; the clients are closed."""
    out = [None] * len(clients)

    def read(i):
        r = clients[i].read_response()
        out[i] = (r, time.monotonic())
        clients[i].close()

    threads = [threading.Thread(target=read, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert None not in out, "a response is missing"
    return out


def assert_invalid(r):
    assert r.status == 401 and r.json() == {"error": "Invalid password"}, (r.status, r.body)


def test_wrong_pbkdf2_flood_leaves_the_loop_free(perchd_factory):
    p = perchd_factory(config=FLOOD_CONFIG)
    flood = send_all(p.plain_port, bad_credential(), 60)
    time.sleep(0.2)  # perchd has read the flood: its logins are all under way or waiting
    start = time.monotonic()
    r = request(p.plain_port, "GET", "/api/version", tls=False)
    elapsed = time.monotonic() - start
    assert r.status == 200
    # Hashed on the loop, 60 x 100,000 iterations would hold this answer for seconds.
    assert elapsed < 1.5, elapsed
    for c in flood:
        assert_invalid(c.read_response())
        assert c.at_eof()
        c.close()
    # The TLS port too, and the address can still log in with the right password.
    flood = send_all(p.tls_port, bad_credential(), 4, tls=True)
    for c in flood:
        assert_invalid(c.read_response())
        c.close()
    assert request(p.tls_port, "GET", "/api/version").status == 200


def test_failures_count_and_logins_queued_behind_a_block_get_429(perchd_factory):
    # Expensive enough that the waiting logins would visibly hash if they did.
    iterations = 500000
    start = time.monotonic()
    hashlib.pbkdf2_hmac("sha512", b"x", b"1", iterations)
    hash_s = time.monotonic() - start
    p = perchd_factory(config=f"""
[relay]
password_hash_iterations = {iterations}
auth_fail_limit = 2
auth_fail_delay = 0
auth_block_min = 60000
auth_block_max = 60000
[limits]
auth_timeout = 120
request_timeout = 120
""")
    # Two logins take the two hashing slots, six more wait behind them.
    running = send_all(p.plain_port, bad_credential(iterations), 2)
    time.sleep(0.1)
    waiting = send_all(p.plain_port, bad_credential(iterations), 6)
    done = answers(running + waiting)
    # The two running ones are the two failures that block the address...
    for r, _ in done[:2]:
        assert_invalid(r)
    # ...and the waiting ones are refused with 429. The first failure freed a slot before the
    # second one blocked: one waiting login may have started hashing then. The others are
    # refused as soon as the block exists, without hashing.
    last_401 = max(at for _, at in done[:2])
    late = []
    for r, at in done[2:]:
        assert r.status == 429 and r.json() == {"error": "Too many failed logins"}, r.body
        assert 58 <= int(r.header("Retry-After")) <= 60
        if at - last_401 >= hash_s / 2:
            late.append(at - last_401)
    assert len(late) <= 1, (late, hash_s)
    # Blocked: even the right password is refused.
    r = request(p.plain_port, "GET", "/api/version", tls=False)
    assert r.status == 429


@pytest.mark.parametrize("tls", [False, True])
def test_right_pbkdf2_keep_alive_and_pipelined(perchd_factory, tls):
    p = perchd_factory(config=FLOOD_CONFIG)
    c = Client(p.tls_port if tls else p.plain_port, tls=tls)
    for _ in range(3):
        r = c.request("GET", "/api/version", auth=False,
                      headers={"Authorization": basic(pbkdf2_credential())})
        assert r.status == 200 and "weechat_version" in r.json()
    # A pipelined pair in one send (bodies included), then a third request: all in order.
    c.send(ping("one", pbkdf2_credential()) + ping("two", pbkdf2_credential()))
    for data in ("one", "two"):
        r = c.read_response()
        assert r.status == 200 and r.json() == {"data": data}
    c.send(ping("three", f"plain:{PASSWORD}"))
    assert c.read_response().json() == {"data": "three"}
    # A wrong one behind a right one: the right one answered, then the 401 closes.
    c.send(ping("four", pbkdf2_credential()) + ping("five", bad_credential()))
    assert c.read_response().json() == {"data": "four"}
    assert_invalid(c.read_response())
    assert c.at_eof()
    c.close()


def ws_frame(text):
    payload = text.encode()
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return struct.pack("!BB", 0x81, 0x80 | len(payload)) + mask + masked


@pytest.mark.parametrize("tls", [False, True])
def test_right_pbkdf2_over_websocket(perchd_factory, tls):
    p = perchd_factory(config=FLOOD_CONFIG)
    port = p.tls_port if tls else p.plain_port
    ws = RawWS(port, tls=tls)
    status, _, _ = ws.handshake(headers={"Authorization": basic(pbkdf2_credential())})
    assert status == "HTTP/1.1 101 Switching Protocols"
    assert ws.request("GET /api/version")["code"] == 200
    ws.close()
    # A frame sent right behind the opening request waits for the login, then is answered.
    ws = RawWS(port, tls=tls)
    key = base64.b64encode(os.urandom(16)).decode()
    ws.sock.sendall((f"GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                     f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                     f"Sec-WebSocket-Version: 13\r\n"
                     f"Authorization: {basic(pbkdf2_credential())}\r\n\r\n").encode()
                    + ws_frame('{"request":"GET /api/version","request_id":"early"}'))
    status, _, _ = ws.read_head()
    assert status == "HTTP/1.1 101 Switching Protocols"
    answer = ws.read_json()
    assert answer["code"] == 200 and answer["request_id"] == "early"
    ws.close()
    ws = RawWS(port, tls=tls)
    status, _, body = ws.handshake(headers={"Authorization": basic(bad_credential())})
    assert status == "HTTP/1.1 401 Unauthorized"
    assert json.loads(body) == {"error": "Invalid password"}
    ws.close()


def test_plain_password_against_a_stored_hash(perchd_factory):
    env = dict(os.environ, PERCH_PASSWORD="hashed-secret")
    out = subprocess.run([PERCHD, "--hash-password"], capture_output=True, text=True, env=env,
                         timeout=30)
    assert out.returncode == 0, out.stderr
    p = perchd_factory(config=f"[relay]\npassword =\npassword_hash = {out.stdout.strip()}\n"
                       "auth_fail_delay = 0\n", env={"PERCH_PASSWORD": ""})
    ok = {"Authorization": basic("plain:hashed-secret")}
    c = Client(p.tls_port)
    for _ in range(2):
        assert c.request("GET", "/api/version", auth=False, headers=ok).status == 200
    c.close()
    r = request(p.tls_port, "GET", "/api/version", auth=False,
                headers={"Authorization": basic("plain:wrong")})
    assert_invalid(r)
    ws = RawWS(p.plain_port)
    status, _, _ = ws.handshake(headers=ok)
    assert status == "HTTP/1.1 101 Switching Protocols"
    assert ws.request("GET /api/version")["code"] == 200
    ws.close()


def test_connections_gone_while_their_login_is_checked(perchd_factory):
    # Logins of about a second each, so that they are surely under way when the upgrade
    # comes (connections not read yet wait in the backlog and cross it untouched instead).
    slow = 1000000
    p = perchd_factory(config=FLOOD_CONFIG.replace(f"= {ITER}", f"= {slow}"))
    # What one such login costs on this build and machine (sanitizers, load): the measure
    # of "promptly" below.
    one = time.monotonic()
    [(r, _)] = answers(send_all(p.plain_port, bad_credential(slow), 1))
    assert r.status == 401
    one = time.monotonic() - one
    # Peers that leave at once: their logins, running or waiting, must not outlive them.
    for c in send_all(p.plain_port, bad_credential(slow), 10):
        c.close()
    raw = connect(p.plain_port)
    raw.sendall(get("/api/version", bad_credential(slow)))
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    raw.close()  # reset
    # An upgrade does not keep a connection whose login is under way: it is closed.
    pending = send_all(p.plain_port, bad_credential(slow), 3)
    time.sleep(0.3)  # read by perchd, their logins running or waiting
    out = subprocess.run([PERCHD, "--dir", p.dir, "--upgrade"], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    for c in pending:
        try:
            c.read_response()
            raise AssertionError("a login under way crossed the upgrade")
        except (EOFError, ConnectionResetError):
            pass
        c.close()
    assert request(p.plain_port, "GET", "/api/version", tls=False).status == 200
    # Quitting with logins under way ends promptly and cleanly (the fixture checks the exit):
    # the two running finish, the eight waiting never run (all ten would take ten logins).
    send_all(p.plain_port, bad_credential(slow), 10)
    time.sleep(0.1)
    start = time.monotonic()
    assert p.stop() == 0
    assert time.monotonic() - start < 2 + 4 * one


def test_request_timeout_while_the_login_is_checked(perchd_factory):
    # Logins that take longer than the request timeout (a million iterations take about a
    # second each, and six of them three times that): those not answered when the timer fires,
    # running or waiting, get their 408; a running one's verdict then finds its client gone.
    iterations = 1000000
    p = perchd_factory(config=f"""
[relay]
password_hash_iterations = {iterations}
auth_fail_delay = 0
[limits]
request_timeout = 1
""")
    clients = send_all(p.plain_port, bad_credential(iterations), 6)
    statuses = [r.status for r, _ in answers(clients)]
    assert set(statuses) <= {401, 408} and statuses.count(408) >= 2, statuses
    time.sleep(1.5)  # the derivations still running end
    r = request(p.plain_port, "GET", "/api/version", tls=False)
    assert r.status == 200
