"""make bench REFERENCE=path: WeeChat's api relay (weechat-headless) as the reference the
goals of issue 14 are judged against. Each process gets a fresh temporary home, the bench's
password, a self-signed ECDSA P-256 certificate (made once per bench) and api relays on a
TLS and a plain port on 127.0.0.1; it offers the interface of perf_procs.Perchd, so the
scenarios run unchanged against it. WeeChat is the judge's tool: nothing of it is built or
installed by perch."""
import contextlib
import os
import pathlib
import re
import shutil
import socket
import subprocess
import tempfile

from perf_procs import PASSWORD, BenchError, Server

# The api relay (and its JSON, cJSON) came with WeeChat 4.3.0.
MIN_VERSION = (4, 3)


def _version(path):
    """The version weechat-headless reports, as text; BenchError if it is not WeeChat."""
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise BenchError(f"REFERENCE={path}: no such executable file (a weechat-headless "
                         "binary is needed)")
    answers = []
    for flag in ("--version", "--help"):
        try:
            r = subprocess.run([path, flag], capture_output=True, text=True, timeout=10,
                               stdin=subprocess.DEVNULL, errors="replace")
        except (OSError, subprocess.TimeoutExpired) as e:
            raise BenchError(f"REFERENCE={path}: not a WeeChat binary ({flag}: {e})")
        answers.append(r.stdout.strip())
    version, helptext = answers
    if not re.fullmatch(r"\d+\.\d+(\.\d+)?(-\S+)?", version) or "WeeChat" not in helptext \
            or "--dir" not in helptext:
        first = version.splitlines()[0][:80] if version else ""
        raise BenchError(f"REFERENCE={path}: not a WeeChat binary (--version answered "
                         f"{first!r})")
    if tuple(int(x) for x in version.split("-")[0].split(".")[:2]) < MIN_VERSION:
        raise BenchError(f"REFERENCE={path}: WeeChat {version} has no api relay (4.3 or "
                         "later is needed)")
    return version


def _make_certificate(path):
    """A self-signed ECDSA P-256 certificate and its key in one PEM file, the form
    relay.network.tls_cert_key reads."""
    with tempfile.TemporaryDirectory(prefix="perch-bench-cert-") as tmp:
        key, cert = os.path.join(tmp, "key.pem"), os.path.join(tmp, "cert.pem")
        r = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out",
                            cert, "-days", "30", "-subj", "/CN=127.0.0.1"],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise BenchError(f"openssl could not make the reference's certificate: "
                             f"{r.stderr[-500:]}")
        with open(path, "w") as out:
            for part in (key, cert):
                with open(part) as f:
                    out.write(f.read())
    os.chmod(path, 0o600)


def _plugin_dir(binary):
    """relay.so's folder when binary is the one of a WeeChat build tree (not installed):
    WeeChat looks for plugins only in its install prefix and in its home."""
    # The binary is BUILD/src/gui/curses/headless/weechat-headless, its plugin in
    # BUILD/src/plugins/relay: three folders up from the binary's own, not from this file.
    up = pathlib.Path(binary).resolve().parent.parents
    if len(up) < 3:
        return None
    candidate = up[2] / "plugins" / "relay"
    return str(candidate) if (candidate / "relay.so").is_file() else None


class Reference(Server):
    """A weechat-headless in its own temporary home, its api relays listening on loopback
    (TLS and plain); same interface as perf_procs.Perchd."""

    def __init__(self, binary, certificate, clients):
        self.binary = binary
        self.certificate = certificate
        self.dir = tempfile.mkdtemp(prefix="perch-bench-weechat-")
        plugins = _plugin_dir(binary)
        if plugins:
            os.mkdir(os.path.join(self.dir, "plugins"))
            os.symlink(os.path.join(plugins, "relay.so"),
                       os.path.join(self.dir, "plugins", "relay.so"))
        self.proc = None
        self.log = None
        # Its defaults otherwise: only what the bench needs. max_clients is 5 by default;
        # auth_timeout (60 s) also ends a keep-alive HTTP connection that long, which the
        # 2000 requests of lines=-100 outlast.
        self.setup = [f"/set relay.network.password {PASSWORD}",
                      f"/set relay.network.tls_cert_key {certificate}",
                      "/set relay.network.max_clients 0",
                      "/set relay.network.auth_timeout 0",
                      "/set relay.network.bind_address 127.0.0.1",
                      "/set relay.network.ipv6 off"]

    def __enter__(self):
        self.log = open(os.path.join(self.dir, "stdout.log"), "w")
        # --plugins relay: no other plugin of a full build (irc, logger, scripts) is loaded.
        if self._start(lambda tls, plain: [
                self.binary, "--dir", self.dir, "--no-connect", "--no-script", "--plugins",
                "relay", "--run-command",
                ";".join(self.setup + [f"/relay add tls.api {tls}", f"/relay add api {plain}"])]):
            return self
        log = self.read_log()
        self.__exit__(BenchError, None, None)  # clean up only
        raise BenchError(f"{self.binary}: WeeChat's api relays did not listen (is it built "
                         f"with the relay plugin and cJSON?); its log: {log}")

    def read_log(self):
        text = ""
        for name in ("weechat.log", "stdout.log"):
            try:
                with open(os.path.join(self.dir, name), errors="replace") as f:
                    text += f"[{name}] " + f.read()[-1500:] + "\n"
            except OSError:
                pass
        return text

    def __exit__(self, exc_type, *exc):
        # Ended before it was asked to: it crashed during the measurement.
        died = self.proc is not None and self.proc.poll() is not None
        self._reap()
        if self.log:
            self.log.close()
        log = self.read_log()
        shutil.rmtree(self.dir, ignore_errors=True)
        if exc_type is None and died:
            raise BenchError(f"weechat-headless ended ({self.proc.returncode}) during the "
                             f"measurement; its log: {log}")


class ReferenceTarget:
    """The reference as make bench's table runs it: checked before anything is measured
    (its version, then one start answering GET /api/version over TLS), each scenario a
    fresh process."""

    reference = True
    name = "reference"
    short = "WeeChat"

    def __init__(self, binary, tmp):
        self.binary = os.path.abspath(binary)
        self.version = _version(self.binary)
        self.column = f"WeeChat {self.version} (reference)"
        self.certificate = os.path.join(tmp, "relay.pem")
        _make_certificate(self.certificate)
        self._smoke_test()

    def start(self, clients):
        return Reference(self.binary, self.certificate, clients)

    def _smoke_test(self):
        with self.start(1) as w:
            try:
                status, body = w.request("GET", "/api/version", tls=True)
            except (OSError, socket.timeout) as e:
                status, body = 0, str(e).encode()
            if status != 200 or b'"weechat_version"' not in body:
                raise BenchError(f"{self.binary}: GET /api/version over TLS answered "
                                 f"{status} {body[:200]!r}; its log: {w.read_log()}")


@contextlib.contextmanager
def reference_target(binary):
    """Yields a ReferenceTarget; its certificate's folder is removed afterwards."""
    tmp = tempfile.mkdtemp(prefix="perch-bench-reference-")
    try:
        yield ReferenceTarget(binary, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

