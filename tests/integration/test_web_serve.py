"""The web client served by perchd at /: the embedded files of web/, with their types,
encodings, ETags and security headers, over TLS and plain HTTP, without credentials."""
import gzip
import http.client
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from conftest import Client, tls_context

ROOT = pathlib.Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
WEBGEN = ROOT / "scripts" / "webgen.py"
ZSTD = shutil.which("zstd")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
       "object-src 'none'")
SECURITY = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png"}


def web_files():
    """URL path -> bytes of every file under web/."""
    out = {}
    for d, dirs, names in os.walk(WEB):
        dirs[:] = [x for x in dirs if not x.startswith(".")]
        for n in names:
            if not n.startswith("."):
                p = pathlib.Path(d) / n
                out["/" + p.relative_to(WEB).as_posix()] = p.read_bytes()
    return out


def get(p, method, path, headers=None, tls=True):
    """One request over http.client: (response, body)."""
    if tls:
        conn = http.client.HTTPSConnection("127.0.0.1", p.tls_port, timeout=10,
                                           context=tls_context())
    else:
        conn = http.client.HTTPConnection("127.0.0.1", p.plain_port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        r = conn.getresponse()
        return r, r.read()
    finally:
        conn.close()


def unzstd(data):
    return subprocess.run([ZSTD, "-d", "-q", "-c"], input=data, stdout=subprocess.PIPE,
                          check=True).stdout


def assert_security(r):
    for name, value in SECURITY.items():
        assert r.getheader(name) == value, name


@pytest.mark.parametrize("tls", [True, False], ids=["tls", "plain"])
def test_root_is_index_html_with_every_header(perchd, tls):
    r, body = get(perchd, "GET", "/", tls=tls)
    assert r.status == 200
    assert r.getheader("Content-Type") == "text/html; charset=utf-8"
    assert r.getheader("Cache-Control") == "no-cache"
    assert r.getheader("Vary") == "Accept-Encoding"
    assert r.getheader("ETag").startswith('"') and r.getheader("ETag").endswith('"')
    assert r.getheader("Content-Encoding") is None
    assert r.getheader("Access-Control-Allow-Origin") is None
    assert_security(r)
    assert body == (WEB / "index.html").read_bytes()


def test_head_sends_the_headers_without_a_body(perchd):
    index = (WEB / "index.html").read_bytes()
    r, body = get(perchd, "HEAD", "/")
    assert r.status == 200 and body == b""
    assert int(r.getheader("Content-Length")) == len(index)
    assert r.getheader("Content-Type") == "text/html; charset=utf-8"
    assert_security(r)
    c = Client(perchd.tls_port)
    try:
        c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET /index.html HTTP/1.1\r\nHost: x\r\n\r\n")
        head = c.read_response()
        # read_response() took Content-Length bytes: without a body behind the HEAD they are
        # the next response's start, which must parse once put back.
        c.buf = head.body + c.buf
        assert head.body.startswith(b"HTTP/1.1 200 OK\r\n")
        nxt = c.read_response()
        assert nxt.status == 200 and nxt.body == index
    finally:
        c.close()


def test_gzip_body_decodes_to_the_file(perchd):
    r, body = get(perchd, "GET", "/", {"Accept-Encoding": "gzip"})
    assert r.status == 200 and r.getheader("Content-Encoding") == "gzip"
    assert r.getheader("ETag").endswith('-gz"')
    assert gzip.decompress(body) == (WEB / "index.html").read_bytes()


@pytest.mark.skipif(not ZSTD, reason="no zstd command")
def test_zstd_is_preferred_and_decodes_to_the_file(perchd):
    r, body = get(perchd, "GET", "/", {"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert r.status == 200 and r.getheader("Content-Encoding") == "zstd"
    assert r.getheader("ETag").endswith('-zst"')
    assert unzstd(body) == (WEB / "index.html").read_bytes()


def test_refused_or_unknown_codings_give_the_bytes_as_they_are(perchd):
    for ae in ("br", "gzip;q=0, zstd;q=0", "identity"):
        r, body = get(perchd, "GET", "/", {"Accept-Encoding": ae})
        assert r.getheader("Content-Encoding") is None, ae
        assert body == (WEB / "index.html").read_bytes()


@pytest.mark.parametrize("ae", [None, "gzip"] + (["zstd"] if ZSTD else []))
def test_etag_of_each_variant_gives_304_without_body(perchd, ae):
    h = {"Accept-Encoding": ae} if ae else {}
    r, _ = get(perchd, "GET", "/", h)
    etag = r.getheader("ETag")
    c = Client(perchd.tls_port)
    try:
        extra = f"Accept-Encoding: {ae}\r\n" if ae else ""
        c.send(f"GET / HTTP/1.1\r\nHost: x\r\n{extra}If-None-Match: W/\"nope\", {etag}\r\n\r\n"
               f"GET /api/version HTTP/1.1\r\nHost: x\r\n\r\n")
        not_modified = c.read_response()
        assert not_modified.status == 304 and not_modified.body == b""
        assert not_modified.header("ETag") == etag
        assert not_modified.header("Content-Length") is None
        for name, value in SECURITY.items():
            assert not_modified.header(name) == value
        # Nothing stood behind the 304: the next response follows on the same connection.
        assert c.read_response().status == 401
    finally:
        c.close()
    # Another variant's ETag does not match this one.
    r, body = get(perchd, "GET", "/", dict(h, **{"If-None-Match": '"other"'}))
    assert r.status == 200 and body


def test_every_file_of_web_is_served_as_it_is(perchd):
    files = web_files()
    assert "/index.html" in files
    c = Client(perchd.tls_port)
    try:
        for path, data in sorted(files.items()):
            r = c.request("GET", path, auth=False)
            assert r.status == 200, path
            assert r.body == data, path
            want = TYPES.get(os.path.splitext(path)[1])
            if want:
                assert r.header("Content-Type") == want, path
            assert r.header("X-Frame-Options") == "DENY", path
    finally:
        c.close()


def test_unknown_paths_are_404_and_other_methods_405(perchd):
    for path in ("/nothing.js", "/index.html/", "/..%2Findex.html", "/web/index.html"):
        r, body = get(perchd, "GET", path)
        assert r.status == 404, path
        assert_security(r)
    r, _ = get(perchd, "POST", "/")
    assert r.status == 405 and r.getheader("Allow") == "GET, HEAD"
    assert_security(r)


def test_api_still_needs_credentials(perchd):
    r, _ = get(perchd, "GET", "/api/version")
    assert r.status == 401
    assert r.getheader("Content-Security-Policy") is None
    # The api is what the router calls api: empty segments dropped, percent-decoded.
    for path in ("/api/nothing", "//api//version", "/%61pi/version", "/api?x=1"):
        r, _ = get(perchd, "GET", path)
        assert r.status == 401, path
    c = Client(perchd.tls_port)
    try:
        assert c.request("GET", "/api/version").status == 200
    finally:
        c.close()


def test_keep_alive_pipelining_mixes_web_and_api(perchd):
    c = Client(perchd.tls_port)
    try:
        index = (WEB / "index.html").read_bytes()
        c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"
               "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n"
               "HEAD /index.html HTTP/1.1\r\nHost: x\r\n\r\n"
               "GET /index.html?v=2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        first = c.read_response()
        assert first.status == 200 and first.body == index
        assert c.read_response().status == 404
        head = c.read_response()
        # HEAD: Content-Length says the size; the body that read_response() took is the
        # start of the next response, so put it back.
        c.buf = head.body + c.buf
        assert head.status == 200 and int(head.header("Content-Length")) == len(index)
        last = c.read_response()
        assert last.status == 200 and last.body == index
        assert last.header("Connection") == "close"
        assert c.at_eof()
    finally:
        c.close()


def test_curl_gets_the_page_and_its_headers(perchd, tmp_path):
    out = tmp_path / "index.html"
    res = subprocess.run(["curl", "-ksS", "-D", "-", "-o", str(out), "--compressed",
                          f"https://127.0.0.1:{perchd.tls_port}/"],
                         stdout=subprocess.PIPE, text=True, check=True, timeout=30)
    head = res.stdout.lower()
    assert head.startswith("http/1.1 200")
    for name, value in SECURITY.items():
        assert f"{name.lower()}: {value.lower()}" in head
    assert "content-encoding: " in head  # curl asks for what it can decode
    assert out.read_bytes() == (WEB / "index.html").read_bytes()
    res = subprocess.run(["curl", "-ksS", "-o", "/dev/null", "-w", "%{http_code}",
                          f"https://127.0.0.1:{perchd.tls_port}/api/version"],
                         stdout=subprocess.PIPE, text=True, check=True, timeout=30)
    assert res.stdout == "401"


def generated(tmp_path, tree):
    """Runs the generator on a web/ made of tree (path -> bytes, None for a directory) and
    compiles what it writes; returns the C source."""
    root = tmp_path / "web"
    root.mkdir()
    for path, data in tree.items():
        p = root / path
        if data is None:
            p.mkdir(parents=True)
        else:
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
    out, dep = tmp_path / "web_assets.c", tmp_path / "web_assets.c.d"
    subprocess.run([sys.executable, str(WEBGEN), "--root", str(root), "--out", str(out),
                    "--depfile", str(dep)], check=True)
    subprocess.run(["cc", "-std=c17", "-Wall", "-Wextra", "-Werror", "-c", "-I",
                    str(ROOT / "src"), "-o", str(tmp_path / "web_assets.o"), str(out)],
                   check=True)
    return out.read_text(), dep.read_text()


def test_generator_takes_an_empty_web_directory(tmp_path):
    src, dep = generated(tmp_path, {})
    assert "relay_web_n_assets = 0;" in src
    assert str(tmp_path / "web") in dep


def test_generator_takes_subdirectories_and_any_file(tmp_path):
    src, dep = generated(tmp_path, {"index.html": b"<p>hi</p>", "js/app.js": b"x()\n" * 100,
                                    "img/a b.png": b"\x89PNG", "empty/": None,
                                    "e.txt": b"", "\"q\\.css": b"a{}"})
    assert "relay_web_n_assets = 5;" in src
    assert '"/js/app.js", "text/javascript; charset=utf-8"' in src
    assert '"/img/a b.png", "image/png"' in src
    assert str(tmp_path / "web" / "empty") in dep and "a\\ b.png" in dep
