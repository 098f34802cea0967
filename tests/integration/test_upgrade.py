"""Upgrade in place: state identical, plain clients kept without loss or duplicates, TLS
clients told and closed cleanly, the binary on disk taking over, failed execs harmless."""
import os
import shutil
import signal
import subprocess
import threading
import time

import pytest

from conftest import PASSWORD, PERCHD, Perchd, free_port, request, wait_port
from test_goodbye import synced_ws, tls_clean_eof


def control(p, command):
    return subprocess.run([PERCHD, "--dir", p.dir, f"--{command}"], capture_output=True,
                          text=True, timeout=60)


def snapshot(p):
    return (request(p.plain_port, "GET", "/api/buffers?lines=-1000&nicks=true", tls=False).json(),
            request(p.plain_port, "GET", "/api/hotlist", tls=False).json())


def populate(p):
    for cmd in ["/print -newbuffer chan -tags notify_message bob\thello",
                "/print -newbuffer freebuf -free", "/print -buffer core.freebuf -y 2 third",
                "/print -buffer core.chan -tags notify_highlight alice\tping"]:
        request(p.tls_port, "POST", "/api/input", body={"command": cmd})
    for cmd in ["/nicklist add_group 000|o", "/nicklist add_nick 000|o alice @ lightgreen",
                "/nicklist add_nick root bob", "/buffer set title chan title",
                "/input insert draft", "/buffer setvar away yes", "/buffer set unread 1"]:
        request(p.tls_port, "POST", "/api/input", body={"buffer_name": "core.chan", "command": cmd})
    request(p.tls_port, "POST", "/api/ping")
    chan = request(p.tls_port, "GET", "/api/buffers/core.chan").json()
    assert chan["last_read_line_id"] == 0  # the read marker crosses the upgrade too


@pytest.mark.parametrize("how", ["control", "SIGUSR2", "command"])
def test_state_identical_and_clients_told(perchd, how):
    populate(perchd)
    before = snapshot(perchd)
    plain = synced_ws(perchd.plain_port, tls=False)
    secure = synced_ws(perchd.tls_port, tls=True)
    pid = perchd.proc.pid
    if how == "control":
        r = control(perchd, "upgrade")
        assert r.returncode == 0 and "upgrade done" in r.stdout, r.stderr
    elif how == "SIGUSR2":
        os.kill(pid, signal.SIGUSR2)
    else:
        request(perchd.plain_port, "POST", "/api/input", body={"command": "/upgrade"}, tls=False)
    # TLS: the upgrade event, a 1012 close frame, close_notify.
    assert secure.read_json()["event_name"] == "upgrade"
    _, _, op, payload = secure.read_frame()
    assert op == 8 and payload[:2] == (1012).to_bytes(2, "big")
    assert tls_clean_eof(secure.sock)
    # Plain: kept, told twice, still served.
    assert plain.read_json()["event_name"] == "upgrade"
    assert plain.read_json()["event_name"] == "upgrade_ended"
    assert plain.request("GET /api/version")["code"] == 200
    assert perchd.proc.pid == pid and perchd.proc.poll() is None
    assert snapshot(perchd) == before
    # A TLS client reconnects right away.
    assert request(perchd.tls_port, "GET", "/api/version").status == 200
    assert "upgrade: done" in perchd.read_log()
    plain.close()


def test_kept_client_gets_every_line_exactly_once(perchd):
    plain = synced_ws(perchd.plain_port, tls=False)
    n = 300
    errors = []

    def printer():
        # Plain HTTP, a new connection each time: the listening socket crosses execve,
        # so connections made during the upgrade wait in its backlog.
        for i in range(n):
            try:
                r = request(perchd.plain_port, "POST", "/api/input",
                            body={"command": f"/print seq {i}"}, tls=False)
                assert r.status == 204
            except Exception as e:  # reported below
                errors.append(f"{i}: {e!r}")
            time.sleep(0.005)

    t = threading.Thread(target=printer)
    t.start()
    time.sleep(0.3)
    assert control(perchd, "upgrade").returncode == 0
    t.join(timeout=120)
    assert not errors, errors
    seen, events = [], []
    while len(seen) < n:
        msg = plain.read_json()
        events.append(msg.get("event_name"))
        if msg.get("event_name") == "buffer_line_added" and msg["body"]["message"].startswith("seq"):
            seen.append(int(msg["body"]["message"].split()[1]))
    assert seen == list(range(n))
    assert "upgrade" in events and "upgrade_ended" in events
    plain.close()


