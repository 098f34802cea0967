"""make bench's table (bench/perf_table.py) and its load generators: every row is printed
from a real perchd with its floors and judgements, every event is counted on every client
(a lost or duplicated one is reported, shown here against a relay that loses and repeats
one), deflate clients inflate what perchd sends, resumed TLS connections really resume, a
bad baseline leaves nothing behind, a reference that is not WeeChat is refused before
anything is measured, and (with PERCH_REFERENCE_WEECHAT naming a weechat-headless) the
reference's column is measured beside this tree's; the IRC bench runs a big channel's
NAMES and events through. Nothing here judges speed."""
import json
import os
import glob
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time

import pytest

from conftest import PASSWORD, PERCHD, connect, tls_context
from scripted_relay import ScriptedRelay
from wsraw import accept_for

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.dirname(os.path.dirname(os.path.abspath(PERCHD)))
TABLE = os.path.join(ROOT, "bench", "perf_table.py")
IRC_BENCH = os.path.join(ROOT, "bench", "irc_bench.py")

# Small and short: the table's machinery, not its figures.
SMALL = ["--runs", "1", "--clients", "12", "--events", "6", "--rate", "20", "--settle", "0.1",
         "--lines-requests", "10", "--version-seconds", "0.3", "--newconn-requests", "6",
         "--timeout", "60"]

ROW_LABELS = [
    "memory per idle synced client, plain WebSocket (12 clients)",
    "memory per idle synced client, TLS WebSocket (12 clients, fresh process)",
    "server CPU per delivered event, 12 synced plain clients, 20 ev/s",
    "`GET /api/buffers/B/lines?lines=-100`",
    "`GET /api/version`, TLS keep-alive, 16 conns",
    "new TLS connection per request: server CPU",
    "accept + handshake + sync of 12 TLS WebSocket clients",
    "memory per idle synced client, TLS WebSocket with permessage-deflate (12 clients",
    "new TLS connection per request, resumed (TLS 1.3 ticket): server CPU",
]
# Rows judged again against the goal scaled to this machine's write floor.
SCALED = ("`GET /api/buffers/B/lines?lines=-100`", "`GET /api/version`")
# Extra rows: a figure and its baseline, no goal.
NO_GOAL = ROW_LABELS[7:]


def run_table(*args, timeout=300, tmp=None):
    """The bench's table; tmp: its temporary files' directory (TMPDIR)."""
    env = dict(os.environ, TMPDIR=tmp) if tmp else None
    return subprocess.run([sys.executable, TABLE, "--build", BUILD, *args],
                          capture_output=True, text=True, timeout=timeout, env=env)


