"""An upgrade's saved state names descriptors by number, and `perchd --restore` takes them
over. A number can be anything in the new process (its database, its loop, a file): each is
checked for what the state says it is before anything reads, writes or closes it, and a
number named twice is refused with the file kept."""
import json
import os
import socket
import subprocess
import time

import pytest

from conftest import PASSWORD, PERCHD, basic, free_port, wait_port
from wsraw import RawWS

CORE = {"buffers": [{"id": 1, "plugin": "core", "name": "weechat"}], "hotlist": []}


def listening_socket():
    s = socket.socket()
    s.bind(("127.0.0.1", free_port()))
    s.listen()
    return s


def connected_pair(listener):
    """(our end, the end perchd takes over) of a loopback TCP connection."""
    ours = socket.create_connection(listener.getsockname(), timeout=10)
    theirs, _ = listener.accept()
    return ours, theirs


class Restore:
    """`perchd --restore` on a data dir holding a state written here."""

    def __init__(self, tmp_path, state, fds):
        self.dir = str(tmp_path)
        self.state_path = os.path.join(self.dir, "upgrade.state")
        with open(self.state_path, "w") as f:
            json.dump({"version": 1, "core": CORE, **state}, f)
        self.log_path = os.path.join(self.dir, "restore.log")
        with open(self.log_path, "w") as log:
            self.proc = subprocess.Popen(
                [PERCHD, "--dir", self.dir, "--tls-listen", "", "--plain-listen", "",
                 "--restore"], pass_fds=fds, stdout=log, stderr=subprocess.STDOUT,
                env=dict(os.environ, PERCH_PASSWORD=PASSWORD))

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_log(self, text, timeout=20):
        deadline = time.monotonic() + timeout
        while text not in self.log():
            assert self.proc.poll() is None, f"perchd exited {self.proc.returncode}:\n{self.log()}"
            assert time.monotonic() < deadline, f"no {text!r} in:\n{self.log()}"
            time.sleep(0.05)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        rc = self.proc.wait(timeout=30)
        log = self.log()
        assert "AddressSanitizer" not in log and "runtime error:" not in log, log
        return rc


@pytest.fixture
def restore(tmp_path):
    started = []

    def start(state, fds=(), path=None):
        r = Restore(path or tmp_path, state, list(fds))
        started.append(r)
        return r

    yield start
    for r in started:
        if r.proc.poll() is None:
            r.proc.kill()
            r.proc.wait()


def http_get(sock, path="/api/version"):
    sock.settimeout(10)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: "
                 f"{basic('plain:' + PASSWORD)}\r\n\r\n".encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(65536)
        assert chunk, f"closed after {answer!r}"
        answer += chunk
    return answer.split(b"\r\n", 1)[0].decode()


def test_descriptors_that_are_not_connections_are_left_alone(restore, tmp_path):
    """Clients named by every small number: the database, the loop's own descriptors and
    the log are none of them; perchd takes no such number, keeps serving, and its database
    is whole (before, closing the loop's descriptors aborted it)."""
    listener = listening_socket()
    fd = listener.fileno()
    clients = [{"fd": n, "websocket": False, "authenticated": True}
               for n in range(3, 64) if n != fd]
    r = restore({"relay": {"listeners": [{"fd": fd, "tls": False}], "clients": clients}},
                fds=[fd])
    r.wait_log("ready")
    with socket.create_connection(listener.getsockname(), timeout=10) as c:
        assert http_get(c) == "HTTP/1.1 200 OK"
    assert "connections taken over" in r.log() and "not a connected TCP socket" in r.log()
    assert r.stop() == 0
    check = subprocess.run([PERCHD, "--dir", str(tmp_path), "--check-db"], capture_output=True,
                           text=True, timeout=60)
    assert check.returncode == 0 and check.stdout == "ok\n", check


def test_a_listener_that_does_not_listen_refuses_the_state(restore):
    listener = listening_socket()
    ours, theirs = connected_pair(listener)
    r = restore({"relay": {"listeners": [{"fd": theirs.fileno(), "tls": False}],
                           "clients": []}}, fds=[theirs.fileno()])
    assert r.proc.wait(timeout=30) != 0
    assert f"descriptor {theirs.fileno()} is not a listening TCP socket" in r.log()
    assert os.path.exists(r.state_path)
    # Left untouched: the connection still carries bytes both ways.
    theirs.sendall(b"still here")
    assert ours.recv(64) == b"still here"


