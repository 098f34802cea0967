"""Connections not authenticated yet have their own budget and a deadline: no amount of idle
TCP connections or half-done TLS handshakes keeps the owner out, max_clients counts
authenticated clients only, and a dropped connection gets the goodbye its state calls for."""
import os
import resource
import select
import ssl
import subprocess
import time

import pytest

from conftest import PERCHD, Client, connect, request, tls_context
from wsraw import RawWS


def raise_fd_limit(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(n, hard), hard))


PARTIAL = b"GET /api/version HTTP/1.1\r\nHost: x\r\n"
CONTEXT = tls_context()  # made once: loading the system's CAs each time is slow


def half_handshake(port, source=None):
    """A TCP connection that sent a TLS ClientHello and nothing more."""
    s = connect(port, source=source)
    tls = CONTEXT.wrap_bio(ssl.MemoryBIO(), out := ssl.MemoryBIO())
    with pytest.raises(ssl.SSLWantReadError):
        tls.do_handshake()
    s.sendall(out.read())
    return s


def open_fds(p):
    return len(os.listdir(f"/proc/{p.proc.pid}/fd"))


class Watch:
    """Notes when the server ends each of many sockets (poll: no FD_SETSIZE limit)."""

    def __init__(self):
        self.poll = select.poll()
        self.socks = {}
        self.opened = {}
        self.ended = {}

    def add(self, s):
        self.socks[s.fileno()] = s
        self.opened[s] = time.monotonic()
        self.poll.register(s, select.POLLIN)

    def reap(self, timeout=0.0):
        for fd, _ in self.poll.poll(timeout * 1000):
            s = self.socks[fd]
            try:
                if s.recv(65536):
                    continue  # a ServerHello: the end comes later
            except OSError:
                pass  # a reset ends it too: nothing was said on either side
            self.ended[s] = time.monotonic()
            self.poll.unregister(fd)

    def wait_all(self, timeout):
        deadline = time.monotonic() + timeout
        while len(self.ended) < len(self.socks) and time.monotonic() < deadline:
            self.reap(0.2)

    def lifetimes(self):
        return [self.ended[s] - self.opened[s] for s in self.opened]


def test_flood_of_idle_and_half_open_connections_never_keeps_the_owner_out(perchd_factory):
    auth_timeout = 3
    raise_fd_limit(4096)
    p = perchd_factory(config=f"[limits]\nauth_timeout = {auth_timeout}\nclose_grace = 20000\n")
    baseline = open_fds(p)
    watch = Watch()
    for source, n in [("127.0.0.1", 200)] + [(f"127.0.0.{i}", 60) for i in range(2, 7)]:
        for i in range(n):
            if i % 3 == 0:
                watch.add(half_handshake(p.tls_port, source))
            elif i % 3 == 1:
                watch.add(connect(p.tls_port, source=source))
            else:
                # A request begun: these get a 408 goodbye, and must not linger for it.
                s = connect(p.plain_port, source=source)
                s.sendall(PARTIAL)
                watch.add(s)
            watch.reap()
    # Bounded: the budget (64 by default) and nothing lingering in a close grace.
    time.sleep(0.2)
    assert open_fds(p) <= baseline + 64 + 2
    # The owner, from the flood's own address too, gets in at once, over HTTP and WebSocket.
    start = time.monotonic()
    r = request(p.tls_port, "GET", "/api/version")
    assert r.status == 200
    ws = RawWS(p.tls_port, tls=True)
    assert ws.handshake()[0] == "HTTP/1.1 101 Switching Protocols"
    assert time.monotonic() - start < 1.5
    ws.close()
    # Every flood connection is cut: the oldest at once to make room, those left in the
    # budget at their deadline.
    watch.wait_all(auth_timeout + 10)
    lifetimes = watch.lifetimes()
    assert len(lifetimes) == len(watch.socks)
    made_room = [t for t in lifetimes if t < auth_timeout - 0.5]
    at_deadline = [t for t in lifetimes if auth_timeout - 0.5 <= t < auth_timeout + 1.5]
    assert len(made_room) + len(at_deadline) == len(lifetimes), sorted(lifetimes)[-5:]
    assert 32 <= len(at_deadline) <= 64
    for s in watch.socks.values():
        s.close()
    time.sleep(0.5)
    assert open_fds(p) <= baseline + 2
    log = p.read_log()
    assert log.count("connections not authenticated yet ([limits] unauth_max)") == 1


