"""Processes of make bench's table: a perchd with a config written for the bench (the
reference's WeeChat is in perf_reference.py), the load generators and floor programs it
talks to one line at a time, and /proc readings. Every child is waited for with a timeout
and killed if it overstays; nothing outlives a run."""
import base64
import ctypes
import http.client
import os
import select
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

PASSWORD = "bench-secret"
AUTH = "Basic " + base64.b64encode(f"plain:{PASSWORD}".encode()).decode()

# Connections not authenticated yet have their own budget (64, 16 per address): a bench
# connecting many at once from one address needs more, and every client must fit.
CONFIG = """[relay]
max_clients = {max_clients}
[limits]
unauth_max = {unauth}
unauth_max_per_addr = {unauth}
[log]
level = warn
"""


class BenchError(Exception):
    pass


def _interrupted(signum, frame):
    raise KeyboardInterrupt


def run_bench(main, errors=()):
    """Runs a bench's main as the command: SIGTERM unwinds like Ctrl-C, so every process and
    worktree it started is cleaned up on the way out; a BenchError (or one of errors) ends
    it with its message and status 1, an interrupt with 130."""
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        sys.exit(main())
    except (BenchError, *errors) as e:
        print(f"bench: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


_libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1


def _dies_with_parent(sig):
    """For preexec_fn: the child gets sig if the bench itself dies (even by SIGKILL), so a
    killed bench leaves no perchd or load generator behind."""
    return lambda: _libc.prctl(PR_SET_PDEATHSIG, int(sig))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_cpu_s(pid):
    """utime + stime of a process, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise BenchError(f"no VmRSS for {pid}")


def parse_kv(line):
    """'word a=1 b=2.5' -> {'a': 1.0, 'b': 2.5}"""
    out = {}
    for item in line.split()[1:]:
        if "=" in item:
            k, v = item.split("=", 1)
            out[k] = float(v)
    return out


class Server:
    """What the scenarios use of a relay process (perchd or the reference): its ports, its
    /proc readings and single requests. A subclass starts it in __enter__ (self.proc,
    self.tls_port, self.plain_port) and stops it in __exit__."""

    def _start(self, command, env=None):
        """Starts self.proc from command(tls_port, plain_port), its output in self.log, on
        free ports; a free port can be taken by someone else before the server binds it, so
        it tries again. True once both ports answer."""
        for _ in range(5):
            self.tls_port, self.plain_port = free_port(), free_port()
            self.proc = subprocess.Popen(
                command(self.tls_port, self.plain_port), env=env, stdout=self.log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                preexec_fn=_dies_with_parent(signal.SIGTERM))
            if self._wait_listening():
                return True
            self._reap()
        return False

    def _wait_listening(self):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", self.plain_port), timeout=0.5).close()
                socket.create_connection(("127.0.0.1", self.tls_port), timeout=0.5).close()
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def _reap(self):
        """SIGTERM (perchd and WeeChat both stop cleanly on it), SIGKILL after 30 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    @property
    def pid(self):
        return self.proc.pid

    def cpu_s(self):
        return proc_cpu_s(self.pid)

    def rss_kib(self):
        return proc_rss_kib(self.pid)

    def request(self, method, path, body=None, tls=False):
        """One request on a new connection; returns (status, body bytes)."""
        if tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            conn = http.client.HTTPSConnection("127.0.0.1", self.tls_port, context=ctx,
                                               timeout=30)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.plain_port, timeout=30)
        try:
            headers = {"Authorization": AUTH, "Content-Type": "application/json"}
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()


