"""What is in flight when an upgrade starts: an answer still being sent, a WebSocket frame
or fragmented message half read, connections made while the upgrade waits. Each ends
complete and clean, or crosses untouched; nothing hangs, nothing is cut."""
import socket
import ssl
import struct
import threading
import time

from conftest import PASSWORD, basic, request, tls_context
from test_goodbye import synced_ws
from test_upgrade import control
from wsraw import open_ws

GRACE_MS = 1000


def wait_log(p, text, timeout=20):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if text in p.read_log():
            return
        time.sleep(0.01)
    raise AssertionError(f"{text!r} not in the log:\n{p.read_log()[-2000:]}")


def upgrade_in_background(p):
    """Starts `perchd --upgrade`; returns the thread and where its result lands."""
    result = {}
    t = threading.Thread(target=lambda: result.update(r=control(p, "upgrade")))
    t.start()
    return t, result


def finish_upgrade(t, result):
    t.join(timeout=60)
    assert result["r"].returncode == 0, result["r"].stderr


def fill(p, lines, width):
    ws = open_ws(p.plain_port)
    text = "y" * width
    for start in range(0, lines, 500):
        ws.send_json([{"request": "POST /api/input",
                       "body": {"command": f"/print {i:05d} {text}"}}
                      for i in range(start, min(lines, start + 500))])
        for _ in range(min(500, lines - start)):
            assert ws.read_json()["code"] == 204
    ws.close()


def test_answer_still_being_sent_at_the_deadline_ends_complete(perchd_factory):
    lines = 4000
    p = perchd_factory(config=f"[limits]\nclose_grace = {GRACE_MS}\n[core]\nmax_lines = {lines}\n")
    fill(p, lines, 4000)
    sock = socket.socket()
    # A small window: the kernel cannot take the whole answer, libuv keeps the rest.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    sock.settimeout(15)
    sock.connect(("127.0.0.1", p.plain_port))
    sock.sendall((f"GET /api/buffers/core.weechat/lines?lines=-{lines}&colors=strip HTTP/1.1\r\n"
                  f"Host: x\r\nAuthorization: {basic('plain:' + PASSWORD)}\r\n\r\n").encode())
    data = sock.recv(65536)
    t, result = upgrade_in_background(p)
    eof = False
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                eof = True
                break
            data += chunk
            time.sleep(0.01)
    except socket.timeout:
        pass
    sock.close()
    finish_upgrade(t, result)
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(next(l.split(b":")[1] for l in head.split(b"\r\n")
                      if l.lower().startswith(b"content-length")))
    assert length > 12_000_000
    assert len(body) == length, f"{len(body)} of {length} bytes"
    assert eof, "the connection hung after the answer instead of ending"
    assert "connections still receiving end here first" in p.read_log()
    assert request(p.plain_port, "GET", "/api/version", tls=False).status == 200


def frame_head(opcode, length, fin=True):
    """A masked client frame header (mask 0): the payload then goes as is."""
    b0 = (0x80 if fin else 0) | opcode
    if length < 126:
        return struct.pack("!BB", b0, 0x80 | length) + b"\0\0\0\0"
    return struct.pack("!BBH", b0, 0x80 | 126, length) + b"\0\0\0\0"


def close_code(ws):
    while True:
        opcode, payload = ws.read_frame()[2:]
        if opcode == 8:
            return struct.unpack("!H", payload[:2])[0]


def test_websocket_mid_frame_or_mid_message_is_closed_with_1012(perchd_factory):
    p = perchd_factory(config=f"[limits]\nclose_grace = {GRACE_MS}\n")
    body = b'{"request": "GET /api/version"}'
    mid_frame, mid_message, between = open_ws(p.plain_port), open_ws(p.plain_port), \
        open_ws(p.plain_port)
    mid_frame.sock.sendall(frame_head(1, len(body)) + body[:10])
    mid_message.sock.sendall(frame_head(1, len(body), fin=False) + body)
    between.send_json({"request": "GET /api/version"})
    assert between.read_json()["code"] == 200
    time.sleep(0.3)  # perchd has read the partial frame and the first fragment
    t, result = upgrade_in_background(p)
    assert close_code(mid_frame) == 1012
    assert close_code(mid_message) == 1012
    finish_upgrade(t, result)
    # The one between messages crossed and is served by the new process.
    between.send_json({"request": "GET /api/version"})
    assert between.read_json()["code"] == 200
    for ws in (mid_frame, mid_message, between):
        ws.close()


def test_connections_made_while_the_upgrade_waits_cross_untouched(perchd_factory):
    p = perchd_factory(config="[limits]\nclose_grace = 1500\n")
    # A TLS client that never answers the goodbye holds the upgrade for one grace.
    holder = synced_ws(p.tls_port, tls=True)
    t, result = upgrade_in_background(p)
    wait_log(p, "upgrade: starting")
    raw = socket.create_connection(("127.0.0.1", p.tls_port), timeout=15)
    half = socket.create_connection(("127.0.0.1", p.plain_port), timeout=15)
    half.sendall(b"GET /api/version HTTP/1.1\r\nHost: x\r\n")
    handshake = {}

    def tls_handshake():
        try:
            handshake["sock"] = tls_context().wrap_socket(raw)
        except (OSError, ssl.SSLError) as e:
            handshake["error"] = e

    h = threading.Thread(target=tls_handshake)
    h.start()
    time.sleep(0.2)
    assert "upgrade: executing" not in p.read_log(), "the window closed before the test"
    finish_upgrade(t, result)
    h.join(timeout=20)
    assert "error" not in handshake, handshake.get("error")
    secure = handshake["sock"]
    secure.sendall((f"GET /api/version HTTP/1.1\r\nHost: x\r\n"
                    f"Authorization: {basic('plain:' + PASSWORD)}\r\n\r\n").encode())
    assert secure.recv(4096).startswith(b"HTTP/1.1 200")
    half.sendall(f"Authorization: {basic('plain:' + PASSWORD)}\r\n\r\n".encode())
    assert half.recv(4096).startswith(b"HTTP/1.1 200")
    for s in (secure, half):
        s.close()
    holder.sock.close()

