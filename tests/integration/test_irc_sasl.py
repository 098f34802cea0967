"""SASL as WeeChat does it, against InspIRCd + Atheme (PLAIN and EXTERNAL, what Atheme 7.2
offers) and against a scripted server for what Atheme cannot show: SCRAM-SHA-256 (Atheme 7.2
has no SCRAM), a forged server signature, AUTHENTICATE in 400-byte parts both ways, the
mechanism list (908), 901/902/905/906/907, and the timeout. CAP END waits for the end of
SASL; a failure does what sasl_fail says; the password is never shown or logged."""
import base64
import hashlib
import hmac
import socket
import threading
import time

import pytest

from inspircd import Inspircd
from ircd import RawIrc, self_signed_cert
from test_irc import CONFIG, cmd, lines, wait_for, wait_line

PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="module")
def network():
    """One InspIRCd + Atheme (with a TLS port for EXTERNAL) for the module: accounts alice
    (password) and carol (password and a client certificate)."""
    server = Inspircd(services=True, tls=True)
    try:
        server.register_account("alice", PASSWORD)
        cert, key, fp = self_signed_cert(server.dir, "carol")
        server.register_account("carol", PASSWORD, certfp=fp)
        with open(f"{server.dir}/carol.pem", "w") as pem:
            pem.write(open(cert).read() + open(key).read())
        server.carol_pem = f"{server.dir}/carol.pem"
        yield server
    finally:
        server.stop()


def said(p, name):
    return [l["message"] for l in lines(p, f"irc.server.{name}")]


def connect(p, name, port, options):
    cmd(p, f"/server add {name} 127.0.0.1/{port} -notls -nicks=perchy {options}")
    cmd(p, f"/connect {name}")


def no_secret_anywhere(p):
    """The password is in no buffer line and no log line."""
    r = p.read_log()
    assert PASSWORD not in r
    for buffer in ["core.weechat"] + [f"irc.server.{n}" for n in ("net", "scram", "s")]:
        assert not any(PASSWORD in l["message"] for l in lines(p, buffer))


def whois_account(server, nick):
    """The account a nick is logged in as (330), or None."""
    c = RawIrc(server.port, "watcher")
    try:
        c.send(f"WHOIS {nick}")
        while True:
            line = c.wait_for(f" {nick} ")
            if " 330 " in line:
                return line.split()[4]
            if " 318 " in line:
                return None
    finally:
        c.close()


def test_plain_logs_in_before_cap_end(perchd_factory, network):
    p = perchd_factory(config=CONFIG)
    connect(p, "net", network.port, f"-sasl_username=alice -sasl_password={PASSWORD}")
    welcome = wait_line(p, "irc.server.net", "Welcome to the PerchTest IRC Network")
    text = said(p, "net")
    requesting = next(m for m in text if m.startswith("irc: client capability, requesting:"))
    assert "sasl" in requesting.split()
    logged = wait_line(p, "irc.server.net", "You are now logged in as alice")
    assert logged["message"] == "You are now logged in as alice (perchy!perch@127.0.0.1)"
    assert "irc_900" in logged["tags"] and "irc_numeric" in logged["tags"]
    ok = wait_line(p, "irc.server.net", "SASL authentication successful")
    assert "irc_903" in ok["tags"]
    # CAP END only after 903: the welcome comes after it.
    assert text.index(ok["message"]) < text.index(welcome["message"])
    assert whois_account(network, "perchy") == "alice"
    cmd(p, "/server listfull")
    assert "    sasl_password: ********" in said_core(p)
    assert "    sasl_fail: reconnect" in said_core(p)
    assert "    sasl_timeout: 15" in said_core(p)
    no_secret_anywhere(p)


def said_core(p):
    return [l["message"] for l in lines(p, "core.weechat")]


@pytest.mark.parametrize("user,password", [("alice", "wrong-password"), ("nobody", PASSWORD)])
def test_failure_with_sasl_fail_disconnect(perchd_factory, network, user, password):
    p = perchd_factory(config=CONFIG)
    connect(p, "net", network.port,
            f"-sasl_username={user} -sasl_password={password} -sasl_fail=disconnect")
    failed = wait_line(p, "irc.server.net", "SASL authentication failed")
    assert "irc_904" in failed["tags"] and "irc_numeric" in failed["tags"]
    wait_line(p, "irc.server.net", "irc: disconnected from server")
    # Disconnected for good: no welcome, no new attempt (the backoff here is 200 ms).
    time.sleep(1)
    text = said(p, "net")
    assert not any("Welcome" in m or "reconnecting" in m for m in text)
    assert sum("connecting to server" in m for m in text) == 1
    no_secret_anywhere(p)


