"""HTTP behaviour over real TLS and TCP: keep-alive, chunked bodies, compression, bad input."""
import gzip
import socket
import ssl
import subprocess
import time
import zlib

import pytest

from conftest import PASSWORD, Client, basic, request, tls_context

AUTH = basic(f"plain:{PASSWORD}")


def test_many_requests_on_one_keep_alive_connection(perchd):
    c = Client(perchd.tls_port)
    for i in range(20):
        r = c.request("POST", "/api/ping", body={"data": str(i)})
        assert r.json() == {"data": str(i)}
    c.close()


def test_pipelined_requests_answered_in_order(perchd):
    c = Client(perchd.plain_port, tls=False)
    one = (f"POST /api/ping HTTP/1.1\r\nAuthorization: {AUTH}\r\nContent-Length: 12\r\n\r\n"
           '{"data":"1"}')
    c.send((one + one.replace('"1"', '"2"') + one.replace('"1"', '"3"')).encode())
    assert [c.read_response().json()["data"] for _ in range(3)] == ["1", "2", "3"]
    c.close()


def test_chunked_request_body(perchd):
    c = Client(perchd.tls_port)
    c.send(f"POST /api/ping HTTP/1.1\r\nAuthorization: {AUTH}\r\n"
           "Transfer-Encoding: chunked\r\n\r\n"
           '4\r\n{"da\r\n9\r\nta":"ch"}\r\n0\r\n\r\n')
    assert c.read_response().json() == {"data": "ch"}
    # The connection stays usable after a chunked body.
    assert c.request("POST", "/api/ping", body={"data": "next"}).json() == {"data": "next"}
    c.close()


def test_connection_close_is_honoured_with_close_notify(perchd):
    c = Client(perchd.tls_port)
    r = c.request("GET", "/api/version", headers={"Connection": "close"})
    assert r.status == 200 and r.header("Connection") == "close"
    assert c.at_eof()


def test_http10_request_answered_as_http11(perchd):
    c = Client(perchd.plain_port, tls=False)
    c.send(f"GET /api/version HTTP/1.0\r\nAuthorization: {AUTH}\r\n\r\n")
    r = c.read_response()
    assert r.status == 200
    c.close()


def zstd_decompress(data):
    return subprocess.run(["zstd", "-d", "-c"], input=data, capture_output=True, check=True).stdout


@pytest.mark.parametrize("accept,encoding,decode", [
    ("gzip", "gzip", gzip.decompress),
    ("gzip, deflate", "deflate", zlib.decompress),
    ("deflate, gzip, zstd", "zstd", zstd_decompress),
    ("br, gzip;q=1.0, *", None, lambda b: b),
])
def test_compression_round_trips(perchd, accept, encoding, decode):
    plain = request(perchd.tls_port, "GET", "/api/buffers?lines=-5").body
    r = request(perchd.tls_port, "GET", "/api/buffers?lines=-5", headers={"Accept-Encoding": accept})
    assert r.header("Content-Encoding") == encoding
    assert decode(r.body) == plain
    # Tiny and error bodies are complete streams too (the reference truncates gzip).
    r = request(perchd.tls_port, "GET", "/api/hotlist", headers={"Accept-Encoding": accept})
    assert decode(r.body) == b"[]"
    if encoding == "gzip":
        assert subprocess.run(["gzip", "-t"], input=r.body).returncode == 0
    r = request(perchd.tls_port, "POST", "/api/ping", headers={"Accept-Encoding": accept})
    assert r.status == 204 and r.header("Content-Encoding") is None and r.body == b""


def test_compression_disabled_by_config(perchd_factory):
    p = perchd_factory(config="[relay]\ncompression = 0\n")
    r = request(p.tls_port, "GET", "/api/version", headers={"Accept-Encoding": "gzip"})
    assert r.header("Content-Encoding") is None


