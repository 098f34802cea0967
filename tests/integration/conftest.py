"""Integration fixtures: a real perchd on loopback with free ports, real TLS clients."""
import base64
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time

import pytest

PERCHD = os.environ.get("PERCHD") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "src", "perchd")
PASSWORD = "secret"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=20, name="perchd"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited early with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not start listening")


class Perchd:
    """One perchd process with its own data dir; stopped (and checked) at teardown."""

    def __init__(self, tmpdir, config=None, env=None, args=(), binary=None, ports=None):
        """ports: (tls, plain) to listen on (a perchd taking over from one that ended, its
        log appended to); by default free ones."""
        self.dir = tmpdir
        self.log_path = os.path.join(tmpdir, "perchd.log")
        self.config_path = os.path.join(tmpdir, "perchd.conf")
        if config is not None:
            with open(self.config_path, "w") as f:
                f.write(config)
        e = dict(os.environ, PERCH_PASSWORD=PASSWORD)
        e.pop("XDG_DATA_HOME", None)
        if env:
            e.update(env)
        # A free port can be taken by someone else before perchd binds it: try again.
        for attempt in range(5):
            self.tls_port, self.plain_port = ports or (free_port(), free_port())
            self.log = open(self.log_path, "a" if ports else "w")
            self.proc = subprocess.Popen(
                [binary or PERCHD, "--dir", tmpdir, "--tls-listen", f"127.0.0.1:{self.tls_port}",
                 "--plain-listen", f"127.0.0.1:{self.plain_port}", *args],
                stdout=self.log, stderr=subprocess.STDOUT, env=e)
            try:
                wait_port(self.tls_port, self.proc)
                wait_port(self.plain_port, self.proc)
                return
            except RuntimeError:
                self.log.close()
                if attempt == 4 or "address already in use" not in self.read_log():
                    raise
                if ports:
                    time.sleep(0.5)  # the same ports: wait for whoever holds them

    def read_log(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("perchd did not stop on SIGTERM")
        self.log.close()
        return self.proc.returncode


@pytest.fixture
def perchd_factory():
    started = []
    dirs = []

    def start(config=None, env=None, args=(), binary=None):
        d = tempfile.mkdtemp(prefix="perch-test-")
        dirs.append(d)
        p = Perchd(d, config=config, env=env, args=args, binary=binary)
        started.append(p)
        return p

    yield start
    errors = []
    try:
        for p in started:
            # Each one is stopped, even after another failed to stop.
            try:
                rc = p.stop()
            except AssertionError as e:
                errors.append(f"{e}:\n{p.read_log()[-3000:]}")
                continue
            log = p.read_log()
            # Sanitizer reports and leaks make the run fail even if every check passed.
            if rc != 0 or "ERROR: AddressSanitizer" in log or "runtime error:" in log:
                errors.append(f"perchd exit {rc}:\n{log[-3000:]}")
    finally:
        for d in dirs:
            shutil.rmtree(d, ignore_errors=True)
    assert not errors, "\n".join(errors)


@pytest.fixture
def perchd(perchd_factory):
    return perchd_factory()


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    # Report a missing close_notify as an error instead of hiding it.
    ctx.options &= ~getattr(ssl, "OP_IGNORE_UNEXPECTED_EOF", 0)
    return ctx


def connect(port, timeout=10, source=None):
    """A TCP connection to perchd, from a chosen loopback address (127.0.0.x) if asked."""
    return socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                    source_address=(source, 0) if source else None)


class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # list of (name, value) in order
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def json(self):
        return json.loads(self.body)


class Client:
    """A raw HTTP/1.1 client over one TCP or TLS connection (keep-alive, exact bytes)."""

    def __init__(self, port, tls=True, timeout=10, source=None):
        raw = connect(port, timeout, source)
        self.sock = tls_context().wrap_socket(raw) if tls else raw
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("connection closed")
        self.buf += chunk

    def read_response(self):
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        _, status, reason = lines[0].split(" ", 2)
        headers = [tuple(x.split(": ", 1)) for x in lines[1:]]
        resp = Response(int(status), reason, headers, b"")
        length = int(resp.header("Content-Length") or 0)
        while len(self.buf) < length:
            self._fill()
        resp.body, self.buf = self.buf[:length], self.buf[length:]
        return resp

    def request(self, method, path, body=None, headers=None, auth=True):
        h = {"Host": "127.0.0.1"}
        if auth:
            h["Authorization"] = basic(f"plain:{PASSWORD}")
        if body is not None:
            if not isinstance(body, (bytes, str)):
                body = json.dumps(body)
            body = body.encode() if isinstance(body, str) else body
            h["Content-Type"] = "application/json"
            h["Content-Length"] = str(len(body))
        h.update(headers or {})
        data = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items())
        self.send(data.encode() + b"\r\n" + (body or b""))
        return self.read_response()

    def at_eof(self, timeout=5):
        """True when the server closed: with TLS, only a close_notify counts."""
        self.sock.settimeout(timeout)
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    return True
        except ssl.SSLEOFError:
            return False  # TCP closed without close_notify
        except (ConnectionResetError, socket.timeout):
            return False

    def close(self):
        self.sock.close()


def basic(credential):
    return "Basic " + base64.b64encode(credential.encode()).decode()


def request(port, method, path, body=None, headers=None, auth=True, tls=True, source=None):
    c = Client(port, tls=tls, source=source)
    try:
        return c.request(method, path, body=body, headers=headers, auth=auth)
    finally:
        c.close()


@pytest.fixture
def ngircd():
    """A plain ngircd on a free port, stopped after the test."""
    from ircd import Ngircd
    server = Ngircd()
    yield server
    server.stop()


@pytest.fixture
def inspircd_factory():
    """Starts InspIRCd servers (inspircd.Inspircd's options: services, tls, sts, ...),
    all stopped after the test."""
    from inspircd import Inspircd
    started = []

    def start(**options):
        server = Inspircd(**options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def inspircd(inspircd_factory):
    """InspIRCd 3 with the IRCv3 modules, no services (so no sasl offered)."""
    return inspircd_factory()


@pytest.fixture
def inspircd_atheme(inspircd_factory):
    """InspIRCd 3 with Atheme linked and synced: sasl (PLAIN, EXTERNAL) is offered and
    register_account() works."""
    return inspircd_factory(services=True)
