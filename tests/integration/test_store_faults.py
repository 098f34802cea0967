"""The database in bad conditions: a full disk, a read-only file, a lock held by another
program, a damaged file. Each gives a clear log line or answer; no line a client saw is
lost, none is shown unstored, no id comes twice."""
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import time

import pytest

from conftest import PASSWORD, PERCHD, Perchd, free_port, request, wait_port
from test_goodbye import synced_ws
from wsraw import open_ws


def plain(port, method, path, body=None):
    return request(port, method, path, body=body, tls=False)


def clean(output):
    """No sanitizer report in a process's output (the sanitizer build runs these too)."""
    assert "Sanitizer" not in output and "runtime error:" not in output, output
    return output


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def wait_for(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


class Namespace:
    """A user and mount namespace (no privilege needed where the kernel allows them), kept
    by a sleeping process: commands enter it with nsenter, the test reaches its files
    through /proc/PID/root."""

    def __init__(self, setup):
        if not shutil.which("unshare") or not shutil.which("nsenter"):
            pytest.skip("unshare and nsenter (util-linux) are needed")
        self.proc = subprocess.Popen(
            ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
             f"{setup} && echo ready && exec sleep 3600"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if self.proc.stdout.readline().strip() != "ready":
            self.proc.kill()
            reason = self.proc.stderr.read().strip()
            self.proc.wait()
            pytest.skip(f"cannot make a mount namespace here: {reason}")

    def path(self, p):
        return f"/proc/{self.proc.pid}/root{p}"

    def command(self, args):
        return ["nsenter", "-t", str(self.proc.pid), "-U", "-m", "--preserve-credentials", *args]

    def close(self):
        self.proc.kill()
        self.proc.wait()


class NsPerchd:
    """perchd inside a Namespace, plain listener only, its log outside."""

    def __init__(self, ns, d, log_path):
        self.log_path = log_path
        self.port = free_port()
        self.log = open(log_path, "a")
        self.proc = subprocess.Popen(
            ns.command([PERCHD, "--dir", d, "--tls-listen", "",
                        "--plain-listen", f"127.0.0.1:{self.port}"]),
            stdout=self.log, stderr=subprocess.STDOUT, env=dict(os.environ, PERCH_PASSWORD=PASSWORD))
        wait_port(self.port, self.proc)

    def read_log(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=30)
        self.log.close()
        clean(self.read_log())
        return rc


def fill(path, leave):
    """A file taking all the free space of its file system but about leave bytes."""
    st = os.statvfs(os.path.dirname(path))
    size = max(0, st.f_bavail * st.f_frsize - leave)
    with open(path, "wb") as f:
        while size > 0:
            n = min(size, 1 << 16)
            f.write(b"\0" * n)
            size -= n


def seen_lines(ws, until):
    """(id, first word) of every line announced to a synced client, up to the word until."""
    seen = []
    while not seen or seen[-1][1] != until:
        msg = ws.read_json()
        if msg.get("event_name") == "buffer_line_added":
            seen.append((msg["body"]["id"], msg["body"]["message"].split()[0]))
    return seen


def test_full_disk_refuses_inputs_then_writes_again(tmp_path):
    d = str(tmp_path / "data")
    os.mkdir(d)
    ns = Namespace(f"mount -t tmpfs -o size=2m tmpfs {d}")
    log_path = str(tmp_path / "perchd.log")
    try:
        p = NsPerchd(ns, d, log_path)
        ws = synced_ws(p.port, tls=False)
        inputs = open_ws(p.port)
        filler = ns.path(f"{d}/filler")
        fill(filler, leave=96 * 1024)
        acked, refused, pad = [], [], "p" * 1000
        for i in range(2000):
            r = inputs.request("POST /api/input", {"command": f"/print full-{i:05d} {pad}"})
            assert r["code"] in (204, 503), r
            (acked if r["code"] == 204 else refused).append(f"full-{i:05d}")
            if r["code"] == 503:
                assert r["body"]["error"].startswith("Cannot store history: ")
                assert "database or disk is full" in r["body"]["error"]
            if len(refused) == 5:
                break
        assert refused, "the disk never filled"
        assert "store: cannot commit to" in p.read_log()
        assert "database or disk is full" in p.read_log()
        os.remove(filler)
        again = [f"again-{i:05d}" for i in range(20)]
        for word in again:
            assert inputs.request("POST /api/input", {"command": f"/print {word}"})["code"] == 204
        assert wait_for(lambda: "written again" in p.read_log())
        # The synced client saw every acknowledged line and none of the refused ones.
        seen = seen_lines(ws, again[-1])
        assert [w for _, w in seen] == acked + again
        assert len({i for i, _ in seen}) == len(seen)
        inputs.close()
        ws.close()
        assert p.stop() == 0
        # After a restart every line a client saw is there, with the id it was shown with.
        p = NsPerchd(ns, d, log_path)
        stored = plain(p.port, "GET", "/api/buffers/core.weechat/lines?lines=-100000&colors=strip")
        stored = [(l["id"], l["message"].split()[0]) for l in stored.json()]
        assert stored == seen
        assert p.stop() == 0
    finally:
        ns.close()


def test_read_only_database_is_refused_untouched(tmp_path):
    d = str(tmp_path)
    p = Perchd(d)
    assert plain(p.plain_port, "POST", "/api/input", {"command": "/print kept"}).status == 204
    assert p.stop() == 0
    db = os.path.join(d, "perch.db")
    before = digest(db)
    mount = f"mount --bind {db} {db} && mount -o remount,bind,ro {db}"
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", mount],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a read-only bind mount here: {probe.stderr.strip()}")
    r = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", f'{mount} && exec "$@"',
         "sh", PERCHD, "--dir", d, "--plain-listen", f"127.0.0.1:{free_port()}",
         "--tls-listen", ""],
        capture_output=True, text=True, timeout=30, env=dict(os.environ, PERCH_PASSWORD=PASSWORD))
    assert r.returncode == 1
    assert f"cannot open {db}: the file is read-only" in clean(r.stdout + r.stderr)
    assert digest(db) == before