def raw_exchange(port, data, tls=False):
    """Sends bytes, returns everything the server sent before closing (and whether it closed)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    if tls:
        s = tls_context().wrap_socket(s)
    s.sendall(data)
    out = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return out, True
            out += chunk
    except (socket.timeout, ssl.SSLError, ConnectionResetError):
        return out, False
    finally:
        s.close()


@pytest.mark.parametrize("data,status", [
    (b"GARBAGE\r\n\r\n", b"400 Bad Request"),
    (b"GET /api/version HTTP/1.1\r\nBad Header Line\r\n\r\n", b"400 Bad Request"),
    (b"GET /api/version HTTP/1.1\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n",
     b"431 Request Header Fields Too Large"),
    (b"POST /api/ping HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n", b"413 Payload Too Large"),
])
@pytest.mark.parametrize("tls", [False, True])
def test_bad_requests_get_an_answer_and_a_close(perchd, data, status, tls):
    out, closed = raw_exchange(perchd.tls_port if tls else perchd.plain_port, data, tls=tls)
    assert out.startswith(b"HTTP/1.1 " + status), out[:200]
    assert b"Connection: close" in out
    assert closed
    # Nothing else changed: the daemon still serves.
    assert request(perchd.tls_port, "GET", "/api/version").status == 200


@pytest.mark.parametrize("body", [b"{not json", b"[1,2", b'"just a string"', b"{}"])
def test_invalid_json_bodies(perchd, body):
    r = request(perchd.tls_port, "POST", "/api/input", body=body)
    assert r.status == 400 and r.json() == {"error": "Bad request"}


def test_deeply_nested_json_refused(perchd):
    body = "[" * 10000 + "]" * 10000
    r = request(perchd.tls_port, "POST", "/api/input", body=body)
    assert r.status == 400


def test_plain_http_on_tls_port(perchd):
    out, closed = raw_exchange(perchd.tls_port,
                               b"GET /api/version HTTP/1.1\r\nHost: x\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"This port speaks TLS" in out
    assert closed


def test_garbage_on_tls_port(perchd):
    out, closed = raw_exchange(perchd.tls_port, b"\x16\x03\x01\x00\x05garbagegarbage")
    assert closed
    assert request(perchd.tls_port, "GET", "/api/version").status == 200


def test_unfinished_request_times_out_with_408(perchd_factory):
    p = perchd_factory(config="[limits]\nrequest_timeout = 1\n")
    for port, tls in ((p.plain_port, False), (p.tls_port, True)):
        c = Client(port, tls=tls)
        c.send(b"GET /api/version HTTP/1.1\r\nHost: x\r\n")
        start = time.monotonic()
        r = c.read_response()
        assert r.status == 408 and r.header("Connection") == "close"
        assert c.at_eof()
        assert time.monotonic() - start < 10
        c.close()


def test_silent_tls_client_cut_at_request_timeout(perchd_factory):
    """A client that never even finishes the TLS handshake does not linger."""
    p = perchd_factory(config="[limits]\nrequest_timeout = 1\n")
    s = socket.create_connection(("127.0.0.1", p.tls_port), timeout=10)
    assert s.recv(100) == b""
    s.close()


def test_idle_keep_alive_connection_closed_cleanly(perchd_factory):
    p = perchd_factory(config="[limits]\nidle_timeout = 1\n")
    c = Client(p.tls_port)
    assert c.request("GET", "/api/version").status == 200
    assert c.at_eof()


def test_requests_put_off_the_idle_timeout_each_time(perchd_factory):
    """A keep-alive connection asking every 0.4 s outlives idle_timeout (1 s) several times
    over, then closes one idle_timeout after its last answer, not sooner."""
    p = perchd_factory(config="[limits]\nidle_timeout = 1\n")
    c = Client(p.tls_port)
    for _ in range(8):
        assert c.request("GET", "/api/version").status == 200
        time.sleep(0.4)
    assert c.request("GET", "/api/version").status == 200
    answered = time.monotonic()
    assert c.at_eof(timeout=10)
    assert time.monotonic() - answered >= 0.95


def test_curl_over_tls(perchd):
    out = subprocess.run(
        ["curl", "-sk", "--compressed", "-u", f"plain:{PASSWORD}",
         f"https://127.0.0.1:{perchd.tls_port}/api/buffers?lines=-10"],
        capture_output=True, text=True, timeout=30, check=True).stdout
    assert '"name":"core.weechat"' in out
    out = subprocess.run(
        ["curl", "-sk", "-u", f"plain:{PASSWORD}", "-X", "POST", "-H", "Expect:",
         "-d", '{"data":"curl"}', f"https://127.0.0.1:{perchd.tls_port}/api/ping"],
        capture_output=True, text=True, timeout=30, check=True).stdout
    assert out == '{"data":"curl"}'


def tls_version_request(port, ctx, session=None):
    """GET /api/version on a new TLS connection; returns the TLS socket's session facts."""
    req = (f"GET /api/version HTTP/1.1\r\nHost: x\r\nAuthorization: {basic('plain:' + PASSWORD)}"
           f"\r\nConnection: close\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost", session=session) as s:
            s.sendall(req)
            data = b""
            while chunk := s.recv(65536):
                data += chunk
            assert data.startswith(b"HTTP/1.1 200"), data[:80]
            return s.session_reused, s.session, s.version(), s.cipher()


@pytest.mark.parametrize("version", ["TLSv1_3", "TLSv1_2"])
def test_tls_session_resumption_with_a_ticket(perchd_factory, version):
    p = perchd_factory()
    ctx = tls_context()
    ctx.minimum_version = ctx.maximum_version = getattr(ssl.TLSVersion, version)
    reused, session, proto, _ = tls_version_request(p.tls_port, ctx)
    assert not reused and proto == version.replace("_", ".")
    # The ticket of the first connection resumes the second, and so on.
    for _ in range(3):
        reused, session, _, _ = tls_version_request(p.tls_port, ctx, session)
        assert reused
    # A reload makes a new context with new ticket keys: a full handshake again, which works.
    subprocess.run([p.proc.args[0], "--dir", p.dir, "--reload"], check=True, timeout=30,
                   capture_output=True)
    reused, _, _, _ = tls_version_request(p.tls_port, ctx, session)
    assert not reused


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_tls12_minimum(perchd):
    ctx = tls_context()
    ctx.minimum_version = ssl.TLSVersion.TLSv1
    ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    ctx.set_ciphers("ALL:@SECLEVEL=0")
    with pytest.raises((ssl.SSLError, ConnectionResetError)):
        with socket.create_connection(("127.0.0.1", perchd.tls_port), timeout=5) as s:
            ctx.wrap_socket(s).close()


def test_gnutls_cli_sees_a_proper_close(perchd):
    """gnutls-cli reports a missing close_notify as 'non-properly terminated'."""
    req = (f"GET /api/version HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\n"
           "Connection: close\r\n\r\n").encode()
    r = subprocess.run(["gnutls-cli", "--insecure", "-p", str(perchd.tls_port), "127.0.0.1"],
                       input=req, capture_output=True, timeout=30)
    out = r.stdout.decode() + r.stderr.decode()
    assert "relay_api_version" in out
    assert "non-properly terminated" not in out
