"""Authentication over real TLS: every credential format, every error string, time window, TOTP."""
import base64
import hashlib
import hmac
import json
import struct
import time

import pytest

from conftest import PASSWORD, Client, basic, request

ITER = 1000  # a small PBKDF2 count keeps the suite fast; the default is tested in unit tests

CONFIG = f"""
[relay]
password_hash_iterations = {ITER}
totp_secret = {{totp}}
totp_window = {{window}}
"""


def credential(algo, ts=None, password=PASSWORD, iterations=ITER, upper=False):
    ts = str(int(time.time()) if ts is None else ts)
    if algo == "plain":
        return f"plain:{password}"
    if algo in ("sha256", "sha512"):
        digest = hashlib.new(algo, (ts + password).encode()).hexdigest()
        out = f"hash:{algo}:{ts}:{digest}"
    else:
        h = algo.split("+")[1]
        digest = hashlib.pbkdf2_hmac(h, password.encode(), ts.encode(), iterations).hex()
        out = f"hash:{algo}:{ts}:{iterations}:{digest}"
    return out.upper().replace("HASH:", "hash:").replace(algo.upper(), algo) if upper else out


def totp(secret, t=None, digits=6):
    key = base64.b32decode(secret)
    counter = int((time.time() if t is None else t) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    off = mac[-1] & 15
    code = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(code).zfill(digits)


@pytest.fixture
def relay(perchd_factory):
    return perchd_factory(config=CONFIG.format(totp="", window=0))


def version(port, headers):
    return request(port, "GET", "/api/version", headers=headers, auth=False)


@pytest.mark.parametrize("algo", ["plain", "sha256", "sha512", "pbkdf2+sha256", "pbkdf2+sha512"])
@pytest.mark.parametrize("upper", [False, True])
def test_every_credential_format(relay, algo, upper):
    r = version(relay.tls_port, {"Authorization": basic(credential(algo, upper=upper))})
    assert r.status == 200, r.body


def test_bearer_in_websocket_protocol_header(relay):
    token = base64.urlsafe_b64encode(credential("sha256").encode()).decode().rstrip("=")
    r = version(relay.tls_port, {
        "Sec-WebSocket-Protocol": f"api.weechat, base64url.bearer.authorization.weechat.{token}"})
    assert r.status == 200


@pytest.mark.parametrize("header,error", [
    (None, "Missing password"),
    ("Bearer abc", "Missing password"),
    (basic("plain:wrong"), "Invalid password"),
    (basic("foo:bar"), "Invalid password"),
    (basic("hash:sha256"), "Invalid password"),
    (basic("hash:md5:1:00"), "Invalid hash algorithm (not found or not supported)"),
    (basic("hash:plain:secret"), "Invalid hash algorithm (not found or not supported)"),
    (basic("hash:pbkdf2+sha256:1:99:00"), "Invalid number of iterations"),
    (basic("hash:sha256:notanumber:00"), "Invalid timestamp"),
])
def test_error_strings_and_close(relay, header, error):
    c = Client(relay.tls_port)
    r = c.request("GET", "/api/version", headers={"Authorization": header} if header else {},
                  auth=False)
    assert r.status == 401 and r.reason == "Unauthorized"
    assert r.json() == {"error": error}
    # After a 401 the connection ends cleanly: TLS close_notify, then EOF.
    assert c.at_eof()
    c.close()


@pytest.mark.parametrize("algo", ["sha256", "pbkdf2+sha512"])
def test_stale_and_future_timestamps_refused(relay, algo):
    for skew in (-60, 60):
        cred = credential(algo, ts=int(time.time()) + skew)
        r = version(relay.tls_port, {"Authorization": basic(cred)})
        assert r.status == 401 and r.json() == {"error": "Invalid timestamp"}


def test_replayed_hash_inside_window_is_accepted_like_reference(relay):
    cred = basic(credential("sha512"))
    assert version(relay.tls_port, {"Authorization": cred}).status == 200
    assert version(relay.tls_port, {"Authorization": cred}).status == 200


def test_errors_are_authenticated_too(relay):
    """Unlike the reference, 404 and 405 need credentials."""
    assert request(relay.tls_port, "GET", "/api/nothing", auth=False).status == 401
    assert request(relay.tls_port, "DELETE", "/api/buffers", auth=False).status == 401
    assert request(relay.tls_port, "GET", "/api/nothing").status == 404


SECRET = "JBSWY3DPEHPK3PXP"


def test_totp_accepted_in_window_refused_outside(perchd_factory):
    p = perchd_factory(config=CONFIG.format(totp=SECRET, window=1))
    hs = request(p.tls_port, "POST", "/api/handshake", body={"password_hash_algo": ["plain"]},
                 auth=False).json()
    assert hs["totp"] is True
    now = time.time()
    ok = {"Authorization": basic("plain:" + PASSWORD)}
    for t in (now, now - 30, now + 30):
        assert version(p.tls_port, dict(ok, **{"x-weechat-totp": totp(SECRET, t)})).status == 200
    for t in (now - 95, now + 95):
        r = version(p.tls_port, dict(ok, **{"x-weechat-totp": totp(SECRET, t)}))
        assert r.status == 401 and r.json() == {"error": "Invalid TOTP"}
    r = version(p.tls_port, ok)
    assert r.json() == {"error": "Missing TOTP"}
    r = version(p.tls_port, dict(ok, **{"x-weechat-totp": "12a"}))
    assert r.json() == {"error": "Invalid TOTP"}
    # TOTP is checked before the password.
    r = version(p.tls_port, {"Authorization": basic("plain:wrong"),
                             "x-weechat-totp": totp(SECRET)})
    assert r.json() == {"error": "Invalid password"}


def test_handshake_respects_allowed_algorithms(perchd_factory):
    p = perchd_factory(config="[relay]\npassword_hash_algo = sha*,pbkdf2+sha256\n")
    body = {"password_hash_algo": ["plain", "sha256", "sha512", "pbkdf2+sha256", "pbkdf2+sha512"]}
    hs = request(p.tls_port, "POST", "/api/handshake", body=body, auth=False).json()
    assert hs["password_hash_algo"] == "pbkdf2+sha256"
    r = version(p.tls_port, {"Authorization": basic("plain:" + PASSWORD)})
    assert r.json() == {"error": "Invalid hash algorithm (not found or not supported)"}


def test_totp_in_websocket_subprotocol(perchd_factory):
    """Browsers cannot send x-weechat-totp: the code rides in a `totp.perch.CODE` item of
    Sec-WebSocket-Protocol, under the header's rules and error strings, never echoed."""
    from wsraw import RawWS
    # Wrong codes count as failed logins: throttling out of the way.
    p = perchd_factory(config=CONFIG.format(totp=SECRET, window=1)
                       + "auth_fail_limit = 1000\nauth_fail_delay = 0\n")
    bearer = "base64url.bearer.authorization.weechat." + base64.urlsafe_b64encode(
        f"plain:{PASSWORD}".encode()).decode().rstrip("=")

    def upgrade(*items, password=bearer):
        ws = RawWS(p.plain_port)
        proto = ", ".join(["api.weechat", password, *items])
        status, headers, body = ws.handshake(auth=False, headers={"Sec-WebSocket-Protocol": proto})
        ws.close()
        return status, dict(headers), json.loads(body) if body else None

    status, headers, _ = upgrade(f"totp.perch.{totp(SECRET)}")
    assert status == "HTTP/1.1 101 Switching Protocols"
    assert headers["Sec-WebSocket-Protocol"] == "api.weechat"
    wrong = f"{(int(totp(SECRET)) + 500000) % 1000000:06d}"
    for items, error in [((f"totp.perch.{wrong}",), "Invalid TOTP"), ((), "Missing TOTP"),
                         (("totp.perch.12a",), "Invalid TOTP"), (("totp.perch.",), "Invalid TOTP")]:
        status, _, body = upgrade(*items)
        assert status == "HTTP/1.1 401 Unauthorized" and body == {"error": error}, (items, body)
    # TOTP is checked before the password, as with the header.
    bad = "base64url.bearer.authorization.weechat." + base64.urlsafe_b64encode(b"plain:x").decode()
    assert upgrade(f"totp.perch.{wrong}", password=bad)[2] == {"error": "Invalid TOTP"}
    assert upgrade(f"totp.perch.{totp(SECRET)}", password=bad)[2] == {"error": "Invalid password"}
    # The header, when present, wins over the item.
    ws = RawWS(p.plain_port)
    status, _, _ = ws.handshake(auth=False, headers={
        "Sec-WebSocket-Protocol": f"api.weechat, {bearer}, totp.perch.{wrong}",
        "x-weechat-totp": totp(SECRET)})
    ws.close()
    assert status == "HTTP/1.1 101 Switching Protocols"


def test_totp_item_refused_when_totp_is_off(relay):
    from wsraw import RawWS
    ws = RawWS(relay.plain_port)
    status, _, body = ws.handshake(headers={"Sec-WebSocket-Protocol": "api.weechat, totp.perch.123456"})
    assert status == "HTTP/1.1 401 Unauthorized" and json.loads(body) == {"error": "Invalid TOTP"}
