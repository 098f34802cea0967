"""Every connection ends cleanly on quit: event, close frame, TLS close_notify, bounded wait."""
import os
import signal
import socket
import ssl
import subprocess
import time

import pytest

from conftest import PERCHD, Client, request, tls_context
from wsraw import RawWS

CLIENTS = 50
GRACE_MS = 1000


def quit_by(p, how):
    if how == "command":
        r = request(p.tls_port, "POST", "/api/input", body={"command": "/quit"})
        assert r.status == 204
    elif how == "control":
        out = subprocess.run([PERCHD, "--dir", p.dir, "--quit"], capture_output=True, text=True,
                             timeout=60)
        assert out.returncode == 0, out.stderr
    else:
        os.kill(p.proc.pid, {"SIGTERM": signal.SIGTERM, "SIGINT": signal.SIGINT}[how])


def synced_ws(port, tls):
    ws = RawWS(port, tls=tls)
    status, _, _ = ws.handshake()
    assert status.startswith("HTTP/1.1 101")
    ws.send_json({"request": "POST /api/sync"})
    assert ws.read_json()["code"] == 204
    return ws


def open_clients(p, kind):
    """CLIENTS connections of one kind: synced WebSockets (TLS or plain) or idle HTTPS."""
    clients = []
    for _ in range(CLIENTS):
        if kind == "tls_http_idle":
            c = Client(p.tls_port)
            assert c.request("GET", "/api/version").status == 200
        else:
            c = synced_ws(p.tls_port if kind == "tls_ws_synced" else p.plain_port,
                          tls=kind == "tls_ws_synced")
        clients.append(c)
    return clients


def tls_clean_eof(sock):
    """True when the TLS stream ended with close_notify (not a bare TCP close)."""
    try:
        while sock.recv(65536):
            pass
        return True
    except ssl.SSLEOFError:
        return False


def check_ws_goodbye(ws, tls):
    event = ws.read_json()
    assert event["event_name"] == "quit" and event["buffer_id"] == -1
    _, _, op, payload = ws.read_frame()
    assert op == 8 and payload[:2] == (1001).to_bytes(2, "big")
    assert not ws.buf
    if tls:
        assert tls_clean_eof(ws.sock), "TLS ended without close_notify"
    else:
        assert ws.sock.recv(65536) == b""


