"""IRCv3 STS against InspIRCd 3 (ircv3_sts: a plain port that says port=TLS_PORT, a TLS port
that says duration=60 to clients naming "localhost"): a plain network is upgraded to TLS at
once, without asking for capabilities; the policy is kept in the store and a restarted perchd
connects with TLS from its first attempt; TLS that fails (an unverified certificate) never
falls back to plain text; CAP DEL leaves the policy, CAP NEW renews it or upgrades a plain
link; no sts, no change. A plain relay in front of the plain port counts the connections
made there. A scripted server (sts_ircd.py) plays what InspIRCd never says: duration=0,
malformed values, a policy from a network configured with TLS."""
import time

import pytest

from conftest import Perchd, request
from inspircd import OPER_NAME, OPER_PASSWORD, Inspircd
from ircd import RawIrc
from sts_ircd import StsIrcd
from tcp_counter import CountingRelay
from test_irc import CONFIG, cmd, lines, wait_line
from test_upgrade import control

SERVER = "irc.server.net"


@pytest.fixture
def sts_server():
    server = Inspircd(sts=True)
    relay = CountingRelay(server.port)
    server.relay = relay
    try:
        yield server
    finally:
        relay.stop()
        server.stop()


def said(p, buffer=SERVER):
    return [l["message"] for l in lines(p, buffer)]


def local_vars(p, buffer=SERVER):
    return request(p.plain_port, "GET", f"/api/buffers/{buffer}", tls=False).json()[
        "local_variables"]


def title(p, buffer=SERVER):
    return request(p.plain_port, "GET", f"/api/buffers/{buffer}", tls=False).json()["title"]


def add_plain(p, server, options=""):
    cmd(p, f"/server add net localhost/{server.relay.port} -notls -nicks=perchy {options}")
    cmd(p, "/connect net")


def since(messages, text):
    """The messages after the last one containing text."""
    at = max(i for i, m in enumerate(messages) if text in m)
    return messages[at + 1:]


def test_a_plain_network_is_upgraded_and_the_policy_kept_across_a_restart(sts_server, tmp_path):
    srv = sts_server
    p = Perchd(str(tmp_path), config=CONFIG)
    try:
        add_plain(p, srv, f"-tls_fingerprint={srv.fingerprint}")
        wait_line(p, SERVER, "Welcome to the PerchTest IRC Network")
        text = said(p)
        upgrade = (f"irc: STS: the server requires TLS, reconnecting to localhost/"
                   f"{srv.tls_port} with TLS")
        assert upgrade in text
        # The plain link asked for nothing: no REQ before the upgrade, no CAP END.
        before = text[:text.index(upgrade)]
        assert f"irc: connecting to server localhost/{srv.relay.port}..." in before
        assert any(m.startswith("irc: client capability, server supports:") and
                   f"sts=port={srv.tls_port}" in m for m in before)
        assert not any("requesting" in m for m in before)
        after = text[text.index(upgrade):]
        assert f"irc: connecting to server localhost/{srv.tls_port} (TLS)..." in after
        assert (f"irc: STS policy for localhost set: TLS only, to port {srv.tls_port}, "
                f"for 60 seconds") in after
        assert local_vars(p)["tls_version"].startswith("TLS")
        assert title(p) == f"IRC: localhost/{srv.tls_port} (127.0.0.1)"
        assert srv.relay.count == 1
        # The network itself stays as the user set it.
        cmd(p, "/server listfull net")
        listing = said(p, "core.weechat")
        assert "    tls: off" in listing
        assert f"    addresses: localhost/{srv.relay.port}" in listing
    finally:
        assert p.stop() == 0
    p = Perchd(str(tmp_path))
    try:
        wait_line(p, SERVER, "Welcome to the PerchTest IRC Network", count=2)
        text = since(said(p), "irc: disconnected from server")
        assert text[0] == (f"irc: STS policy for localhost: connecting with TLS to port "
                           f"{srv.tls_port} instead of plain text to port {srv.relay.port}")
        assert text[1] == f"irc: connecting to server localhost/{srv.tls_port} (TLS)..."
        assert not any("reconnecting to localhost" in m for m in text)
        assert local_vars(p)["tls_version"].startswith("TLS")
        # Never plain again: the plain port saw only the first connection.
        assert srv.relay.count == 1
    finally:
        assert p.stop() == 0


def test_the_policy_crosses_an_upgrade(perchd_factory, sts_server):
    srv = sts_server
    p = perchd_factory(config=CONFIG)
    add_plain(p, srv, f"-tls_fingerprint={srv.fingerprint}")
    wait_line(p, SERVER, "Welcome to the PerchTest IRC Network")
    r = control(p, "upgrade")
    assert r.returncode == 0, r.stderr
    # The TLS link ends with the old process; the new one goes straight back to TLS.
    wait_line(p, SERVER, "Welcome to the PerchTest IRC Network", count=2)
    after = since(said(p), "irc: disconnected from server")
    assert after[0] == (f"irc: STS policy for localhost: connecting with TLS to port "
                        f"{srv.tls_port} instead of plain text to port {srv.relay.port}")
    assert local_vars(p)["tls_version"].startswith("TLS")
    assert srv.relay.count == 1


