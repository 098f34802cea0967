#!/usr/bin/python3
"""make bench: one table of perchd's figures at the limit (memory per idle client, CPU per
delivered event, per request and per handshake), each the median of several runs, beside
the physical floors measured in the same run and the goals of issue 14; with --baseline
REV, the same figures for that commit (built in a temporary worktree) side by side, its runs
interleaved with this tree's so that both see the same machine; with --reference PATH, the
same for WeeChat's api relay (weechat-headless, the reference the goals name), also
interleaved, and row 5 judged on the ratio to it.

Load generators and floors are C programs in bench/ (load_ws, load_http, floor_write,
floor_tls_session, floor_tls_server); every event sent is counted on every client: the run
fails if one is lost or duplicated, or if this tree resumed fewer than 90% of the TLS
connections that offered a ticket. The reference's lost or duplicated events are reported,
not judged (it is not ours), unless it delivers none at all (then its setup is wrong).

Reproduce: make bench [BASELINE=rev] [REFERENCE=path/to/weechat-headless] [RUNS=n]
"""
import argparse
import contextlib
import os
import resource
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import perf_scenarios as sc  # noqa: E402
from perf_baseline import baseline_perchd  # noqa: E402
from perf_procs import BenchError, PerchdTarget, run_bench  # noqa: E402
from perf_reference import reference_target  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# The write floor issue 14 measured when it set the goals of rows 4 and 5: those goals,
# scaled by this run's floor over it, are judged again for this machine.
WRITE_FLOOR_AT_GOALS_US = 3.6
RESUMED_MIN = sc.RESUMED_MIN
# Row 5's goal: this tree's req/s over the reference's of the same run.
REFERENCE_RATIO_GOAL = 3


def kb(v):
    return f"{v:.1f} kB"


def us(v):
    return f"{v:.1f} µs"


def scale(m):
    """This machine's write floor over the one the goals were set against."""
    return m["floor_write_us"] / WRITE_FLOOR_AT_GOALS_US


# The floor of rows 5 and 6, in their "how".
FLOOR_SERVER = ("floor: floor_tls_server under the same load, a server doing nothing but "
                "TLS (perchd's OpenSSL context, memory BIOs, one read() and one write() per "
                "turn) answering every request with a fixed 200 of /api/version's size: its "
                "CPU / requests")