def test_table_has_every_row_with_figures_and_no_lost_event():
    r = run_table(*SMALL)
    assert r.returncode == 0, r.stdout + r.stderr
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
            for line in r.stdout.splitlines() if line.startswith("| ") and "measure" not in line}
    head = next(line for line in r.stdout.splitlines() if line.startswith("| measure"))
    assert "met scaled (goal × floor_write/3.6 µs)" in head, head

    def row(label):
        cells = next((cells for name, cells in rows.items() if name.startswith(label)), None)
        assert cells is not None, f"no row {label!r} in:\n{r.stdout}"
        return cells

    for label in ROW_LABELS:
        figure, floor, goal, met, scaled = row(label)
        assert re.search(r"\d", figure), (label, figure)
        if label in NO_GOAL:
            assert (goal, met, scaled) == ("–", "–", "–"), (label, goal, met, scaled)
            continue
        assert goal != "–" and met in ("yes", "no"), (label, goal, met)
        if label.startswith(SCALED):
            assert re.fullmatch(r"(yes|no) \(≤ [\d.]+ µs\)", scaled), (label, scaled)
        else:
            assert scaled == "–", (label, scaled)
    # The floors were measured in this run: memory, write, a TLS server's request and
    # connection, and the handshake alone.
    assert re.fullmatch(r"[\d.]+ kB", row(ROW_LABELS[1])[1])
    assert re.fullmatch(r"[\d.]+ µs", row(ROW_LABELS[2])[1])
    request = re.fullmatch(r"([\d.]+) µs/req", row(ROW_LABELS[4])[1])
    assert request and float(request[1]) > 0, row(ROW_LABELS[4])
    conn = re.fullmatch(r"([\d.]+) µs \(handshake alone ([\d.]+) µs\)", row(ROW_LABELS[5])[1])
    assert conn and float(conn[2]) > 0, row(ROW_LABELS[5])
    # Row 7's floor: 12 handshakes alone, in seconds.
    assert row(ROW_LABELS[6])[1] == f"{12 * float(conn[2]) / 1e6:.2f} s"
    # Rows 5 and 6 name their goal when this run's floor is above it, and only then.
    below = re.search(r"goals below their floor in this run \(out of reach of any server "
                      r"using OpenSSL as perchd does, here\): (.*)", r.stdout)
    assert below, r.stdout
    expect = [f"row {i} (goal {goal:.1f} µs, floor {float(m[1]):.1f} µs)"
              for i, goal, m in ((5, 8, request), (6, 200, conn)) if float(m[1]) > goal]
    assert below[1] == ("; ".join(expect) if expect else "none"), below[1]
    assert re.search(r"scale of the goals judged scaled: floor_write here [\d.]+ µs / 3.6 µs "
                     r"\(issue 14's when it set them\) = [\d.]+×", r.stdout), r.stdout
    resumed = re.search(r"\((\d+) of (\d+) resumed\)", row(ROW_LABELS[8])[0])
    assert resumed and int(resumed[2]) >= 6 and int(resumed[1]) >= 0.9 * int(resumed[2])
    assert "TLS resumption: at least 90% resumed (this tree, every run)" in r.stdout
    # 12 clients x 6 events, each counted once.
    assert "72 events expected per run" in r.stdout
    assert "events lost or duplicated: none (every run)" in r.stdout
    assert "how measured" in r.stdout and "reproduce: make bench RUNS=1" in r.stdout
    assert "ratio at its floor" not in r.stdout  # no reference, no ratio