def test_failure_with_sasl_fail_continue_registers(perchd_factory, network):
    p = perchd_factory(config=CONFIG)
    connect(p, "net", network.port,
            "-sasl_username=alice -sasl_password=wrong -sasl_fail=continue")
    wait_line(p, "irc.server.net", "SASL authentication failed")
    wait_line(p, "irc.server.net", "Welcome to the PerchTest IRC Network")
    assert whois_account(network, "perchy") is None


def test_failure_with_default_sasl_fail_reconnects(perchd_factory, network):
    p = perchd_factory(config=CONFIG)
    connect(p, "net", network.port, "-sasl_username=alice -sasl_password=wrong")
    wait_line(p, "irc.server.net", "SASL authentication failed", count=2)
    assert any("reconnecting to server in" in m for m in said(p, "net"))
    cmd(p, "/disconnect net")


def test_external_without_certificate_fails(perchd_factory, network):
    p = perchd_factory(config=CONFIG)
    connect(p, "net", network.port, "-sasl_mechanism=external -sasl_fail=continue")
    wait_line(p, "irc.server.net", "SASL authentication failed")
    wait_line(p, "irc.server.net", "Welcome to the PerchTest IRC Network")


def test_mechanism_the_server_does_not_offer_fails(perchd_factory, network):
    # Atheme 7.2 has no SCRAM: 904 (it sends no 908 list; the scripted server shows 908).
    p = perchd_factory(config=CONFIG)
    connect(p, "net", network.port, f"-sasl_mechanism=scram-sha-256 -sasl_username=alice "
                                    f"-sasl_password={PASSWORD} -sasl_fail=continue")
    wait_line(p, "irc.server.net", "SASL authentication failed")
    wait_line(p, "irc.server.net", "Welcome to the PerchTest IRC Network")


def test_external_with_client_certificate(perchd_factory, network):
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add net 127.0.0.1/{network.tls_port} -tls -tls_verify=off -nicks=perchy "
           f"-tls_cert={network.carol_pem} -sasl_mechanism=external -sasl_fail=disconnect")
    cmd(p, "/connect net")
    wait_line(p, "irc.server.net", "You are now logged in as carol")
    wait_line(p, "irc.server.net", "SASL authentication successful")
    wait_line(p, "irc.server.net", "Welcome to the PerchTest IRC Network")
    assert whois_account(network, "perchy") == "carol"


def test_sasl_not_offered(perchd_factory, inspircd):
    # Without services InspIRCd offers no sasl: WeeChat says so and applies sasl_fail.
    p = perchd_factory(config=CONFIG)
    connect(p, "net", inspircd.port, f"-sasl_username=alice -sasl_password={PASSWORD} "
                                     "-sasl_fail=continue")
    wait_line(p, "irc.server.net", "Welcome to the PerchTest IRC Network")
    line = wait_line(p, "irc.server.net", "irc: client capability: SASL not supported")
    assert "irc_cap" in line["tags"]
    connect(p, "net2", inspircd.port, f"-sasl_username=alice -sasl_password={PASSWORD} "
                                      "-sasl_fail=disconnect")
    wait_line(p, "irc.server.net2", "irc: client capability: SASL not supported")
    wait_line(p, "irc.server.net2", "irc: disconnected from server")
    assert not any("Welcome" in m for m in said(p, "net2"))


# ---- a scripted server for what Atheme cannot show ----