# Each row: what it measures, how its figure reads, its floor (from the run's figures and
# the arguments), the goal and its test (on this tree's median), the goal in µs and the
# figure's key where it is also judged scaled to this machine, how measured. Rows without a
# goal have "–" in its columns.
ROWS = [
    {
        "label": "memory per idle synced client, plain WebSocket ({clients} clients)",
        "key": "mem_plain_kib",
        "figure": lambda m: kb(m["mem_plain_kib"]),
        "goal": "≤ 2 kB", "met": lambda m: m["mem_plain_kib"] <= 2,
        "how": "perchd's VmRSS after {clients} plain WebSocket clients (load_ws) logged in, "
               "synced (POST /api/sync) and sat idle {settle:g} s, minus before them, / "
               "{clients}; fresh perchd, one warm-up client first",
    },
    {
        "label": "memory per idle synced client, TLS WebSocket ({clients} clients, fresh "
                 "process)",
        "key": "mem_tls_kib",
        "figure": lambda m: kb(m["mem_tls_kib"]),
        "floor": lambda m, a: kb(m["floor_tls_kib"]),
        "goal": "≤ floor + 2 kB", "met": lambda m: m["mem_tls_kib"] <= m["floor_tls_kib"] + 2,
        "how": "as above over TLS 1.3 (X25519, perchd's ECDSA P-256 certificate); floor: "
               "floor_tls_session, RSS growth per idle OpenSSL server session on memory BIOs "
               "after a full handshake and one exchange, buffers released",
    },
    {
        "label": "server CPU per delivered event, {clients} synced plain clients, {rate:g} "
                 "ev/s",
        "key": "event_cpu_us",
        "figure": lambda m: us(m["event_cpu_us"]),
        "floor": lambda m, a: us(m["floor_write_us"]),
        "goal": "≤ 1.2 × floor", "met": lambda m: m["event_cpu_us"] <= 1.2 * m["floor_write_us"],
        "how": "perchd's CPU (utime+stime) while {events} `/print` inputs at {rate:g}/s reach "
               "{clients} synced plain clients, / events delivered (each counted by sequence "
               "on every client); floor: floor_write, CPU per 120-byte write() to one of "
               "{clients} loopback TCP sockets, one write each per round at {rate:g} rounds/s, "
               "a reader process draining them",
    },
    {
        "label": "`GET /api/buffers/B/lines?lines=-100` ({lines_kb:.0f} kB), TLS, 1 conn: "
                 "server CPU",
        "key": "lines_cpu_us",
        "figure": lambda m: us(m["lines_cpu_us"]) + "/req",
        "goal": "≤ 65 µs", "met": lambda m: m["lines_cpu_us"] <= 65,
        "scaled": (65, "lines_cpu_us"),
        "how": "perchd's CPU over {lines_requests} requests one after another on one "
               "keep-alive TLS connection (load_http), 100 lines of ~300 bytes, / requests",
    },
    {
        "label": "`GET /api/version`, TLS keep-alive, {version_conns} conns",
        "key": "version_rps",
        "figure": lambda m: f"{m['version_rps']:,.0f} req/s, {m['version_cpu_us']:.1f} µs/req",
        "ratio": "version_rps",
        "floor": lambda m, a: us(m["floor_request_us"]) + "/req",
        "under_floor": (8, "floor_request_us"),
        "goal": "≥ 3× WeeChat's, ≤ 8 µs CPU/req (WeeChat not run: CPU/req only judged)",
        "goal_reference": "≥ 3× WeeChat's req/s (same run) and ≤ 8 µs CPU/req: both",
        "met": lambda m: m["version_cpu_us"] <= 8,
        "scaled": (8, "version_cpu_us"),
        "how": "{version_conns} keep-alive TLS connections, each a request then its answer "
               "(no pipelining), for {version_seconds:g} s (load_http, one process); req/s is "
               "shared with the load generator on 2 cores: compare it only with the baseline "
               "of the same run (WeeChat is not run here: only CPU/req is judged); "
               + FLOOR_SERVER,
        "how_reference": "{version_conns} keep-alive TLS connections, each a request then "
                         "its answer (no pipelining), for {version_seconds:g} s (load_http, "
                         "one process); req/s is shared with the load generator on 2 cores, "
                         "so it is judged only as this tree's over WeeChat's of the same run "
                         "(medians): \"met\" needs that ratio ≥ 3 and CPU/req ≤ 8 µs, \"met "
                         "scaled\" the ratio and CPU/req within the scaled goal; "
                         + FLOOR_SERVER,
    },
    {
        "label": "new TLS connection per request: server CPU",
        "key": "newconn_cpu_us",
        "figure": lambda m: us(m["newconn_cpu_us"]) + "/req",
        "floor": lambda m, a: f"{us(m['floor_conn_us'])} (handshake alone "
                              f"{us(m['floor_handshake_us'])})",
        "under_floor": (200, "floor_conn_us"),
        "goal": "≤ 200 µs (ECDSA P-256 + X25519)", "met": lambda m: m["newconn_cpu_us"] <= 200,
        "how": "{newconn_requests} requests of /api/version, each on a new connection (full "
               "TLS 1.3 handshake, no resumption, `Connection: close`, close_notify both "
               "ways), {newconn_conns} at a time, / requests; floor: floor_tls_server under "
               "the same load (see row 5); handshake alone: floor_tls_session, CPU of the "
               "server side's OpenSSL calls alone (this thread's clock around each) per "
               "full handshake and one small exchange, its context set as perchd's (ECDSA "
               "P-256, X25519, AES-128-GCM first, one ticket, no cache)",
    },
    {
        "label": "accept + handshake + sync of {clients} TLS WebSocket clients",
        "key": "tls_sync_cpu_s",
        "figure": lambda m: f"{m['tls_sync_cpu_s']:.2f} s",
        "floor": lambda m, a: f"{a.clients * m['floor_handshake_us'] / 1e6:.2f} s",
        "goal": "≤ 0.5 s of server time", "met": lambda m: m["tls_sync_cpu_s"] <= 0.5,
        "how": "perchd's CPU from before the first of {clients} TLS clients connects until "
               "the last is synced, 64 handshakes at a time (the memory run of row 2); "
               "floor: {clients} × row 6's handshake alone",
    },
    {
        "label": "memory per idle synced client, TLS WebSocket with permessage-deflate "
                 "({clients} clients, fresh process)",
        "key": "mem_deflate_kib",
        "figure": lambda m: kb(m["mem_deflate_kib"]),
        "how": "as row 2, each client offering `permessage-deflate` without parameters (the "
               "server keeps its compression context) and accepting the answer; the "
               "difference from row 2 is what deflate holds per client",
    },
    {
        "label": "new TLS connection per request, resumed (TLS 1.3 ticket): server CPU",
        "key": "resume_cpu_us",
        "figure": lambda m: us(m["resume_cpu_us"]) + f"/req ({m['resume_resumed']:.0f} of "
                                                     f"{m['resume_requests']:.0f} resumed)",
        "how": "as row 6, each connection offering the ticket its slot's previous one "
               "received (load_http --resume; each slot first makes one connection, not "
               "counted, for a ticket); the connections the server resumed are counted: "
               "fewer than 90% fails the run (a reference resuming fewer shows \"–\" and "
               "its count, from a probe of 2 connections per slot)",
    },
]


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--baseline", help="a commit to measure side by side")
    ap.add_argument("--reference", metavar="PATH",
                    help="a weechat-headless (4.3 or later, relay plugin with cJSON) to "
                         "measure side by side as the reference")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--events", type=int, default=300, help="fan-out events per run")
    ap.add_argument("--rate", type=float, default=30.0, help="fan-out events per second")
    ap.add_argument("--settle", type=float, default=1.0, help="idle seconds before RSS")
    ap.add_argument("--lines-requests", type=int, default=2000)
    ap.add_argument("--version-conns", type=int, default=16)
    ap.add_argument("--version-seconds", type=float, default=5.0)
    ap.add_argument("--newconn-requests", type=int, default=1000)
    ap.add_argument("--newconn-conns", type=int, default=4)
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="bound of each phase in seconds (hang guard, not a measurement)")
    a = ap.parse_args()
    if a.runs < 1 or a.clients < 1 or a.events < 1 or a.rate <= 0:
        ap.error("runs, clients, events and rate must be positive")
    return a


