#!/usr/bin/python3
"""Store benchmark: a real perchd (plain HTTP/WS on loopback, its own temp dir and free
ports), its SQLite history measured from the outside. Each figure is printed next to a
baseline measured in the same run:

  insertion  lines/s of /print inputs sent in WebSocket batches of 1000 (two batches in
             flight) and perchd's CPU per line; baseline: the same batches of
             POST /api/ping carrying the same text (the requests without a line to store).
             A third row inserts on top of the paging database (N lines already stored).
  latency    p50/p99 from sending one input to its buffer_line_added on a synced client,
             at 1,000 lines/s.
  search     p50/p99 of GET /api/search?query=WORD over N stored lines, words drawn as often
             as they occur in the text; baseline: GET /api/version (the request floor).
             "not available in this build" when perchd answers 404.
  paging     p50/p99 of lines=-100&before=ID at random ids in N lines of one buffer;
             baselines: GET /api/version and lines=-100 (the newest, from memory).
  start-up   exec to the first GET /api/version answered, and RSS then, with N lines in
             100 buffers; baseline: the same 100 buffers without those lines.

The databases are built directly with Python's sqlite3 in perchd's schema (src/store/db.c):
perchd creates the buffers (/print -newbuffer) and quits, the lines are bulk-inserted with
the log ids of the `logs` table (the FTS table is contentless: rowid = lines.seq, text =
the message), then perchd starts again on them.

Reproduce the full run (N = 1,000,000; about ten minutes on 2 cores, ~1 GB in $TMPDIR):
  make build && /usr/bin/python3 bench/store_bench.py      (or: make bench-store)
Quick run (N = 100,000): /usr/bin/python3 bench/store_bench.py --quick
"""
import argparse
import asyncio
import base64
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse

PASSWORD = "bench-secret"
AUTH = "Basic " + base64.b64encode(f"plain:{PASSWORD}".encode()).decode()
CONFIG = "[log]\nlevel = warn\n"


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


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))] if values else float("nan")


# ---- perchd ----

class Perchd:
    """perchd on a data dir, plain listener only used; started, stopped, restarted."""

    def __init__(self, binary, directory):
        self.binary, self.dir, self.proc = binary, directory, None
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "perchd.conf"), "w") as f:
            f.write(CONFIG)

    def start(self):
        """Starts perchd; returns seconds from exec to the first GET /api/version answered."""
        self.port, tls_port = free_port(), free_port()
        env = dict(os.environ, PERCH_PASSWORD=PASSWORD)
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [self.binary, "--dir", self.dir, "--plain-listen", f"127.0.0.1:{self.port}",
             "--tls-listen", f"127.0.0.1:{tls_port}"], env=env, stderr=subprocess.DEVNULL)
        while True:
            try:
                if Http(self.port).get("/api/version")[0] == 200:
                    return time.perf_counter() - t0
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"perchd ended with status {self.proc.returncode}")
            if time.perf_counter() - t0 > 300:
                raise RuntimeError("perchd did not start within 300 s")
            time.sleep(0.002)

    def quit(self):
        """A clean stop (/quit): everything committed."""
        status, _ = Http(self.port).post("/api/input", {"command": "/quit"})
        assert status == 204, status
        assert self.proc.wait(timeout=120) == 0

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=120)

    @property
    def db(self):
        return os.path.join(self.dir, "perch.db")


