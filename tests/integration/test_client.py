"""perch one-shot commands against a real perchd: output, error exits, certificates."""
import os
import subprocess

from conftest import PASSWORD, request

PERCH = os.path.join(os.path.dirname(os.environ.get("PERCHD") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "src", "perchd")), "perch")


def perch(*args, password=PASSWORD, **kw):
    env = dict(os.environ)
    env.pop("PERCH_PASSWORD", None)
    if password is not None:
        env["PERCH_PASSWORD"] = password
    return subprocess.run([PERCH, *args], capture_output=True, text=True, env=env, timeout=60,
                          stdin=subprocess.DEVNULL, **kw)


def fingerprint(cert):
    out = subprocess.run(["openssl", "x509", "-in", cert, "-noout", "-fingerprint", "-sha256"],
                         capture_output=True, text=True, check=True).stdout
    return out.strip().split("=", 1)[1]


def test_buffers_lines_send(perchd):
    url = f"http://127.0.0.1:{perchd.plain_port}"
    r = perch("send", url, "core.weechat", "/print -newbuffer chan")
    assert r.returncode == 0, r.stderr
    # Text to a buffer that takes none is accepted (204) and answered in the buffer.
    assert perch("send", url, "core.chan", "hello from perch").returncode == 0
    assert perch("send", url, "core.chan", "/print bob\thi there").returncode == 0
    request(perchd.tls_port, "POST", "/api/ping")
    r = perch("buffers", url)
    assert r.returncode == 0 and r.stdout.splitlines() == ["1 core.weechat", "2 core.chan"]
    lines = perch("lines", url, "core.chan").stdout
    assert "=!= You can not write text in this buffer" in lines
    # Options may come before or after the arguments.
    r = perch("lines", url, "core.chan", "-n", "1")
    assert r.returncode == 0 and r.stdout.strip().endswith("bob hi there")
    r = perch("-n", "5", "lines", url, "core.chan")
    assert r.returncode == 0 and "bob hi there" in r.stdout


def test_error_exits(perchd):
    url = f"http://127.0.0.1:{perchd.plain_port}"
    r = perch("lines", url, "core.nope")
    assert r.returncode == 1 and 'Buffer "core.nope" not found' in r.stderr
    r = perch("buffers", url, password="wrong")
    assert r.returncode == 1 and "authentication failed: Invalid password" in r.stderr
    r = perch("buffers", url, password=None)
    assert r.returncode == 1 and "no password" in r.stderr
    r = perch("buffers", "ftp://x")
    assert r.returncode == 1 and "invalid URL" in r.stderr
    r = perch("buffers", f"http://127.0.0.1:{perchd.plain_port + 7}")
    assert r.returncode == 1 and "cannot reach" in r.stderr
    assert perch("bogus").returncode == 2
    assert perch("send", url, "core.weechat").returncode == 2


def test_password_file(perchd, tmp_path):
    f = tmp_path / "pw"
    f.write_text(PASSWORD + "\n")
    r = perch("buffers", f"http://127.0.0.1:{perchd.plain_port}", "--password-file", str(f),
              password=None)
    assert r.returncode == 0, r.stderr


def test_certificates(perchd):
    url = f"https://127.0.0.1:{perchd.tls_port}"
    cert = os.path.join(perchd.dir, "tls", "cert.pem")
    r = perch("buffers", url)
    assert r.returncode == 1 and "certificate refused: self-signed certificate" in r.stderr
    assert perch("buffers", url, "--cafile", cert).returncode == 0
    fp = fingerprint(cert)
    assert perch("--fingerprint", fp, "buffers", url).returncode == 0
    assert perch("--fingerprint", fp.replace(":", "").lower(), "buffers", url).returncode == 0
    r = perch("--fingerprint", "00" * 32, "buffers", url)
    assert r.returncode == 1 and "not the pinned one" in r.stderr
    assert perch("--insecure", "buffers", url).returncode == 0
    # A certificate for another name is refused even when its CA is trusted.
    r = perch("buffers", f"https://localhost:{perchd.tls_port}", "--cafile", cert)
    assert r.returncode == 0  # the first-run certificate names localhost too


def test_hashed_credentials_are_used(perchd_factory):
    p = perchd_factory(config="[relay]\npassword_hash_algo = pbkdf2+sha256\n"
                              "password_hash_iterations = 1000\n")
    assert perch("buffers", f"http://127.0.0.1:{p.plain_port}").returncode == 0
    q = perchd_factory(config="[relay]\npassword_hash_algo = md5\n")
    r = perch("buffers", f"http://127.0.0.1:{q.plain_port}")
    assert r.returncode == 1 and "accepts none" in r.stderr


def totp_now(secret):
    import base64, hashlib, hmac, struct, time
    key = base64.b32decode(secret)
    mac = hmac.new(key, struct.pack(">Q", int(time.time() // 30)), hashlib.sha1).digest()
    off = mac[-1] & 15
    return str((struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 10**6).zfill(6)


def test_totp_asked_when_the_relay_wants_it(perchd_factory):
    p = perchd_factory(config="[relay]\ntotp_secret = JBSWY3DPEHPK3PXP\ntotp_window = 1\n")
    url = f"http://127.0.0.1:{p.plain_port}"
    r = perch("buffers", url)
    assert r.returncode == 1 and "TOTP" in r.stderr
    env_code = totp_now("JBSWY3DPEHPK3PXP")
    r = subprocess.run([PERCH, "buffers", url], capture_output=True, text=True, timeout=60,
                       stdin=subprocess.DEVNULL,
                       env=dict(os.environ, PERCH_PASSWORD=PASSWORD, PERCH_TOTP=env_code))
    assert r.returncode == 0, r.stderr
