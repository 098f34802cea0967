"""The measurements of make bench's table, one function per fresh server process (perchd,
or the reference's WeeChat: a target's start()), and the floors. Each returns a dict of
figures for one run; perf_table.py takes medians over runs. A figure the reference cannot
give is left out, and "note_<figure>" says why.

CPU per operation: the server's utime + stime (/proc/PID/stat) over the phase, divided by
the operations counted by the load generator. Memory per client: its VmRSS after the
clients connected and synced minus before, divided by their number."""
import json
import os
import time

from perf_procs import PASSWORD, BenchError, FloorServer, Tool, parse_kv, run_floor

# Seconds between the load generator's connections being up and the measured requests.
HANDSHAKE_SETTLE_S = 0.3
# Below this share of resumed connections the resumption row measures full handshakes.
RESUMED_MIN = 0.9

# A line of about 300 bytes of JSON, so that lines=-100 answers about 30 kB.
LINE_TEXT = "history line {:03d} " + "lorem ipsum dolor sit amet consectetur " * 3


def _ws(tools, p, tls, clients, timeout, deflate=False):
    argv = [os.path.join(tools, "load_ws"), "--port", str(p.tls_port if tls else p.plain_port),
            "--password", PASSWORD, "--clients", str(clients), "--timeout", str(timeout)]
    return Tool(argv + (["--tls"] if tls else []) + (["--deflate"] if deflate else []))


def _warm_up(tools, p, tls, timeout, deflate=False):
    """One client of the kind measured connects, syncs and leaves, so that what the server
    sets up once (OpenSSL's tables, zlib's, the relay's sync state) is not counted per client."""
    with _ws(tools, p, tls, 1, timeout, deflate) as t:
        t.expect("synced", timeout)
        t.finish(timeout)
    time.sleep(0.3)


def ws_plain(target, tools, a):
    """Memory per idle synced plain WebSocket client; CPU per delivered event."""
    with target.start(a.clients) as p:
        _warm_up(tools, p, False, a.timeout)
        rss0 = p.rss_kib()
        with _ws(tools, p, False, a.clients, a.timeout) as t:
            t.expect("synced", a.timeout)
            time.sleep(a.settle)
            rss1 = p.rss_kib()
            cpu0 = p.cpu_s()
            t.send(f"fanout {a.events} {a.rate}")
            f = parse_kv(t.expect("fanout", a.events / a.rate + 2 * a.timeout))
            cpu1 = p.cpu_s()
            t.finish(a.timeout)
    if f["delivered"] == 0:
        raise BenchError(f"fan-out: {target.column} delivered no event"
                         + (" (its setup is wrong)" if target.reference else ""))
    return {
        "mem_plain_kib": (rss1 - rss0) / a.clients,
        "event_cpu_us": (cpu1 - cpu0) * 1e6 / f["delivered"],
        "event_expected": f["expected"], "event_lost": f["lost"], "event_dup": f["dup"],
        "event_closed": f["closed"], "print_errors": f["print_errors"],
        "event_p50_ms": f["p50_ms"], "event_p99_ms": f["p99_ms"],
    }


def ws_tls(target, tools, a):
    """Memory per idle synced TLS WebSocket client (fresh process); server CPU of accepting,
    handshaking and syncing them all."""
    with target.start(a.clients) as p:
        _warm_up(tools, p, True, a.timeout)
        rss0 = p.rss_kib()
        cpu0 = p.cpu_s()
        with _ws(tools, p, True, a.clients, a.timeout) as t:
            t.expect("synced", a.timeout)
            cpu1 = p.cpu_s()
            time.sleep(a.settle)
            rss1 = p.rss_kib()
            t.finish(a.timeout)
    return {"mem_tls_kib": (rss1 - rss0) / a.clients, "tls_sync_cpu_s": cpu1 - cpu0}


def ws_deflate(target, tools, a):
    """Memory per idle synced TLS WebSocket client that agreed permessage-deflate (fresh
    process). A reference that declines the extension has no figure, said in a note."""
    with target.start(a.clients) as p:
        try:
            _warm_up(tools, p, True, a.timeout, deflate=True)
        except BenchError as e:
            if not (target.reference and "declined permessage-deflate" in str(e)):
                raise
            return {"note_mem_deflate_kib": "declines permessage-deflate"}
        rss0 = p.rss_kib()
        with _ws(tools, p, True, a.clients, a.timeout, deflate=True) as t:
            t.expect("synced", a.timeout)
            time.sleep(a.settle)
            rss1 = p.rss_kib()
            t.finish(a.timeout)
    return {"mem_deflate_kib": (rss1 - rss0) / a.clients}