class LossyRelay:
    """Answers load_ws as perchd does (upgrade, sync, /print inputs turned into compact JSON
    buffer_line_added events for every synced client), except that it sends the event of
    line 1 twice and the one of line 2 never."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.clients = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self.sock.close()
        with self.lock:
            for c in self.clients:
                c.close()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    @staticmethod
    def _head(conn, buf):
        while b"\r\n\r\n" not in buf:
            chunk = conn.recv(65536)
            if not chunk:
                raise EOFError
            buf += chunk
        head, rest = bytes(buf).split(b"\r\n\r\n", 1)
        buf[:] = rest
        lines = head.decode().split("\r\n")
        return lines[0], {k.lower(): v for k, v in (x.split(": ", 1) for x in lines[1:])}

    def _serve(self, conn):
        buf = bytearray()
        try:
            first, headers = self._head(conn, buf)
            if first.startswith("GET /api "):
                self._websocket(conn, buf, headers)
            else:
                self._printer(conn, buf, first, headers)
        except (EOFError, OSError):
            pass

    def _websocket(self, conn, buf, headers):
        key = headers["sec-websocket-key"]
        conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                      f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept_for(key)}\r\n\r\n")
                     .encode())
        frame = ScriptedRelay._parse(buf)
        while frame is None:
            chunk = conn.recv(65536)
            if not chunk:
                return
            buf += chunk
            frame = ScriptedRelay._parse(buf)
        request = json.loads(frame[1])
        assert request["request"] == "POST /api/sync"
        reply = {"code": 204, "message": "No Content", "request": "POST /api/sync",
                 "request_body": request.get("body"), "request_id": None, "body_type": None,
                 "body": None}
        ScriptedRelay._send(conn, 1, json.dumps(reply, separators=(",", ":")).encode())
        with self.lock:
            self.clients.append(conn)

    def _printer(self, conn, buf, first, headers):
        while True:
            n = int(headers["content-length"])
            while len(buf) < n:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buf += chunk
            command = json.loads(bytes(buf[:n]))["command"]
            del buf[:n]
            seq = int(command.split()[2])
            event = json.dumps({"code": 0, "message": "OK", "request": None,
                                "event_name": "buffer_line_added", "buffer_id": 1,
                                "body_type": "line",
                                "body": {"id": seq, "message": command[len("/print "):]}},
                               separators=(",", ":"))
            with self.lock:
                for c in self.clients:
                    for _ in range({1: 2, 2: 0}.get(seq, 1)):
                        ScriptedRelay._send(c, 1, event.encode())
            conn.sendall(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
            first, headers = self._head(conn, buf)


def drive(tool, args, first, command):
    """Runs bench/TOOL with args: its first line must start with first; sends it command and
    returns the line that answers it, once the tool has ended with 0 (killed on a failure)."""
    proc = subprocess.Popen([os.path.join(BUILD, "bench", tool), *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith(first), line
        proc.stdin.write(command + "\n")
        proc.stdin.flush()
        answer = proc.stdout.readline()
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return answer


def load_ws_fanout(port, *args):
    """Syncs 3 load_ws clients, has them print 4 lines at 50/s, returns its fanout values."""
    result = drive("load_ws", ["--port", str(port), "--clients", "3", *args], "synced 3 ",
                   "fanout 4 50")
    return dict(item.split("=") for item in result.split()[1:])


def test_load_ws_reports_lost_and_duplicated_events():
    relay = LossyRelay()
    try:
        values = load_ws_fanout(relay.port, "--password", "x", "--timeout", "2")
    finally:
        relay.close()
    # 3 clients x 4 lines: each client got lines 0, 1 (twice) and 3.
    assert values["expected"] == "12" and values["delivered"] == "9", values
    assert values["lost"] == "3" and values["dup"] == "3", values
    assert values["closed"] == "0" and values["print_errors"] == "0", values


def load_http(port, *args):
    """Runs load_http against a TLS listener to its done line; returns its values."""
    done = drive("load_http", ["--port", str(port), "--tls", "--password", PASSWORD, "--path",
                               "/api/version", "--timeout", "30", *args], "ready\n", "go")
    assert done.startswith("done "), done
    return {k: float(v) for k, v in (item.split("=") for item in done.split()[1:])}


def test_load_http_resumes_tls_connections_with_perchds_tickets(perchd):
    resumed = load_http(perchd.tls_port, "--newconn", "--resume", "--conns", "2",
                        "--count", "10")
    assert resumed["requests"] == 10 and resumed["errors"] == 0, resumed
    # Each slot fetched a ticket before the measurement: every connection can resume.
    assert 9 <= resumed["resumed"] <= 10, resumed
    full = load_http(perchd.tls_port, "--newconn", "--conns", "2", "--count", "10")
    assert full["requests"] == 10 and full["resumed"] == 0, full


def test_load_http_refuses_resume_without_new_tls_connections():
    r = subprocess.run([os.path.join(BUILD, "bench", "load_http"), "--port", "1", "--tls",
                        "--password", "x", "--path", "/", "--count", "1", "--resume"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "usage: load_http" in r.stderr


def test_load_ws_deflate_counts_perchds_compressed_events(perchd):
    """perchd compresses every message of a deflate client: the events are only found (by
    their text) once inflated."""
    values = load_ws_fanout(perchd.tls_port, "--tls", "--deflate", "--password", PASSWORD,
                            "--timeout", "30")
    assert values["expected"] == "12" and values["delivered"] == "12", values
    assert values["lost"] == "0" and values["dup"] == "0" and values["other"] == "0", values


def test_load_ws_deflate_fails_when_the_server_declines():
    relay = LossyRelay()  # answers no Sec-WebSocket-Extensions
    try:
        r = subprocess.run([os.path.join(BUILD, "bench", "load_ws"), "--port", str(relay.port),
                            "--password", "x", "--clients", "1", "--deflate", "--timeout", "5"],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    finally:
        relay.close()
    assert r.returncode == 1
    assert "error: the server declined permessage-deflate" in r.stdout, r.stdout + r.stderr


def test_floor_tls_session_reports_the_servers_handshake_cpu():
    r = subprocess.run([os.path.join(BUILD, "bench", "floor_tls_session"), "--sessions", "5"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    values = dict(item.split("=") for item in r.stdout.split()[1:])
    assert values["sessions"] == "5" and float(values["handshake_us"]) > 0, r.stdout
    assert float(values["rss_kib_per_session"]) >= 0, r.stdout


@pytest.fixture
def floor_server():
    """bench/floor_tls_server, running; yields (process, port)."""
    proc = subprocess.Popen([os.path.join(BUILD, "bench", "floor_tls_server")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("ready port="), line
        yield proc, int(line.split("=")[1])
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def floor_get(sock):
    """One GET on a TLS socket; returns the answer's bytes up to its body's end."""
    sock.sendall(b"GET /api/version HTTP/1.1\r\nHost: x\r\n\r\n")
    return floor_answer(sock)


def floor_answer(sock):
    """An answer's bytes up to its body's end."""
    data = b""
    while b"\r\n\r\n" not in data or len(data) < data.index(b"\r\n\r\n") + 4 + int(
            re.search(rb"Content-Length: (\d+)", data)[1]):
        chunk = sock.recv(4096)
        assert chunk, data
        data += chunk
    return data


def test_floor_tls_server_answers_keep_alive_and_closes_cleanly(floor_server):
    """Answers every request on a connection, two sent at once too; after `Connection:
    close` it says goodbye with close_notify (an unexpected EOF would raise here), then
    ends with its input."""
    proc, port = floor_server
    with tls_context().wrap_socket(connect(port), suppress_ragged_eofs=False) as s:
        assert s.version() == "TLSv1.3"
        for _ in range(2):
            answer = floor_get(s)
            assert answer.startswith(b"HTTP/1.1 200 OK\r\n"), answer
            body = json.loads(answer.split(b"\r\n\r\n", 1)[1])
            assert body["relay_api_version"] == "0.6.0", body
        # An empty line split between two records ends its request once.
        s.sendall(b"GET / HTTP/1.1\r\n\r")
        time.sleep(0.05)
        s.sendall(b"\n")
        assert floor_answer(s).startswith(b"HTTP/1.1 200 OK\r\n")
        s.sendall(b"GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nConnection: close\r\n\r\n")
        rest = b""
        while chunk := s.recv(4096):  # to its close_notify, not a bare EOF
            rest += chunk
        assert rest.count(b"HTTP/1.1 200 OK\r\n") == 2, rest
    # Under load_http's loads (those of rows 5 and 6): every answer a 200.
    keep = load_http(port, "--conns", "3", "--count", "30")
    assert keep["requests"] == 30 and keep["errors"] == 0, keep
    new = load_http(port, "--newconn", "--conns", "2", "--count", "10")
    assert new["requests"] == 10 and new["errors"] == 0, new
    proc.stdin.close()
    assert proc.wait(timeout=10) == 0


def worktrees():
    out = subprocess.run(["git", "-C", ROOT, "worktree", "list", "--porcelain"],
                         capture_output=True, text=True, check=True).stdout
    return sorted(line for line in out.splitlines() if line.startswith("worktree "))


def test_irc_bench_has_a_row_per_channel_size_and_count():
    """bench/irc_bench.py against a real perchd: the NAMES, the joins and the events went
    through (it fails when a nicklist does not hold every nick at the end), one row per
    channel size and per number of channels."""
    r = subprocess.run([sys.executable, IRC_BENCH, "--build", BUILD, "--runs", "1",
                        "--sizes", "3,120", "--channels", "1,40", "--events", "60",
                        "--timeout", "60"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    for size in ("3", "120"):
        assert re.search(rf"^\| {size} \| [0-9.]+ ms \| [0-9.]+ µs \([0-9.]+× at 3\) \|$",
                         r.stdout, re.M), r.stdout
    for count in ("1", "40"):
        assert re.search(rf"^\| {count} \| [0-9.]+ ms \| [0-9.]+ µs \([0-9.]+× at 1\) \|$",
                         r.stdout, re.M), r.stdout
    for bad in (["--sizes", "0,5"], ["--channels", "x"]):
        r = subprocess.run([sys.executable, IRC_BENCH, "--build", BUILD, *bad],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 1 and f"{bad[0]} needs positive numbers" in r.stderr, r.stderr


def test_unknown_baseline_is_refused():
    r = run_table(*SMALL, "--baseline", "no-such-revision-of-perch", timeout=60)
    assert r.returncode == 1
    assert "BASELINE=no-such-revision-of-perch: no such commit" in r.stderr


def test_baseline_that_does_not_build_leaves_no_worktree(bench_tmp):
    """The first commit has no perchd to build: the temporary worktree made for it is
    removed all the same. Only this run's worktrees are looked at: make test's other suite
    may be adding and removing its own at the same time."""
    shallow = subprocess.run(["git", "-C", ROOT, "rev-parse", "--is-shallow-repository"],
                             capture_output=True, text=True).stdout.strip()
    if shallow != "false":
        pytest.skip("a shallow clone has no first commit to build")
    first = subprocess.run(["git", "-C", ROOT, "rev-list", "--max-parents=0", "HEAD"],
                           capture_output=True, text=True, check=True).stdout.split()[0]
    r = run_table(*SMALL, "--baseline", first, timeout=600, tmp=bench_tmp)
    assert r.returncode == 1
    assert "ninja -C build src/perchd failed" in r.stderr, r.stderr
    assert [w for w in worktrees() if w.startswith(f"worktree {bench_tmp}/")] == []
    assert glob.glob(os.path.join(bench_tmp, "perch-bench-baseline-*")) == []


REFERENCE = os.environ.get("PERCH_REFERENCE_WEECHAT")


def weechat_dirs(tmp):
    return set(glob.glob(os.path.join(tmp, "perch-bench-weechat-*")))


@pytest.fixture
def bench_tmp():
    """A TMPDIR of the bench's own: what it leaves there is its own, not that of another
    suite running the same test at the same time (make test runs two)."""
    tmp = tempfile.mkdtemp(prefix="pb-")
    yield tmp
    shutil.rmtree(tmp, ignore_errors=True)


def table_rows(stdout):
    """{label: cells after the label} of the table printed on stdout."""
    return {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
            for line in stdout.splitlines() if line.startswith("| ") and "measure" not in line}


def fake_weechat(tmp_path, version):
    """A script that answers --version and --help as weechat-headless does, and otherwise
    exits at once: it claims to be WeeChat but serves no relay."""
    path = tmp_path / "weechat-headless"
    path.write_text("#!/bin/sh\ncase \"$1\" in\n"
                    f"--version) echo {version} ;;\n"
                    "--help) echo 'WeeChat 4.9.4'; echo '  -d, --dir <path>' ;;\n"
                    "esac\nexit 0\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def perchd_as_weechat(tmp_path):
    """A weechat-headless stand-in that is perchd: it answers --version and --help as
    WeeChat, and serves the api relay on the ports and with the password the bench's
    /relay and /set commands give it. The reference column's machinery is then tested
    where no WeeChat is built."""
    path = tmp_path / "weechat-headless"
    path.write_text(f"""#!/bin/sh
