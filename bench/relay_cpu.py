#!/usr/bin/python3
"""Server CPU per operation of a real perchd (from /proc/PID/stat), each row the median of
--runs runs, with its floor where it has one:

  fanout   N synced plain WebSocket clients, lines printed at R/s: CPU per delivered event
           (bench/fanout_load.c, which also checks every line came once, in order), beside
           the floor: one 120-byte write() to a loopback socket (bench/fanout_floor.c)
  lines    GET /api/buffers/core.weechat/lines?lines=-100 (about 30 kB), TLS, one keep-alive
           connection: CPU per request
  version  GET /api/version, TLS keep-alive, 16 connections: CPU per request
(bench/https_load.c drives the two request rows)

Reproduce: make build && ninja -C build bench/fanout_floor bench/fanout_load bench/https_load &&
           /usr/bin/python3 bench/relay_cpu.py [--only fanout,lines,version]
"""
import argparse
import asyncio
import base64
import os
import re
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(HERE, "..", "build", "bench")  # the C load generators
PASSWORD = "bench-secret"
AUTH = "Basic " + base64.b64encode(f"plain:{PASSWORD}".encode()).decode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Perchd:
    def __init__(self, binary):
        self.dir = tempfile.mkdtemp(prefix="perch-cpu-bench-")
        with open(os.path.join(self.dir, "perchd.conf"), "w") as f:
            f.write("[relay]\nmax_clients = 5000\n[limits]\nunauth_max = 200\n"
                    "unauth_max_per_addr = 200\n[log]\nlevel = warn\n")
        self.binary = binary
        self.tls_port, self.plain_port = free_port(), free_port()
        env = dict(os.environ, PERCH_PASSWORD=PASSWORD)
        self.proc = subprocess.Popen(
            [binary, "--dir", self.dir, "--tls-listen", f"127.0.0.1:{self.tls_port}",
             "--plain-listen", f"127.0.0.1:{self.plain_port}"], env=env, stderr=subprocess.DEVNULL)
        for port in (self.tls_port, self.plain_port):
            for _ in range(200):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.05)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)
        subprocess.run(["rm", "-rf", self.dir])


def tls_ctx():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


async def http_request(reader, writer, method, path, body=b""):
    writer.write(f"{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\n"
                 f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    head = await reader.readuntil(b"\r\n\r\n")
    m = re.search(rb"Content-Length: (\d+)", head, re.I)
    data = await reader.readexactly(int(m.group(1))) if m else b""
    return head, data


async def fill_lines(port, n):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    # About 300 bytes of JSON per line: 100 lines are about 30 kB.
    text = "bench line with some words in it, a nick and a url https://example.org/x " * 2
    for i in range(n):
        body = ('{"buffer_name":"core.weechat","command":"/print -tags irc_privmsg,nick_bob '
                f'bob\\t{i:05d} {text}"}}').encode()
        head, _ = await http_request(reader, writer, "POST", "/api/input", body)
        assert head.startswith(b"HTTP/1.1 204"), head
    writer.close()


def run_requests(p, path, conns, total):
    out = subprocess.run([os.path.join(TOOLS, "https_load"),
                          str(p.tls_port), str(p.proc.pid), PASSWORD, path, str(conns),
                          str(total)], capture_output=True, text=True)
    m = re.search(r"(\d+)-byte bodies: (\d+) req/s, server CPU ([\d.]+) us", out.stdout)
    if out.returncode != 0 or not m:
        raise RuntimeError(f"https_load failed: {out.stdout}{out.stderr}")
    return float(m.group(3)), int(m.group(1)), int(m.group(2))


def run_fanout(binary, clients, events, rate, colors):
    p = Perchd(binary)
    try:
        out = subprocess.run([os.path.join(TOOLS, "fanout_load"),
                              str(p.plain_port), str(p.proc.pid), PASSWORD, str(clients),
                              str(events), str(rate), colors], capture_output=True, text=True)
    finally:
        p.stop()
    m = re.search(r"= ([\d.]+) us per delivered event", out.stdout)
    if out.returncode != 0 or not m:
        raise RuntimeError(f"fanout_load failed: {out.stdout}{out.stderr}")
    return float(m.group(1))


def run_floor(binary, clients):
    out = subprocess.run([os.path.join(TOOLS, "fanout_floor"),
                          str(clients), "300"], capture_output=True, text=True, check=True)
    return float(re.search(r"floor: ([\d.]+) us", out.stdout).group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--perchd", default=os.path.join(HERE, "..", "build", "src", "perchd"))
    ap.add_argument("--only", default="fanout,lines,version")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--events", type=int, default=300)
    ap.add_argument("--rate", type=float, default=30.0)
    ap.add_argument("--colors", default="strip")
    ap.add_argument("--requests", type=int, default=2000)
    args = ap.parse_args()
    binary = os.path.abspath(args.perchd)
    only = args.only.split(",")
    med = statistics.median
    if "fanout" in only:
        fan = [run_fanout(binary, args.clients, args.events, args.rate, args.colors)
               for _ in range(args.runs)]
        floor = [run_floor(binary, args.clients) for _ in range(args.runs)]
        print(f"fanout  {args.clients} plain clients, {args.rate:g} ev/s, {args.colors}: "
              f"{med(fan):.2f} us CPU per delivered event; floor {med(floor):.2f} us "
              f"({med(fan) / med(floor):.2f}x)  runs {['%.2f' % x for x in fan]}")
    if "lines" in only or "version" in only:
        p = Perchd(binary)
        try:
            asyncio.run(fill_lines(p.plain_port, 100))
            if "lines" in only:
                runs = [run_requests(p, "/api/buffers/core.weechat/lines?lines=-100", 1,
                                     args.requests) for _ in range(args.runs)]
                print(f"lines   lines=-100 ({runs[0][1]} bytes), TLS, 1 conn: "
                      f"{med(r[0] for r in runs):.1f} us CPU per request  "
                      f"runs {['%.1f' % r[0] for r in runs]}")
            if "version" in only:
                runs = [run_requests(p, "/api/version", 16, args.requests * 10)
                        for _ in range(args.runs)]
                print(f"version /api/version, TLS keep-alive, 16 conns: "
                      f"{med(r[0] for r in runs):.1f} us CPU per request, "
                      f"{med(r[2] for r in runs)} req/s  "
                      f"runs {['%.1f' % r[0] for r in runs]}")
        finally:
            p.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
