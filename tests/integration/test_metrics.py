"""GET /metrics: off by default; on the relay's listeners behind the relay's credentials, or
on a loopback listener of its own without them; OpenMetrics text checked by a real parser
(prometheus_client's), Prometheus text when asked; and the counters and gauges moving with
WebSocket clients, messages, events, failed logins, slow clients, the store and IRC links."""
import os
import signal
import socket
import subprocess
import threading
import time

import pytest
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_om
from prometheus_client.parser import text_string_to_metric_families as parse_prometheus

from conftest import PERCHD, Client, basic, free_port, request, wait_port
from ircd import Ngircd
from wsraw import RawWS, open_ws

OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8"
PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8"
# What Prometheus 2.x sends when scraping.
PROMETHEUS_ACCEPT = ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                     "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
FAMILIES = {
    "perch_relay_connections": "gauge",
    "perch_relay_clients": "gauge",
    "perch_relay_connections_accepted": "counter",
    "perch_relay_messages_received": "counter",
    "perch_relay_messages_sent": "counter",
    "perch_relay_received_bytes": "counter",
    "perch_relay_sent_bytes": "counter",
    "perch_relay_events": "counter",
    "perch_relay_events_sent": "counter",
    "perch_relay_closes": "counter",
    "perch_relay_auth_failures": "counter",
    "perch_relay_write_queue_high_water_bytes": "gauge",
    "perch_relay_write_queue_largest_bytes": "gauge",
    "perch_store_commit_seconds": "histogram",
    "perch_irc_link_state": "gauge",
    "process_resident_memory_bytes": "gauge",
}
IRC = "[irc]\nreconnect_first = 200\nreconnect_max = 1000\nconnect_timeout = 30000\n"


def metrics_config(relay=False, listen=None, extra=""):
    text = "[metrics]\n"
    if relay:
        text += "relay = on\n"
    if listen:
        text += f"listen = {listen}\n"
    return text + extra


class Metrics:
    """One scrape: samples by (name, labels) from the OpenMetrics parser."""

    def __init__(self, body):
        self.families = {f.name: f for f in parse_om(body)}
        self.samples = {}
        for f in self.families.values():
            for s in f.samples:
                self.samples[(s.name, frozenset(s.labels.items()))] = s.value

    def __call__(self, name, **labels):
        return self.samples[(name, frozenset(labels.items()))]


def scrape(port, **headers):
    """GET /metrics from a loopback metrics listener (no credentials, not a relay client)."""
    r = request(port, "GET", "/metrics", tls=False, auth=False, headers=headers)
    assert r.status == 200, r.body
    assert r.header("Content-Type") == OPENMETRICS
    return Metrics(r.body.decode())


def wait_for(port, check, timeout=20):
    """Scrapes until check(metrics) holds; returns that scrape."""
    deadline = time.monotonic() + timeout
    while True:
        m = scrape(port)
        if check(m):
            return m
        if time.monotonic() > deadline:
            raise AssertionError("metrics never got there: " + repr(sorted(
                (k[0], dict(k[1]), v) for k, v in m.samples.items() if v)))
        time.sleep(0.05)


def synced(ws):
    assert ws.request("POST /api/sync", body={"colors": "strip"})["code"] == 204
    return ws


def read_lines(ws, texts, answers=0):
    """Reads until every text came as a buffer_line_added, and that many 204 answers."""
    left = set(texts)
    while left or answers:
        msg = ws.read_json()
        if msg.get("event_name") == "buffer_line_added":
            left.discard(msg["body"]["message"])
        elif not msg.get("event_name"):
            assert msg["code"] == 204, msg
            answers -= 1


def head_only(client):
    """The head of an answer to HEAD (its Content-Length announces no bytes to read)."""
    while b"\r\n\r\n" not in client.buf:
        client._fill()
    head, client.buf = client.buf.split(b"\r\n\r\n", 1)
    return head.decode() + "\r\n"


