"""Login tokens (a perch extension): POST /api/token gives an authenticated client a credential
`token:HEX` that logs in later without the password and without a TOTP code, over Basic or the
WebSocket bearer item; a forged one counts as a failed login, an expired one does not; changing
the password or the TOTP secret, setting token_lifetime = 0 or deleting DIR/token.key revokes
every token; tokens survive a restart; a damaged token.key turns tokens off with a warning."""
import base64
import json
import os
import signal
import stat
import time

from conftest import PASSWORD, Perchd, basic, request
from test_auth import SECRET, totp
from wsraw import RawWS


def config(extra="", password=""):
    return f"""
[relay]
{f"password = {password}" if password else ""}
password_hash_iterations = 1000
auth_fail_limit = 1000
auth_fail_delay = 0
{extra}
"""


def issue(p, headers=None):
    r = request(p.plain_port, "POST", "/api/token", tls=False, headers=headers)
    assert r.status == 200, r.body
    body = r.json()
    assert r.header("Content-Type").startswith("application/json")
    assert set(body) == {"token", "expires"} and len(body["token"]) == 96
    return body


def login(p, token):
    r = request(p.plain_port, "GET", "/api/version", auth=False, tls=False,
                headers={"Authorization": basic(f"token:{token}")})
    return r.status, (r.json() if r.status != 200 else None)


def reload(p, text):
    with open(p.config_path, "w") as f:
        f.write(text)
    n = p.read_log().count("reloaded ")
    os.kill(p.proc.pid, signal.SIGHUP)
    deadline = time.monotonic() + 20
    while p.read_log().count("reloaded ") == n:
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_a_token_logs_in_over_basic_and_the_websocket_bearer_item(perchd_factory):
    p = perchd_factory(config=config())
    before = int(time.time())
    body = issue(p)
    assert before + 604800 <= body["expires"] <= int(time.time()) + 604800  # 7 days by default
    assert login(p, body["token"]) == (200, None)
    # Over the WebSocket as a browser sends it, and a new token asked for over it.
    bearer = base64.urlsafe_b64encode(f"token:{body['token']}".encode()).decode().rstrip("=")
    ws = RawWS(p.plain_port)
    status, _, _ = ws.handshake(auth=False, headers={
        "Sec-WebSocket-Protocol": f"api.weechat, base64url.bearer.authorization.weechat.{bearer}"})
    assert status == "HTTP/1.1 101 Switching Protocols"
    answer = ws.request("POST /api/token")
    assert answer["code"] == 200 and answer["body_type"] == "token"
    assert answer["body"]["token"] != body["token"]
    ws.close()
    assert login(p, answer["body"]["token"]) == (200, None)
    # A token cannot be had without logging in.
    r = request(p.plain_port, "POST", "/api/token", auth=False, tls=False)
    assert r.status == 401


def test_a_token_stands_for_the_totp_code_too(perchd_factory):
    p = perchd_factory(config=config(f"totp_secret = {SECRET}"))
    token = issue(p, headers={"x-weechat-totp": totp(SECRET)})["token"]
    # The password alone is not enough, the token is.
    r = request(p.plain_port, "GET", "/api/version", tls=False)
    assert r.status == 401 and r.json() == {"error": "Missing TOTP"}
    assert login(p, token) == (200, None)


def test_forged_tokens_are_refused_and_counted(perchd_factory):
    p = perchd_factory(config=config().replace("auth_fail_limit = 1000", "auth_fail_limit = 5"))
    token = issue(p)["token"]
    flipped = token[:-1] + ("0" if token[-1] != "0" else "1")
    for bad in (flipped, token[:-2], token + "00", "zz" + token[2:], ""):
        assert login(p, bad) == (401, {"error": "Invalid token"}), bad
    # Five wrong secrets blocked the address: even the right token waits now.
    status, _ = login(p, token)
    assert status == 429


def test_expired_tokens_are_refused_but_not_counted(perchd_factory):
    p = perchd_factory(config=config("token_lifetime = 1").replace(
        "auth_fail_limit = 1000", "auth_fail_limit = 1"))
    token = issue(p)["token"]
    time.sleep(2.1)
    assert login(p, token) == (401, {"error": "Expired token"})
    # Not a guess: the address is not blocked.
    assert login(p, issue(p)["token"]) == (200, None)


def test_changing_the_credentials_revokes_every_token(perchd_factory):
    p = perchd_factory(config=config(password="first"), env={"PERCH_PASSWORD": ""})
    headers = {"Authorization": basic("plain:first")}
    token = issue(p, headers=headers)["token"]
    assert login(p, token) == (200, None)
    reload(p, config(password="second"))
    assert login(p, token) == (401, {"error": "Invalid token"})
    headers = {"Authorization": basic("plain:second")}
    token = issue(p, headers=headers)["token"]
    reload(p, config(f"totp_secret = {SECRET}", password="second"))
    assert login(p, token) == (401, {"error": "Invalid token"})
    reload(p, config(password="second"))
    token = issue(p, headers=headers)["token"]
    reload(p, config("token_lifetime = 0", password="second"))
    assert login(p, token) == (401, {"error": "Invalid token"})
    r = request(p.plain_port, "POST", "/api/token", tls=False, headers=headers)
    assert r.status == 403 and r.json() == {"error": "Login tokens are disabled"}


def test_tokens_survive_a_restart_and_go_with_token_key(perchd_factory, tmp_path):
    d = str(tmp_path)
    p = Perchd(d, config=config())
    try:
        token = issue(p)["token"]
        key = os.path.join(d, "token.key")
        assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
        with open(key) as f:
            assert len(f.read().strip()) == 64
    finally:
        assert p.stop() == 0
    p = Perchd(d)
    try:
        assert login(p, token) == (200, None)
    finally:
        assert p.stop() == 0
    # A new key: every token issued before is gone.
    os.unlink(key)
    p = Perchd(d)
    try:
        assert login(p, token) == (401, {"error": "Invalid token"})
    finally:
        assert p.stop() == 0
    # A damaged key: tokens off with a warning, everything else runs.
    with open(key, "w") as f:
        f.write("not hex\n")
    p = Perchd(d)
    try:
        r = request(p.plain_port, "POST", "/api/token", tls=False)
        assert r.status == 403
        assert "token.key: not 64 hex digits: login tokens are off" in p.read_log()
        assert request(p.plain_port, "GET", "/api/version", tls=False).status == 200
    finally:
        assert p.stop() == 0
