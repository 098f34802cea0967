"""The InspIRCd (+ Atheme) harness itself: the capabilities other tests rely on are offered,
accounts log in over SASL, the operator may CHGHOST, several clients per IP are allowed."""
import base64

from conftest import tls_context
from inspircd import OPER_NAME, OPER_PASSWORD
from ircd import RawIrc, self_signed_cert

IRCV3 = ["account-notify", "account-tag", "away-notify", "batch", "cap-notify", "chghost",
         "echo-message", "extended-join", "invite-notify", "labeled-response", "message-tags",
         "multi-prefix", "server-time", "setname", "userhost-in-names"]


def sasl_login(c, mechanism, payload):
    """Logs a raw client in before registration; returns the 900 line."""
    c.send("CAP REQ :sasl")
    c.wait_for("ACK :sasl")
    c.send(f"AUTHENTICATE {mechanism}")
    c.wait_for("AUTHENTICATE :+")
    c.send("AUTHENTICATE " + (base64.b64encode(payload).decode() if payload else "+"))
    logged_in = c.wait_for(" 900 ")
    c.wait_for(" 903 ")
    c.send("CAP END")
    c.register()
    return logged_in


def test_without_services_no_sasl_but_ircv3(inspircd):
    caps = inspircd.cap_ls()
    assert "sasl" not in caps
    for cap in IRCV3:
        assert cap in caps
    clients = [RawIrc(inspircd.port, f"c{i}") for i in range(6)]
    for c in clients:
        c.close()


def test_services_sasl_plain_and_chghost(inspircd_atheme):
    assert inspircd_atheme.cap_ls()["sasl"] == "PLAIN,EXTERNAL"
    inspircd_atheme.register_account("alice", "hunter22")
    c = RawIrc(inspircd_atheme.port, "bob", register=False)
    try:
        assert "logged in as alice" in sasl_login(c, "PLAIN", b"\0alice\0hunter22")
        c.send(f"OPER {OPER_NAME} {OPER_PASSWORD}")
        c.wait_for(" 381 ")
        c.send("CHGHOST bob new.host.test")
        c.send("WHOIS bob")
        assert "new.host.test" in c.wait_for(" 311 ")
    finally:
        c.close()


def test_services_sasl_external_over_tls(inspircd_factory):
    server = inspircd_factory(services=True, tls=True)
    cert, key, fp = self_signed_cert(server.dir, "carol")
    server.register_account("carol", "hunter22", certfp=fp)
    ctx = tls_context()
    ctx.load_cert_chain(cert, key)
    c = RawIrc(server.tls_port, "dave", register=False, ssl_context=ctx)
    try:
        assert "logged in as carol" in sasl_login(c, "EXTERNAL", b"")
    finally:
        c.close()


def test_sts_advertised_on_the_plain_port(inspircd_factory):
    server = inspircd_factory(sts=True)
    assert server.cap_ls()["sts"] == f"port={server.tls_port}"
