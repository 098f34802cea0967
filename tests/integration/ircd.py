"""Real IRC servers for the tests: ngircd started on a free port as a child of the test (and
waited on: PID 1 here does not reap orphans), and a raw IRC client to talk to perchd."""
import os
import shutil
import socket
import subprocess
import tempfile
import time

from conftest import free_port, wait_port

NGIRCD = "/usr/sbin/ngircd"


class Ngircd:
    def __init__(self, port=None, tls=False):
        self.dir = tempfile.mkdtemp(prefix="perch-ngircd-")
        self.port = port or free_port()
        self.conf = os.path.join(self.dir, "ngircd.conf")
        tls_section = ""
        if tls:
            cert, key, self.fingerprint = self_signed_cert(self.dir, "irc.test")
            tls_section = f"[SSL]\nCertFile = {cert}\nKeyFile = {key}\nPorts = {self.port}\n"
        with open(self.conf, "w") as f:
            f.write(f"""[Global]
Name = irc.test
Info = perch test server
Listen = 127.0.0.1
Ports = {"" if tls else self.port}
MotdPhrase = perch test server
[Limits]
MaxConnectionsIP = 0
PingTimeout = 120
PongTimeout = 20
[Options]
DNS = no
Ident = no
PAM = no
{tls_section}""")
        self.start()

    def start(self):
        self.proc, self.log = spawn([NGIRCD, "-n", "-f", self.conf],
                                    os.path.join(self.dir, "ngircd.log"))
        wait_port(self.port, self.proc, name="ngircd")

    def kill(self):
        reap(self.proc, self.log)

    def stop(self):
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def self_signed_cert(directory, cn):
    """A fresh P-256 self-signed certificate in directory: (cert path, key path, SHA-256
    fingerprint as openssl prints it, AB:CD:...). Servers and clients (SASL EXTERNAL) use it."""
    cert, key = os.path.join(directory, f"{cn}.crt"), os.path.join(directory, f"{cn}.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", f"/CN={cn}"], check=True, capture_output=True)
    out = subprocess.run(["openssl", "x509", "-in", cert, "-noout", "-fingerprint",
                          "-sha256"], check=True, capture_output=True, text=True).stdout
    return cert, key, out.strip().split("=", 1)[1]


def spawn(argv, log_path):
    """Starts a server as a direct child (PID 1 here does not reap orphans), its output
    appended to log_path; returns (process, open log file) for reap()."""
    log = open(log_path, "a")
    try:
        return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT), log
    except BaseException:
        log.close()
        raise


def reap(proc, log):
    """Kills a child started by spawn() if it still runs, waits for it, closes its log."""
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    log.close()


class RawIrc:
    """A plain IRC client that registers and then reads lines."""

    def __init__(self, port, nick, register=True, ssl_context=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        if ssl_context:
            self.sock = ssl_context.wrap_socket(self.sock)
        self.buf = b""
        self.nick = nick
        if register:
            self.register()

    def register(self):
        self.send(f"NICK {self.nick}")
        self.send(f"USER {self.nick} 0 * :{self.nick}")
        self.wait_for(" 001 ")

    def send(self, line):
        self.sock.sendall(line.encode() + b"\r\n")

    def line(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise EOFError("server closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        text = line.rstrip(b"\r").decode(errors="replace")
        if text.startswith("PING "):
            self.send("PONG " + text[5:])
        return text

    def wait_for(self, text, timeout=20):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            line = self.line()
            if text in line:
                return line
        raise AssertionError(f"{text!r} not received")

    def close(self):
        self.sock.close()