case "$1" in
--version) echo 4.9.4; exit 0 ;;
--help) echo 'WeeChat stand-in'; echo '  -d, --dir <path>'; exit 0 ;;
esac
while [ $# -gt 0 ]; do
    case "$1" in
    --dir) dir=$2; shift ;;
    --run-command) commands=$2; shift ;;
    esac
    shift
done
tls=$(echo "$commands" | sed -n 's/.*relay add tls[.]api \\([0-9]*\\).*/\\1/p')
plain=$(echo "$commands" | sed -n 's/.*relay add api \\([0-9]*\\).*/\\1/p')
password=$(echo "$commands" | sed -n 's/.*relay[.]network[.]password \\([^;]*\\).*/\\1/p')
PERCH_PASSWORD=$password exec {PERCHD} --dir "$dir" --tls-listen 127.0.0.1:$tls \\
    --plain-listen 127.0.0.1:$plain
""")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_reference_column_judges_row_5_on_the_ratio(tmp_path):
    """Against perchd standing in for WeeChat: the column, the ratio in this tree's row 5
    and its judgement on ratio and CPU together, the reference's event report."""
    r = run_table(*SMALL, "--reference", perchd_as_weechat(tmp_path))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "run 1/1: reference" in r.stderr
    head = next(line for line in r.stdout.splitlines() if line.startswith("| measure"))
    assert [c.strip() for c in head.split("|")[2:4]] == ["perchd (this tree)",
                                                           "WeeChat 4.9.4 (reference)"], head
    rows = table_rows(r.stdout)
    for label in ROW_LABELS:
        cells = next((c for name, c in rows.items() if name.startswith(label)), None)
        assert cells is not None and len(cells) == 6, (label, cells)
        assert re.match(r"[\d,.]+ ", cells[1]), (label, cells)
    version = next(c for name, c in rows.items() if name.startswith(ROW_LABELS[4]))
    ratio = float(re.search(r"\(([\d.]+)× WeeChat\)", version[0])[1])
    cpu = float(re.search(r"([\d.]+) µs/req", version[0])[1])
    assert version[3] == "≥ 3× WeeChat's req/s (same run) and ≤ 8 µs CPU/req: both", version
    # The same server on both sides: about 1×, so never met whatever the CPU.
    assert ratio < 3 and version[4] == "no" and version[5].startswith("no "), version
    assert cpu > 0
    # The best ratio a server at the floor could reach: the reference's CPU over the floor's.
    ref_cpu = float(re.search(r"([\d.]+) µs/req", version[1])[1])
    floor = float(re.fullmatch(r"([\d.]+) µs/req", version[2])[1])
    best = re.search(r"row 5's ratio at its floor: WeeChat's CPU per request over the "
                     r"floor's, ([\d.]+)× \(the most a server at the floor could reach in "
                     r"this run\)", r.stdout)
    assert best and abs(float(best[1]) - ref_cpu / floor) <= 0.06 * ref_cpu / floor + 0.01, \
        (best, ref_cpu, floor)
    assert "reference's events lost or duplicated (not judged): none (every run)" in r.stdout
    assert "\n  reference: " in r.stdout and "WeeChat p50 " in r.stdout