def test_lock_held_while_running(perchd):
    db = os.path.join(perchd.dir, "perch.db")
    assert plain(perchd.plain_port, "POST", "/api/input", {"command": "/print first"}).status == 204
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    r = plain(perchd.plain_port, "POST", "/api/input", {"command": "/print while-locked"})
    assert r.status == 503
    assert r.json()["error"] == "Cannot store history: cannot write to: database is locked"
    assert f"store: cannot write to {db}: database is locked" in perchd.read_log()
    other.execute("ROLLBACK")
    other.close()
    assert plain(perchd.plain_port, "POST", "/api/input", {"command": "/print after"}).status == 204
    assert "written again" in perchd.read_log()
    lines = plain(perchd.plain_port, "GET", "/api/buffers/core.weechat/lines").json()
    assert [l["message"] for l in lines] == ["first", "after"]
    assert [l["id"] for l in lines] == [0, 2]


def test_lock_held_at_start(tmp_path):
    d = str(tmp_path)
    p = Perchd(d)
    assert plain(p.plain_port, "POST", "/api/input", {"command": "/print before"}).status == 204
    assert p.stop() == 0
    other = sqlite3.connect(os.path.join(d, "perch.db"), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    p = Perchd(d)
    try:
        assert wait_for(lambda: "ready" in p.read_log())
        assert "database is locked" in p.read_log()
        assert "perchd starts without writing to" in p.read_log()
        r = plain(p.plain_port, "POST", "/api/input", {"command": "/print refused"})
        assert r.status == 503 and "database is locked" in r.json()["error"]
        other.execute("ROLLBACK")
        other.close()
        assert plain(p.plain_port, "POST", "/api/input", {"command": "/print later"}).status == 204
        assert "written again" in p.read_log()
    finally:
        assert p.stop() == 0
    p = Perchd(d)
    try:
        lines = plain(p.plain_port, "GET", "/api/buffers/core.weechat/lines").json()
        assert [(l["id"], l["message"]) for l in lines] == [(0, "before"), (2, "later")]
    finally:
        assert p.stop() == 0


@pytest.mark.parametrize("damage", ["truncated", "header"])
def test_damaged_database_is_refused_untouched(tmp_path, damage):
    d = str(tmp_path)
    p = Perchd(d, config="[core]\nmax_lines = 100\n")
    ws = open_ws(p.plain_port)
    for batch in range(2):
        ws.send_json([{"request": "POST /api/input",
                       "body": {"command": f"/print filler-{batch}-{i} {'f' * 200}"}}
                      for i in range(1000)])
        for _ in range(1000):
            assert ws.read_json()["code"] == 204
    ws.close()
    assert p.stop() == 0
    db = os.path.join(d, "perch.db")
    if damage == "truncated":
        os.truncate(db, os.path.getsize(db) // 2)
    else:
        with open(db, "r+b") as f:
            f.write(b"this is no database header")
    before = digest(db)
    r = subprocess.run([PERCHD, "--dir", d, "--plain-listen", f"127.0.0.1:{free_port()}",
                        "--tls-listen", ""], capture_output=True, text=True, timeout=30,
                       env=dict(os.environ, PERCH_PASSWORD=PASSWORD))
    out = clean(r.stdout + r.stderr)
    assert r.returncode == 1
    reason = "the file is truncated" if damage == "truncated" else "file is not a database"
    assert f"cannot use {db}: {reason}" in out
    assert "left untouched; 'perchd --check-db' reports what is wrong" in out
    assert digest(db) == before
    check = subprocess.run([PERCHD, "--dir", d, "--check-db"], capture_output=True, text=True,
                           timeout=60)
    assert check.returncode == 1
    assert f"{db}: {reason}" in check.stdout
    clean(check.stderr)
    assert "problems found" in check.stderr
    assert digest(db) == before
