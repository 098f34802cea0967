#!/usr/bin/python3
"""IRC benchmark: perchd in channels of growing size and in growing numbers of channels. A
scripted IRC server on loopback (the load generator: it welcomes perchd, gives it its
channels and their NAMES, then sends a stream of events) and perchd's CPU (all threads,
from /proc) for:

  nicks     in a channel of N nicks: taking its NAMES (353 lines of 50, a fifth of them
            with @ or +, then 366): the irc nicks and the nicklist; then each of E events
            from the channel's nicks, drawn at random: 96 % PRIVMSG, 1 % a PART and its JOIN
            again, 1 % MODE +v or -v, 1 % NICK, 1 % QUIT and its JOIN;
  channels  in N channels of 5 nicks (the server's JOIN of each, as a forced join, and its
            NAMES): joining them all, then each of E messages to channels drawn at random.

Each end is marked by a PING whose PONG perchd sends once it has handled everything before
it. The first size and the first number of channels are the baselines of the same run:
what a line costs however big the channel or the session; BASELINE=rev measures that
commit's perchd (built in a temporary worktree) too, run by run beside this tree's. Each
figure is the median of RUNS runs, each run a fresh perchd. At the end of each run the
nicklist's count is checked, so a lost join or part fails the bench.

Reproduce: make bench-irc [BASELINE=rev] [RUNS=n] [ARGS="--sizes 10,1000,10000 --channels
1,1000 --events 20000"]
"""
import argparse
import contextlib
import json
import os
import random
import socket
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from perf_baseline import baseline_perchd  # noqa: E402
from perf_procs import BenchError, Perchd, run_bench  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMES_PER_LINE = 50


class ScriptedIrcd:
    """One listening socket; accept() gives the connection of the perchd told to use it."""

    def __init__(self, timeout):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.listener.settimeout(timeout)
        self.port = self.listener.getsockname()[1]
        self.conn = self.reader = None

    def accept(self):
        self.conn, _ = self.listener.accept()
        self.conn.settimeout(self.listener.gettimeout())
        self.reader = self.conn.makefile("rb")

    def send(self, lines):
        self.conn.sendall("".join(line + "\r\n" for line in lines).encode())

    def wait_for(self, word):
        """Reads perchd's lines until one holds word."""
        while True:
            line = self.reader.readline()
            if not line:
                raise BenchError(f"perchd closed the IRC link before sending {word!r}")
            if word.encode() in line:
                return

    def sync(self, token):
        """Everything sent so far handled: PING, then its PONG."""
        self.send([f"PING :{token}"])
        self.wait_for(token)

    def close(self):
        for s in (self.reader, self.conn, self.listener):
            if s:
                s.close()


def cpu_s(pid):
    """Time on CPU of all of pid's threads, in seconds: schedstat counts nanoseconds, where
    /proc/PID/stat counts ticks of 10 ms, too coarse for a small channel's NAMES."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # a thread that ended: its time is lost, it was not this run's work
    return total / 1e9


def event_stream(nicks, count, rnd):
    """count events from the channel's nicks (renamed and rejoined as they go)."""
    out = []
    for i in range(count):
        at = rnd.randrange(len(nicks))
        n = nicks[at]
        kind = rnd.randrange(100)
        if kind == 0:
            out += [f":{n}!u@h PART #big :bye", f":{n}!u@h JOIN #big"]
        elif kind == 1:
            out.append(f":srv MODE #big {rnd.choice('+-')}v {n}")
        elif kind == 2:
            nicks[at] = f"{n[:12]}_{i}"
            out.append(f":{n}!u@h NICK :{nicks[at]}")
        elif kind == 3:
            out += [f":{n}!u@h QUIT :gone", f":{n}!u@h JOIN #big"]
        else:
            out.append(f":{n}!u@h PRIVMSG #big :message {i} from {n}, some words to carry")
    return out


def count_nicks(group):
    return len(group["nicks"]) + sum(count_nicks(g) for g in group["groups"])