@pytest.mark.parametrize("kind", ["missing", "not executable", "not weechat", "too old",
                                  "no relay"])
def test_reference_that_is_not_a_usable_weechat_fails_before_measuring(kind, tmp_path,
                                                                      bench_tmp):
    if kind == "missing":
        path, message = str(tmp_path / "no-such-weechat"), "no such executable file"
    elif kind == "not executable":
        (tmp_path / "weechat-headless").write_text("not a program\n")
        path, message = str(tmp_path / "weechat-headless"), "no such executable file"
    elif kind == "not weechat":
        path, message = PERCHD, "not a WeeChat binary (--version answered 'perchd "
    elif kind == "too old":
        path, message = fake_weechat(tmp_path, "3.8"), "WeeChat 3.8 has no api relay"
    else:
        path, message = fake_weechat(tmp_path, "4.9.4"), "WeeChat's api relays did not listen"
    started = time.monotonic()
    r = run_table(*SMALL, "--reference", path, timeout=120, tmp=bench_tmp)
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"bench: REFERENCE={path}: " in r.stderr or f"bench: {path}: " in r.stderr, r.stderr
    assert message in r.stderr, r.stderr
    # Refused before the first run: no floor, no perchd measured, no table.
    assert "run 1/1" not in r.stderr and r.stdout == "", r.stdout + r.stderr
    assert time.monotonic() - started < 100
    assert weechat_dirs(bench_tmp) == set()


