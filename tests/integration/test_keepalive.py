"""What a keep-alive connection keeps between requests, and when it stops keeping it: the clear
password it proved (not checked again while the same bytes come under the same configuration;
checked again after a reload, for other credentials, and never kept with TOTP on), and over TLS
its record buffers (given back after a second without a request, taken again by the next)."""
import json
import time

from conftest import PASSWORD, Client, basic
from test_auth import SECRET, totp
from test_login_token import reload

CONFIG = """
[relay]
{password}
auth_fail_limit = 1000
auth_fail_delay = 0
{extra}
"""


def config(password="", extra=""):
    return CONFIG.format(password=f"password = {password}" if password else "", extra=extra)


def get(c, credential, headers=None):
    return c.request("GET", "/api/version", auth=False,
                     headers=dict({"Authorization": basic(credential)}, **(headers or {})))


def test_a_reload_makes_a_connection_prove_its_password_again(perchd_factory):
    p = perchd_factory(config=config(password="first"), env={"PERCH_PASSWORD": ""})
    c = Client(p.tls_port)
    assert get(c, "plain:first").status == 200
    assert get(c, "plain:first").status == 200
    reload(p, config(password="second"))
    r = get(c, "plain:first")
    assert (r.status, r.json()) == (401, {"error": "Invalid password"})
    c = Client(p.tls_port)
    assert get(c, "plain:second").status == 200
    assert get(c, "plain:second").status == 200


def test_other_credentials_on_a_proved_connection_are_checked(perchd_factory):
    p = perchd_factory(config=config())
    c = Client(p.tls_port)
    assert get(c, f"plain:{PASSWORD}").status == 200
    r = get(c, f"plain:{PASSWORD}x")
    assert (r.status, r.json()) == (401, {"error": "Invalid password"})
    c = Client(p.tls_port)
    assert get(c, f"plain:{PASSWORD}").status == 200
    r = get(c, "plain:" + PASSWORD[:-1])  # a prefix of the proved one
    assert (r.status, r.json()) == (401, {"error": "Invalid password"})


def test_with_totp_every_request_of_a_connection_needs_its_code(perchd_factory):
    p = perchd_factory(config=config(extra=f"totp_secret = {SECRET}\ntotp_window = 1"))
    c = Client(p.tls_port)
    cred = f"plain:{PASSWORD}"
    assert get(c, cred, {"x-weechat-totp": totp(SECRET)}).status == 200
    assert get(c, cred, {"x-weechat-totp": totp(SECRET)}).status == 200
    r = get(c, cred)
    assert (r.status, r.json()) == (401, {"error": "Missing TOTP"})
    c = Client(p.tls_port)
    assert get(c, cred, {"x-weechat-totp": totp(SECRET)}).status == 200
    r = get(c, cred, {"x-weechat-totp": totp(SECRET, time.time() - 300)})
    assert (r.status, r.json()) == (401, {"error": "Invalid TOTP"})


def test_a_token_is_checked_on_every_request(perchd_factory):
    """A token expires: a connection that proved one once is not trusted with it for ever."""
    p = perchd_factory(config=config())
    c = Client(p.tls_port)
    token = c.request("POST", "/api/token").json()["token"]
    assert get(c, f"token:{token}").status == 200
    r = get(c, f"token:{token[:-2]}00" if not token.endswith("00") else f"token:{token[:-2]}11")
    assert (r.status, r.json()) == (401, {"error": "Invalid token"})


def test_a_tls_connection_idle_past_its_buffers_time_still_answers_in_full(perchd_factory):
    """After a second without a request the connection gives its record buffers back; the next
    request takes them again, and a long answer (several records) arrives whole. The idle
    timeout still counts from the last answer, not from the buffers' release."""
    p = perchd_factory(config=config(extra="[limits]\nidle_timeout = 3"))
    c = Client(p.tls_port)
    for i in range(60):
        body = {"command": f"/print line {i:03d} " + "x" * 600}
        assert c.request("POST", "/api/input", body=body).status // 100 == 2
    first = c.request("GET", "/api/buffers/core.weechat/lines?lines=-60")
    assert first.status == 200 and len(first.body) > 36000
    time.sleep(1.5)  # past the buffers' second, within the idle timeout
    again = c.request("GET", "/api/buffers/core.weechat/lines?lines=-60")
    assert again.status == 200 and again.body == first.body
    assert [line["message"][:8] for line in json.loads(again.body)][-1] == "line 059"
    start = time.monotonic()
    assert c.at_eof(timeout=20)  # closed by the idle timeout, with close_notify
    assert time.monotonic() - start > 1.5  # not by the buffers' timer