def raise_fd_limit(clients):
    """perchd and load_ws each hold a socket per client: both inherit this limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = clients + 256
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(need, 4096)), hard))
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < need:
        raise BenchError(f"{clients} clients need {need} file descriptors; the hard limit "
                         f"is {hard} (raise ulimit -Hn)")


def measure_once(target, tools, a):
    out = {}
    for scenario in (sc.ws_plain, sc.ws_tls, sc.ws_deflate, sc.http):
        out.update(scenario(target, tools, a))
    return out


def summarize(runs):
    """Median, min and max of each figure over the runs; a figure missing from a run (the
    reference's that cannot be measured) is left out, its note kept."""
    keys = [k for k in runs[0] if not k.startswith("note_") and all(k in r for r in runs)]
    med = {k: statistics.median(r[k] for r in runs) for k in keys}
    med.update({k: v for r in runs for k, v in r.items() if k.startswith("note_")})
    return med, {k: (min(r[k] for r in runs), max(r[k] for r in runs)) for k in keys}


def check_events(name, runs):
    """Problems with event delivery in any run (each must be none)."""
    bad = []
    for i, r in enumerate(runs, 1):
        for key in ("event_lost", "event_dup", "event_closed", "print_errors"):
            if r[key]:
                bad.append(f"{name}, run {i}: {key.split('_', 1)[1]} {r[key]:.0f}")
    return bad


def check_resumed(name, runs):
    """Runs that resumed too few connections to measure resumption."""
    return [f"{name}, run {i}: {r['resume_resumed']:.0f} of {r['resume_requests']:.0f} TLS "
            f"connections resumed (fewer than {RESUMED_MIN:.0%})"
            for i, r in enumerate(runs, 1)
            if r["resume_resumed"] < RESUMED_MIN * r["resume_requests"]]


def ratio_met(row, m, ref):
    """Row 5 with the reference run: this tree's req/s at least 3× the reference's."""
    return "ratio" not in row or ref is None or \
        m[row["ratio"]] >= REFERENCE_RATIO_GOAL * ref[row["ratio"]]


def met_scaled(row, m, ref):
    """Row 4's and 5's goals scaled to this machine's write floor, judged; "–" elsewhere."""
    if "scaled" not in row:
        return "–"
    goal, key = row["scaled"]
    limit = goal * scale(m)
    return f"{'yes' if m[key] <= limit and ratio_met(row, m, ref) else 'no'} (≤ {us(limit)})"


def under_floor(med):
    """Goals below their floor measured in this run: no server using OpenSSL as perchd does
    can meet them on this machine."""
    out = []
    for i, row in enumerate(ROWS, 1):
        if "under_floor" in row:
            goal, key = row["under_floor"]
            if med[key] > goal:
                out.append(f"row {i} (goal {us(goal)}, floor {us(med[key])})")
    return out


def figure(row, m):
    """A row's figure, or "–" and why when the target could not give it."""
    if row["key"] in m:
        return row["figure"](m)
    return f"– ({m.get('note_' + row['key'], 'not measured')})"


def table(a, meds, targets):
    """meds: medians by target name, this tree's first; each target has a column."""
    med = meds["this tree"]
    floors = {k: v for k, v in med.items() if k.startswith("floor")}
    others = [(t, dict(meds[t.name], **floors)) for t in targets[1:]]
    ref = meds.get("reference")
    head = ["measure"] + [t.column for t in targets] + \
        ["floor (same run)", "goal", "met",
         f"met scaled (goal × floor_write/{WRITE_FLOOR_AT_GOALS_US} µs)"]
    rows = []
    for row in ROWS:
        cells = [row["label"].format(**vars(a), lines_kb=med["lines_kb"]), figure(row, med)]
        if "ratio" in row and others:
            k = row["ratio"]
            cells[1] += " (" + ", ".join(f"{med[k] / b[k]:.2f}× {t.short}"
                                         for t, b in others) + ")"
        cells += [figure(row, b) for _, b in others]
        cells.append(row["floor"](med, a) if "floor" in row else "–")
        cells.append(row["goal_reference"] if ref and "goal_reference" in row
                     else row.get("goal", "–"))
        cells.append(("yes" if row["met"](med) and ratio_met(row, med, ref) else "no")
                     if "met" in row else "–")
        cells.append(met_scaled(row, med, ref))
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in [head] + rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def run_all(a, targets, tools):
    """Each run: the floors, then every target in turn (interleaved, same machine)."""
    results = {t.name: [] for t in targets}
    floors = []
    for i in range(a.runs):
        print(f"run {i + 1}/{a.runs}: floors", file=sys.stderr, flush=True)
        floors.append(sc.floors(tools, a))
        for t in targets:
            print(f"run {i + 1}/{a.runs}: {t.name}", file=sys.stderr, flush=True)
            try:
                results[t.name].append(dict(measure_once(t, tools, a), **floors[-1]))
            except BenchError as e:
                raise BenchError(f"{t.column}, run {i + 1}: {e}") from None
    return results


def how_measured(a, ref):
    print("\nhow measured (CPU: the server's utime+stime from /proc/PID/stat; memory: VmRSS, "
          "kB = 1024 bytes as /proc counts; loopback only):")
    for i, row in enumerate(ROWS, 1):
        how = row["how_reference"] if ref and "how_reference" in row else row["how"]
        print(f"  {i}. " + how.format(**vars(a)))
    if ref:
        print(f"  reference: {ref.binary} (WeeChat {ref.version}), a fresh process per "
              "scenario as perchd, in a temporary home (--dir, --plugins relay), set up by "
              "/set relay.network.password, tls_cert_key (a self-signed ECDSA P-256 "
              "certificate), max_clients 0 (no limit), auth_timeout 0 (else it ends a "
              "keep-alive connection after 60 s), bind_address 127.0.0.1, ipv6 off, and "
              "/relay add tls.api and api; every other option at WeeChat's default (GnuTLS, "
              "tls_priorities as shipped); the same load generators, warm-ups and readings "
              "of its /proc/PID")


def check_reference(ref, runs):
    """The reference's delivery problems: reported, not judged (it is not ours)."""
    if ref is None:
        return
    bad = check_events("WeeChat", runs["reference"])
    print("reference's events lost or duplicated (not judged): " +
          ("; ".join(bad) if bad else "none (every run)"))


def report(a, results, targets, load):
    med, spread = summarize(results["this tree"])
    meds = {t.name: summarize(results[t.name])[0] for t in targets}
    ref = next((t for t in targets if t.reference), None)
    print(f"perchd at the limit: medians of {a.runs} run(s) each, on {os.cpu_count()} cores "
          f"(load average {load[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end)")
    print(table(a, meds, targets))
    below = under_floor(med)
    print("goals below their floor in this run (out of reach of any server using OpenSSL as "
          "perchd does, here): " + ("; ".join(below) if below else "none"))
    if ref:
        # Both servers are bound to a core there: req/s is 1 / CPU per request.
        print("row 5's ratio at its floor: WeeChat's CPU per request over the floor's, "
              f"{meds['reference']['version_cpu_us'] / med['floor_request_us']:.2f}× (the most "
              "a server at the floor could reach in this run)")
    print(f"scale of the goals judged scaled: floor_write here {med['floor_write_us']:.2f} µs "
          f"/ {WRITE_FLOOR_AT_GOALS_US} µs (issue 14's when it set them) = {scale(med):.2f}×")
    how_measured(a, ref)
    print(f"\nfan-out check, every run: {med['event_expected']:.0f} events expected per run; "
          f"delivery p50 {med['event_p50_ms']:.2f} ms, p99 {med['event_p99_ms']:.2f} ms "
          f"(this tree, medians)" + (
              f"; WeeChat p50 {meds['reference']['event_p50_ms']:.2f} ms, p99 "
              f"{meds['reference']['event_p99_ms']:.2f} ms" if ref else ""))
    print("spread over runs (this tree, min–max): " + ", ".join(
        f"{k} {lo:.4g}–{hi:.4g}" for k, (lo, hi) in spread.items()
        if k.endswith(("_kib", "_us", "_s", "_rps"))))
    bad = [b for t in targets if not t.reference for b in check_events(t.name, results[t.name])]
    print("events lost or duplicated: " + ("; ".join(bad) if bad else "none (every run)"))
    check_reference(ref, results)
    # A baseline may predate tickets: its row then shows full handshakes, said in its cell.
    unresumed = check_resumed("this tree", results["this tree"])
    print("TLS resumption: " + ("; ".join(unresumed) if unresumed else
                                f"at least {RESUMED_MIN:.0%} resumed (this tree, every run)"))
    bad += unresumed
    cmd = "make bench" + (f" BASELINE={a.baseline}" if a.baseline else "") + \
        (f" REFERENCE={a.reference}" if a.reference else "") + \
        (f" RUNS={a.runs}" if a.runs != 5 else "")
    print(f"reproduce: {cmd}   ({' '.join([sys.executable] + sys.argv)})")
    return 1 if bad else 0


def main():
    a = parse_args()
    tools = os.path.join(a.build, "bench")
    perchd = os.path.join(a.build, "src", "perchd")
    for path in [perchd] + [os.path.join(tools, t) for t in
                            ("load_ws", "load_http", "floor_write", "floor_tls_session",
                             "floor_tls_server")]:
        if not os.access(path, os.X_OK):
            raise BenchError(f"{path} is missing: run make bench (it builds them)")
    raise_fd_limit(a.clients)
    load = os.getloadavg()
    start = time.monotonic()
    targets = [PerchdTarget("this tree", perchd, "perchd (this tree)")]
    with contextlib.ExitStack() as stack:
        # The reference is checked (and started once) first: a wrong path fails at once,
        # before a baseline is built or anything measured.
        ref = stack.enter_context(reference_target(a.reference)) if a.reference else None
        if a.baseline:
            print(f"building baseline {a.baseline} in a temporary worktree", file=sys.stderr,
                  flush=True)
            base_perchd, sha = stack.enter_context(baseline_perchd(ROOT, a.baseline))
            targets.append(PerchdTarget("baseline", base_perchd,
                                        f"baseline {a.baseline} ({sha[:10]})"))
        if ref:
            targets.append(ref)
        results = run_all(a, targets, tools)
    status = report(a, results, targets, load)
    print(f"({time.monotonic() - start:.0f} s)", file=sys.stderr)
    return status


if __name__ == "__main__":
    # Every perchd, WeeChat, load generator and the baseline's worktree goes on the way out.
    run_bench(main)
