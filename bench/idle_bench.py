#!/usr/bin/python3
"""Idle memory and handshake cost: what one more connection costs perchd.

memory: N WebSocket clients (plain, TLS, or TLS with permessage-deflate) open and sync,
then sit idle; the figure is perchd's RSS growth divided by N, each mode in a fresh
process, the median of --runs runs.
handshake: N new TLS connections one after another, each one `GET /api/version` then a
close; the figure is perchd's CPU time (user + system, /proc/PID/stat) per connection,
with full handshakes and with TLS 1.3 session resumption (each client offers the ticket
of the connection before it).

Reproduce: make build && /usr/bin/python3 bench/idle_bench.py [--clients 1000]
"""
import argparse
import asyncio
import base64
import os
import signal
import socket
import ssl
import statistics
import struct
import subprocess
import sys
import tempfile
import time

PASSWORD = "bench-secret"
AUTH = "Basic " + base64.b64encode(f"plain:{PASSWORD}".encode()).decode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def mask_frame(payload):
    key = os.urandom(4)
    n = len(payload)
    head = bytes([0x81, 0x80 | n]) if n < 126 else bytes([0x81, 0xFE]) + struct.pack("!H", n)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def client_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class Perchd:
    """One perchd on loopback, plain and TLS listeners, stopped on exit."""

    def __init__(self, binary):
        self.tmp = tempfile.mkdtemp(prefix="perch-idle-")
        with open(os.path.join(self.tmp, "perchd.conf"), "w") as f:
            f.write("[relay]\nmax_clients = 5000\n[limits]\nunauth_max = 200\n"
                    "unauth_max_per_addr = 200\n[log]\nlevel = warn\n")
        self.tls_port, self.plain_port = free_port(), free_port()
        env = dict(os.environ, PERCH_PASSWORD=PASSWORD)
        self.proc = subprocess.Popen(
            [binary, "--dir", self.tmp, "--tls-listen", f"127.0.0.1:{self.tls_port}",
             "--plain-listen", f"127.0.0.1:{self.plain_port}"],
            env=env, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.plain_port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("perchd did not start")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        subprocess.run(["rm", "-rf", self.tmp])

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


async def open_synced(port, ctx, deflate):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=ctx)
    key = base64.b64encode(os.urandom(16)).decode()
    ext = "Sec-WebSocket-Extensions: permessage-deflate\r\n" if deflate else ""
    writer.write((f"GET /api HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n{ext}"
                  f"Sec-WebSocket-Version: 13\r\nAuthorization: {AUTH}\r\n\r\n").encode())
    head = await reader.readuntil(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 101"), head
    assert (b"permessage-deflate" in head) == deflate, head
    writer.write(mask_frame(b'{"request":"POST /api/sync","body":{"colors":"strip"}}'))
    b0, b1 = await reader.readexactly(2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack("!H", await reader.readexactly(2))[0]
    await reader.readexactly(n)  # the 204 (compressed or not)
    return writer


async def memory_run(perchd, mode, n):
    tls = mode != "plain"
    port = perchd.tls_port if tls else perchd.plain_port
    ctx = client_context() if tls else None
    # One client first: what the first connection of a kind brings (OpenSSL's lazily
    # loaded tables, zlib's) is not a per-client cost.
    first = await open_synced(port, ctx, mode == "deflate")
    await asyncio.sleep(0.3)
    before = proc_rss_kib(perchd.proc.pid)
    writers = []
    for i in range(0, n, 50):
        writers += await asyncio.gather(*(open_synced(port, ctx, mode == "deflate")
                                          for _ in range(min(50, n - i))))
    await asyncio.sleep(0.5)
    after = proc_rss_kib(perchd.proc.pid)
    for w in writers + [first]:
        w.close()
    return (after - before) * 1024 / n


def handshake_run(perchd, n, resume):
    ctx = client_context()
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    request = f"GET /api/version HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\n" \
              f"Connection: close\r\n\r\n".encode()
    session, resumed = None, 0

    def one():
        nonlocal session, resumed
        with socket.create_connection(("127.0.0.1", perchd.tls_port)) as raw:
            with ctx.wrap_socket(raw, server_hostname="localhost",
                                 session=session if resume else None) as s:
                s.sendall(request)
                data = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                assert data.startswith(b"HTTP/1.1 200"), data[:100]
                resumed += s.session_reused
                session = s.session

    one()  # the first connection has no ticket to offer
    resumed = 0
    cpu = proc_cpu_seconds(perchd.proc.pid)
    for _ in range(n):
        one()
    return (proc_cpu_seconds(perchd.proc.pid) - cpu) * 1e6 / n, resumed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--perchd", default=os.path.join(os.path.dirname(__file__), "..", "build",
                                                     "src", "perchd"))
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--handshakes", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", choices=["memory", "handshake"])
    args = ap.parse_args()
    rows = []
    if args.only != "handshake":
        for mode in ("plain", "tls", "deflate"):
            figures = []
            for _ in range(args.runs):
                with Perchd(args.perchd) as p:
                    figures.append(asyncio.run(memory_run(p, mode, args.clients)))
            rows.append((f"memory per idle synced {mode} WebSocket client ({args.clients})",
                         f"{statistics.median(figures) / 1000:.2f} kB",
                         " ".join(f"{x / 1000:.2f}" for x in figures)))
    if args.only != "memory":
        for resume in (False, True):
            figures, resumed = [], 0
            for _ in range(args.runs):
                with Perchd(args.perchd) as p:
                    us, r = handshake_run(p, args.handshakes, resume)
                    figures.append(us)
                    resumed += r
            what = "resumed" if resume else "full handshake"
            rows.append((f"new TLS connection per request, {what}: server CPU",
                         f"{statistics.median(figures):.0f} us",
                         " ".join(f"{x:.0f}" for x in figures) +
                         f" (resumed {resumed}/{args.runs * args.handshakes})"))
    width = max(len(r[0]) for r in rows)
    for name, figure, runs in rows:
        print(f"{name:<{width}}  {figure:>10}  runs: {runs}")
    print("reproduce: " + " ".join([sys.executable] + sys.argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