@pytest.mark.parametrize("kind", ["tls_ws_synced", "tls_http_idle", "plain_ws_synced"])
def test_upgrade_matrix(perchd_factory, kind):
    """Upgrade: TLS clients are told (event, 1012, close_notify); plain ones are kept."""
    p = perchd_factory(config=f"[relay]\nmax_clients = 500\n[limits]\nclose_grace = {GRACE_MS}\n")
    clients = open_clients(p, kind)
    out = subprocess.run([PERCHD, "--dir", p.dir, "--upgrade"], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    for c in clients:
        c.sock.settimeout(15)
        if kind == "tls_http_idle":
            assert tls_clean_eof(c.sock), "TLS ended without close_notify"
        elif kind == "tls_ws_synced":
            assert c.read_json()["event_name"] == "upgrade"
            _, _, op, payload = c.read_frame()
            assert op == 8 and payload[:2] == (1012).to_bytes(2, "big")
            assert tls_clean_eof(c.sock), "TLS ended without close_notify"
        else:
            assert c.read_json()["event_name"] == "upgrade"
            assert c.read_json()["event_name"] == "upgrade_ended"
            assert c.request("POST /api/ping", body={"data": "still here"})["body"] == {
                "data": "still here"}
        c.sock.close()
    assert p.proc.poll() is None


@pytest.mark.parametrize("kind", ["tls_ws_synced", "tls_http_idle", "plain_ws_synced"])
@pytest.mark.parametrize("how", ["command", "SIGTERM", "SIGINT", "control"])
def test_quit_matrix(perchd_factory, how, kind):
    p = perchd_factory(config=f"[relay]\nmax_clients = 500\n[limits]\nclose_grace = {GRACE_MS}\n")
    clients = open_clients(p, kind)
    start = time.monotonic()
    quit_by(p, how)
    for c in clients:
        c.sock.settimeout(15)
        if kind == "tls_http_idle":
            assert tls_clean_eof(c.sock), "TLS ended without close_notify"
        else:
            check_ws_goodbye(c, tls=kind == "tls_ws_synced")
        c.sock.close()
    assert p.proc.wait(timeout=30) == 0
    # Bounded: the grace once, plus a margin for 50 clients on a busy machine.
    assert time.monotonic() - start < GRACE_MS / 1000 + 10


def test_unresponsive_client_cut_at_grace(perchd_factory):
    p = perchd_factory(config=f"[limits]\nclose_grace = {GRACE_MS}\n")
    silent = socket.create_connection(("127.0.0.1", p.tls_port))
    tls = tls_context().wrap_socket(silent)
    tls.sendall(b"GET /api/version HTTP/1.1\r\nHost: x\r\nAuthorization: Basic cGxhaW46c2VjcmV0\r\n\r\n")
    time.sleep(0.2)
    start = time.monotonic()
    os.kill(p.proc.pid, signal.SIGTERM)
    assert p.proc.wait(timeout=30) == 0
    elapsed = time.monotonic() - start
    assert GRACE_MS / 1000 - 0.2 <= elapsed < GRACE_MS / 1000 + 3
    tls.close()


def test_peer_close_notify_first_gets_ours_back(perchd):
    c = Client(perchd.tls_port)
    assert c.request("GET", "/api/version").status == 200
    raw = c.sock.unwrap()  # sends our close_notify and waits for perchd's
    raw.close()


def test_gnutls_cli_during_quit_sees_proper_termination(perchd_factory):
    p = perchd_factory(config=f"[limits]\nclose_grace = {GRACE_MS}\n")
    cli = subprocess.Popen(["gnutls-cli", "--insecure", "-p", str(p.tls_port), "127.0.0.1"],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    cli.stdin.write(b"GET /api/version HTTP/1.1\r\nHost: x\r\n"
                    b"Authorization: Basic cGxhaW46c2VjcmV0\r\n\r\n")
    cli.stdin.flush()
    time.sleep(1)
    os.kill(p.proc.pid, signal.SIGTERM)
    out, _ = cli.communicate(timeout=30)
    text = out.decode(errors="replace")
    assert "relay_api_version" in text
    assert "non-properly terminated" not in text
    assert "Peer has closed the GnuTLS connection" in text


def test_new_connections_refused_while_draining(perchd_factory):
    p = perchd_factory(config="[limits]\nclose_grace = 3000\n")
    hold = socket.create_connection(("127.0.0.1", p.plain_port))
    hold.sendall(b"GET /api/version HTTP/1.1\r\nHost: x\r\nAuthorization: Basic cGxhaW46c2VjcmV0\r\n\r\n")
    time.sleep(0.2)
    os.kill(p.proc.pid, signal.SIGTERM)
    time.sleep(0.3)
    assert p.proc.poll() is None  # still draining the held connection
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", p.tls_port), timeout=2)
    hold.close()
    assert p.proc.wait(timeout=30) == 0


@pytest.mark.parametrize("setup,code", [
    ("unmasked", 1002), ("too_big", 1009), ("ping_timeout", 1001),
])
def test_error_endings_have_close_frame_and_close_notify(perchd_factory, setup, code):
    p = perchd_factory(config="[limits]\nmax_body_bytes = 4096\nws_ping_interval = 1\n"
                              "ws_ping_timeout = 1\n")
    ws = RawWS(p.tls_port, tls=True)
    ws.handshake()
    if setup == "unmasked":
        ws.send_frame(1, b"{}", mask=False)
    elif setup == "too_big":
        ws.send_frame(1, b"x" * 5000)
    ws.sock.settimeout(15)
    while True:
        _, _, op, payload = ws.read_frame()
        if op == 8:
            break
    assert payload[:2] == code.to_bytes(2, "big")
    assert tls_clean_eof(ws.sock)


def test_auth_failure_and_failed_tls_handshake_end_cleanly(perchd):
    c = Client(perchd.tls_port)
    r = c.request("GET", "/api/version", auth=False)
    assert r.status == 401
    assert tls_clean_eof(c.sock)
    # A client that offers only TLS 1.0 gets an alert and a close, and perchd goes on.
    ctx = tls_context()
    ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    with pytest.raises(ssl.SSLError):
        with socket.create_connection(("127.0.0.1", perchd.tls_port), timeout=5) as s:
            ctx.wrap_socket(s)
    assert request(perchd.tls_port, "GET", "/api/version").status == 200