@pytest.mark.skipif(not REFERENCE, reason="PERCH_REFERENCE_WEECHAT does not name a "
                    "weechat-headless binary (WeeChat 4.3 or later with the relay plugin; "
                    "README, make bench) to measure as the reference")
def test_reference_is_measured_beside_this_tree(bench_tmp):
    r = run_table("--runs", "1", "--clients", "50", "--events", "6", "--rate", "20",
                  "--settle", "0.1", "--lines-requests", "10", "--version-seconds", "0.5",
                  "--newconn-requests", "8", "--timeout", "60", "--reference", REFERENCE,
                  timeout=600, tmp=bench_tmp)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "run 1/1: reference" in r.stderr
    head = next(line for line in r.stdout.splitlines() if line.startswith("| measure"))
    columns = [c.strip() for c in head.split("|")[1:-1]]
    assert columns[1] == "perchd (this tree)", columns
    assert re.fullmatch(r"WeeChat \d+\.\d+(\.\d+)?\S* \(reference\)", columns[2]), columns
    rows = table_rows(r.stdout)
    labels = [label.replace("12", "50") for label in ROW_LABELS]
    for label in labels:
        cells = next((c for name, c in rows.items() if name.startswith(label)), None)
        assert cells is not None and len(cells) == 6, (label, cells, r.stdout)
        ours, weechat = cells[0], cells[1]
        assert re.search(r"\d", ours), (label, ours)
        # Every reference cell is a figure, or "–" and why it could not be measured.
        assert re.match(r"[\d,.]+ ", weechat) or re.fullmatch(r"– \(.+\)", weechat), \
            (label, weechat)
    # WeeChat really answered: its memory, event, request and handshake figures exist.
    for label in labels[:7]:
        weechat = next(c for name, c in rows.items() if name.startswith(label))[1]
        assert re.match(r"[\d,.]+ ", weechat), (label, weechat)
    # Row 5: this tree's req/s over WeeChat's, judged together with CPU/req.
    version = next(c for name, c in rows.items() if name.startswith(labels[4]))
    ratio = re.search(r"\(([\d.]+)× WeeChat\)", version[0])
    assert ratio, version
    assert version[3] == "≥ 3× WeeChat's req/s (same run) and ≤ 8 µs CPU/req: both", version
    cpu = float(re.search(r"([\d.]+) µs/req", version[0])[1])
    assert version[4] == ("yes" if float(ratio[1]) >= 3 and cpu <= 8 else "no"), version
    if float(ratio[1]) < 3:
        assert version[5].startswith("no "), version
    # WeeChat 4.9.4's GnuTLS server issues no session tickets: said, not failed.
    resume = next(c for name, c in rows.items() if name.startswith(labels[8]))[1]
    assert re.fullmatch(r"– \(no TLS resumption: \d+ of \d+ resumed\)", resume) or \
        "resumed)" in resume, resume
    assert "events lost or duplicated: none (every run)" in r.stdout
    assert re.search(r"reference's events lost or duplicated \(not judged\): ", r.stdout)
    assert re.search(r"WeeChat p50 [\d.]+ ms", r.stdout), r.stdout
    assert f"reproduce: make bench REFERENCE={REFERENCE} RUNS=1" in r.stdout
    assert weechat_dirs(bench_tmp) == set()