def test_max_clients_counts_authenticated_clients_only(perchd_factory):
    p = perchd_factory(config="[relay]\nmax_clients = 2\n")
    idle = [connect(p.tls_port, source=f"127.0.0.{2 + i % 3}") for i in range(30)]
    idle += [half_handshake(p.tls_port, "127.0.0.5") for _ in range(10)]
    time.sleep(0.2)
    held = [Client(p.tls_port), Client(p.plain_port, tls=False)]
    for c in held:
        assert c.request("GET", "/api/version").status == 200
    # Not authenticated, not counted: the handshake is still answered.
    extra = Client(p.tls_port)
    r = extra.request("POST", "/api/handshake", body={"password_hash_algo": ["plain"]},
                      auth=False)
    assert r.status == 200
    r = extra.request("GET", "/api/version")
    assert r.status == 503 and r.json() == {"error": "Too many clients"}
    assert extra.at_eof()
    held[0].close()
    time.sleep(0.3)
    assert request(p.tls_port, "GET", "/api/version").status == 200
    assert held[1].request("GET", "/api/version").status == 200
    held[1].close()
    for s in idle:
        s.close()


def unauth_conn(p, state):
    """A connection left in one state short of authentication."""
    if state == "tcp_only":
        return connect(p.tls_port)
    if state == "client_hello":
        return half_handshake(p.tls_port)
    if state.startswith("plain"):
        s = connect(p.plain_port)
    else:
        s = tls_context().wrap_socket(connect(p.tls_port))
    if state.endswith("partial_request"):
        s.sendall(PARTIAL)
    return s


def goodbye_of(s, state):
    """What the server sent before ending the connection."""
    s.settimeout(10)
    if state.startswith("tls"):
        data = b""
        try:
            while chunk := s.recv(65536):
                data += chunk
            return data, "close_notify"
        except ssl.SSLEOFError:
            return data, "bare close"
    data = b""
    try:
        while chunk := s.recv(65536):
            data += chunk
    except ConnectionResetError:
        return data, "reset"
    return data, "eof"


EXPECTED = {
    # Before a TLS handshake there is nothing to say: just the close.
    "tcp_only": (b"", ("eof", "reset")),
    "client_hello": (None, ("eof", "reset")),
    # After it, close_notify; a request under way first gets its 408.
    "tls_idle": (b"", ("close_notify",)),
    "tls_partial_request": (b"HTTP/1.1 408 Request Timeout", ("close_notify",)),
    "plain_idle": (b"", ("eof",)),
    "plain_partial_request": (b"HTTP/1.1 408 Request Timeout", ("eof",)),
}


@pytest.mark.parametrize("why", ["deadline", "evicted"])
@pytest.mark.parametrize("state", list(EXPECTED))
def test_dropped_unauthenticated_connection_goodbye(perchd_factory, state, why):
    if why == "deadline":
        config = "[limits]\nauth_timeout = 1\n"
    else:
        config = "[limits]\nunauth_max_per_addr = 1\n"
    p = perchd_factory(config=config)
    s = unauth_conn(p, state)
    start = time.monotonic()
    if why == "evicted":
        time.sleep(0.2)
        newer = connect(p.tls_port)
    data, end = goodbye_of(s, state)
    elapsed = time.monotonic() - start
    prefix, ends = EXPECTED[state]
    assert end in ends, (data, end)
    if prefix is not None:
        assert data.startswith(prefix), data
    if prefix and b"408" in prefix:
        assert b'{"error":"Request timeout"}' in data and b"Connection: close" in data
    if why == "deadline":
        assert 0.8 < elapsed < 3, elapsed
    else:
        assert elapsed < 1.5, elapsed
        newer.close()
    s.close()


def test_authentication_state_crosses_an_upgrade(perchd_factory):
    p = perchd_factory(config="[relay]\nmax_clients = 1\n[limits]\nauth_timeout = 3\n")
    authed = Client(p.plain_port, tls=False)
    assert authed.request("GET", "/api/version").status == 200
    waiting = connect(p.plain_port)
    opened = time.monotonic()
    out = subprocess.run([PERCHD, "--dir", p.dir, "--upgrade"], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    # Still authenticated, still counted.
    assert authed.request("GET", "/api/version").status == 200
    r = request(p.plain_port, "GET", "/api/version", tls=False)
    assert r.status == 503
    # Still not authenticated, with the time it had left, no more.
    waiting.settimeout(10)
    assert waiting.recv(100) == b""
    assert 2.5 < time.monotonic() - opened < 5
    waiting.close()
    authed.close()
