"""Real IRC servers for the tests: ngircd started on a free port as a child of the test (and
waited on: PID 1 here does not reap orphans), and a raw IRC client to talk to perchd."""
import os
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
            # A self-signed certificate; its SHA-256 fingerprint is what pinning names.
            cert, key = os.path.join(self.dir, "cert.pem"), os.path.join(self.dir, "key.pem")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
                            "-days", "2", "-subj", "/CN=irc.test"], check=True,
                           capture_output=True)
            out = subprocess.run(["openssl", "x509", "-in", cert, "-noout", "-fingerprint",
                                  "-sha256"], check=True, capture_output=True, text=True).stdout
            self.fingerprint = out.strip().split("=", 1)[1]
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
        self.log = open(os.path.join(self.dir, "ngircd.log"), "a")
        self.proc = subprocess.Popen([NGIRCD, "-n", "-f", self.conf], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        wait_port(self.port, self.proc)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.log.close()

    def stop(self):
        self.kill()
        subprocess.run(["rm", "-rf", self.dir], check=False)


class RawIrc:
    """A plain IRC client that registers and then reads lines."""

    def __init__(self, port, nick):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""
        self.nick = nick
        self.send(f"NICK {nick}")
        self.send(f"USER {nick} 0 * :{nick}")
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
