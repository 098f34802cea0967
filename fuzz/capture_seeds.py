#!/usr/bin/python3
"""Captures fuzz seeds from real traffic: a perchd on loopback, a recording proxy in front
of it, and real clients through the proxy (curl, Python's http.client, WeeChat /remote's
exact sequence, a browser-style WebSocket, and perch itself). Writes one directory per
fuzz target under OUT; `make fuzz-run` or a -merge=1 run brings them into fuzz/corpus/.

    fuzz/capture_seeds.py --perchd build/src/perchd --perch build/src/perch OUT
"""
import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

PASSWORD = "secret"
# fuzz_auth checks credentials at this time, against these settings (fuzz_auth.c).
FUZZ_NOW = 1700000000
FUZZ_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
FUZZ_ITERATIONS = 2
FUZZ_SALT = "0123456789abcdef0123456789abcdef"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    """A TCP proxy that keeps both directions of every connection it relays."""

    def __init__(self, target_port):
        self.target = target_port
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.conns = []  # [label, client bytes, server bytes]
        self.label = "unnamed"
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            record = [self.label, bytearray(), bytearray()]
            with self.lock:
                self.conns.append(record)
            threading.Thread(target=self._pump, args=(client, server, record[1]),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, record[2]),
                             daemon=True).start()

    def _pump(self, src, dst, log):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                log += data
                dst.sendall(data)
        except OSError:
            pass
        for s in (dst, src):
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def quiet(self, timeout=5):
        """Waits until no bytes moved for a moment (the clients are done)."""
        last, deadline = -1, time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                total = sum(len(c) + len(s) for _, c, s in self.conns)
            if total == last:
                return
            last = total
            time.sleep(0.3)


def basic(cred):
    return "Basic " + base64.b64encode(cred.encode()).decode()


def hash_cred(algo, ts, iterations=None, password=PASSWORD):
    """The protocol's hashed credential: hash:ALGO:TS[:ITER]:HEX (reference §4)."""
    if algo in ("sha256", "sha512"):
        digest = hashlib.new(algo, ts.encode() + password.encode()).hexdigest()
        return f"hash:{algo}:{ts}:{digest}"
    h = algo.split("+")[1]
    digest = hashlib.pbkdf2_hmac(h, password.encode(), ts.encode(), iterations).hex()
    return f"hash:{algo}:{ts}:{iterations}:{digest}"