class Http:
    """One keep-alive HTTP connection."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        self.conn.request(method, path, body=data, headers={"Authorization": AUTH})
        r = self.conn.getresponse()
        return r.status, r.read()

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, body):
        return self.request("POST", path, body)

    def timed(self, paths):
        """Milliseconds per request, each answered 200."""
        times = []
        for path in paths:
            t0 = time.perf_counter_ns()
            status, _ = self.get(path)
            times.append((time.perf_counter_ns() - t0) / 1e6)
            assert status == 200, (path, status)
        return times


# ---- a minimal WebSocket client (asyncio, plain) ----

def ws_frame(payload):
    key, n = os.urandom(4), len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x81, 0x80 | n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x81, 0xFE, n)
    else:
        head = struct.pack("!BBQ", 0x81, 0xFF, n)
    mask = (key * (n // 4 + 1))[:n]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(mask, "big")).to_bytes(n, "big")
    return head + key + masked


class Ws:
    async def connect(self, port):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", port)
        key = base64.b64encode(os.urandom(16)).decode()
        self.writer.write((f"GET /api HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           f"Sec-WebSocket-Version: 13\r\nAuthorization: {AUTH}\r\n\r\n").encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), head
        return self

    def send(self, obj):
        self.writer.write(ws_frame(json.dumps(obj).encode()))

    async def read(self):
        """The next text message, parsed (pings answered)."""
        while True:
            b0, b1 = await self.reader.readexactly(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", await self.reader.readexactly(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", await self.reader.readexactly(8))[0]
            payload = await self.reader.readexactly(n)
            if b0 & 0x0F == 9:
                self.writer.write(bytes([0x8A, 0x80]) + os.urandom(4))
            elif b0 & 0x0F == 1:
                return json.loads(payload)

    def close(self):
        self.writer.close()


# ---- text ----

class Words:
    """A fixed vocabulary of made-up words, drawn with Zipf frequencies (as chat text is)."""

    def __init__(self, rng, n=20000):
        syllables = ["ka", "lo", "mi", "ra", "te", "su", "no", "vi", "da", "pe", "zu", "ho",
                     "ri", "ba", "ne", "go", "la", "fi", "to", "me", "xu", "wa", "qi", "ye"]
        seen, self.words = set(), []
        while len(self.words) < n:
            w = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
            if w not in seen:
                seen.add(w)
                self.words.append(w)
        weights = [1.0 / (rank + 1) for rank in range(n)]
        self.cum, total = [], 0.0
        for w in weights:
            total += w
            self.cum.append(total)
        self.rng = rng

    def draw(self, k):
        return self.rng.choices(self.words, cum_weights=self.cum, k=k)

    def message(self):
        return " ".join(self.draw(self.rng.randint(6, 14)))


NICKS = [f"nick{i:02d}" for i in range(50)]


# ---- building databases ----

def create_buffers(binary, directory, names):
    """perchd makes the buffers (state as it writes it), then quits cleanly."""
    p = Perchd(binary, directory)
    p.start()
    h = Http(p.port)
    for name in names:
        status, _ = h.post("/api/input", {"command": f"/print -newbuffer {name} created"})
        assert status == 204, status
    p.quit()


def bulk_insert(db, names, n_lines, words):
    """n_lines lines spread round-robin over the buffers core.NAME, as perchd writes them."""
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA synchronous = OFF")
    logs = dict(con.execute("SELECT name, id FROM logs"))
    log_ids = [logs[f"core.{name}"] for name in names]
    next_id = {log: (con.execute("SELECT max(id) FROM lines WHERE log_id = ?",
                                 (log,)).fetchone()[0] or 0) + 1 for log in log_ids}
    seq = (con.execute("SELECT max(seq) FROM lines").fetchone()[0] or 0) + 1
    now_us = int(time.time() * 1e6)
    con.execute("BEGIN")
    for start in range(0, n_lines, 50000):
        rows, texts = [], []
        for i in range(start, min(n_lines, start + 50000)):
            log = log_ids[i % len(log_ids)]
            msg = words.message()
            date = now_us - (n_lines - i) * 1000
            rows.append((seq, log, next_id[log], date, date, 1, 0, 1, words.rng.choice(NICKS),
                         msg, "notify_message"))
            texts.append((seq, msg))
            next_id[log] += 1
            seq += 1
        con.executemany("INSERT INTO lines (seq, log_id, id, date_us, printed_us, displayed,"
                        " highlight, notify_level, prefix, message, tags)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        con.executemany("INSERT INTO lines_text (rowid, text) VALUES (?, ?)", texts)
    # Every line is indexed: the mark perchd moves with its index batches (src/store/index.c).
    con.execute("INSERT INTO meta (key, value) SELECT 'indexed_seq', max(seq) FROM lines"
                " WHERE true ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    con.execute("COMMIT")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


# ---- the measures ----

async def insert_batched(port, n_lines, words, tag, store=True):
    """n_lines /print inputs in batches of 1000, two in flight; returns seconds. Without
    store: the same batches of POST /api/ping carrying the same text (the floor: the
    requests without a line to store)."""
    ws = await Ws().connect(port)

    def request(i):
        text = f"{tag} {i} {words.message()}"
        if store:
            return {"request": "POST /api/input", "body": {"command": f"/print {text}"}}
        return {"request": "POST /api/ping", "body": {"data": text}}
    batches = [[request(i) for i in range(s, min(n_lines, s + 1000))]
               for s in range(0, n_lines, 1000)]
    t0 = time.perf_counter()
    ws.send(batches[0])
    for i, batch in enumerate(batches):
        if i + 1 < len(batches):
            ws.send(batches[i + 1])
        for _ in batch:
            msg = await ws.read()
            assert msg["code"] in (200, 204), msg
    seconds = time.perf_counter() - t0
    ws.close()
    return seconds


def insertion(p, n_lines, words, tag, store=True):
    cpu = proc_cpu_seconds(p.proc.pid)
    seconds = asyncio.run(insert_batched(p.port, n_lines, words, tag, store))
    return {"lines_s": n_lines / seconds,
            "cpu_us_line": (proc_cpu_seconds(p.proc.pid) - cpu) * 1e6 / n_lines}


async def latency_run(port, rate, seconds, words):
    sync = await Ws().connect(port)
    sync.send({"request": "POST /api/sync", "body": {"colors": "strip"}})
    assert (await sync.read())["code"] == 204
    sender = await Ws().connect(port)
    total, sent, got = int(rate * seconds), {}, {}

    async def receive():
        while len(got) < total:
            msg = await sync.read()
            if msg.get("event_name") != "buffer_line_added":
                continue
            now = time.perf_counter_ns()
            parts = msg["body"]["message"].split(" ", 2)
            if parts[0] == "lat":
                got[int(parts[1])] = now

    async def drain():
        for _ in range(total):
            await sender.read()

    receiver, drainer = asyncio.create_task(receive()), asyncio.create_task(drain())
    start = time.perf_counter()
    for i in range(total):
        await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
        sent[i] = time.perf_counter_ns()
        sender.send({"request": "POST /api/input",
                     "body": {"command": f"/print lat {i} {words.message()}"}})
    try:
        await asyncio.wait_for(asyncio.gather(receiver, drainer), timeout=60)
    except asyncio.TimeoutError:
        pass
    achieved = total / (time.perf_counter() - start)
    sync.close()
    sender.close()
    ms = [(got[i] - sent[i]) / 1e6 for i in got]
    return {"p50": percentile(ms, 50), "p99": percentile(ms, 99), "lost": total - len(got),
            "rate": achieved}


def print_table(title, header, rows):
    """The first column left-aligned, the figures right-aligned."""
    print(f"\n{title}")
    for r in [[h for h, _ in header]] + rows:
        print("  " + "".join(f"{v:<{w}}" if i == 0 else f"{v:>{w}}"
                             for i, (v, (_, w)) in enumerate(zip(r, header))))


def bench_insertion(binary, tmp, args, words):
    rows = {}
    for label, fts in (("ping, same text (baseline)", False), ("stored with FTS5", True)):
        p = Perchd(binary, os.path.join(tmp, "ins-fts" if fts else "ins-plain"))
        p.start()
        try:
            ins = insertion(p, args.insert_lines, words, "ins", store=fts)
            lat = asyncio.run(latency_run(p.port, 1000.0, args.latency_seconds, words)) \
                if fts else None
        finally:
            p.stop()
        rows[label] = (ins, lat)
    return rows


def search(h, words, n):
    """(milliseconds, matches) per query of n words drawn by frequency; None without search."""
    status, _ = h.get("/api/search?query=" + words.words[0])
    if status == 404:
        return None
    times, matches = [], []
    for q in words.draw(n):
        t = time.perf_counter_ns()
        status, body = h.get("/api/search?query=" + urllib.parse.quote(q))
        times.append((time.perf_counter_ns() - t) / 1e6)
        assert status == 200, (q, status, body[:200])
        matches.append(len(json.loads(body)))
    return times, matches


def bench_one_buffer(binary, tmp, args, words):
    """Paging and search over N lines of one buffer, then insertion on top of them."""
    p = Perchd(binary, os.path.join(tmp, "one"))
    create_buffers(binary, p.dir, ["bench"])
    t0 = time.perf_counter()
    bulk_insert(p.db, ["bench"], args.lines, words)
    built = time.perf_counter() - t0
    p.start()
    out = {"built_s": built}
    try:
        h, rng = Http(p.port), random.Random(7)
        h.timed(["/api/version"] * 20)  # warm-up
        out["version"] = h.timed(["/api/version"] * args.requests)
        newest = "/api/buffers/core.bench/lines?lines=-100&colors=strip"
        out["newest"] = h.timed([newest] * args.requests)
        out["before"] = h.timed([f"/api/buffers/core.bench/lines?lines=-100&before="
                                 f"{rng.randrange(100, args.lines)}&colors=strip"
                                 for _ in range(args.requests)])
        out["search"] = search(h, words, args.requests)
        out["insert_on_top"] = insertion(p, args.insert_lines, words, "top")
    finally:
        p.stop()
    return out


def bench_startup(binary, tmp, args, words):
    names = [f"b{i:03d}" for i in range(100)]
    empty = os.path.join(tmp, "start-empty")
    create_buffers(binary, empty, names)
    full = os.path.join(tmp, "start-full")
    shutil.copytree(empty, full)
    bulk_insert(os.path.join(full, "perch.db"), names, args.lines, words)
    rows = {}
    for label, d in (("100 buffers, no lines (baseline)", empty),
                     (f"100 buffers, {args.lines:,} lines", full)):
        times, rss = [], []
        for _ in range(args.starts):
            p = Perchd(binary, d)
            times.append(p.start())
            rss.append(proc_rss_kib(p.proc.pid))
            p.stop()
        rows[label] = (sorted(times)[len(times) // 2], min(times), max(times),
                       sorted(rss)[len(rss) // 2])
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--perchd", default=os.path.join(os.path.dirname(__file__), "..", "build",
                                                     "src", "perchd"))
    ap.add_argument("--quick", action="store_true", help="100,000 lines instead of 1,000,000")
    ap.add_argument("--requests", type=int, default=1000, help="requests per latency figure")
    ap.add_argument("--only", default="insertion,paging,startup",
                    help="comma-separated parts to run: insertion, paging (with search), startup")
    args = ap.parse_args()
    only = set(args.only.split(","))
    args.lines = 100_000 if args.quick else 1_000_000
    args.insert_lines = 20_000 if args.quick else 200_000
    args.latency_seconds = 3 if args.quick else 10
    args.starts = 3
    binary = os.path.abspath(args.perchd)
    words = Words(random.Random(1))
    tmp = tempfile.mkdtemp(prefix="perch-store-bench-")
    try:
        ins = bench_insertion(binary, tmp, args, words) if "insertion" in only else None
        one = bench_one_buffer(binary, tmp, args, words) if "paging" in only else None
        start = bench_startup(binary, tmp, args, words) if "startup" in only else None
    finally:
        subprocess.run(["rm", "-rf", tmp])

    print(f"store benchmark: perchd {binary}, plain HTTP/WS on loopback, Python clients in one "
          f"process on the same {os.cpu_count()}-core machine; N = {args.lines:,} lines")
    if ins:
        print_insertion(args, ins, one)
    if one:
        print_paging(args, one)
    if start:
        print_startup(args, start)
    print("\nreproduce: " + " ".join([sys.executable] + sys.argv))
    return 0 if not ins or all(l is None or l["lost"] == 0 for _, l in ins.values()) else 1


def print_insertion(args, ins, one):
    header = [("", 34), ("lines/s", 10), ("vs base", 9), ("cpu us/line", 13)]
    base = ins["ping, same text (baseline)"][0]
    rows = [(label, f"{i['lines_s']:.0f}", f"{i['lines_s'] / base['lines_s']:.2f}x",
             f"{i['cpu_us_line']:.1f}") for label, (i, _) in ins.items()]
    top = one["insert_on_top"] if one else None
    if top:
        rows.append((f"FTS5, {args.lines:,} lines stored", f"{top['lines_s']:.0f}",
                     f"{top['lines_s'] / base['lines_s']:.2f}x", f"{top['cpu_us_line']:.1f}"))
    print_table(f"insertion: {args.insert_lines:,} /print inputs, WebSocket batches of 1000",
                header, rows)
    header = [("", 34), ("p50 ms", 9), ("p99 ms", 9), ("lost", 6), ("sent/s", 8)]
    print_table(f"latency: input sent -> buffer_line_added on a synced client, 1,000 lines/s for "
                f"{args.latency_seconds} s", header,
                [(label, f"{l['p50']:.2f}", f"{l['p99']:.2f}", l["lost"], f"{l['rate']:.0f}")
                 for label, (_, l) in ins.items() if l])


def print_paging(args, one):
    header = [("", 44), ("p50 ms", 9), ("p99 ms", 9), ("p50 vs floor", 14)]
    floor = percentile(one["version"], 50)
    rows = [("GET /api/version (floor)", f"{floor:.3f}", f"{percentile(one['version'], 99):.3f}",
             "1.00x")]
    for label, key in (("lines=-100 (newest, memory)", "newest"),
                       ("lines=-100&before=random (store)", "before")):
        t = one[key]
        rows.append((label, f"{percentile(t, 50):.3f}", f"{percentile(t, 99):.3f}",
                     f"{percentile(t, 50) / floor:.2f}x"))
    print_table(f"paging: {args.requests} requests each, one buffer of {args.lines:,} lines "
                f"(built in {one['built_s']:.0f} s)", header, rows)
    if one["search"] is None:
        print("\nsearch: not available in this build")
    else:
        times, matches = one["search"]
        print_table(f"search: {args.requests} queries over {args.lines:,} stored lines, words "
                    f"drawn by frequency (median {percentile(matches, 50)} matches returned, "
                    f"max {max(matches)})", header,
                    [rows[0], ("GET /api/search?query=WORD", f"{percentile(times, 50):.3f}",
                               f"{percentile(times, 99):.3f}",
                               f"{percentile(times, 50) / floor:.2f}x")])


def print_startup(args, start):
    header = [("", 34), ("median s", 10), ("min s", 8), ("max s", 8), ("RSS MiB", 9)]
    print_table(f"start-up: exec -> first GET /api/version answered, {args.starts} starts each",
                header, [(label, f"{m:.3f}", f"{lo:.3f}", f"{hi:.3f}", f"{rss / 1024:.1f}")
                         for label, (m, lo, hi, rss) in start.items()])


if __name__ == "__main__":
    sys.exit(main())
