"""A handshake choosing PBKDF2 starts deriving the key its client is about to send (the
configured password salted with the time now), so that perchd derives while the client does:
the login right after it is decided by that key, right or wrong; a credential with another salt,
or after the password changed, is checked as before; a flood of handshakes derives one key."""
import hashlib
import os
import signal
import time

from conftest import PASSWORD, basic, request
from test_login_offloop import ITER

DERIVING = "deriving the pbkdf2+sha512 key ahead"
DECIDED = "login decided by the key derived ahead"


def config(password=""):
    return f"""
[relay]
{f"password = {password}" if password else ""}
password_hash_iterations = {ITER}
auth_fail_limit = 1000
auth_fail_delay = 0
[log]
level = debug
"""


def credential(ts, password=PASSWORD):
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), str(ts).encode(), ITER).hex()
    return f"hash:pbkdf2+sha512:{ts}:{ITER}:{digest}"


def handshake(p):
    """A handshake that started deriving its key ahead, and the second it was answered in.
    Retried across a second boundary (the key may be for either second), and when perchd
    started none because the key of the one before, for the other second, was still being
    derived (one at a time: on a loaded machine that takes longer than the pause)."""
    while True:
        derived = p.read_log().count(DERIVING)
        before = int(time.time())
        r = request(p.plain_port, "POST", "/api/handshake", auth=False, tls=False,
                    body={"password_hash_algo": ["pbkdf2+sha512"]})
        assert r.status == 200 and r.json()["password_hash_algo"] == "pbkdf2+sha512"
        if int(time.time()) == before and p.read_log().count(DERIVING) > derived:
            return before
        time.sleep(0.2)


def version(p, cred):
    return request(p.plain_port, "GET", "/api/version", auth=False, tls=False,
                   headers={"Authorization": basic(cred)}).status


def wait_log(p, text, count=1, timeout=30):
    deadline = time.monotonic() + timeout
    while p.read_log().count(text) < count:
        assert time.monotonic() < deadline, f"no {text!r} in the log:\n{p.read_log()[-2000:]}"
        time.sleep(0.02)


def test_the_login_after_a_handshake_uses_the_key_derived_ahead(perchd_factory):
    p = perchd_factory(config=config())
    ts = handshake(p)
    derived = p.read_log().count(DERIVING)
    # The client derives while perchd does: its login finds the key running or done.
    assert version(p, credential(ts)) == 200
    assert p.read_log().count(DECIDED) == 1, p.read_log()[-3000:]
    # A wrong password with the same salt: the same key says no, and it counts as a failure.
    assert version(p, credential(ts, password="wrong")) == 401
    assert p.read_log().count(DECIDED) == 2
    assert "authentication failed" in p.read_log()
    # Another salt is derived for its own login, and right is still right.
    assert version(p, credential(ts - 1)) == 200
    assert p.read_log().count(DECIDED) == 2
    assert p.read_log().count(DERIVING) == derived


def test_a_login_waiting_for_the_key_being_derived(perchd_factory):
    p = perchd_factory(config=config())
    ts = handshake(p)
    # Sent at once: perchd is still deriving (about 0.1 s), so the login waits for that key.
    cred = credential(ts)
    wrong = credential(ts, password="wrong")
    assert version(p, cred) == 200
    assert version(p, wrong) == 401
    assert p.read_log().count(DECIDED) == 2


def test_a_flood_of_handshakes_derives_one_key_at_a_time(perchd_factory):
    p = perchd_factory(config=config())
    for _ in range(30):
        request(p.plain_port, "POST", "/api/handshake", auth=False, tls=False,
                body={"password_hash_algo": ["pbkdf2+sha512"]})
    wait_log(p, DERIVING)
    # 30 handshakes within a derivation or two: one key per derivation, never one each.
    assert p.read_log().count(DERIVING) <= 3


def test_a_key_derived_before_the_password_changed_is_not_used(perchd_factory):
    p = perchd_factory(config=config("old-secret"), env={"PERCH_PASSWORD": ""})
    ts = handshake(p)
    time.sleep(0.5)  # the old password's key derived
    with open(p.config_path, "w") as f:
        f.write(config("new-secret"))
    os.kill(p.proc.pid, signal.SIGHUP)
    wait_log(p, "reloaded ")
    assert version(p, credential(ts, password="old-secret")) == 401
    assert version(p, credential(ts, password="new-secret")) == 200
    assert DECIDED not in p.read_log()


def test_no_key_ahead_for_other_algorithms(perchd_factory):
    p = perchd_factory(config=config())
    r = request(p.plain_port, "POST", "/api/handshake", auth=False, tls=False,
                body={"password_hash_algo": ["sha512", "plain"]})
    assert r.json()["password_hash_algo"] == "sha512"
    ts = int(time.time())
    digest = hashlib.sha512(f"{ts}{PASSWORD}".encode()).hexdigest()
    assert version(p, f"hash:sha512:{ts}:{digest}") == 200
    assert DERIVING not in p.read_log()