class Perchd(Server):
    """A perchd in its own temporary data dir, listening on loopback (TLS and plain)."""

    def __init__(self, binary, clients):
        self.binary = binary
        self.dir = tempfile.mkdtemp(prefix="perch-bench-")
        with open(os.path.join(self.dir, "perchd.conf"), "w") as f:
            f.write(CONFIG.format(max_clients=clients + 100, unauth=max(64, clients + 16)))
        self.proc = None
        self.log = None

    def __enter__(self):
        env = dict(os.environ, PERCH_PASSWORD=PASSWORD)
        env.pop("XDG_DATA_HOME", None)
        self.log = open(os.path.join(self.dir, "perchd.log"), "w")
        if self._start(lambda tls, plain: [self.binary, "--dir", self.dir,
                                           "--tls-listen", f"127.0.0.1:{tls}",
                                           "--plain-listen", f"127.0.0.1:{plain}"], env):
            return self
        log = self.read_log()
        self.__exit__(BenchError, None, None)  # clean up only
        raise BenchError(f"{self.binary} did not start; its log: {log}")

    def read_log(self):
        try:
            with open(os.path.join(self.dir, "perchd.log")) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def __exit__(self, exc_type, *exc):
        self._reap()
        if self.log:
            self.log.close()
        log = self.read_log()
        status = self.proc.returncode if self.proc else 0
        shutil.rmtree(self.dir, ignore_errors=True)
        # A perchd that did not stop cleanly (or a sanitizer report) spoils the run.
        if exc_type is None and (status != 0 or "Sanitizer" in log or "runtime error:" in log):
            raise BenchError(f"perchd exited with {status}; its log: {log}")


class PerchdTarget:
    """A perchd binary as make bench's table runs it: each scenario a fresh process."""

    reference = False

    def __init__(self, name, binary, column):
        self.name = self.short = name
        self.binary = binary
        self.column = column

    def start(self, clients):
        return Perchd(self.binary, clients)


class Tool:
    """A load generator or floor program; lines in on stdin, lines out on stdout."""

    def __init__(self, argv):
        self.argv = argv
        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.err, preexec_fn=_dies_with_parent(signal.SIGKILL))
        self.buf = b""

    def __enter__(self):
        return self

    def stderr(self):
        self.err.seek(0)
        return self.err.read().decode(errors="replace")[-2000:]

    def expect(self, word, timeout):
        """The next stdout line starting with word (others are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                text = line.decode()
                if text.startswith("error"):
                    raise BenchError(f"{os.path.basename(self.argv[0])}: {text}\n{self.stderr()}")
                if text.split(" ", 1)[0] == word:
                    return text
            left = deadline - time.monotonic()
            if left <= 0:
                raise BenchError(f"{os.path.basename(self.argv[0])}: no '{word}' within "
                                 f"{timeout:.0f} s\n{self.stderr()}")
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    self.proc.wait(timeout=10)
                    raise BenchError(f"{os.path.basename(self.argv[0])} ended "
                                     f"({self.proc.returncode}) before '{word}'\n{self.stderr()}")
                self.buf += chunk

    def send(self, line):
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def finish(self, timeout=30):
        """Ends the input and waits for a clean exit (a failure or a sanitizer report in a
        load generator fails the run)."""
        name = os.path.basename(self.argv[0])
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            status = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise BenchError(f"{name} did not exit within {timeout:.0f} s")
        if status != 0:
            raise BenchError(f"{name} exited with {status}\n{self.stderr()}")

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.err.close()


class FloorServer(Tool):
    """floor_tls_server as the scenarios use a relay: its TLS port and its CPU from /proc,
    read as perchd's."""

    def __init__(self, binary, timeout):
        super().__init__([binary])
        self.timeout = timeout

    def __enter__(self):
        # Its port is read inside the with: a server that never says "ready" is stopped too.
        try:
            self.tls_port = int(parse_kv(self.expect("ready", self.timeout))["port"])
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def cpu_s(self):
        return proc_cpu_s(self.proc.pid)


def run_floor(argv, timeout):
    """Runs a floor program to its end; returns its result line's values."""
    with Tool(argv) as t:
        line = t.expect(os.path.basename(argv[0]), timeout)
        t.finish(timeout)
        return parse_kv(line)
