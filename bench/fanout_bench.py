#!/usr/bin/python3
"""Fan-out benchmark: N synced WebSocket clients over TLS, lines printed at a fixed rate.

Prints, per N: delivery latency p50/p99 (print request sent -> event received), lost
events (must be 0), server CPU time per delivered event, and server memory per idle
synced TLS client. The N=1 run is the baseline the others are compared with.

Reproduce: make build && /usr/bin/python3 bench/fanout_bench.py [--clients 10,100,1000]
"""
import argparse
import asyncio
import base64
import json
import os
import signal
import socket
import ssl
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
    body = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
    return head + key + body


class Client:
    def __init__(self):
        self.seen = {}

    async def connect(self, port, ctx):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", port, ssl=ctx)
        key = base64.b64encode(os.urandom(16)).decode()
        self.writer.write((f"GET /api HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           f"Sec-WebSocket-Version: 13\r\nAuthorization: {AUTH}\r\n\r\n").encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), head
        self.writer.write(mask_frame(b'{"request":"POST /api/sync","body":{"colors":"strip"}}'))
        await self.read_message()  # the 204

    async def read_message(self):
        b0, b1 = await self.reader.readexactly(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", await self.reader.readexactly(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", await self.reader.readexactly(8))[0]
        return b0 & 0x0F, await self.reader.readexactly(n)

    async def collect(self, total):
        while len(self.seen) < total:
            op, payload = await self.read_message()
            if op != 1:
                continue
            now = time.perf_counter_ns()
            msg = json.loads(payload)
            if msg.get("event_name") == "buffer_line_added":
                words = msg["body"]["message"].split(" ")
                if words[0] == "bench":
                    self.seen[int(words[1])] = (now - int(words[2])) / 1e6


async def printer(port, ctx, lines, rate):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=ctx)
    start = time.perf_counter()
    for i in range(lines):
        await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
        body = json.dumps({"command": f"/print bench {i} {time.perf_counter_ns()}"}).encode()
        writer.write(b"POST /api/input HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH.encode() +
                     b"\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        await reader.readuntil(b"\r\n\r\n")
    writer.close()


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))] if values else float("nan")


async def run_one(perchd_pid, port, n, lines, rate):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    rss_before = proc_rss_kib(perchd_pid)
    clients = [Client() for _ in range(n)]
    for i in range(0, n, 50):
        await asyncio.gather(*(c.connect(port, ctx) for c in clients[i:i + 50]))
    await asyncio.sleep(0.5)
    rss_idle = proc_rss_kib(perchd_pid)
    cpu_before = proc_cpu_seconds(perchd_pid)
    collectors = [asyncio.create_task(c.collect(lines)) for c in clients]
    await printer(port, ctx, lines, rate)
    try:
        await asyncio.wait_for(asyncio.gather(*collectors), timeout=60)
    except asyncio.TimeoutError:
        pass
    cpu = proc_cpu_seconds(perchd_pid) - cpu_before
    latencies = [v for c in clients for v in c.seen.values()]
    lost = n * lines - len(latencies)
    for c in clients:
        c.writer.close()
    await asyncio.sleep(0.5)
    return {
        "clients": n, "p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99),
        "lost": lost, "cpu_us_per_event": cpu * 1e6 / max(1, len(latencies)),
        "rss_kib_per_idle_client": (rss_idle - rss_before) / n,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--perchd", default=os.path.join(os.path.dirname(__file__), "..", "build",
                                                     "src", "perchd"))
    ap.add_argument("--clients", default="10,100,1000")
    ap.add_argument("--lines", type=int, default=200)
    ap.add_argument("--rate", type=float, default=50.0, help="lines per second")
    args = ap.parse_args()
    counts = [1] + [int(x) for x in args.clients.split(",")]
    tmp = tempfile.mkdtemp(prefix="perch-bench-")
    with open(os.path.join(tmp, "perchd.conf"), "w") as f:
        # Batches of 50 handshakes at once from one address: more than the default budget of
        # connections not authenticated yet allows (its oldest would be closed).
        f.write("[relay]\nmax_clients = 5000\n[limits]\nunauth_max = 200\n"
                "unauth_max_per_addr = 200\n[log]\nlevel = warn\n")
    port = free_port()
    env = dict(os.environ, PERCH_PASSWORD=PASSWORD)
    proc = subprocess.Popen([args.perchd, "--dir", tmp, "--tls-listen", f"127.0.0.1:{port}"],
                            env=env, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        rows = [asyncio.run(run_one(proc.pid, port, n, args.lines, args.rate)) for n in counts]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        subprocess.run(["rm", "-rf", tmp])
    base = rows[0]
    print(f"fan-out: {args.lines} lines at {args.rate:g}/s, TLS WebSocket clients, one process "
          f"of Python clients on the same 2-core machine")
    print(f"{'clients':>8} {'p50 ms':>8} {'p99 ms':>8} {'lost':>6} {'cpu us/event':>13} "
          f"{'vs N=1':>7} {'KiB/idle client':>16}")
    for r in rows:
        print(f"{r['clients']:>8} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['lost']:>6} "
              f"{r['cpu_us_per_event']:>13.2f} {r['cpu_us_per_event'] / base['cpu_us_per_event']:>6.2f}x"
              f" {r['rss_kib_per_idle_client']:>16.1f}")
    print("reproduce: " + " ".join([sys.executable] + sys.argv))
    return 0 if all(r["lost"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