def test_off_by_default(perchd):
    for port, tls in ((perchd.tls_port, True), (perchd.plain_port, False)):
        unknown = request(port, "GET", "/no-such-thing", tls=tls)
        r = request(port, "GET", "/metrics", tls=tls)
        assert r.status == 404
        # Whatever perch answers for any unknown resource, byte for byte.
        assert (r.status, r.header("Content-Type"), r.body) == \
            (unknown.status, unknown.header("Content-Type"), unknown.body)
    assert "metrics" not in perchd.read_log()


def test_relay_endpoint_needs_the_relay_credentials(perchd_factory):
    p = perchd_factory(config=metrics_config(relay=True))
    api = request(p.tls_port, "GET", "/api/version", auth=False)
    r = request(p.tls_port, "GET", "/metrics", auth=False)
    assert (r.status, r.body) == (401, api.body) == (401, b'{"error":"Missing password"}')
    r = request(p.tls_port, "GET", "/metrics", auth=False,
                headers={"Authorization": basic("plain:wrong")})
    assert r.status == 401 and r.json() == {"error": "Invalid password"}
    for port, tls in ((p.tls_port, True), (p.plain_port, False)):
        r = request(port, "GET", "/metrics", tls=tls)
        assert r.status == 200 and r.header("Content-Type") == OPENMETRICS
        text = r.body.decode()
        assert text.endswith("\n# EOF\n")
        families = {f.name: f.type for f in parse_om(text)}
        for name, kind in FAMILIES.items():
            assert families.get(name) == kind, (name, families.get(name))
        # Counters carry their _total suffix on samples only (OpenMetrics).
        assert "# TYPE perch_relay_closes counter\n" in text
        assert 'perch_relay_closes_total{reason="slow"} ' in text
    # The three refusals above were counted.
    m = Metrics(request(p.tls_port, "GET", "/metrics").body.decode())
    assert m("perch_relay_auth_failures_total") == 3
    assert m("perch_relay_closes_total", reason="auth_failed") == 3
    c = Client(p.tls_port)
    c.send(f"HEAD /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: {basic('plain:secret')}\r\n\r\n")
    head = head_only(c)
    assert head.startswith("HTTP/1.1 200 OK\r\n") and f"Content-Type: {OPENMETRICS}\r\n" in head
    r = c.request("POST", "/metrics", body={})
    assert r.status == 405 and r.header("Allow") == "GET, HEAD"
    c.close()
    # Everything else stays as it was.
    assert request(p.tls_port, "GET", "/metrics/more").status == 404
    assert request(p.tls_port, "GET", "/api/version").status == 200


def test_format_follows_accept(perchd_factory):
    p = perchd_factory(config=metrics_config(relay=True))
    for accept, expected in ((PROMETHEUS_ACCEPT, OPENMETRICS), ("*/*", OPENMETRICS),
                             ("application/openmetrics-text", OPENMETRICS),
                             ("text/plain", PROMETHEUS), ("text/*", PROMETHEUS),
                             ("text/plain;q=0.9, application/openmetrics-text;q=0.5", PROMETHEUS),
                             ("application/openmetrics-text;q=0, text/plain;q=0.1", PROMETHEUS),
                             ("application/json", OPENMETRICS)):
        r = request(p.plain_port, "GET", "/metrics", tls=False, headers={"Accept": accept})
        assert r.status == 200 and r.header("Content-Type") == expected, accept
    text = request(p.plain_port, "GET", "/metrics", tls=False,
                   headers={"Accept": "text/plain"}).body.decode()
    assert "# EOF" not in text and "# TYPE perch_relay_closes_total counter\n" in text
    families = {f.name: f.type for f in parse_prometheus(text)}
    for name, kind in FAMILIES.items():
        assert families.get(name) == kind, (name, families.get(name))


