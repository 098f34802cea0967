"""WeeChat /remote's exact connection sequence (reference §15.1), replayed byte for byte."""
import base64
import hashlib
import json
import os
import socket
import time

from conftest import PASSWORD, request
from wsraw import RawWS, accept_for


def remote_handshake(port):
    """Step 2: the handshake on its own connection, with libcurl's headers."""
    body = b'{"password_hash_algo":["plain","sha256","sha512","pbkdf2+sha256","pbkdf2+sha512"]}'
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"POST /api/handshake HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept: application/json\r\n"
              b"Content-Type: application/json; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s"
              % (port, len(body), body))
    data = b""
    while b"\r\n\r\n" not in data or not data.endswith(b"}"):
        data += s.recv(65536)
    s.close()
    head, payload = data.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    return json.loads(payload)


def test_remote_connection_sequence(perchd):
    hs = remote_handshake(perchd.plain_port)
    assert hs["password_hash_algo"] == "pbkdf2+sha512"
    assert isinstance(hs["password_hash_iterations"], int) and isinstance(hs["totp"], bool)
    ts = str(int(time.time()))
    digest = hashlib.pbkdf2_hmac("sha512", PASSWORD.encode(), ts.encode(),
                                 hs["password_hash_iterations"]).hex().upper()
    cred = f"hash:pbkdf2+sha512:{ts}:{hs['password_hash_iterations']}:{digest}"
    key = base64.b64encode(os.urandom(16)).decode()
    # Step 3: the upgrade, headers in /remote's order, with its extension offer.
    ws = RawWS(perchd.plain_port)
    ws.sock.sendall((
        "GET /api HTTP/1.1\r\n"
        f"Authorization: Basic {base64.b64encode(cred.encode()).decode()}\r\n"
        "Sec-WebSocket-Version: 13\r\n"
        f"Sec-WebSocket-Key: {key}\r\n"
        "Connection: Upgrade\r\nUpgrade: websocket\r\n"
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
        f"Host: 127.0.0.1:{perchd.plain_port}\r\n\r\n").encode())
    # Step 4: /remote parses only its first recv(): the 101 must be complete in it.
    first = ws.sock.recv(65536)
    assert first.endswith(b"\r\n\r\n"), first
    lines = first.decode().split("\r\n")
    assert lines[0] == "HTTP/1.1 101 Switching Protocols"
    assert f"Sec-WebSocket-Accept: {accept_for(key)}" in lines
    assert "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=15" in lines
    ws.buf = bytearray(first)
    ws.read_head()
    assert ws.deflate
    # Step 5: the version check, no request_id.
    ws.send_json('{"request": "GET /api/version"}')
    v = ws.read_json()
    assert v["code"] == 200 and v["body_type"] == "version" and v["request_id"] is None
    assert v["body"]["relay_api_version"] == "0.4.1"
    for k in ("weechat_version", "weechat_version_git", "relay_api_version"):
        assert isinstance(v["body"][k], str)
    # Step 6: the initial-sync batch.
    request(perchd.tls_port, "POST", "/api/input",
            body={"command": "/print -newbuffer chan -tags notify_message bob\thello"})
    request(perchd.tls_port, "POST", "/api/input",
            body={"buffer_name": "core.chan", "command": "/nicklist add_nick root bob"})
    ws.send_json('[{"request":"GET /api/buffers?lines=-1000&nicks=true&colors=weechat",'
                 '"request_id":"initial_sync"},{"request":"POST /api/sync","body":{"colors":"weechat"}}]')
    buffers = ws.read_json()
    assert buffers["request_id"] == "initial_sync" and buffers["body_type"] == "buffers"
    chan = next(b for b in buffers["body"] if b["name"] == "core.chan")
    assert chan["lines"][0]["y"] == -1 and chan["lines"][0]["message"] == "hello"
    assert chan["nicklist_root"]["id"] == 0
    nick = chan["nicklist_root"]["nicks"][0]
    assert nick["parent_group_id"] == 0 and nick["color_name"]
    assert isinstance(chan["keys"], list) and isinstance(chan["local_variables"], dict)
    assert ws.read_json()["code"] == 204
    # Step 7: input by buffer_id; the events come in WeeChat colour codes.
    ws.send_json(json.dumps({"request": "POST /api/input",
                             "body": {"buffer_id": chan["id"], "command": "/print \x0304red"}}))
    assert ws.read_json()["code"] == 204
    line = ws.read_json()
    assert line["event_name"] == "buffer_line_added" and line["buffer_id"] == chan["id"]
    assert line["body"]["message"] == "\x19F|04red"
    ws.close()
