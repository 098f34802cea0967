"""InspIRCd 3 with the IRCv3 modules, and optionally Atheme services linked to it, as
children of the test (free ports, a temp dir, killed and waited on at the end, also when
starting fails).

    server = Inspircd(services=True, tls=True)   # or the fixtures in conftest.py
    server.register_account("alice", "hunter22", certfp=fingerprint)
    ... perchd connects to 127.0.0.1:server.port (or server.tls_port) ...
    server.stop()
"""
import os
import shutil
import tempfile
import time

from conftest import free_port, wait_port
from ircd import RawIrc, reap, self_signed_cert, spawn

INSPIRCD = "/usr/sbin/inspircd"
ATHEME = "/usr/bin/atheme-services"

SERVER_NAME = "irc.test"
SERVICES_NAME = "services.test"
NETWORK = "PerchTest"
# An operator allowed every command (CHGHOST among them): RawIrc.send(f"OPER {OPER_NAME} ...").
OPER_NAME = "perchoper"
OPER_PASSWORD = "operpass"
LINK_PASSWORD = "linkpass"

# Loaded in this order; ircv3_sts is added only with a TLS port (it needs one).
MODULES = [
    "cap", "ircv3", "ircv3_capnotify", "ircv3_echomessage", "ircv3_servertime",
    "ircv3_batch", "ircv3_msgid", "ircv3_ctctags", "ircv3_accounttag", "ircv3_chghost",
    "ircv3_invitenotify", "ircv3_labeledresponse", "sasl", "services_account", "monitor",
    "setname", "namesx", "uhnames", "chanhistory", "chghost", "spanningtree",
]

# Atheme 7.2.12 (Debian 12) has no SCRAM mechanism: saslserv offers PLAIN and EXTERNAL here.
ATHEME_MODULES = [
    "protocol/inspircd", "backend/opensex", "crypto/pbkdf2v2",
    "nickserv/main", "nickserv/register", "nickserv/identify", "nickserv/cert",
    "nickserv/drop", "nickserv/info", "nickserv/logout",
    "saslserv/main", "saslserv/plain", "saslserv/external",
]