def test_a_client_with_an_unknown_colour_mode_ends_with_its_goodbye(restore):
    """The colour mode indexes the frames an event is encoded into: one out of range ends its
    connection (a close frame) instead of being used; the other client is served on."""
    listener = listening_socket()
    ws_ours, ws_theirs = connected_pair(listener)
    http_ours, http_theirs = connected_pair(listener)
    clients = [{"fd": ws_theirs.fileno(), "websocket": True, "sync": True, "colors": 7,
                "authenticated": True},
               {"fd": http_theirs.fileno(), "websocket": False, "authenticated": True}]
    fds = [listener.fileno(), ws_theirs.fileno(), http_theirs.fileno()]
    r = restore({"relay": {"listeners": [{"fd": listener.fileno(), "tls": False}],
                           "clients": clients}}, fds=fds)
    r.wait_log("ready")
    ws = RawWS.__new__(RawWS)
    ws.sock, ws.buf, ws.deflate, ws.inflater = ws_ours, bytearray(), False, None
    ws_ours.settimeout(10)
    _, _, op, _ = ws.read_frame()
    assert op == 8
    assert "has no valid colour mode" in r.log()
    assert http_get(http_ours) == "HTTP/1.1 200 OK"
    assert r.stop() == 0


def test_a_descriptor_named_twice_refuses_the_state(restore):
    listener = listening_socket()
    fd = listener.fileno()
    r = restore({"relay": {"listeners": [{"fd": fd, "tls": False}],
                           "clients": [{"fd": fd, "websocket": False}]}}, fds=[fd])
    assert r.proc.wait(timeout=30) != 0
    assert f"descriptor {fd} is named twice (the file is kept)" in r.log()
    assert os.path.exists(r.state_path)
    # Nobody took it: it still listens, here.
    with socket.create_connection(listener.getsockname(), timeout=10):
        assert listener.accept()


def test_a_lock_that_is_not_held_does_not_let_a_second_daemon_in(restore, tmp_path):
    """The state's lock descriptor is the lock file, but not the open file that holds the
    lock: the new process tries the lock itself, and the daemon running for the dir keeps it."""
    port = free_port()
    first = subprocess.Popen([PERCHD, "--dir", str(tmp_path), "--tls-listen", "",
                              "--plain-listen", f"127.0.0.1:{port}"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                             env=dict(os.environ, PERCH_PASSWORD=PASSWORD))
    try:
        wait_port(port, first)
        lock = os.open(os.path.join(tmp_path, "perchd.lock"), os.O_RDWR)
        r = restore({"lock_fd": lock, "relay": {"listeners": [], "clients": []}}, fds=[lock])
        assert r.proc.wait(timeout=30) != 0
        assert "another perchd already runs" in r.log()
        assert first.poll() is None
    finally:
        first.terminate()
        assert first.wait(timeout=30) == 0


def test_a_lock_descriptor_that_is_something_else_takes_the_lock_anew(restore, tmp_path):
    read_end, write_end = os.pipe()
    r = restore({"lock_fd": write_end, "relay": {"listeners": [], "clients": []}},
                fds=[write_end])
    r.wait_log("ready")
    assert f"descriptor {write_end} is not the data dir's lock" in r.log()
    second = subprocess.run([PERCHD, "--dir", str(tmp_path), "--tls-listen", "",
                             "--plain-listen", f"127.0.0.1:{free_port()}"],
                            capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, PERCH_PASSWORD=PASSWORD))
    assert second.returncode != 0 and "another perchd already runs" in second.stderr + second.stdout
    assert r.stop() == 0


def control_connection(data_dir):
    """(the requester's end, the daemon's end) of a connection to DIR/control.sock, as the
    old process hands its requester over; the socket file is left as the old one leaves it."""
    path = os.path.join(data_dir, "control.sock")
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(path)
        listener.listen()
        requester = socket.socket(socket.AF_UNIX)
        requester.connect(path)
        daemon_end, _ = listener.accept()
    return requester, daemon_end


@pytest.mark.parametrize("kind", ["pipe", "socketpair"])
def test_the_answer_goes_to_nothing_but_a_control_connection(restore, kind):
    """"ok" is written to the reply descriptor only when it is a connection accepted on
    DIR/control.sock: a pipe (it could as well be a file perchd writes) or a local socket
    of something else (the journal's, on stdout under systemd) gets nothing."""
    if kind == "pipe":
        ours, theirs = os.pipe()
        os.set_blocking(ours, False)
        read = lambda: os.read(ours, 16)
    else:
        ours_sock, theirs_sock = socket.socketpair()
        ours_sock.setblocking(False)
        ours, theirs, read = ours_sock.fileno(), theirs_sock.fileno(), lambda: ours_sock.recv(16)
    r = restore({"reply_fd": theirs, "relay": {"listeners": [], "clients": []}}, fds=[theirs])
    r.wait_log("ready")
    assert f"descriptor {theirs} is not a control client's socket" in r.log()
    with pytest.raises(BlockingIOError):
        read()
    assert r.stop() == 0


def test_the_control_client_gets_its_answer(restore, tmp_path):
    requester, daemon_end = control_connection(tmp_path)
    r = restore({"reply_fd": daemon_end.fileno(), "relay": {"listeners": [], "clients": []}},
                fds=[daemon_end.fileno()])
    r.wait_log("ready")
    daemon_end.close()
    requester.settimeout(10)
    assert requester.recv(16) == b"ok\n"
    assert requester.recv(16) == b""
    assert r.stop() == 0