def names_of(channel, nicks, rnd):
    """The NAMES of channel: 353 lines of 50 nicks, a fifth of them with @ or +, then 366."""
    lines = []
    for i in range(0, len(nicks), NAMES_PER_LINE):
        lines.append(f":srv 353 me = {channel} :" + " ".join(
            rnd.choice(("", "", "", "+", "@")) + n for n in nicks[i:i + NAMES_PER_LINE]))
    return lines + [f":srv 366 me {channel} :End of /NAMES list."]


def api_input(p, buffer, command):
    status, body = p.request("POST", "/api/input", body=json.dumps(
        {"buffer_name": buffer, "command": command}).encode())
    if status != 204:
        raise BenchError(f"{command}: {status} {body[:200]!r}")


@contextlib.contextmanager
def irc_session(binary, timeout):
    """A fresh perchd registered on a scripted server (no flood control): (perchd, server)."""
    ircd = ScriptedIrcd(timeout)
    p = Perchd(binary, 0)
    with open(os.path.join(p.dir, "perchd.conf"), "a") as f:
        f.write("[irc]\nanti_flood = 0\n")
    try:
        with p:
            api_input(p, "core.weechat", f"/server add big 127.0.0.1/{ircd.port} -notls -nicks=me")
            api_input(p, "core.weechat", "/connect big")
            ircd.accept()
            ircd.wait_for("USER")
            ircd.send([":srv 001 me :Welcome", ":srv 005 me PREFIX=(ov)@+ CHANTYPES=# "
                       "CASEMAPPING=rfc1459 :are supported by this server",
                       ":srv 376 me :End of /MOTD command."])
            ircd.sync("ready")
            yield p, ircd
    finally:
        ircd.close()


def fed_cpu_s(p, ircd, lines, token):
    """perchd's CPU seconds to handle lines, sent 500 at a time, up to the PONG of token."""
    cpu0 = cpu_s(p.pid)
    for i in range(0, len(lines), 500):
        ircd.send(lines[i:i + 500])
    ircd.sync(token)
    return cpu_s(p.pid) - cpu0


def nick_count(p, channel):
    status, body = p.request("GET", "/api/buffers/irc.big.%s?nicks=true"
                             % channel.replace("#", "%23"))
    if status != 200:
        raise BenchError(f"{channel}'s buffer: {status} {body[:200]!r}")
    return count_nicks(json.loads(body)["nicklist_root"])


def run_big_channel(binary, size, events, seed, timeout):
    """(CPU ms for the NAMES, CPU µs per event) of one fresh perchd in a channel of size."""
    rnd = random.Random(seed)
    nicks = [f"{rnd.choice('abcdefghijklmnopqrstuvwxyz')}nick{i}" for i in range(size)]
    names = [":me!u@h JOIN #big"] + names_of("#big", nicks, rnd)
    stream = event_stream(nicks, events, rnd)
    with irc_session(binary, timeout) as (p, ircd):
        api_input(p, "irc.server.big", "/join #big")
        ircd.wait_for("JOIN")
        ircd.sync("joining")
        names_s = fed_cpu_s(p, ircd, names, "names")
        events_s = fed_cpu_s(p, ircd, stream, "events")
        # Every nick still there (joins, parts, quits and renames keep the count).
        held = nick_count(p, "#big")
        if held != size + 1:
            raise BenchError(f"the nicklist holds {held} nicks, not {size + 1}")
    return 1e3 * names_s, 1e6 * events_s / events


def run_many_channels(binary, channels, events, seed, timeout):
    """(CPU ms to join them all, CPU µs per message) of one fresh perchd in channels
    channels of 5 nicks each (joined as a server's forced JOIN, each with its NAMES), the
    messages spread over them at random."""
    rnd = random.Random(seed)
    names = [f"#c{i}" for i in range(channels)]
    joins = []
    for c in names:
        joins += [f":me!u@h JOIN {c}"] + names_of(c, [f"n{k}{c[1:]}" for k in range(5)], rnd)
    stream = []
    for i in range(events):
        c = rnd.choice(names)
        stream.append(f":n{rnd.randrange(5)}{c[1:]}!u@h PRIVMSG {c} :message {i}, a few words")
    with irc_session(binary, timeout) as (p, ircd):
        joins_s = fed_cpu_s(p, ircd, joins, "joined")
        messages_s = fed_cpu_s(p, ircd, stream, "messages")
        held = nick_count(p, names[-1])
        if held != 6:
            raise BenchError(f"{names[-1]}'s nicklist holds {held} nicks, not 6")
    return 1e3 * joins_s, 1e6 * messages_s / events