class SaslServer:
    """Offers sasl, ACKs every REQ, welcomes on CAP END, and plays script(server, mechanism)
    for AUTHENTICATE: a generator that gets each whole payload perchd sends (bytes, or "*"
    for an abort). Every line perchd sent is kept in got."""

    def __init__(self, script, caps="sasl=PLAIN,SCRAM-SHA-256"):
        self.script, self.caps = script, caps
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]
        self.got, self.conn = [], None
        threading.Thread(target=self.run, daemon=True).start()

    def send(self, line):
        self.conn.sendall(line.encode() + b"\r\n")

    def run(self):
        try:
            while True:
                self.conn, _ = self.listener.accept()
                self.dialog, self.parts = None, ""
                self.serve()
        except OSError:
            pass

    def serve(self):
        buf = b""
        while True:
            data = self.conn.recv(4096)
            if not data:
                return
            buf += data
            while b"\r\n" in buf:
                line, buf = buf.split(b"\r\n", 1)
                self.got.append(line.decode())
                self.answer(line.decode())

    def answer(self, line):
        if line == "CAP LS 302":
            self.send(f":srv CAP * LS :multi-prefix {self.caps}")
        elif line.startswith("CAP REQ "):
            self.send(":srv CAP * ACK :" + line[len("CAP REQ "):].lstrip(":"))
        elif line == "CAP END":
            self.send(":srv 001 perchy :Welcome perchy")
        elif line.startswith("AUTHENTICATE "):
            self.authenticate(line[len("AUTHENTICATE "):].lstrip(":"))

    def authenticate(self, param):
        if self.dialog is None:
            self.dialog = self.script(self, param)
            next(self.dialog)
            return
        if param == "*":
            self.step("*")
            return
        if param != "+":
            assert len(param) <= 400
            self.parts += param
            if len(param) == 400:
                return
        payload, self.parts = base64.b64decode(self.parts), ""
        self.step(payload)

    def step(self, payload):
        try:
            self.dialog.send(payload)
        except StopIteration:
            self.dialog = None

    def challenge(self, payload):
        """Sends a payload in AUTHENTICATE parts of 400 bytes, "+" after a last full one."""
        text = base64.b64encode(payload).decode() if payload else ""
        for i in range(0, len(text), 400):
            self.send("AUTHENTICATE " + text[i:i + 400])
        if len(text) % 400 == 0:
            self.send("AUTHENTICATE +")

    def close(self):
        self.listener.close()
        if self.conn:
            self.conn.close()


def scram_script(password, forge=False, padding=0, iterations=4096):
    """The server side of SCRAM-SHA-256: checks perchd's proof; forge sends a wrong
    signature; padding adds an extension attribute so its first message needs parts."""
    def script(srv, mechanism):
        assert mechanism == "SCRAM-SHA-256"
        srv.send("AUTHENTICATE +")
        first = (yield).decode()
        assert first.startswith("n,,n=perchy,r=")
        client_bare = first[3:]
        nonce = client_bare.split("r=", 1)[1] + "Srv0nce"
        salt = b"perch-salt-bytes"
        server_first = f"r={nonce},s={base64.b64encode(salt).decode()},i={iterations}"
        if padding:
            server_first += ",x=" + "p" * padding
        srv.challenge(server_first.encode())
        final = (yield).decode()
        without_proof, proof = final.rsplit(",p=", 1)
        assert without_proof == f"c=biws,r={nonce}"
        salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
        client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
        stored = hashlib.sha256(client_key).digest()
        auth = f"{client_bare},{server_first},{without_proof}".encode()
        sig = hmac.new(stored, auth, hashlib.sha256).digest()
        recovered = bytes(a ^ b for a, b in zip(base64.b64decode(proof), sig))
        if hashlib.sha256(recovered).digest() != stored:
            srv.send(":srv 904 perchy :SASL authentication failed")
            return
        server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
        server_sig = hmac.new(server_key, auth, hashlib.sha256).digest()
        if forge:
            server_sig = bytes(reversed(server_sig))
        srv.challenge(b"v=" + base64.b64encode(server_sig))
        answer = yield
        if answer == "*":
            srv.send(":srv 906 perchy :SASL authentication aborted")
            return
        assert answer == b""
        srv.send(":srv 900 perchy perchy!p@h perchy :You are now logged in as perchy")
        srv.send(":srv 903 perchy :SASL authentication successful")
    return script


@pytest.fixture
def scripted():
    servers = []

    def start(script, **kw):
        servers.append(SaslServer(script, **kw))
        return servers[-1]

    yield start
    for s in servers:
        s.close()


@pytest.mark.parametrize("padding", [0, 600])
def test_scram_sha_256(perchd_factory, scripted, padding):
    srv = scripted(scram_script(PASSWORD, padding=padding))
    p = perchd_factory(config=CONFIG)
    connect(p, "scram", srv.port, f"-sasl_mechanism=scram-sha-256 -sasl_username=perchy "
                                  f"-sasl_password={PASSWORD} -sasl_fail=disconnect")
    wait_line(p, "irc.server.scram", "SASL authentication successful")
    wait_line(p, "irc.server.scram", "Welcome perchy")
    assert srv.got.index("AUTHENTICATE SCRAM-SHA-256") < srv.got.index("CAP END")
    no_secret_anywhere(p)