def oper(server):
    c = RawIrc(server.port, "admin")
    c.send(f"OPER {OPER_NAME} {OPER_PASSWORD}")
    c.wait_for(" 381 ")
    return c


def test_tls_failing_on_the_sts_port_never_falls_back_to_plain(perchd_factory, sts_server):
    # tls_verify is on and the server's certificate is self-signed: every TLS attempt fails.
    srv = sts_server
    p = perchd_factory(config=CONFIG)
    add_plain(p, srv)
    failed = ("irc: STS policy for localhost: TLS connection failed, no plain-text connection "
              "while the policy holds")
    wait_line(p, SERVER, failed, count=3)
    text = said(p)
    tls_attempt = f"irc: connecting to server localhost/{srv.tls_port} (TLS)..."
    assert sum(m == tls_attempt for m in text) >= 3
    assert sum(m.startswith(f"irc: connecting to server localhost/{srv.relay.port}")
               for m in text) == 1
    assert not any("Welcome" in m for m in text)
    assert srv.relay.count == 1
    assert "tls_version" not in local_vars(p)


def test_cap_del_leaves_the_policy_and_cap_new_renews_it(perchd_factory, sts_server):
    srv = sts_server
    p = perchd_factory(config=CONFIG)
    add_plain(p, srv, f"-tls_fingerprint={srv.fingerprint}")
    wait_line(p, SERVER, "Welcome to the PerchTest IRC Network")
    admin = oper(srv)
    try:
        admin.send("UNLOADMODULE ircv3_sts")
        wait_line(p, SERVER, "irc: client capability, removed: sts")
        wait_line(p, SERVER, "irc: STS: sts withdrawn by the server, the policy for localhost "
                             "stays")
        # Withdrawn but kept: the next connection goes straight to TLS.
        cmd(p, "/reconnect net")
        wait_line(p, SERVER, "Welcome to the PerchTest IRC Network", count=2)
        after = since(said(p), "irc: disconnected from server")
        assert (f"irc: STS policy for localhost: connecting with TLS to port {srv.tls_port} "
                f"instead of plain text to port {srv.relay.port}") in after
        assert [m for m in after if m.startswith("irc: connecting")] == [
            f"irc: connecting to server localhost/{srv.tls_port} (TLS)..."]
        assert srv.relay.count == 1
        admin.send("LOADMODULE ircv3_sts")
        wait_line(p, SERVER, "irc: client capability, now available: sts=duration=60")
        wait_line(p, SERVER, f"irc: STS policy for localhost renewed: TLS only, to port "
                             f"{srv.tls_port}, for 60 seconds")
        # sts is never asked for.
        assert not any("requesting" in m and "sts" in m.split() for m in said(p))
    finally:
        admin.close()


def test_cap_new_on_a_plain_link_upgrades_it(perchd_factory, sts_server):
    srv = sts_server
    admin = oper(srv)
    try:
        admin.send("UNLOADMODULE ircv3_sts")
        admin.wait_for("ircv3_sts")
        p = perchd_factory(config=CONFIG)
        add_plain(p, srv, f"-tls_fingerprint={srv.fingerprint}")
        wait_line(p, SERVER, "Welcome to the PerchTest IRC Network")
        assert local_vars(p)["tls_version"] == "cleartext"
        admin.send("LOADMODULE ircv3_sts")
        wait_line(p, SERVER, f"irc: client capability, now available: sts=port={srv.tls_port}")
        wait_line(p, SERVER, f"irc: STS: the server requires TLS, reconnecting to localhost/"
                             f"{srv.tls_port} with TLS")
        wait_line(p, SERVER, "Welcome to the PerchTest IRC Network", count=2)
        wait_line(p, SERVER, f"irc: STS policy for localhost set: TLS only, to port "
                             f"{srv.tls_port}, for 60 seconds")
        assert local_vars(p)["tls_version"].startswith("TLS")
        assert srv.relay.count == 1
    finally:
        admin.close()


def test_without_sts_nothing_changes(perchd_factory):
    srv = Inspircd(tls=True)
    srv.relay = CountingRelay(srv.port)
    try:
        p = perchd_factory(config=CONFIG)
        add_plain(p, srv, f"-tls_fingerprint={srv.fingerprint}")
        wait_line(p, SERVER, "Welcome to the PerchTest IRC Network")
        cmd(p, "/reconnect net")
        wait_line(p, SERVER, "Welcome to the PerchTest IRC Network", count=2)
        assert local_vars(p)["tls_version"] == "cleartext"
        assert not any("STS" in m or "(TLS)" in m for m in said(p))
        assert srv.relay.count == 2
    finally:
        srv.relay.stop()
        srv.stop()