def print_table(title, label, counts, targets, figures, first, second):
    """One row per count: each target's two medians, the second beside the first count's."""
    print(title)
    print()
    print(f"| {label} | " + " | ".join(f"{t}: {first} | {t}: {second}" for t, _ in targets)
          + " |")
    print("|---" * (1 + 2 * len(targets)) + "|")
    for n in counts:
        cells = []
        for t, _ in targets:
            whole = statistics.median(f[0] for f in figures[t, n])
            each = statistics.median(f[1] for f in figures[t, n])
            small = statistics.median(f[1] for f in figures[t, counts[0]])
            cells += [f"{whole:.1f} ms", f"{each:.1f} µs ({each / small:.1f}× at {counts[0]})"]
        print(f"| {n:,} | " + " | ".join(cells) + " |")
    print()


def counts_arg(text, what):
    try:
        counts = [int(s) for s in text.split(",")]
    except ValueError:
        counts = []
    if not counts or min(counts) < 1:
        raise BenchError(f"{what} needs positive numbers, comma-separated")
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--baseline", help="a commit to measure side by side")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="10,1000,10000",
                    help="channel sizes, comma-separated; the first is the baseline size")
    ap.add_argument("--channels", default="1,1000",
                    help="numbers of joined channels, comma-separated; the first is the "
                    "baseline")
    ap.add_argument("--events", type=int, default=20000)
    ap.add_argument("--timeout", type=float, default=300.0,
                    help="seconds a run may wait on perchd before failing")
    a = ap.parse_args()
    sizes = counts_arg(a.sizes, "--sizes")
    channels = counts_arg(a.channels, "--channels")
    if a.runs < 1 or a.events < 1:
        raise BenchError("--runs and --events need at least 1")
    perchd = os.path.join(a.build, "src", "perchd")
    if not os.access(perchd, os.X_OK):
        raise BenchError(f"{perchd} is missing: run make bench-irc (it builds it)")
    targets = [("this tree", perchd)]
    start = time.monotonic()
    with contextlib.ExitStack() as stack:
        if a.baseline:
            print(f"building baseline {a.baseline} in a temporary worktree", file=sys.stderr,
                  flush=True)
            base, sha = stack.enter_context(baseline_perchd(ROOT, a.baseline))
            targets.append((f"baseline {a.baseline} ({sha[:10]})", base))
        big = {(t, n): [] for t, _ in targets for n in sizes}
        many = {(t, n): [] for t, _ in targets for n in channels}
        for run in range(a.runs):
            for t, binary in targets:
                for n in sizes:
                    big[t, n].append(run_big_channel(binary, n, a.events, run, a.timeout))
                for n in channels:
                    many[t, n].append(run_many_channels(binary, n, a.events, run, a.timeout))
    print(f"perchd's CPU, medians of {a.runs} runs, load average {os.getloadavg()[0]:.1f}")
    print()
    print_table(f"In a channel of N nicks: the NAMES, then each of {a.events} events (96 % "
                "PRIVMSG, joins, parts, modes, nick changes, quits)", "nicks", sizes, targets,
                big, "NAMES", "per event")
    print_table(f"In N channels of 5 nicks: joining them all, then each of {a.events} "
                "messages spread over them", "channels", channels, targets, many, "joins",
                "per message")
    print(f"({time.monotonic() - start:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    # Every perchd and the baseline's worktree goes on the way out; a failed or timed-out
    # IRC link (OSError) ends the run as a BenchError does.
    run_bench(main, errors=(OSError,))