def test_rebuilt_binary_takes_over(perchd_factory, tmp_path):
    binary = tmp_path / "perchd"
    shutil.copy(PERCHD, binary)
    p = perchd_factory(binary=str(binary))
    plain = synced_ws(p.plain_port, tls=False)
    # "Rebuild": a different file at the same path.
    os.unlink(binary)
    shutil.copy(PERCHD, binary)
    new_inode = os.stat(binary).st_ino
    assert os.stat(f"/proc/{p.proc.pid}/exe").st_ino != new_inode
    r = control(p, "upgrade")
    assert r.returncode == 0, r.stderr
    assert os.stat(f"/proc/{p.proc.pid}/exe").st_ino == new_inode
    assert plain.read_json()["event_name"] == "upgrade"
    assert plain.read_json()["event_name"] == "upgrade_ended"
    plain.close()


def test_failed_exec_keeps_the_old_process_serving(perchd_factory, tmp_path):
    binary = tmp_path / "perchd"
    shutil.copy(PERCHD, binary)
    p = perchd_factory(binary=str(binary))
    populate(p)
    before = snapshot(p)
    plain = synced_ws(p.plain_port, tls=False)
    # Missing binary: refused at once, nobody disturbed.
    os.unlink(binary)
    r = control(p, "upgrade")
    assert r.returncode == 1 and "cannot execute" in r.stderr
    # Broken binary: the exec itself fails; the old process says why and goes on.
    binary.write_bytes(b"\x7fELF garbage")
    binary.chmod(0o755)
    r = control(p, "upgrade")
    assert r.returncode == 1 and "exec" in r.stderr, r.stderr
    assert plain.read_json()["event_name"] == "upgrade"
    assert plain.read_json()["event_name"] == "upgrade_ended"
    assert plain.request("GET /api/version")["code"] == 200
    assert snapshot(p) == before
    # Both listeners accept again (they were held while the upgrade waited).
    assert request(p.tls_port, "GET", "/api/version").status == 200
    assert "upgrade failed, perchd keeps running" in p.read_log()
    plain.close()
    shutil.copy(PERCHD, binary)  # so that teardown's SIGTERM meets a sane process


def test_control_commands_without_daemon(tmp_path):
    for command in ("quit", "reload", "upgrade"):
        r = subprocess.run([PERCHD, "--dir", str(tmp_path), f"--{command}"], capture_output=True,
                           text=True, timeout=30)
        assert r.returncode == 1 and "no perchd is running" in r.stderr


def test_control_reload_answers(perchd):
    with open(perchd.config_path, "a") as f:
        f.write("\n[relay]\npassword_hash_iterations = 777\n")
    r = control(perchd, "reload")
    assert r.returncode == 0 and "reload done" in r.stdout
    hs = request(perchd.tls_port, "POST", "/api/handshake", auth=False).json()
    assert hs["password_hash_iterations"] == 777
    with open(perchd.config_path, "a") as f:
        f.write("time_window = nope\n")
    r = control(perchd, "reload")
    assert r.returncode == 1 and "time_window" in r.stderr