# ---- a scripted server: duration=0, malformed values, a TLS network's policy ----

@pytest.fixture
def scripted():
    srv = StsIrcd()
    try:
        yield srv
    finally:
        srv.stop()


def test_duration_zero_removes_the_policy_for_good(scripted, tmp_path):
    srv = scripted
    srv.plain_sts, srv.tls_sts = f"port={srv.tls_port}", "duration=300"
    p = Perchd(str(tmp_path), config=CONFIG)
    try:
        cmd(p, f"/server add net localhost/{srv.port} -notls -nicks=perchy "
               f"-tls_fingerprint={srv.fingerprint}")
        cmd(p, "/connect net")
        wait_line(p, SERVER, f"irc: STS policy for localhost set: TLS only, to port "
                             f"{srv.tls_port}, for 300 seconds")
        wait_line(p, SERVER, "Welcome to the scripted network")
        srv.tls_sts = "duration=0"
        cmd(p, "/reconnect net")
        wait_line(p, SERVER, "irc: STS policy for localhost removed (duration=0)")
        wait_line(p, SERVER, "Welcome to the scripted network", count=2)
        assert srv.counts == {"plain": 1, "tls": 2}
    finally:
        assert p.stop() == 0
    # Removed from the store too: a new perchd connects in plain text.
    srv.plain_sts = None
    p = Perchd(str(tmp_path))
    try:
        wait_line(p, SERVER, "Welcome to the scripted network", count=3)
        after = since(said(p), "irc: disconnected from server")
        assert [m for m in after if m.startswith("irc: connecting")] == [
            f"irc: connecting to server localhost/{srv.port}..."]
        assert not any("STS" in m for m in after)
        assert local_vars(p)["tls_version"] == "cleartext"
        assert srv.counts == {"plain": 2, "tls": 2}
    finally:
        assert p.stop() == 0


@pytest.mark.parametrize("value,why", [
    ("port=abc", "port must be a number from 1 to 65535"),
    ("port=0", "port must be a number from 1 to 65535"),
    ("port=65536", "port must be a number from 1 to 65535"),
    ("port=6697,port=6698", "port is given 2 times"),
    ("duration=300", "port is missing"),
    ("", "port is missing"),
])
def test_a_bad_value_on_plain_text_is_ignored(perchd_factory, scripted, value, why):
    srv = scripted
    srv.plain_sts = value
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add net localhost/{srv.port} -notls -nicks=perchy")
    cmd(p, "/connect net")
    wait_line(p, SERVER, "Welcome to the scripted network")
    assert f'irc: STS: policy "{value}" ignored: {why}' in said(p)
    # Registered in plain text, capabilities asked for as usual.
    assert "irc: client capability, requesting: multi-prefix" in said(p)
    assert local_vars(p)["tls_version"] == "cleartext"
    assert srv.counts == {"plain": 1, "tls": 0}


def test_a_tls_networks_policy_applies_to_plain_networks_to_that_host(perchd_factory, scripted):
    srv = scripted
    srv.tls_sts = "duration=soon"
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add secure localhost/{srv.tls_port} -tls -nicks=perchy "
           f"-tls_fingerprint={srv.fingerprint}")
    cmd(p, "/connect secure")
    wait_line(p, "irc.server.secure", "Welcome to the scripted network")
    assert ('irc: STS: policy "duration=soon" ignored: duration must be a number of seconds'
            in said(p, "irc.server.secure"))
    # No policy from a bad value: a plain network to the host stays plain.
    cmd(p, f"/server add plain localhost/{srv.port} -notls -nicks=perchy")
    cmd(p, "/connect plain")
    wait_line(p, "irc.server.plain", "Welcome to the scripted network")
    assert local_vars(p, "irc.server.plain")["tls_version"] == "cleartext"
    cmd(p, "/disconnect plain")
    # A valid one from the TLS network: the plain network now goes to its port with TLS.
    srv.tls_sts = "port=1,duration=120,preload"
    cmd(p, "/reconnect secure")
    wait_line(p, "irc.server.secure", f"irc: STS policy for localhost set: TLS only, to port "
                                      f"{srv.tls_port}, for 120 seconds")
    cmd(p, f"/server add again localhost/{srv.port} -notls -nicks=perchy "
           f"-tls_fingerprint={srv.fingerprint}")
    cmd(p, "/connect again")
    wait_line(p, "irc.server.again", "Welcome to the scripted network")
    assert (f"irc: STS policy for localhost: connecting with TLS to port {srv.tls_port} "
            f"instead of plain text to port {srv.port}") in said(p, "irc.server.again")
    assert local_vars(p, "irc.server.again")["tls_version"].startswith("TLS")
    assert srv.counts["plain"] == 1