def test_scram_forged_server_signature_aborts(perchd_factory, scripted):
    srv = scripted(scram_script(PASSWORD, forge=True))
    p = perchd_factory(config=CONFIG)
    connect(p, "scram", srv.port, f"-sasl_mechanism=scram-sha-256 -sasl_username=perchy "
                                  f"-sasl_password={PASSWORD} -sasl_fail=continue")
    error = wait_line(p, "irc.server.scram", "irc: SASL error: unable to validate server signature")
    assert error["prefix"] == "=!="
    aborted = wait_line(p, "irc.server.scram", "SASL authentication aborted")
    assert "irc_906" in aborted["tags"]
    wait_line(p, "irc.server.scram", "Welcome perchy")
    assert "AUTHENTICATE *" in srv.got


def test_scram_wrong_password_is_refused(perchd_factory, scripted):
    srv = scripted(scram_script("another-password"))
    p = perchd_factory(config=CONFIG)
    connect(p, "scram", srv.port, f"-sasl_mechanism=scram-sha-256 -sasl_username=perchy "
                                  f"-sasl_password={PASSWORD} -sasl_fail=continue")
    wait_line(p, "irc.server.scram", "SASL authentication failed")
    wait_line(p, "irc.server.scram", "Welcome perchy")


def test_plain_long_credentials_go_in_parts(perchd_factory, scripted):
    long_password = "x" * 700
    received = []

    def script(srv, mechanism):
        srv.send("AUTHENTICATE +")
        received.append((yield))
        srv.send(":srv 903 perchy :SASL authentication successful")

    srv = scripted(script)
    p = perchd_factory(config=CONFIG)
    connect(p, "s", srv.port, f"-sasl_username=perchy -sasl_password={long_password}")
    wait_line(p, "irc.server.s", "Welcome perchy")
    assert received == [b"perchy\0perchy\0" + long_password.encode()]
    parts = [l for l in srv.got if l.startswith("AUTHENTICATE ") and l != "AUTHENTICATE PLAIN"]
    assert [len(l) - len("AUTHENTICATE ") for l in parts[:2]] == [400, 400]
    assert len(parts) == 3


def numerics_script(*replies):
    def script(srv, mechanism):
        srv.send("AUTHENTICATE +")
        yield
        for reply in replies:
            srv.send(reply)
    return script


@pytest.mark.parametrize("replies,shown,tag,welcomed", [
    ([":srv 908 perchy EXTERNAL,SCRAM-SHA-256 :are available SASL mechanisms",
      ":srv 904 perchy :SASL authentication failed"],
     "EXTERNAL,SCRAM-SHA-256 are available SASL mechanisms", "irc_908", False),
    ([":srv 902 perchy :You must use a nick assigned to you"],
     "You must use a nick assigned to you", "irc_902", False),
    ([":srv 905 perchy :SASL message too long"], "SASL message too long", "irc_905", False),
    ([":srv 907 perchy :You have already authenticated using SASL"],
     "You have already authenticated using SASL", "irc_907", True),
    ([":srv 900 perchy * acct :You are now logged in as acct",
      ":srv 901 perchy perchy!p@h :You are now logged out",
      ":srv 903 perchy :SASL authentication successful"], "You are now logged out", "irc_901",
     True),
])
def test_numerics_shown_and_followed(perchd_factory, scripted, replies, shown, tag, welcomed):
    srv = scripted(numerics_script(*replies))
    p = perchd_factory(config=CONFIG)
    connect(p, "s", srv.port, f"-sasl_username=perchy -sasl_password={PASSWORD} "
                              "-sasl_fail=disconnect")
    line = wait_line(p, "irc.server.s", shown)
    assert line["message"] == shown
    assert tag in line["tags"] and "irc_numeric" in line["tags"]
    if welcomed:
        wait_line(p, "irc.server.s", "Welcome perchy")
    else:
        wait_line(p, "irc.server.s", "irc: disconnected from server")
        assert "CAP END" not in srv.got
    if "acct" in shown or any(" 900 " in r for r in replies):
        # 900 with "*" for the mask: the text alone.
        assert "You are now logged in as acct" in said(p, "s")


@pytest.mark.parametrize("fail,welcomed", [("continue", True), ("disconnect", False)])
def test_timeout(perchd_factory, scripted, fail, welcomed):
    def silent(srv, mechanism):
        yield  # never answers AUTHENTICATE PLAIN

    srv = scripted(silent)
    p = perchd_factory(config=CONFIG)
    connect(p, "s", srv.port, f"-sasl_username=perchy -sasl_password={PASSWORD} "
                              f"-sasl_timeout=1 -sasl_fail={fail}")
    line = wait_line(p, "irc.server.s", "irc: SASL authentication timeout")
    assert line["prefix"] == "=!="
    if welcomed:
        wait_line(p, "irc.server.s", "Welcome perchy")
    else:
        wait_line(p, "irc.server.s", "irc: disconnected from server")
        wait_for(lambda: any(l.startswith("QUIT") for l in srv.got))
        assert "CAP END" not in srv.got