class Inspircd:
    """One InspIRCd on free loopback ports; with services=True, Atheme is linked and has
    synced (the server offers `sasl`) before the constructor returns.

    tls=True adds a TLS client port (tls_port) with a self-signed certificate
    (fingerprint) that asks for client certificates (SASL EXTERNAL); sts=True also loads
    ircv3_sts pointing at it. InspIRCd gives TLS clients the persistence policy
    (sts=duration=60) only when the name they sent in SNI matches sts_host, and a client
    connecting to an IP address sends none: connect to "localhost" for it. extra_conf is
    appended to the InspIRCd config (e.g. a different <chanhistory>); chanhistory keeps
    lines only in channels with mode +H. The log (log_text) is written line by line."""

    def __init__(self, services=False, tls=False, sts=False, extra_conf="",
                 ready_timeout=30, sts_host="localhost"):
        self.dir = tempfile.mkdtemp(prefix="perch-inspircd-")
        self.services = services
        self.tls = tls or sts
        self.sts = sts
        self.sts_host = sts_host
        self.extra_conf = extra_conf
        self.proc = self.atheme = None
        if self.tls:
            self.cert, self.key, self.fingerprint = self_signed_cert(self.dir, SERVER_NAME)
        try:
            self._start_ircd()
            if services:
                self.atheme = Atheme(self.dir, self.link_port)
                self._wait_services(ready_timeout)
        except BaseException:
            self.stop()
            raise

    def _start_ircd(self):
        # A free port can be taken by someone else before InspIRCd binds it (it then runs
        # on without that port): start again on new ports.
        for attempt in range(3):
            self.port, self.link_port = free_port(), free_port()
            self.tls_port = free_port() if self.tls else None
            self.conf = os.path.join(self.dir, "inspircd.conf")
            with open(self.conf, "w") as f:
                f.write(self._config())
            self.proc, self.log = spawn(
                [INSPIRCD, "--config", self.conf, "--nofork", "--runasroot", "--nopid"],
                os.path.join(self.dir, "inspircd.out"))
            try:
                for port in (self.port, self.link_port, self.tls_port):
                    if port:
                        wait_port(port, self.proc, timeout=10, name="inspircd")
                return
            except RuntimeError:
                reap(self.proc, self.log)
                self.proc = None
                if attempt == 2:
                    raise

    def _config(self):
        d = self.dir
        binds = [f'<bind address="127.0.0.1" port="{self.port}" type="clients">',
                 f'<bind address="127.0.0.1" port="{self.link_port}" type="servers">']
        modules = list(MODULES)
        tls = ""
        if self.tls:
            binds.append(f'<bind address="127.0.0.1" port="{self.tls_port}" type="clients" '
                         'sslprofile="Clients">')
            modules += ["ssl_gnutls", "sslinfo"]
            tls = (f'<sslprofile name="Clients" provider="gnutls" certfile="{self.cert}" '
                   f'keyfile="{self.key}" hash="sha256" requestclientcert="yes">\n')
            if self.sts:
                modules.append("ircv3_sts")
                tls += (f'<sts host="{self.sts_host}" port="{self.tls_port}" '
                        'duration="60">\n')
        with open(os.path.join(d, "motd.txt"), "w") as f:
            f.write("perch test server\n")
        loads = "\n".join(f'<module name="{m}">' for m in modules)
        return f"""<server name="{SERVER_NAME}" description="perch test server" network="{NETWORK}" id="001">
<admin name="perch" nick="perch" email="perch@{SERVER_NAME}">
{chr(10).join(binds)}
<connect name="main" allow="*" timeout="60" pingfreq="120" hardsendq="1M" softsendq="1M"
    recvq="64K" threshold="1000" commandrate="1000000" fakelag="no" localmax="1000"
    globalmax="1000" resolvehostnames="no" useident="no" limit="5000" maxchans="100">
<class name="perch" commands="*" privs="*" usermodes="*" chanmodes="*" snomasks="*">
<type name="Admin" classes="perch">
<oper name="{OPER_NAME}" password="{OPER_PASSWORD}" host="*@*" type="Admin">
<options defaultmodes="nt">
<security hidesplits="no" announceinvites="dynamic" hideserver="" userstats="Pu"
    operspywhois="no" restrictbannedusers="yes" genericoper="no">
<performance netbuffersize="10240" somaxconn="128" softlimit="1024" clonesonconnect="no"
    quietbursts="yes" timeskipwarn="0">
<limits maxnick="30" maxchan="64" maxmodes="20" maxident="11" maxhost="64" maxquit="255"
    maxtopic="307" maxkick="255" maxreal="128" maxaway="200">
<dns server="127.0.0.1" timeout="1">
<files motd="{d}/motd.txt">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" flush="1" target="{d}/inspircd.log">
{loads}
<ircv3 accountnotify="yes" awaynotify="yes" extendedjoin="yes">
<chanhistory maxlines="50" notice="yes" bots="yes" prefixmsg="no">
<sasl target="{SERVICES_NAME}" requiressl="no">
<link name="{SERVICES_NAME}" ipaddr="127.0.0.1" port="{self.link_port}" allowmask="127.0.0.0/8"
    sendpass="{LINK_PASSWORD}" recvpass="{LINK_PASSWORD}">
<uline server="{SERVICES_NAME}" silent="yes">
{tls}{self.extra_conf}
"""

    def _wait_services(self, timeout):
        """Services are up once the server offers `sasl` (its <sasl target> is linked), the
        services' nicks have arrived (the cap comes with the server, a moment before them)
        and NickServ answers: a probe account gets registered."""
        end = time.monotonic() + timeout

        def waiting(what):
            if self.atheme.proc.poll() is not None:
                raise RuntimeError(f"atheme exited early with {self.atheme.proc.returncode}")
            if time.monotonic() > end:
                raise RuntimeError(f"services did not link: {what}")
            time.sleep(0.1)

        while "sasl" not in self.cap_ls():
            waiting("no sasl in CAP LS")
        c = RawIrc(self.port, "perchprobe")
        try:
            while True:
                c.send("ISON NickServ SaslServ")
                if c.wait_for(" 303 ").split(" :", 1)[1].split() == ["NickServ", "SaslServ"]:
                    break
                waiting("no NickServ and SaslServ")
        finally:
            c.close()
        self.register_account("perchprobe", "probepass", timeout=max(1, end - time.monotonic()))

    def cap_ls(self):
        """The capabilities the server offers now, as {name: value or None}."""
        c = RawIrc(self.port, "perchcaps", register=False)
        try:
            c.send("CAP LS 302")
            caps, more = {}, True
            while more:
                line = c.wait_for(" CAP * LS ")
                more = " LS * :" in line
                for item in line.split(" :", 1)[1].split():
                    name, _, value = item.partition("=")
                    caps[name] = value or None
            return caps
        finally:
            c.close()

    def register_account(self, name, password, certfp=None, timeout=20):
        """Registers the services account `name` (a raw client of that nick asks NickServ)
        and, with certfp (hex, colons allowed), adds that client certificate fingerprint to
        it for SASL EXTERNAL. The client quits afterwards."""
        c = RawIrc(self.port, name)
        try:
            c.send(f"PRIVMSG NickServ :REGISTER {password} {name}@example.test")
            # Atheme bolds names in its notices (\x02name\x02).
            c.wait_for(" is now registered to ", timeout=timeout)
            if certfp:
                fp = certfp.replace(":", "").lower()
                c.send(f"PRIVMSG NickServ :CERT ADD {fp}")
                c.wait_for("Added fingerprint ", timeout=timeout)
            c.send("QUIT")
        finally:
            c.close()

    def log_text(self):
        """InspIRCd's own log, for failure messages."""
        try:
            with open(os.path.join(self.dir, "inspircd.log")) as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        if self.atheme:
            self.atheme.stop()
        if self.proc:
            reap(self.proc, self.log)
            self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)


