"""A slow reader of a `Connection: close` answer gets all of it: the grace bounds the
wait for the peer once everything is out, and a drain that keeps making progress."""
import socket
import ssl
import time

from conftest import PASSWORD, basic, tls_context
from wsraw import open_ws

LINES = 3000


def fill(p):
    ws = open_ws(p.plain_port)
    text = "x" * 1000
    for start in range(0, LINES, 1000):
        ws.send_json([{"request": "POST /api/input",
                       "body": {"command": f"/print {i:05d} {text}"}}
                      for i in range(start, start + 1000)])
        for _ in range(1000):
            assert ws.read_json()["code"] == 204
    ws.close()


def slow_get(p, path, delay):
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect(("127.0.0.1", p.tls_port))
    sock = tls_context().wrap_socket(raw)
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                  f"Authorization: {basic('plain:' + PASSWORD)}\r\n\r\n").encode())
    data, clean = b"", False
    sock.settimeout(30)
    try:
        while True:
            chunk = sock.recv(16384)
            if not chunk:
                clean = True  # close_notify
                break
            data += chunk
            time.sleep(delay)
    except (ssl.SSLError, ConnectionResetError):
        pass
    sock.close()
    return data, clean


def test_slow_reader_gets_the_whole_answer_then_a_clean_close(perchd_factory):
    p = perchd_factory(config="[limits]\nclose_grace = 300\n")
    fill(p)
    start = time.monotonic()
    data, clean = slow_get(p, f"/api/buffers/core.weechat/lines?lines=-{LINES}&colors=strip",
                           0.01)
    took = time.monotonic() - start
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(next(l.split(b":")[1] for l in head.split(b"\r\n")
                      if l.lower().startswith(b"content-length")))
    assert took > 1.0, "not slow enough to outlast one grace: the test proves nothing"
    assert len(body) == length, f"{len(body)} of {length} bytes, after {took:.1f} s"
    assert clean, "no close_notify after the answer"