def totp(secret, now, step=30, digits=6):
    key = base64.b32decode(secret)
    mac = hmac.new(key, struct.pack(">Q", now // step), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(code).zfill(digits)


# ---- WebSocket client frames ----

def frame(opcode, payload, fin=True, rsv1=False, mask=True):
    b0 = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode
    n = len(payload)
    m = 0x80 if mask else 0
    if n < 126:
        head = struct.pack("!BB", b0, m | n)
    elif n < 65536:
        head = struct.pack("!BBH", b0, m | 126, n)
    else:
        head = struct.pack("!BBQ", b0, m | 127, n)
    if not mask:
        return head + payload
    key = os.urandom(4)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


class Deflater:
    """permessage-deflate as a client compresses (RFC 7692 7.2.1)."""

    def __init__(self, bits=15, reset=False):
        self.bits, self.reset = bits, reset
        self.z = zlib.compressobj(6, zlib.DEFLATED, -bits)

    def message(self, data):
        out = self.z.compress(data) + self.z.flush(zlib.Z_SYNC_FLUSH)
        if self.reset:
            self.z = zlib.compressobj(6, zlib.DEFLATED, -self.bits)
        return out[:-4] if out.endswith(b"\x00\x00\xff\xff") else out


def ws_session(port, head_lines, messages, deflater=None, extra_frames=()):
    """Opens a WebSocket with the given request head, sends the messages (JSON texts),
    then extra raw frames and a close; reads until the server closes."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(("\r\n".join(head_lines) + "\r\n\r\n").encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    for text in messages:
        raw = text.encode()
        if deflater:
            s.sendall(frame(1, deflater.message(raw), rsv1=True))
        else:
            s.sendall(frame(1, raw))
        time.sleep(0.05)
    for f in extra_frames:
        s.sendall(f)
        time.sleep(0.05)
    s.sendall(frame(8, struct.pack("!H", 1000) + b"bye"))
    s.settimeout(3)
    try:
        while s.recv(65536):
            pass
    except OSError:
        pass
    s.close()


def upgrade_head(port, extra, path="/api"):
    key = base64.b64encode(os.urandom(16)).decode()
    return [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket",
            "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13",
            *extra]


ENVELOPES = [
    '{"request":"GET /api/version"}',
    '{"request":"GET /api/buffers?lines=-100&nicks=true&colors=weechat","request_id":"init"}',
    '{"request":"GET /api/hotlist","request_id":null}',
    '{"request":"POST /api/sync","body":{"sync":true,"nicks":true,"input":true,"colors":"weechat"}}',
    '{"request":"POST /api/input","body":{"buffer_name":"core.weechat",'
    '"command":"/print \\u0002bold\\u0002 \\u000304,02red\\u000f plain"}}',
    '[{"request":"GET /api/buffers/core.weechat/lines?lines=-5","request_id":"a"},'
    '{"request":"POST /api/ping","body":{"data":"1700000000"},"request_id":"b"}]',
    '{"request":"POST /api/completion","body":{"buffer_name":"core.weechat",'
    '"command":"/buffer se","position":10}}',
]


def drive_clients(rec, perch, port):
    base = f"http://127.0.0.1:{port}"
    auth = ["-u", f"plain:{PASSWORD}"]

    def curl(label, *args):
        rec.label = label
        subprocess.run(["curl", "-s", *args], capture_output=True, check=False, timeout=20)
        rec.quiet()

    curl("curl_version", *auth, f"{base}/api/version")
    curl("curl_compressed_buffers", *auth, "--compressed",
         f"{base}/api/buffers?lines=-5&nicks=true&colors=strip")
    curl("curl_input", *auth, "-H", "Content-Type: application/json", "-d",
         '{"buffer_name":"core.weechat","command":"/print hello \u0002world\u0002"}',
         f"{base}/api/input")
    curl("curl_keepalive_two", *auth, f"{base}/api/hotlist", f"{base}/api/buffers/core.weechat")
    curl("curl_preflight", "-X", "OPTIONS", "-H", "Origin: https://example.org",
         "-H", "Access-Control-Request-Method: POST",
         "-H", "Access-Control-Request-Headers: authorization, content-type",
         f"{base}/api/buffers")
    curl("curl_handshake", "-H", "Content-Type: application/json", "-d",
         '{"password_hash_algo":["plain","sha256","pbkdf2+sha512"]}', f"{base}/api/handshake")
    curl("curl_chunked_completion", *auth, "-H", "Transfer-Encoding: chunked", "-d",
         '{"buffer_name":"core.weechat","command":"/he","position":3}',
         f"{base}/api/completion")
    curl("curl_http10_ping", *auth, "--http1.0", "-d", '{"data":"x"}', f"{base}/api/ping")
    curl("curl_totp_header", *auth, "-H", "x-weechat-totp: 123456", f"{base}/api/version")
    curl("curl_bad_password", "-u", "plain:wrong", f"{base}/api/version")

    def python(label, method, target, body=None, headers=None, chunked=False):
        rec.label = label
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        h = dict(headers or {})
        if chunked:
            c.request(method, target, body=iter(body), headers=h, encode_chunked=True)
        else:
            c.request(method, target, body=body, headers=h)
        c.getresponse().read()
        c.close()
        rec.quiet()

    now = str(int(time.time()))
    python("python_handshake", "POST", "/api/handshake",
           b'{"password_hash_algo":["plain","sha256","sha512","pbkdf2+sha256","pbkdf2+sha512"]}',
           {"Content-Type": "application/json"})
    python("python_sha256", "GET", "/api/buffers/core.weechat/lines?lines=-10&colors=weechat",
           headers={"Authorization": basic(hash_cred("sha256", now))})
    python("python_pbkdf2", "GET", "/api/buffers?lines_free=1&nicks=1",
           headers={"Authorization": basic(hash_cred("pbkdf2+sha512", now, 100000))})
    python("python_chunked_input", "POST", "/api/input",
           [b'{"buffer_name":"core.we', b'echat","command":"/buffer add fuzz"}'],
           {"Authorization": basic(f"plain:{PASSWORD}"), "Content-Type": "application/json"},
           chunked=True)
    python("python_nicks", "GET", "/api/buffers/core.fuzz/nicks?colors=ansi",
           headers={"Authorization": basic(f"plain:{PASSWORD}")})

    # WeeChat /remote: handshake on its own connection, then the upgrade with its
    # headers in its order and its extension offer (reference §15.1).
    rec.label = "remote_upgrade"
    digest = hashlib.pbkdf2_hmac("sha512", PASSWORD.encode(), now.encode(), 100000).hex()
    cred = f"hash:pbkdf2+sha512:{now}:100000:{digest.upper()}"
    key = base64.b64encode(os.urandom(16)).decode()
    head = ["GET /api HTTP/1.1", f"Authorization: {basic(cred)}", "Sec-WebSocket-Version: 13",
            f"Sec-WebSocket-Key: {key}", "Connection: Upgrade", "Upgrade: websocket",
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits",
            f"Host: 127.0.0.1:{port}"]
    ws_session(port, head, ENVELOPES, Deflater(15),
               [frame(9, b"ping"), frame(1, b'{"request":', fin=False),
                frame(0, b'"GET /api/version"}')])
    rec.quiet()

    # A browser: credentials in the subprotocol, a window and no context takeover.
    rec.label = "browser_bearer"
    bearer = base64.urlsafe_b64encode(f"plain:{PASSWORD}".encode()).decode().rstrip("=")
    head = upgrade_head(port, [
        f"Sec-WebSocket-Protocol: api.weechat, base64url.bearer.authorization.weechat.{bearer}",
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=12; "
        "client_no_context_takeover, permessage-deflate",
        "Origin: https://example.org"])
    ws_session(port, head, ENVELOPES[:4], Deflater(12, reset=True))
    rec.quiet()

    rec.label = "ws_plain"
    ws_session(port, upgrade_head(port, [f"Authorization: {basic('plain:' + PASSWORD)}"]),
               ENVELOPES, None, [frame(2, b'{"request":"GET /api/version"}'), frame(10, b"")])
    rec.quiet()

    # perch itself: one-shot commands and a short line-mode session.
    env = dict(os.environ, PERCH_PASSWORD=PASSWORD)
    url = f"http://127.0.0.1:{rec.port}"
    for label, args in (("perch_buffers", ["buffers", url]),
                        ("perch_lines", ["lines", url, "core.weechat", "-n", "5"]),
                        ("perch_send", ["send", url, "core.weechat", "from perch \x02bold"])):
        rec.label = label
        subprocess.run([perch, *args], env=env, capture_output=True, timeout=20, check=False)
        rec.quiet()
    rec.label = "perch_plain"
    p = subprocess.Popen([perch, "--plain", url], env=env, stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    p.stdin.write(b"hello from line mode\n/buffer list\n")
    p.stdin.flush()
    time.sleep(1.5)
    p.terminate()
    p.wait(timeout=10)
    rec.quiet()


# ---- seeds from the recordings ----

def split_head(data):
    """(request head, the rest) of a client stream."""
    end = data.find(b"\r\n\r\n")
    return (data, b"") if end < 0 else (data[:end + 4], data[end + 4:])


def header(head, name):
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == name.lower().encode():
            return v.strip()
    return b""


def unmask_frames(data):
    """The messages in a client's frame stream (masks removed, fragments joined)."""
    msgs, parts, off = [], [], 0
    while off + 2 <= len(data):
        b0, b1 = data[off], data[off + 1]
        n, off = b1 & 0x7F, off + 2
        if n == 126:
            n, off = struct.unpack("!H", data[off:off + 2])[0], off + 2
        elif n == 127:
            n, off = struct.unpack("!Q", data[off:off + 8])[0], off + 8
        key = data[off:off + 4] if b1 & 0x80 else b"\0\0\0\0"
        off += 4 if b1 & 0x80 else 0
        payload = bytes(b ^ key[i % 4] for i, b in enumerate(data[off:off + n]))
        off += n
        if b0 & 0x0F in (0, 1, 2):
            parts.append((bool(b0 & 0x40), payload))
            if b0 & 0x80:
                msgs.append(parts)
                parts = []
    return msgs


def write(out, target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def seeds_from_recordings(out, conns):
    for i, (label, c2s, s2c) in enumerate(conns):
        name = f"{label}_{i}"
        c2s, s2c = bytes(c2s), bytes(s2c)
        head, rest = split_head(c2s)
        upgrade = header(head, "upgrade").lower() == b"websocket"
        write(out, "http_request", name, head if upgrade else c2s)
        write(out, "http_reply", name, s2c)
        write(out, "auth", name, b"\n".join(header(head, h) for h in (
            "authorization", "sec-websocket-protocol", "x-weechat-totp")) + b"\n" +
            (rest if b"/api/handshake" in head.split(b"\r\n")[0] else b""))
        target = head.split(b"\r\n")[0].split(b" ")
        if len(target) > 1:
            write(out, "url", name, target[1])
        if upgrade:
            write(out, "ws", name, header(head, "sec-websocket-extensions") + b"\n" + rest)
            seeds_from_messages(out, name, unmask_frames(rest))
        elif rest.lstrip()[:1] in (b"{", b"["):
            write(out, "json", name, rest)
        elif rest:
            # A chunked body: the JSON starts after the first chunk size line.
            body = rest[rest.find(b"\r\n") + 2:]
            write(out, "json", name, body)


def seeds_from_messages(out, name, messages):
    """The JSON envelopes a WebSocket client sent, and the targets they name."""
    inflater = zlib.decompressobj(-15)
    for j, parts in enumerate(messages):
        data = b"".join(p for _, p in parts)
        if parts[0][0]:
            data = inflater.decompress(data + b"\x00\x00\xff\xff")
        write(out, "json", f"{name}_msg{j}", data)
        try:
            value = json.loads(data)
        except ValueError:
            continue
        for k, env in enumerate(value if isinstance(value, list) else [value]):
            words = str(env.get("request", "")).split() if isinstance(env, dict) else []
            if len(words) > 1:
                write(out, "url", f"{name}_msg{j}_{k}", words[1].encode())


def seeds_written(out):
    """Inputs no client sends on its own: every credential format valid at FUZZ_NOW,
    TOTP codes, the JSON bodies of every resource, colour strings, odd frames."""
    ts = str(FUZZ_NOW)
    code = totp(FUZZ_TOTP_SECRET, FUZZ_NOW)
    creds = {
        "plain": f"plain:{PASSWORD}",
        "sha256": hash_cred("sha256", ts),
        "sha512": hash_cred("sha512", ts),
        "pbkdf2_sha256": hash_cred("pbkdf2+sha256", ts, FUZZ_ITERATIONS),
        "pbkdf2_sha512": hash_cred("pbkdf2+sha512", ts, FUZZ_ITERATIONS),
    }
    for name, cred in creds.items():
        write(out, "auth", f"basic_{name}", f"{basic(cred)}\n\n\n".encode())
        write(out, "auth", f"basic_{name}_totp", f"{basic(cred)}\n\n{code}\n".encode())
        bearer = base64.urlsafe_b64encode(cred.encode()).decode().rstrip("=")
        write(out, "auth", f"bearer_{name}_totp",
              f"\napi.weechat, base64url.bearer.authorization.weechat.{bearer}\n{code}\n"
              .encode())
    write(out, "auth", "handshake_all_algos",
          f"{basic(creds['plain'])}\n\n\n".encode() +
          b'{"password_hash_algo":["plain","sha256","sha512","pbkdf2+sha256","pbkdf2+sha512"]}')
    write(out, "auth", "handshake_unknown_algo", b"\n\n\n{\"password_hash_algo\":[\"md5\"]}")
    write(out, "auth", "totp_8_digits", f"{basic(creds['plain'])}\n\n{totp(FUZZ_TOTP_SECRET, FUZZ_NOW, digits=8)}\n".encode())

    bodies = {
        "handshake": {"password_hash_algo": ["plain", "sha256", "pbkdf2+sha512"]},
        "input_name": {"buffer_name": "irc.libera.#perch", "command": "/print \u0002hi\u0002"},
        "input_id": {"buffer_id": 4000000000000002, "command": "hello"},
        "input_buffer_cmds": {"buffer_name": "core.weechat",
                              "command": "/buffer set irc.libera.#perch title \u000304new"},
        "input_nicklist": {"buffer_name": "irc.libera.#perch",
                           "command": "/nicklist add_nick 001|v dave lightblue + yellow"},
        "input_localvar": {"buffer_name": "core.free", "command": "/buffer setvar k v"},
        "input_hotlist": {"command": "/hotlist clear"},
        "completion": {"buffer_name": "irc.libera.#perch", "command": "/nicklist ad", "position": 12},
        "completion_nick": {"buffer_name": "irc.libera.#perch", "command": "hello al"},
        "ping": {"data": "1700000000"},
        "sync": {"sync": True, "nicks": False, "input": True, "colors": "strip"},
        "envelope_with_body": {"request": "GET /api/buffers", "request_id": "x", "body": {}},
    }
    for name, body in bodies.items():
        write(out, "json", name, json.dumps(body).encode())
    for i, env in enumerate(ENVELOPES):
        write(out, "json", f"envelope_{i}", env.encode())

    urls = [
        "/api/version", "/api/handshake", "/api/hotlist", "/api/scripts", "/api/ping",
        "/api/buffers?lines=-10&lines_free=5&nicks=true&colors=weechat",
        "/api/buffers/irc.libera.%23perch?lines=2&nicks=yes&colors=ansi",
        "/api/buffers/4000000000000002/lines/1?colors=strip",
        "/api/buffers/(%3Fi)IRC.LIBERA.%23PERCH/lines?lines=-2",
        "/api/buffers/irc.libera.%23perch/nicks", "/api/buffers/core.free/lines?lines=-1",
        "//api//hotlist/a/b/c?x&y=&=z&lines=1&lines=2", "/api/buffers/%ff%c3/lines",
    ]
    for i, u in enumerate(urls):
        write(out, "url", f"written_{i}", u.encode())

    colors = {
        "irc_colors": "\x0304red\x03 \x0304,02red on blue\x03 \x0399,15x \x0345ext\x0f",
        "irc_attrs": "\x02bold\x02 \x1ditalic\x1d \x1funder\x1f \x16rev\x16 \x11mono\x11 \x0freset",
        "irc_comma_no_bg": "\x0312,text \x03,5 \x031,",
        "weechat_fg_bg": "\x19F09x\x19B02y\x19*05,02z\x19*~03w\x19F@00208e\x19B@00017f",
        "weechat_attrs": "\x1a\x01b\x1b\x01\x1a\x02r\x1b\x02\x1a\x03i\x1a\x04u\x1c",
        "weechat_attr_colors": "\x19F*!/_%.|09a\x19*_05b\x19E1\x19b2\x19\x1c\x1912",
        "names": "lightred",
        "option_name": "weechat.color.chat_nick_self",
        "number": "208",
    }
    for name, text in colors.items():
        write(out, "color", name, text.encode())

    # Frames: the first line is the extension offer (fuzz_ws.c).
    d = Deflater(15)
    msg = ENVELOPES[1].encode()
    frames = {
        "plain_text": b"\n" + frame(1, ENVELOPES[0].encode()),
        "fragmented_with_ping": b"\n" + frame(1, b'{"request":', fin=False) + frame(9, b"hi")
        + frame(0, b'"GET /api/version"}'),
        "binary_and_pong": b"\n" + frame(2, msg) + frame(10, b"perch"),
        "close_with_reason": b"\n" + frame(8, struct.pack("!H", 1001) + b"going away"),
        "deflate_context": b"permessage-deflate\n" + frame(1, d.message(msg), rsv1=True)
        + frame(1, d.message(msg), rsv1=True),
        "deflate_window_9": b"permessage-deflate; server_max_window_bits=9; "
        b"client_max_window_bits=9\n" + frame(1, Deflater(9).message(msg), rsv1=True),
        "deflate_no_takeover": b"permessage-deflate; server_no_context_takeover; "
        b"client_no_context_takeover\n" + frame(1, Deflater(15, True).message(msg), rsv1=True),
        "deflate_empty_message": b"permessage-deflate\n" + frame(1, b"\x00", rsv1=True),
        "deflate_bad_utf8": b"permessage-deflate\n"
        + frame(1, Deflater(15).message(b'{"a":"\xff"}'), rsv1=True),
        "deflate_declined_then_taken": b"permessage-deflate; server_max_window_bits=8, "
        b"x-webkit-deflate-frame, permessage-deflate; client_max_window_bits=\"10\"\n"
        + frame(1, Deflater(10).message(msg), rsv1=True),
        "medium_length": b"\n" + frame(1, b'{"request":"POST /api/input","body":{"command":"'
                                       + b"x" * 300 + b'"}}'),
    }
    for name, data in frames.items():
        write(out, "ws", name, data)

    requests_ = {
        "chunked_extensions_trailer": b"POST /api/input HTTP/1.1\r\nHost: x\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n5;ext=1\r\n{\"com\r\n0\r\nTrailer: t\r\n\r\n",
        "pipelined_with_accept_encoding": b"GET /api/version HTTP/1.1\r\nHost: x\r\n"
        b"Accept-Encoding: zstd\r\n\r\nPOST /api/ping HTTP/1.1\r\nHost: x\r\n"
        b"Accept-Encoding: gzip, deflate\r\nContent-Length: 12\r\n\r\n{\"data\":\"x\"}"
        b"POST /api/ping HTTP/1.1\r\nAccept-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}",
        "merged_headers": b"GET /api/hotlist HTTP/1.1\r\nX-A: 1\r\nx-a: 2\r\n"
        b"Connection: close\r\n\r\n",
        "http10_keepalive": b"GET /api HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    }
    for name, data in requests_.items():
        write(out, "http_request", name, data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--perchd", default="build/src/perchd")
    ap.add_argument("--perch", default="build/src/perch")
    ap.add_argument("out")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="perch-seeds-") as tmp:
        port = free_port()
        env = dict(os.environ, PERCH_PASSWORD=PASSWORD)
        with open(os.path.join(tmp, "perchd.conf"), "w") as f:
            f.write("[relay]\ncompression = 20\n")
        proc = subprocess.Popen([args.perchd, "--dir", tmp, "--tls-listen",
                                 f"127.0.0.1:{free_port()}", "--plain-listen",
                                 f"127.0.0.1:{port}"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(200):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    time.sleep(0.05)
            rec = Recorder(port)
            drive_clients(rec, args.perch, rec.port)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        seeds_from_recordings(args.out, rec.conns)
    seeds_written(args.out)
    for target in sorted(os.listdir(args.out)):
        print(f"{target}: {len(os.listdir(os.path.join(args.out, target)))} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