def _http(tools, p, a, path, extra):
    """Runs load_http against the TLS listener; returns (its result, server CPU seconds)."""
    argv = [os.path.join(tools, "load_http"), "--port", str(p.tls_port), "--tls",
            "--password", PASSWORD, "--path", path, "--timeout", str(a.timeout)] + extra
    with Tool(argv) as t:
        t.expect("ready", a.timeout)
        # The client's handshakes are done, not necessarily the server's: WeeChat finishes
        # its side on a 100 ms timer (spinning until then). That belongs to row 6, not to
        # the requests measured here; the pause costs no server CPU.
        time.sleep(HANDSHAKE_SETTLE_S)
        cpu0 = p.cpu_s()
        t.send("go")
        r = parse_kv(t.expect("done", 3 * a.timeout))
        cpu = p.cpu_s() - cpu0
        t.finish(a.timeout)
    if r["errors"] or r["requests"] == 0:
        raise BenchError(f"{path}: {r['errors']:.0f} answers were not 200")
    return r, cpu


def _keepalive_load(a):
    """Row 5's load: keep-alive connections, for a time."""
    return ["--conns", str(a.version_conns), "--seconds", str(a.version_seconds)]


def _newconn_load(a):
    """Row 6's load: a new connection per request, full handshakes."""
    return ["--newconn", "--conns", str(a.newconn_conns), "--count", str(a.newconn_requests)]


def http(target, tools, a):
    """Lines of a buffer, /api/version on keep-alive connections, one connection per request
    with full handshakes and then resumed ones, all over TLS."""
    with target.start(a.clients) as p:
        for i in range(100):
            body = json.dumps({"command": "/print " + LINE_TEXT.format(i)})
            status, _ = p.request("POST", "/api/input", body)
            if status // 100 != 2:
                raise BenchError(f"/print answered {status}")
        p.request("GET", "/api/version", tls=True)
        path = "/api/buffers/core.weechat/lines?lines=-100"
        r, cpu = _http(tools, p, a, path, ["--count", str(a.lines_requests)])
        out = {"lines_cpu_us": cpu * 1e6 / r["requests"],
               "lines_kb": r["body_bytes"] / r["requests"] / 1000}
        r, cpu = _http(tools, p, a, "/api/version", _keepalive_load(a))
        out["version_rps"] = r["requests"] / r["seconds"]
        out["version_cpu_us"] = cpu * 1e6 / r["requests"]
        r, cpu = _http(tools, p, a, "/api/version", _newconn_load(a))
        out["newconn_cpu_us"] = cpu * 1e6 / r["requests"]
        if target.reference:
            note = _resumption_missing(tools, p, a)
            if note:
                out["note_resume_cpu_us"] = note
                return out
        r, cpu = _http(tools, p, a, "/api/version",
                       ["--newconn", "--resume", "--conns", str(a.newconn_conns),
                        "--count", str(a.newconn_requests)])
        out["resume_cpu_us"] = cpu * 1e6 / r["requests"]
        out["resume_requests"] = r["requests"]
        out["resume_resumed"] = r["resumed"]
    return out


def _resumption_missing(tools, p, a):
    """Why the reference cannot be measured resuming TLS sessions (None if it can): a few
    connections offering the tickets received before them, as the measured ones do."""
    n = a.newconn_conns
    r, _ = _http(tools, p, a, "/api/version",
                 ["--newconn", "--resume", "--conns", str(n), "--count", str(2 * n)])
    if r["resumed"] >= RESUMED_MIN * r["requests"]:
        return None
    return f"no TLS resumption: {r['resumed']:.0f} of {r['requests']:.0f} resumed"


def floors(tools, a):
    """The physical floors, measured on this machine in this run: CPU per write, memory and
    server CPU per TLS session, and a server doing nothing but TLS under rows 5 and 6's
    loads."""
    w = run_floor([os.path.join(tools, "floor_write"), "--sockets", str(a.clients),
                   "--rounds", str(min(a.events, 150)), "--rate", str(a.rate),
                   "--bytes", "120"], a.events / a.rate + a.timeout)
    s = run_floor([os.path.join(tools, "floor_tls_session"), "--sessions", str(a.clients)],
                  a.timeout)
    out = {"floor_write_us": w["us_per_write"], "floor_tls_kib": s["rss_kib_per_session"],
           "floor_tls_heap_kib": s["heap_kib_per_session"],
           "floor_handshake_us": s["handshake_us"]}
    with FloorServer(os.path.join(tools, "floor_tls_server"), a.timeout) as f:
        r, cpu = _http(tools, f, a, "/api/version", _keepalive_load(a))
        out["floor_request_us"] = cpu * 1e6 / r["requests"]
        r, cpu = _http(tools, f, a, "/api/version", _newconn_load(a))
        out["floor_conn_us"] = cpu * 1e6 / r["requests"]
        f.finish(a.timeout)
    return out
