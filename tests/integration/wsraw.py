"""A raw WebSocket client: exact handshake bytes, hand-made frames (also malformed ones),
optional permessage-deflate. For what real client libraries refuse to send."""
import base64
import hashlib
import json
import os
import struct
import zlib

from conftest import PASSWORD, basic, connect, tls_context

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def accept_for(key):
    return base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()


class RawWS:
    def __init__(self, port, tls=False, timeout=10, source=None):
        raw = connect(port, timeout, source)
        self.sock = tls_context().wrap_socket(raw) if tls else raw
        self.buf = bytearray()
        self.deflate = False
        self.inflater = None

    def handshake(self, headers=None, auth=True, path="/api", extensions=None):
        """Sends the upgrade; returns (status line, header list, body)."""
        self.key = base64.b64encode(os.urandom(16)).decode()
        h = {"Host": "127.0.0.1", "Upgrade": "websocket", "Connection": "Upgrade",
             "Sec-WebSocket-Key": self.key, "Sec-WebSocket-Version": "13"}
        if auth:
            h["Authorization"] = basic(f"plain:{PASSWORD}")
        if extensions:
            h["Sec-WebSocket-Extensions"] = extensions
        h.update(headers or {})
        req = f"GET {path} HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in h.items() if v is not None)
        self.sock.sendall(req.encode() + b"\r\n")
        return self.read_head()

    def read_head(self):
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, rest = bytes(self.buf).split(b"\r\n\r\n", 1)
        self.buf = bytearray(rest)
        lines = head.decode().split("\r\n")
        headers = [tuple(x.split(": ", 1)) for x in lines[1:]]
        body = b""
        length = next((int(v) for k, v in headers if k.lower() == "content-length"), 0)
        while len(self.buf) < length:
            self._fill()
        body = bytes(self.buf[:length])
        del self.buf[:length]
        ext = next((v for k, v in headers if k == "Sec-WebSocket-Extensions"), "")
        if ext.startswith("permessage-deflate"):
            params = dict((p.strip().split("=") + [""])[:2] for p in ext.split(";")[1:])
            self.deflate = True
            # The client keeps to what the server answered (RFC 7692).
            self.client_bits = int(params.get("client_max_window_bits") or 15)
            self.client_reset = "client_no_context_takeover" in params
            self.server_reset = "server_no_context_takeover" in params
            self.deflater = zlib.compressobj(6, zlib.DEFLATED, -self.client_bits)
            self.inflater = zlib.decompressobj(-15)
        return lines[0], headers, body

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("closed")
        self.buf += chunk

    def send_frame(self, opcode, payload, fin=True, mask=True, rsv1=False, length=None):
        if isinstance(payload, str):
            payload = payload.encode()
        b0 = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode
        n = len(payload) if length is None else length
        if n < 126:
            head = struct.pack("!BB", b0, (0x80 if mask else 0) | n)
        elif n < 65536:
            head = struct.pack("!BBH", b0, (0x80 if mask else 0) | 126, n)
        else:
            head = struct.pack("!BBQ", b0, (0x80 if mask else 0) | 127, n)
        if mask:
            key = os.urandom(4)
            full = (key * (len(payload) // 4 + 1))[:len(payload)]
            payload = (int.from_bytes(payload, "big") ^ int.from_bytes(full, "big")).to_bytes(
                len(payload), "big")
            head += key
        self.sock.sendall(head + payload)

    def send_json(self, value, compress=None):
        text = json.dumps(value) if not isinstance(value, (str, bytes)) else value
        data = text.encode() if isinstance(text, str) else text
        if compress if compress is not None else self.deflate:
            data = self.deflater.compress(data) + self.deflater.flush(zlib.Z_SYNC_FLUSH)
            self.send_frame(1, data[:-4], rsv1=True)
            if self.client_reset:
                self.deflater = zlib.compressobj(6, zlib.DEFLATED, -self.client_bits)
        else:
            self.send_frame(1, data)

    def read_frame(self):
        """(fin, rsv1, opcode, payload) of the next frame, inflated when compressed."""
        while len(self.buf) < 2:
            self._fill()
        b0, b1 = self.buf[0], self.buf[1]
        assert not b1 & 0x80, "server frames must not be masked"
        n, off = b1 & 0x7F, 2
        if n == 126:
            while len(self.buf) < 4:
                self._fill()
            n, off = struct.unpack("!H", self.buf[2:4])[0], 4
        elif n == 127:
            while len(self.buf) < 10:
                self._fill()
            n, off = struct.unpack("!Q", self.buf[2:10])[0], 10
        while len(self.buf) < off + n:
            self._fill()
        payload = bytes(self.buf[off:off + n])
        del self.buf[:off + n]
        rsv1 = bool(b0 & 0x40)
        if rsv1:
            payload = self.inflater.decompress(payload + b"\x00\x00\xff\xff")
            if self.server_reset:
                self.inflater = zlib.decompressobj(-15)
        return bool(b0 & 0x80), rsv1, b0 & 0x0F, payload

    def read_json(self):
        while True:
            fin, rsv1, op, payload = self.read_frame()
            assert fin, "every message must be one unfragmented frame"
            if op == 1:
                return json.loads(payload)
            assert op in (9, 10), f"unexpected opcode {op}"

    def request(self, req, body=None, request_id=None):
        msg = {"request": req}
        if body is not None:
            msg["body"] = body
        if request_id is not None:
            msg["request_id"] = request_id
        self.send_json(msg)
        return self.read_json()

    def at_eof(self, timeout=5):
        self.sock.settimeout(timeout)
        try:
            while True:
                if not self.sock.recv(65536):
                    return True
        except Exception:
            return False

    def close(self):
        self.sock.close()


def open_ws(port, tls=False, **kw):
    ws = RawWS(port, tls=tls)
    status, headers, body = ws.handshake(**kw)
    assert status == "HTTP/1.1 101 Switching Protocols", (status, body)
    return ws


def settle(perchd, clients=0, timeout=5):
    """Waits until perchd has seen earlier probe connections go (its client count)."""
    import time
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ws = RawWS(perchd.plain_port)
        status, _, _ = ws.handshake()
        ws.close()
        if status.startswith("HTTP/1.1 101"):
            time.sleep(0.2)
            return
        time.sleep(0.1)
