"""A relay that sends what WeeChat's own relay sends and perchd never does: lines holding
WeeChat's chat colour codes ("\\x19NN", "Option changed: ..."). WeeChat >= 4.3, whose relay
speaks the api protocol, is not packaged for Debian 12, so this plays its part of the
exchange (reference §6, §8): plain HTTP on loopback, the handshake, the WebSocket upgrade,
the initial sync answer and the sync; pings and the close handshake are answered.

As WeeChat's relay does, it answers lines=-N with its latest N lines and ignores before=
(perchd's paging extension), unless made to honour it; it can print more lines, send some
as events after the next sync, and cut its connections."""
import json
import socket
import struct
import threading
from urllib.parse import parse_qs, urlsplit

from wsraw import accept_for


class ScriptedRelay:
    """Serves one buffer ("core.weechat") with the given (prefix, message) lines, whose ids
    are their indices; honours before= only if told to."""

    def __init__(self, lines, honour_before=False, handshake=None):
        self.lines = list(lines)
        self.honour_before = honour_before
        # What POST /api/handshake answers (a relay may answer anything).
        self.handshake = handshake or {"password_hash_algo": "plain",
                                       "password_hash_iterations": 100000, "totp": False}
        self.live = []  # lines printed and sent as events after the next POST /api/sync
        self.raw = []  # messages sent as they are after the next POST /api/sync, before live
        self.requests = []  # every WebSocket request, as "METHOD PATH"
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.stopping = False
        self.conns = []
        self.acceptor = threading.Thread(target=self._accept, daemon=True)
        self.acceptor.start()

    def add(self, lines):
        """More lines printed while no client is connected."""
        self.lines += lines

    def cut(self):
        """Ends every connection (a network fault): clients reconnect."""
        for c in self.conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        # The accepting thread must be gone before the descriptor is: a thread still in
        # accept() on a reused descriptor number would take the next relay's connections.
        self.stopping = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.acceptor.join(timeout=10)
        self.sock.close()
        for c in self.conns:
            c.close()

    def _accept(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if self.stopping:
                conn.close()
                return
            conn.settimeout(30)
            self.conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            buf = bytearray()
            while b"\r\n\r\n" not in buf:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buf += chunk
            head, rest = bytes(buf).split(b"\r\n\r\n", 1)
            lines = head.decode().split("\r\n")
            headers = {k.lower(): v for k, v in (x.split(": ", 1) for x in lines[1:])}
            length = int(headers.get("content-length", "0"))
            while len(rest) < length:
                rest += conn.recv(65536)
            if lines[0].startswith("POST /api/handshake "):
                self._respond(conn, self.handshake)
            elif lines[0].startswith("GET /api ") and "sec-websocket-key" in headers:
                conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                              f"{accept_for(headers['sec-websocket-key'])}\r\n\r\n").encode())
                self._websocket(conn, bytearray(rest[length:]))
            else:
                self._respond(conn, {"error": "not scripted"}, "404 Not Found")
        except OSError:
            pass
        finally:
            conn.close()

    @staticmethod
    def _respond(conn, body, status="200 OK"):
        data = json.dumps(body).encode()
        conn.sendall(f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode() + data)

    @staticmethod
    def _send(conn, opcode, payload):
        n = len(payload)
        head = struct.pack("!BB", 0x80 | opcode, n) if n < 126 else (
            struct.pack("!BBH", 0x80 | opcode, 126, n) if n < 65536 else
            struct.pack("!BBQ", 0x80 | opcode, 127, n))
        conn.sendall(head + payload)

    @staticmethod
    def _parse(buf):
        """One of the client's (masked, unfragmented) frames off buf, or None: need more."""
        if len(buf) < 2:
            return None
        n, at = buf[1] & 0x7F, 2
        if n == 126:
            if len(buf) < 4:
                return None
            n, at = struct.unpack("!H", buf[2:4])[0], 4
        elif n == 127:
            if len(buf) < 10:
                return None
            n, at = struct.unpack("!Q", buf[2:10])[0], 10
        if len(buf) < at + 4 + n:
            return None
        mask = buf[at:at + 4]
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(buf[at + 4:at + 4 + n]))
        opcode = buf[0] & 0x0F
        del buf[:at + 4 + n]
        return opcode, payload

    def _frames(self, conn, buf):
        """Yields (opcode, payload) until the client goes."""
        while True:
            frame = self._parse(buf)
            while frame is None:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buf += chunk
                frame = self._parse(buf)
            yield frame

    def _line(self, i):
        prefix, message = self.lines[i]
        return {"id": i, "y": -1, "date": "2026-11-25T18:27:50.172585Z",
                "date_printed": "2026-11-25T18:27:50.172585Z", "displayed": True,
                "highlight": False, "notify_level": 0, "prefix": prefix, "message": message,
                "tags": []}

    def _lines(self, query):
        """The lines a lines=-N (and, if honoured, before=ID) query selects, oldest first."""
        end = len(self.lines)
        if self.honour_before and "before" in query:
            end = min(end, int(query["before"][0]))
        n = int(query.get("lines", [str(-end)])[0])
        ids = range(max(0, end + n), end) if n < 0 else range(min(n, end))
        return [self._line(i) for i in ids]

    def _buffer(self, query):
        return {"id": 1, "name": "core.weechat", "short_name": "weechat", "number": 1,
                "type": "formatted", "hidden": False, "title": "WeeChat \x1928[\x1932relay\x1928]",
                "local_variables": {"plugin": "core", "name": "weechat"},
                "lines": self._lines(query),
                "nicklist_root": {"id": 0, "parent_group_id": -1, "name": "root",
                                  "color_name": "", "color": "", "visible": False,
                                  "groups": [], "nicks": []}}

    def _websocket(self, conn, buf):
        for opcode, payload in self._frames(conn, buf):
            if opcode == 8:
                self._send(conn, 8, payload[:2])
                return
            if opcode == 9:
                self._send(conn, 10, payload)
                continue
            if opcode != 1:
                continue
            requests = json.loads(payload)
            for req in requests if isinstance(requests, list) else [requests]:
                answer = {"code": 204, "message": "No Content", "request": req["request"],
                          "request_body": req.get("body"), "request_id": req.get("request_id"),
                          "body_type": None, "body": None}
                self.requests.append(req["request"])
                url = urlsplit(req["request"].split(" ", 1)[1])
                query = parse_qs(url.query)
                if req["request"].startswith("GET /api/buffers/"):
                    answer.update(code=200, message="OK", body_type="lines",
                                  body=self._lines(query))
                elif req["request"].startswith("GET /api/buffers"):
                    answer.update(code=200, message="OK", body_type="buffers",
                                  body=[self._buffer(query)])
                self._send(conn, 1, json.dumps(answer).encode())
                if req["request"] == "POST /api/sync":
                    self._send_live(conn)

    def _send_live(self, conn):
        for message in self.raw:
            self._send(conn, 1, json.dumps(message).encode())
        self.raw = []
        for line in self.live:
            self.lines.append(line)
            self._send(conn, 1, json.dumps({
                "code": 0, "message": "OK", "event_name": "buffer_line_added", "request": "",
                "request_body": None, "request_id": None, "buffer_id": 1, "body_type": "line",
                "body": self._line(len(self.lines) - 1)}).encode())
        self.live = []