def test_bad_authenticate_from_server_aborts(perchd_factory, scripted):
    def bad_scram(srv, mechanism):
        srv.send("AUTHENTICATE +")
        yield
        srv.send("AUTHENTICATE not*base64")
        assert (yield) == "*"
        srv.send(":srv 906 perchy :SASL authentication aborted")

    srv = scripted(bad_scram)
    p = perchd_factory(config=CONFIG)
    connect(p, "scram", srv.port, f"-sasl_mechanism=scram-sha-256 -sasl_username=perchy "
                                  f"-sasl_password={PASSWORD} -sasl_fail=continue")
    wait_line(p, "irc.server.scram", "irc: SASL error: protocol error")
    wait_line(p, "irc.server.scram", "SASL authentication aborted")
    wait_line(p, "irc.server.scram", "Welcome perchy")


def test_bad_options_are_refused(perchd_factory):
    p = perchd_factory(config=CONFIG)
    cmd(p, "/server add x 127.0.0.1/6667 -sasl_fail=sometimes")
    wait_line(p, "core.weechat", "invalid value \"sometimes\" for sasl_fail")
    cmd(p, "/server add x 127.0.0.1/6667 -sasl_timeout=0")
    wait_line(p, "core.weechat", "invalid value \"0\" for sasl_timeout (1 to 3600 seconds)")
    cmd(p, "/server add x 127.0.0.1/6667")
    cmd(p, "/set irc.server.x.sasl_timeout 99999")
    wait_line(p, "core.weechat", "invalid value \"99999\" for sasl_timeout")
    cmd(p, "/server listfull x")
    assert "    sasl_timeout: 15" in said_core(p)


# ---- /auth: SASL once connected ----

def test_auth_logs_in_once_connected_and_forgets_the_credentials(perchd_factory, network):
    p = perchd_factory(config=CONFIG)
    connect(p, "net", network.port, "")
    wait_line(p, "irc.server.net", "Welcome to the PerchTest IRC Network")
    # Nothing to authenticate with: WeeChat's error, nothing sent.
    cmd(p, "/auth", buffer="irc.server.net")
    wait_line(p, "irc.server.net", 'irc: "auth" command can only be executed if SASL is enabled '
                                   'via server options "sasl_*" (or you must give username and '
                                   'password)')
    assert whois_account(network, "perchy") is None
    # Given credentials: sasl asked for, then the exchange, then logged in.
    cmd(p, f"/auth alice {PASSWORD}", buffer="irc.server.net")
    wait_line(p, "irc.server.net", "irc: client capability, enabled: sasl")
    wait_line(p, "irc.server.net", "You are now logged in as alice")
    wait_line(p, "irc.server.net", "SASL authentication successful")
    assert whois_account(network, "perchy") == "alice"
    # Asked again: a wrong password is refused and the link goes on; another account works.
    cmd(p, "/auth alice wrong-password", buffer="irc.server.net")
    failed = wait_line(p, "irc.server.net", "SASL authentication failed")
    assert "irc_904" in failed["tags"]
    cmd(p, f"/auth carol {PASSWORD}", buffer="irc.server.net")
    wait_line(p, "irc.server.net", "You are now logged in as carol")
    assert whois_account(network, "perchy") == "carol"
    # A username alone is no credentials.
    cmd(p, "/auth carol", buffer="irc.server.net")
    wait_line(p, "irc.server.net", 'irc: "auth" command can only be executed', count=2)
    no_secret_anywhere(p)


def test_auth_without_sasl_on_the_server_or_a_link(perchd_factory, inspircd):
    p = perchd_factory(config=CONFIG)
    connect(p, "net", inspircd.port, "")
    wait_line(p, "irc.server.net", "Welcome to the PerchTest IRC Network")
    cmd(p, f"/auth alice {PASSWORD}", buffer="irc.server.net")
    wait_line(p, "irc.server.net", "irc: SASL is not supported by the server")
    cmd(p, "/disconnect net")
    wait_line(p, "irc.server.net", "irc: disconnected from server")
    cmd(p, f"/auth alice {PASSWORD}", buffer="irc.server.net")
    wait_line(p, "irc.server.net", 'irc: command "auth" must be executed on connected irc server')
    no_secret_anywhere(p)