class Atheme:
    """Atheme services in the foreground, linking to InspIRCd's server port as
    services.test (it reconnects every second until InspIRCd accepts)."""

    def __init__(self, directory, uplink_port):
        self.dir = os.path.join(directory, "atheme")
        os.mkdir(self.dir)
        self.conf = os.path.join(self.dir, "atheme.conf")
        with open(self.conf, "w") as f:
            f.write(atheme_config(uplink_port))
        self.proc, self.log = spawn(
            [ATHEME, "-n", "-c", self.conf, "-D", self.dir, "-l",
             os.path.join(self.dir, "atheme.log"), "-p", os.path.join(self.dir, "atheme.pid")],
            os.path.join(self.dir, "atheme.out"))

    def stop(self):
        reap(self.proc, self.log)


def atheme_config(uplink_port):
    loads = "\n".join(f'loadmodule "modules/{m}";' for m in ATHEME_MODULES)
    # ratelimit_uses = 0 turns off the registration rate limit (tests register several
    # accounts within seconds); maxusers = 0 lifts the accounts-per-email limit.
    return f"""{loads}
serverinfo {{
    name = "{SERVICES_NAME}"; desc = "perch test services"; numeric = "00A";
    recontime = 1; netname = "{NETWORK}"; hidehostsuffix = "users.test";
    adminname = "perch"; adminemail = "perch@{SERVER_NAME}"; registeremail = "noreply@{SERVER_NAME}";
    mta = "/bin/false"; loglevel = {{ error; info; admin; network; }};
    maxlogins = 50; maxusers = 0; mdlimit = 30; emaillimit = 10; emailtime = 300;
    auth = none; casemapping = rfc1459;
}};
uplink "{SERVER_NAME}" {{
    host = "127.0.0.1"; port = {uplink_port};
    send_password = "{LINK_PASSWORD}"; receive_password = "{LINK_PASSWORD}";
}};
nickserv {{
    nick = "NickServ"; user = "NickServ"; host = "{SERVICES_NAME}";
    real = "Nickname Services"; maxnicks = 5; expire = 0;
}};
saslserv {{
    nick = "SaslServ"; user = "SaslServ"; host = "{SERVICES_NAME}";
    real = "SASL Authentication Agent";
}};
general {{
    helpchan = "#help"; helpurl = "http://{SERVER_NAME}/";
    uflags = {{ hidemail; }}; cflags = {{ guard; verbose; }};
    flood_msgs = 0; flood_time = 10; ratelimit_uses = 0; ratelimit_period = 0;
    kline_time = 7; commit_interval = 5;
    default_clone_allowed = 1000; default_clone_warn = 1000; clone_time = 0;
    uplink_sendq_limit = 1048576; language = "en"; exempts {{ }};
}};
database {{ }};
"""