def test_loopback_listener_without_credentials(perchd_factory):
    port = free_port()
    p = perchd_factory(config=metrics_config(listen=f"127.0.0.1:{port}"))
    assert f"metrics: listening on 127.0.0.1:{port}" in p.read_log()
    # Keep-alive: several scrapes on one connection, 404 and 405 in between.
    c = Client(port, tls=False)
    for _ in range(3):
        r = c.request("GET", "/metrics", auth=False)
        assert r.status == 200 and r.header("Content-Type") == OPENMETRICS
        assert {f.name for f in parse_om(r.body.decode())} >= set(FAMILIES)
    assert c.request("GET", "/api/version", auth=False).status == 404
    r = c.request("DELETE", "/metrics", auth=False)
    assert r.status == 405 and r.header("Allow") == "GET, HEAD"
    r = c.request("GET", "/metrics", auth=False, headers={"Accept": "text/plain"})
    assert r.header("Content-Type") == PROMETHEUS
    list(parse_prometheus(r.body.decode()))
    c.close()
    # Garbage gets a 400 and the connection ends; the listener goes on.
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    raw.sendall(b"NOT HTTP\r\n\r\n")
    assert raw.recv(100).startswith(b"HTTP/1.1 400 ")
    raw.close()
    scrape(port)
    # Scrapes are not relay clients, and the relay itself does not serve /metrics here.
    accepted = scrape(port)("perch_relay_connections_accepted_total")
    assert scrape(port)("perch_relay_connections_accepted_total") == accepted
    assert request(p.tls_port, "GET", "/metrics").status == 404