def test_failed_upgrades_leak_no_control_connection(perchd_factory, tmp_path):
    binary = tmp_path / "perchd"
    shutil.copy(PERCHD, binary)
    p = perchd_factory(binary=str(binary))
    os.unlink(binary)  # the running one stays; the one on disk becomes garbage
    binary.write_bytes(b"\x7fELF garbage")
    binary.chmod(0o755)
    # Sockets only: the history's checkpoint opens the database now and then, for as long
    # as its fsync takes on a busy disk.
    fds = lambda: sum(os.readlink(f"/proc/{p.proc.pid}/fd/{fd}").startswith("socket:")  # noqa: E731
                      for fd in os.listdir(f"/proc/{p.proc.pid}/fd"))
    r = control(p, "upgrade")
    assert r.returncode == 1 and "exec" in r.stderr, r.stderr
    time.sleep(0.5)
    before = fds()
    for _ in range(5):
        r = control(p, "upgrade")
        assert r.returncode == 1 and "exec" in r.stderr, r.stderr
    deadline = time.monotonic() + 5
    while fds() > before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert fds() <= before, "each failed upgrade left its control connection open"
    assert request(p.tls_port, "GET", "/api/version").status == 200


def test_handed_over_descriptors_get_cloexec_back(perchd):
    plain = synced_ws(perchd.plain_port, tls=False)
    r = control(perchd, "upgrade")
    assert r.returncode == 0, r.stderr
    assert plain.read_json()["event_name"] == "upgrade"
    assert plain.read_json()["event_name"] == "upgrade_ended"
    pid = perchd.proc.pid
    sockets = [fd for fd in os.listdir(f"/proc/{pid}/fd")
               if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")]
    assert len(sockets) >= 3  # two listeners and the kept WebSocket at least
    for fd in sockets:
        with open(f"/proc/{pid}/fdinfo/{fd}") as f:
            flags = int(next(l for l in f if l.startswith("flags:")).split()[1], 8)
        assert flags & 0o2000000, f"fd {fd} lost FD_CLOEXEC across the upgrade"
    plain.close()


def test_upgrade_refused_while_the_config_is_invalid(perchd):
    with open(perchd.config_path, "a") as f:
        f.write("\nbogus line\n")
    r = control(perchd, "upgrade")
    assert r.returncode == 1 and "the new process would not start" in r.stderr, r.stderr
    assert perchd.proc.poll() is None
    assert request(perchd.tls_port, "GET", "/api/version").status == 200
    assert not os.path.exists(os.path.join(perchd.dir, "upgrade.state"))


def test_leftover_state_is_reported_and_kept(perchd):
    perchd.stop()
    leftover = os.path.join(perchd.dir, "upgrade.state")
    with open(leftover, "w") as f:
        f.write('{"version": 1}')
    again = Perchd(perchd.dir)
    try:
        assert request(again.tls_port, "GET", "/api/version").status == 200
        assert "left from an upgrade that did not finish" in again.read_log()
        assert os.path.exists(leftover)
    finally:
        assert again.stop() == 0


def test_a_tls_port_never_turns_plaintext(tmp_path):
    """The config loses tls_listen, then an upgrade: the new process has no TLS context, and
    the TLS listener it is handed closes instead of serving plaintext on the TLS port; the
    plain listener goes on."""
    tls_port, plain_port = free_port(), free_port()
    config = os.path.join(tmp_path, "perchd.conf")
    with open(config, "w") as f:
        f.write(f"[relay]\ntls_listen = 127.0.0.1:{tls_port}\n"
                f"plain_listen = 127.0.0.1:{plain_port}\n")
    log_path = os.path.join(tmp_path, "perchd.log")
    with open(log_path, "w") as log:
        proc = subprocess.Popen([PERCHD, "--dir", str(tmp_path)], stdout=log,
                                stderr=subprocess.STDOUT,
                                env=dict(os.environ, PERCH_PASSWORD=PASSWORD))
    try:
        wait_port(tls_port, proc)
        wait_port(plain_port, proc)
        assert request(tls_port, "GET", "/api/version").status == 200
        with open(config, "w") as f:
            f.write(f"[relay]\ntls_listen =\nplain_listen = 127.0.0.1:{plain_port}\n")
        r = subprocess.run([PERCHD, "--dir", str(tmp_path), "--upgrade"], capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 0 and "upgrade done" in r.stdout, r.stderr
        assert request(plain_port, "GET", "/api/version", tls=False).status == 200
        with pytest.raises(ConnectionRefusedError):
            request(tls_port, "GET", "/api/version", tls=False)
        with open(log_path) as f:
            assert "the TLS listener (descriptor" in f.read()
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) == 0
