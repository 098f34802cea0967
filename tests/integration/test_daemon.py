"""The daemon: first run, command line, reload, quit, client limits and networks."""
import os
import re
import signal
import socket
import subprocess
import time

import pytest

from conftest import PERCHD, Client, basic, free_port, request, tls_context, wait_port


def run_perchd(*args, env=None, timeout=30):
    e = dict(os.environ)
    e.pop("PERCH_PASSWORD", None)
    e.update(env or {})
    return subprocess.run([PERCHD, *args], capture_output=True, text=True, env=e, timeout=timeout)


def test_help_and_version():
    r = run_perchd("--help")
    assert r.returncode == 0 and "--tls-listen HOST:PORT" in r.stdout
    r = run_perchd("--version")
    assert r.returncode == 0 and re.match(r"perchd \d+\.\d+\.\d+", r.stdout)


@pytest.mark.parametrize("args", [["--bogus"], ["extra-argument"], ["--dir"]])
def test_bad_arguments(args):
    r = run_perchd(*args)
    assert r.returncode == 2 and r.stderr


def test_first_run_creates_config_certificate_and_password(tmp_path):
    data = tmp_path / "xdg"
    port = free_port()
    e = dict(os.environ, XDG_DATA_HOME=str(data))
    e.pop("PERCH_PASSWORD", None)
    with open(tmp_path / "log", "w") as log:
        p = subprocess.Popen([PERCHD, "--tls-listen", f"127.0.0.1:{port}"], env=e,
                             stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_port(port, p)
        finally:
            p.send_signal(signal.SIGTERM)
            assert p.wait(timeout=30) == 0
    out = (tmp_path / "log").read_text()
    password = re.search(r"relay password \(shown once, stored in the config\): (\S+)", out).group(1)
    assert len(password) == 24
    conf = (data / "perch" / "perchd.conf").read_text()
    assert f"password = {password}" in conf
    # Every option is documented by a comment above it.
    for line in conf.splitlines():
        if "=" in line and not line.startswith("#"):
            assert conf.splitlines()[conf.splitlines().index(line) - 1].startswith("#")
    assert oct(os.stat(data / "perch" / "perchd.conf").st_mode & 0o777) == "0o600"
    assert oct(os.stat(data / "perch" / "tls" / "key.pem").st_mode & 0o777) == "0o600"
    cert = subprocess.run(["openssl", "x509", "-noout", "-text", "-in",
                           str(data / "perch" / "tls" / "cert.pem")],
                          capture_output=True, text=True, check=True).stdout
    assert "prime256v1" in cert or "P-256" in cert
    # The second start reuses everything and prints no password.
    with open(tmp_path / "log2", "w") as log:
        p = subprocess.Popen([PERCHD, "--tls-listen", f"127.0.0.1:{port}"], env=e,
                             stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_port(port, p)
            r = request(port, "GET", "/api/version",
                        headers={"Authorization": basic("plain:" + password)}, auth=False)
            assert r.status == 200
        finally:
            p.send_signal(signal.SIGINT)
            assert p.wait(timeout=30) == 0
    assert "relay password" not in (tmp_path / "log2").read_text()


def test_invalid_config_refused_at_start(tmp_path):
    (tmp_path / "perchd.conf").write_text("[relay]\nmax_clients = lots\n")
    r = run_perchd("--dir", str(tmp_path), env={"PERCH_PASSWORD": "x"})
    assert r.returncode == 1
    assert 'line 2: [relay] max_clients: invalid value "lots"' in r.stderr
    (tmp_path / "perchd.conf").write_text("[relay]\nno_such_option = 1\n")
    r = run_perchd("--dir", str(tmp_path), env={"PERCH_PASSWORD": "x"})
    assert "unknown option [relay] no_such_option" in r.stderr


def test_no_password_refused(tmp_path):
    (tmp_path / "perchd.conf").write_text("[relay]\npassword =\n")
    r = run_perchd("--dir", str(tmp_path))
    assert r.returncode == 1 and "no password" in r.stderr


def test_listen_address_in_use(perchd, tmp_path):
    r = run_perchd("--dir", str(tmp_path), "--tls-listen", f"127.0.0.1:{perchd.tls_port}",
                   env={"PERCH_PASSWORD": "x"})
    assert r.returncode == 1 and "address already in use" in r.stderr


def test_second_daemon_for_the_same_dir_refused(perchd):
    r = run_perchd("--dir", perchd.dir, "--tls-listen", f"127.0.0.1:{perchd.tls_port + 1}",
                   env={"PERCH_PASSWORD": "x"})
    assert r.returncode == 1 and "another perchd already runs" in r.stderr


def test_sighup_reload_good_and_bad_config(perchd):
    keep = Client(perchd.tls_port)
    assert keep.request("GET", "/api/version").status == 200
    with open(perchd.config_path, "a") as f:
        f.write("\n[relay]\npassword = newsecret\n")
    os.kill(perchd.proc.pid, signal.SIGHUP)
    time.sleep(0.5)
    # PERCH_PASSWORD still overrides the file: check another reloadable option instead.
    with open(perchd.config_path, "a") as f:
        f.write("password_hash_iterations = 4242\n")
    os.kill(perchd.proc.pid, signal.SIGHUP)
    time.sleep(0.5)
    hs = request(perchd.tls_port, "POST", "/api/handshake", auth=False).json()
    assert hs["password_hash_iterations"] == 4242
    # The connection opened before the reload is still served.
    assert keep.request("GET", "/api/version").status == 200
    with open(perchd.config_path, "a") as f:
        f.write("time_window = banana\n")
    os.kill(perchd.proc.pid, signal.SIGHUP)
    time.sleep(0.5)
    assert "reload refused, keeping the running config" in perchd.read_log()
    hs = request(perchd.tls_port, "POST", "/api/handshake", auth=False).json()
    assert hs["password_hash_iterations"] == 4242
    assert keep.request("GET", "/api/version").status == 200
    keep.close()


def core_lines(p):
    r = request(p.tls_port, "GET", "/api/buffers/core.weechat/lines?lines=-5&colors=strip")
    return [l["message"] for l in r.json()]


def input_command(p, command):
    r = request(p.tls_port, "POST", "/api/input", body={"buffer_name": "core.weechat",
                                                        "command": command})
    assert r.status == 204, r.body


def test_reload_command_as_weechat_s(perchd):
    """/reload (which WeeChat /remote passes on) reloads as SIGHUP does and says so."""
    with open(perchd.config_path, "a") as f:
        f.write("\n[relay]\npassword_hash_iterations = 4343\n")
    input_command(perchd, "/reload")
    assert core_lines(perchd)[-1] == f"Options reloaded from {perchd.config_path}"
    hs = request(perchd.tls_port, "POST", "/api/handshake", auth=False).json()
    assert hs["password_hash_iterations"] == 4343
    with open(perchd.config_path, "a") as f:
        f.write("time_window = banana\n")
    input_command(perchd, "/reload")
    assert core_lines(perchd)[-1].startswith("reload: refused, the running config is kept: ")
    assert "banana" in core_lines(perchd)[-1]
    hs = request(perchd.tls_port, "POST", "/api/handshake", auth=False).json()
    assert hs["password_hash_iterations"] == 4343
    input_command(perchd, "/save")
    assert core_lines(perchd)[-1].startswith("/save has no effect in perchd: ")


def test_sighup_reloads_certificate(perchd):
    def fingerprint():
        with socket.create_connection(("127.0.0.1", perchd.tls_port)) as s:
            with tls_context().wrap_socket(s) as t:
                return t.getpeercert(binary_form=True)

    before = fingerprint()
    tls = os.path.join(perchd.dir, "tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=new", "-days", "1",
                    "-keyout", os.path.join(tls, "key.pem"), "-out", os.path.join(tls, "cert.pem")],
                   check=True, capture_output=True)
    os.kill(perchd.proc.pid, signal.SIGHUP)
    time.sleep(0.5)
    assert fingerprint() != before
    # A broken certificate is refused and the running one stays.
    with open(os.path.join(tls, "cert.pem"), "w") as f:
        f.write("not a certificate\n")
    os.kill(perchd.proc.pid, signal.SIGHUP)
    time.sleep(0.5)
    assert "reload refused" in perchd.read_log()
    assert request(perchd.tls_port, "GET", "/api/version").status == 200


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


@pytest.mark.parametrize("key", ["encrypted", "another", "garbage"])
def test_unusable_tls_keys_refused_at_start(tmp_path, key):
    """A key perchd cannot use stops it at start with the reason, at once: an encrypted one
    (a daemon has no terminal to ask its passphrase on), one of another certificate, junk."""
    tls = tmp_path / "tls"
    tls.mkdir()
    cert, keyfile = str(tls / "cert.pem"), str(tls / "key.pem")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-subj", "/CN=t", "-days", "1", "-keyout", keyfile, "-out", cert)
    if key == "encrypted":
        openssl("pkey", "-in", keyfile, "-out", keyfile + ".enc", "-aes256", "-passout",
                "pass:secret")
        os.replace(keyfile + ".enc", keyfile)
    elif key == "another":
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-out", keyfile)
    else:
        (tls / "key.pem").write_text("not a key\n")
    r = run_perchd("--dir", str(tmp_path), "--tls-listen", f"127.0.0.1:{free_port()}",
                   "--plain-listen", "", env={"PERCH_PASSWORD": "x"}, timeout=20)
    assert r.returncode == 1
    assert keyfile in r.stderr, r.stderr
    if key == "encrypted":
        assert "the key is encrypted, and perchd has no passphrase to give it" in r.stderr
    elif key == "another":
        assert "this key is not the certificate's: they do not match" in r.stderr
    with open(keyfile) as f:  # left as it was
        assert ("ENCRYPTED" in f.read()) == (key == "encrypted")


def test_a_reload_with_an_encrypted_key_is_refused_without_waiting(perchd):
    """perchd in a terminal would have asked for the passphrase there, its loop stopped."""
    key = os.path.join(perchd.dir, "tls", "key.pem")
    openssl("pkey", "-in", key, "-out", key + ".enc", "-aes256", "-passout", "pass:secret")
    os.replace(key + ".enc", key)
    os.kill(perchd.proc.pid, signal.SIGHUP)
    deadline = time.monotonic() + 10
    while "reload refused" not in perchd.read_log() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "the key is encrypted, and perchd has no passphrase" in perchd.read_log()
    assert request(perchd.tls_port, "GET", "/api/version").status == 200


def test_quit_command_through_input_stops_perchd(perchd):
    c = Client(perchd.tls_port)
    r = c.request("POST", "/api/input", body={"command": "/quit bye"})
    assert r.status == 204
    assert c.at_eof()
    assert perchd.proc.wait(timeout=30) == 0
    assert "quitting: bye" in perchd.read_log()


def test_allowed_networks(perchd_factory):
    p = perchd_factory(config="[relay]\nallowed_networks = 10.0.0.0/8, ::1/128\n")
    s = socket.create_connection(("127.0.0.1", p.plain_port), timeout=5)
    assert s.recv(10) == b""
    s.close()
    q = perchd_factory(config="[relay]\nallowed_networks = 127.0.0.0/8\n")
    assert request(q.tls_port, "GET", "/api/version").status == 200


def test_invalid_allowed_networks_refused(tmp_path):
    (tmp_path / "perchd.conf").write_text("[relay]\nallowed_networks = 300.1.1.1/8\n")
    r = run_perchd("--dir", str(tmp_path), env={"PERCH_PASSWORD": "x"})
    assert r.returncode == 1 and 'invalid network "300.1.1.1/8"' in r.stderr


def test_hash_password_and_stored_hash(perchd_factory):
    r = run_perchd("--hash-password", env={"PERCH_PASSWORD": "hashed-secret"})
    assert r.returncode == 0 and r.stdout.startswith("pbkdf2+sha512:100000:")
    p = perchd_factory(config=f"[relay]\npassword =\npassword_hash = {r.stdout.strip()}\n",
                       env={"PERCH_PASSWORD": ""})
    ok = request(p.tls_port, "GET", "/api/version",
                 headers={"Authorization": basic("plain:hashed-secret")}, auth=False)
    assert ok.status == 200
    hs = request(p.tls_port, "POST", "/api/handshake", auth=False,
                 body={"password_hash_algo": ["plain", "sha512"]}).json()
    assert hs["password_hash_algo"] == "plain"


def test_silent_control_client_blocks_neither_quit_nor_sigterm(perchd_factory):
    for how in ("sigterm", "control"):
        p = perchd_factory()
        silent = socket.socket(socket.AF_UNIX)
        silent.connect(os.path.join(p.dir, "control.sock"))
        time.sleep(0.2)
        if how == "sigterm":
            p.proc.send_signal(signal.SIGTERM)
        else:
            r = run_perchd("--dir", p.dir, "--quit", timeout=20)
            assert r.returncode == 0, r.stderr
        assert p.proc.wait(timeout=15) == 0
        silent.close()


def test_silent_control_client_is_closed_after_its_deadline(perchd):
    silent = socket.socket(socket.AF_UNIX)
    silent.connect(os.path.join(perchd.dir, "control.sock"))
    silent.settimeout(15)
    assert silent.recv(10) == b""  # closed by perchd after 5 s of silence
    silent.close()


def control_exchange(p, data):
    """What perchd answers on its control socket to data (b"": it closed without a word)."""
    s = socket.socket(socket.AF_UNIX)
    s.connect(os.path.join(p.dir, "control.sock"))
    s.settimeout(15)
    s.sendall(data)
    answer = b""
    while chunk := s.recv(256):
        answer += chunk
    s.close()
    return answer


def test_a_control_command_with_a_nul_byte_is_refused(perchd):
    # "quit" then a NUL: a C string reader would stop at the NUL and quit.
    # The second fills the 63 bytes read (more would be left unread: a reset, not an answer).
    for data in (b"quit\0\n", b"quit\0" + b"x" * 58, b"quit\0reload\r\n"):
        assert control_exchange(perchd, data) == b"error: a command is one line of text\n"
        assert perchd.proc.poll() is None
    assert control_exchange(perchd, b"reload\r\n") == b"ok\n"
    assert control_exchange(perchd, b"quit\n").startswith(b"ok ")
    assert perchd.proc.wait(timeout=15) == 0


def test_data_dir_too_long_for_the_control_socket_refused(tmp_path):
    # 107 bytes is the most a socket path holds: this dir leaves no room for control.sock.
    deep = tmp_path / ("d" * (100 - len(str(tmp_path))))
    deep.mkdir()
    victim = tmp_path / ("d" * (100 - len(str(tmp_path))) + "/control.so")
    victim.write_text("not ours")
    r = run_perchd("--dir", str(deep), env={"PERCH_PASSWORD": "x"})
    assert r.returncode == 1 and "too long for its control socket" in r.stderr, r.stderr
    assert victim.read_text() == "not ours"
    r = run_perchd("--dir", str(deep), "--quit")
    assert r.returncode == 1 and "too long for its control socket" in r.stderr


def test_simultaneous_starts_leave_one_daemon(tmp_path):
    env = dict(os.environ, PERCH_PASSWORD="x")
    # First run creates the dir's files; then many start at once on the same dir.
    procs = [subprocess.Popen([PERCHD, "--dir", str(tmp_path), "--tls-listen",
                               f"127.0.0.1:{free_port()}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for _ in range(20)]
    try:
        time.sleep(3)
        running = [p for p in procs if p.poll() is None]
        assert len(running) == 1, f"{len(running)} daemons run for one data dir"
        for p in procs:
            if p not in running:
                assert p.returncode == 1
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                p.wait(timeout=30)


def test_lock_held_across_an_upgrade(perchd):
    r = run_perchd("--dir", perchd.dir, "--upgrade", timeout=60)
    assert r.returncode == 0, r.stderr
    r = run_perchd("--dir", perchd.dir, "--tls-listen", f"127.0.0.1:{free_port()}",
                   env={"PERCH_PASSWORD": "x"})
    assert r.returncode == 1 and "another perchd already runs" in r.stderr
    # The control socket gone (as a crash would leave it), the lock alone still refuses.
    os.unlink(os.path.join(perchd.dir, "control.sock"))
    r = run_perchd("--dir", perchd.dir, "--tls-listen", f"127.0.0.1:{free_port()}",
                   env={"PERCH_PASSWORD": "x"})
    assert r.returncode == 1 and "another perchd already runs" in r.stderr