def test_loopback_listener_cuts_slow_and_idle_connections(perchd_factory):
    """The [limits] timeouts hold on the metrics listener too: an unfinished request gets
    408 and the connection ends; a kept-alive connection left idle is closed."""
    port = free_port()
    p = perchd_factory(config=metrics_config(listen=f"127.0.0.1:{port}") +
                       "[limits]\nrequest_timeout = 1\nidle_timeout = 2\n")
    c = Client(port, tls=False)
    c.send(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
    r = c.read_response()
    assert r.status == 408 and r.header("Connection") == "close"
    assert c.at_eof()
    c.close()
    c = Client(port, tls=False)
    assert c.request("GET", "/metrics", auth=False).status == 200
    start = time.monotonic()
    assert c.at_eof()
    assert time.monotonic() - start >= 1  # idle_timeout, not request_timeout
    c.close()
    # Silent from the start: cut too.
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    assert raw.recv(100) == b""
    raw.close()
    scrape(port)
    assert p.proc.poll() is None


def test_reload_turns_the_relay_endpoint_on_and_off(perchd_factory):
    p = perchd_factory(config=metrics_config())
    assert request(p.tls_port, "GET", "/metrics").status == 404
    for relay, status in (("on", 200), ("off", 404)):
        with open(p.config_path, "a") as f:
            f.write(f"[metrics]\nrelay = {relay}\n")
        os.kill(p.proc.pid, signal.SIGHUP)
        deadline = time.monotonic() + 10
        while request(p.tls_port, "GET", "/metrics").status != status:
            assert time.monotonic() < deadline, f"relay = {relay} not applied"
            time.sleep(0.05)
    # A bad value is refused whole: the endpoint stays as it was.
    with open(p.config_path, "a") as f:
        f.write("[metrics]\nrelay = maybe\n")
    os.kill(p.proc.pid, signal.SIGHUP)
    deadline = time.monotonic() + 10
    while "reload refused" not in p.read_log():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert request(p.tls_port, "GET", "/metrics").status == 404


def run_perchd(tmp_path, config):
    (tmp_path / "perchd.conf").write_text("[relay]\npassword = x\n" + config)
    return subprocess.run([PERCHD, "--dir", str(tmp_path), "--tls-listen",
                           f"127.0.0.1:{free_port()}"], capture_output=True, text=True,
                          timeout=30)


@pytest.mark.parametrize("config, error", [
    ("[metrics]\nlisten = 0.0.0.0:9100\n", '[metrics] listen: expected a loopback HOST:PORT'),
    ("[metrics]\nlisten = 192.168.1.1:9100\n", '[metrics] listen: expected a loopback'),
    ("[metrics]\nlisten = [::]:9100\n", '[metrics] listen: expected a loopback'),
    ("[metrics]\nlisten = localhost9100\n", '[metrics] listen: expected a loopback'),
    ("[metrics]\nrelay = yes please\n",
     '[metrics] relay: invalid value "yes please" (expected on or off)'),
])
def test_bad_metrics_config_refused(tmp_path, config, error):
    r = run_perchd(tmp_path, config)
    assert r.returncode == 1 and error in r.stderr, r.stderr


def test_counters_move(perchd_factory):
    port = free_port()
    p = perchd_factory(config=metrics_config(relay=True, listen=f"127.0.0.1:{port}"))
    base = scrape(port)
    assert base("perch_relay_connections", kind="websocket", transport="plain") == 0
    plain = synced(open_ws(p.plain_port))
    secure = RawWS(p.tls_port, tls=True)
    assert secure.handshake()[0] == "HTTP/1.1 101 Switching Protocols"
    synced(secure)
    m = scrape(port)
    assert m("perch_relay_connections", kind="websocket", transport="plain") == 1
    assert m("perch_relay_connections", kind="websocket", transport="tls") == 1
    assert m("perch_relay_clients", state="authenticated") == 2
    assert m("process_resident_memory_bytes") > 1 << 20
    assert m("perch_relay_connections_accepted_total") == base(
        "perch_relay_connections_accepted_total") + 2
    # The two openings are HTTP requests and responses; the syncs WebSocket messages.
    for kind, n in (("http", 2), ("websocket", 2)):
        for name in ("perch_relay_messages_received_total", "perch_relay_messages_sent_total"):
            assert m(name, kind=kind) == base(name, kind=kind) + n, (name, kind)
        for name in ("perch_relay_received_bytes_total", "perch_relay_sent_bytes_total"):
            assert m(name, kind=kind) > base(name, kind=kind), (name, kind)

    # Lines printed: events fanned out to both synced clients, stored by commits.
    texts = [f"metrics line {i}" for i in range(3)]
    plain.send_json([{"request": "POST /api/input", "body": {"command": f"/print {t}"}}
                     for t in texts])
    read_lines(plain, texts, answers=3)
    read_lines(secure, texts)
    after = scrape(port)
    assert after("perch_relay_events_total") >= m("perch_relay_events_total") + 3
    assert after("perch_relay_events_sent_total") >= m("perch_relay_events_sent_total") + 6
    assert after("perch_relay_messages_received_total", kind="websocket") == \
        m("perch_relay_messages_received_total", kind="websocket") + 1
    assert after("perch_relay_messages_sent_total", kind="websocket") >= \
        m("perch_relay_messages_sent_total", kind="websocket") + 3 + 6
    # One batch, one transaction.
    assert after("perch_store_commit_seconds_count") >= m("perch_store_commit_seconds_count") + 1
    assert after("perch_store_commit_seconds_bucket", le="+Inf") == \
        after("perch_store_commit_seconds_count")
    assert after("perch_store_commit_seconds_sum") > 0

    # A failed login: counted, and its connection closed for it.
    r = request(p.tls_port, "GET", "/api/version", auth=False,
                headers={"Authorization": basic("plain:wrong")})
    assert r.status == 401
    m = scrape(port)
    assert m("perch_relay_auth_failures_total") == after("perch_relay_auth_failures_total") + 1
    assert m("perch_relay_closes_total", reason="auth_failed") == \
        after("perch_relay_closes_total", reason="auth_failed") + 1

    # Clients leaving: the gauges fall back, the closes are counted by reason.
    plain.close()
    secure.close()
    m = wait_for(port, lambda m: m("perch_relay_connections", kind="websocket",
                                   transport="plain") == 0 and
                 m("perch_relay_connections", kind="websocket", transport="tls") == 0)
    assert m("perch_relay_closes_total", reason="peer") >= \
        after("perch_relay_closes_total", reason="peer") + 2
    assert m("perch_relay_clients", state="authenticated") == 0


def test_slow_client_high_water_and_close(perchd_factory):
    port = free_port()
    p = perchd_factory(config=metrics_config(listen=f"127.0.0.1:{port}",
                                             extra="[limits]\nwrite_queue_max = 65536\n"))
    assert scrape(port)("perch_relay_write_queue_high_water_bytes") == 0
    slow = RawWS(p.plain_port)
    slow.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow.handshake()
    slow.send_json({"request": "POST /api/sync"})
    wait_for(port, lambda m: m("perch_relay_messages_received_total", kind="websocket") == 1)
    # More than the kernel buffers of the slow socket hold (tcp_wmem max 4 MiB).
    n, text = 3000, "x" * 2500
    sender = open_ws(p.plain_port)
    answers = threading.Thread(target=lambda: [sender.read_json() for _ in range(n)])
    answers.start()
    for start in range(0, n, 1000):
        sender.send_json([{"request": "POST /api/input", "body": {"command": f"/print {i} {text}"}}
                          for i in range(start, start + 1000)])
    answers.join(timeout=60)
    m = wait_for(port, lambda m: m("perch_relay_closes_total", reason="slow") == 1)
    # The queue passed the limit before the client was cut off.
    assert m("perch_relay_write_queue_high_water_bytes") > 65536
    assert m("perch_relay_events_sent_total") > 0
    slow.close()
    sender.close()


def test_irc_link_states(perchd_factory, ngircd):
    port = free_port()
    p = perchd_factory(config=metrics_config(listen=f"127.0.0.1:{port}") + IRC)

    def cmd(command, buffer="core.weechat"):
        r = request(p.plain_port, "POST", "/api/input", tls=False,
                    body={"buffer_name": buffer, "command": command})
        assert r.status == 204

    def state_is(network, state):
        def check(m):
            states = {s: m("perch_irc_link_state", network=network, state=s)
                      for s in ("disconnected", "resolving", "connecting", "registering",
                                "connected")}
            return states[state] == 1 and sum(states.values()) == 1
        return check

    assert not [k for k in scrape(port).samples if k[0] == "perch_irc_link_state"]
    cmd(f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks=perchy")
    cmd("/server add down 127.0.0.1/1 -notls -nicks=perchy")
    wait_for(port, state_is("test", "disconnected"))
    cmd("/connect test")
    m = wait_for(port, state_is("test", "connected"))
    assert state_is("down", "disconnected")(m)
    cmd("/disconnect test")
    wait_for(port, state_is("test", "disconnected"))
    # The server going away: the link leaves "connected" and comes back with it.
    cmd("/connect test")
    wait_for(port, state_is("test", "connected"))
    ngircd.kill()
    wait_for(port, lambda m: not state_is("test", "connected")(m))
    ngircd.start()
    wait_for(port, state_is("test", "connected"), timeout=30)


def test_listener_comes_back_after_an_upgrade(perchd_factory):
    port = free_port()
    p = perchd_factory(config=metrics_config(relay=True, listen=f"127.0.0.1:{port}"))
    keep = Client(port, tls=False)
    assert keep.request("GET", "/metrics", auth=False).status == 200
    r = subprocess.run([PERCHD, "--dir", p.dir, "--upgrade"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and "upgrade done" in r.stdout, r.stderr
    # The kept-alive scrape connection was closed (it does not cross), the listener is back.
    with pytest.raises((EOFError, ConnectionError)):
        keep.request("GET", "/metrics", auth=False)
    keep.close()
    wait_port(port, p.proc)
    scrape(port)
    assert request(p.plain_port, "GET", "/metrics", tls=False).status == 200
