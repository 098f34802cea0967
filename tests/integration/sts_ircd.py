"""A small scripted IRC server for the STS cases InspIRCd cannot play (it never says
duration=0 nor a malformed value): a plain port and a TLS port (a fresh self-signed
certificate, pinned by the client with `fingerprint`), each offering `sts=VALUE` in CAP LS
while plain_sts / tls_sts is set (the test changes them between connections). It ACKs every
REQ, welcomes after CAP END, answers PING, and counts the connections on each port."""
import shutil
import socket
import ssl
import tempfile
import threading

from ircd import self_signed_cert


class StsIrcd:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="perch-sts-")
        cert, key, self.fingerprint = self_signed_cert(self.dir, "localhost")
        self.tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls_context.load_cert_chain(cert, key)
        self.plain_sts = self.tls_sts = None
        self.counts = {"plain": 0, "tls": 0}
        self.lock = threading.Lock()
        self.conns = []
        self.listeners = {}
        for kind in ("plain", "tls"):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            s.listen(8)
            self.listeners[kind] = s
            threading.Thread(target=self._accept, args=(kind,), daemon=True).start()
        self.port = self.listeners["plain"].getsockname()[1]
        self.tls_port = self.listeners["tls"].getsockname()[1]

    def _accept(self, kind):
        while True:
            try:
                conn, _ = self.listeners[kind].accept()
            except OSError:
                return
            with self.lock:
                self.counts[kind] += 1
                self.conns.append(conn)
            threading.Thread(target=self._serve, args=(conn, kind), daemon=True).start()

    def _serve(self, conn, kind):
        try:
            if kind == "tls":
                conn.settimeout(10)
                conn = self.tls_context.wrap_socket(conn, server_side=True)
                conn.settimeout(None)
                with self.lock:
                    self.conns.append(conn)
            buf = b""
            while True:
                data = conn.recv(4096)
                if not data:
                    return
                buf += data
                while b"\r\n" in buf:
                    line, buf = buf.split(b"\r\n", 1)
                    if not self._answer(conn, kind, line.decode(errors="replace")):
                        return
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()

    def _answer(self, conn, kind, line):
        def send(text):
            conn.sendall(text.encode() + b"\r\n")

        value = self.plain_sts if kind == "plain" else self.tls_sts
        if line == "CAP LS 302":
            send(":srv CAP * LS :multi-prefix" + (f" sts={value}" if value is not None else ""))
        elif line.startswith("CAP REQ "):
            send(":srv CAP * ACK :" + line[len("CAP REQ "):].lstrip(":"))
        elif line == "CAP END":
            send(":srv 001 perchy :Welcome to the scripted network")
        elif line.startswith("PING "):
            send(":srv PONG srv " + line[5:])
        elif line.startswith("QUIT"):
            return False
        return True

    def stop(self):
        for s in self.listeners.values():
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        with self.lock:
            for c in self.conns:
                try:
                    c.close()
                except OSError:
                    pass
        shutil.rmtree(self.dir, ignore_errors=True)
