"""perch --plain against a real perchd that quits, upgrades, is killed or stopped while
lines keep being printed: calm lines for planned goodbyes, one fault line otherwise, every
line exactly once and in order; with any stdin (pipe, /dev/null, file, closed, a background
job's), whose end never ends the session."""
import json
import os
import signal
import subprocess
import tempfile
import threading
import time

import pytest

from conftest import PASSWORD, PERCHD, free_port, request, wait_port
from scripted_relay import ScriptedRelay
from test_client import PERCH


class Daemon:
    """perchd on fixed ports and dir, so that it can be started again where it was."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="perch-plain-")
        self.tls_port, self.plain_port = free_port(), free_port()
        self.proc = None
        self.start()

    def start(self):
        env = dict(os.environ, PERCH_PASSWORD=PASSWORD)
        self.log = open(os.path.join(self.dir, "log"), "a")
        self.proc = subprocess.Popen(
            [PERCHD, "--dir", self.dir, "--tls-listen", f"127.0.0.1:{self.tls_port}",
             "--plain-listen", f"127.0.0.1:{self.plain_port}"], env=env,
            stdout=self.log, stderr=subprocess.STDOUT)
        wait_port(self.tls_port, self.proc)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)
        self.log.close()
        subprocess.run(["rm", "-rf", self.dir])


# How perch's stdin is set up: the shell's own words, so that "closed" and "background" are
# what a user's shell does. FILE is a file of input lines, PID where a background job's pid goes.
STDIN_MODES = {
    "pipe": 'exec "$@"',
    "devnull": 'exec "$@" < /dev/null',
    "file": 'exec "$@" < "$FILE"',
    "closed": 'exec "$@" 0<&-',
    # A non-interactive shell gives a background job /dev/null as stdin (POSIX).
    "background": '"$@" & echo $! > "$PID"; wait $!',
}
FILE_LINES = ["/print from file 1", "/print from file 2", "/print from file 3 (no newline)"]


class Perch:
    """perch --plain with its stdin set up as mode says and its output in DIR/perch.out;
    port is perchd's TLS port, or a relay's URL."""

    def __init__(self, mode, directory, port, *args):
        self.mode, self.out_path = mode, os.path.join(directory, "perch.out")
        env = dict(os.environ, PERCH_PASSWORD=PASSWORD,
                   FILE=os.path.join(directory, "input"), PID=os.path.join(directory, "perch.pid"))
        with open(env["FILE"], "w") as f:
            f.write("\n".join(FILE_LINES))
        self.out = open(self.out_path, "w")
        self.proc = subprocess.Popen(
            ["sh", "-c", STDIN_MODES[mode], "sh", PERCH, "--plain", "--insecure",
             port if isinstance(port, str) else f"https://127.0.0.1:{port}", *args],
            stdin=subprocess.PIPE if mode == "pipe" else None, stdout=self.out,
            stderr=subprocess.STDOUT, env=env)
        self.pid = self.proc.pid
        if mode == "background":
            deadline = time.monotonic() + 10
            while not os.path.exists(env["PID"]) or not open(env["PID"]).read().endswith("\n"):
                assert time.monotonic() < deadline, "no background pid"
                time.sleep(0.05)
            self.pid = int(open(env["PID"]).read())

    def text(self):
        with open(self.out_path) as f:
            return f.read()

    def wait_for(self, text, timeout=30):
        """Waits for text in the output while perch runs (sanitizer builds are slow)."""
        deadline = time.monotonic() + timeout
        while text not in self.text():
            assert self.proc.poll() is None, f"perch ended: {self.text()}"
            assert time.monotonic() < deadline, f"no {text!r} in {self.text()!r}"
            time.sleep(0.05)

    def end_input(self):
        """The end of stdin (a pipe's writer closing) must not end perch."""
        if self.mode == "pipe":
            self.proc.stdin.close()

    def stop(self):
        """SIGTERM ends line mode cleanly: exit status 0."""
        os.kill(self.pid, signal.SIGTERM)
        return self.proc.wait(timeout=30)

    def kill(self):
        if self.proc.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
            self.proc.wait()
        self.out.close()


def curl_print(port, text):
    """A line printed by someone else: curl's POST /api/input (TLS, self-signed)."""
    subprocess.run(["curl", "-skf", "-u", f"plain:{PASSWORD}", "-d",
                    json.dumps({"command": f"/print {text}"}),
                    f"https://127.0.0.1:{port}/api/input"], check=True, timeout=30)


@pytest.mark.parametrize("mode", sorted(STDIN_MODES))
def test_plain_client_any_stdin(mode):
    """Lines reach the output file while perch runs, whatever its stdin; a file's lines
    (the last without a newline) are sent as input; EOF does not end the session."""
    d = Daemon()
    perch = Perch(mode, d.dir, d.tls_port)
    try:
        perch.wait_for("-- connected to 127.0.0.1")
        if mode == "pipe":
            perch.proc.stdin.write(b"/print from the pipe\n/print unterminated")
            perch.proc.stdin.flush()
            perch.end_input()
            perch.wait_for("[core.weechat] unterminated\n")
            assert "[core.weechat] from the pipe\n" in perch.text()
        if mode == "file":
            perch.wait_for("[core.weechat] from file 3 (no newline)\n")
            for line in FILE_LINES:
                assert perch.text().count(f"[core.weechat] {line[7:]}\n") == 1, perch.text()
        for i in range(3):
            curl_print(d.tls_port, f"from curl {i}")
            perch.wait_for(f"[core.weechat] from curl {i}\n")
        assert perch.stop() == 0, perch.text()
    finally:
        perch.kill()
        d.stop()


class Printer(threading.Thread):
    """Prints numbered lines through plain HTTP, retrying each until perchd takes it."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.done, self.acked, self.stopping = port, [], set(), False

    def run(self):
        i = 0
        while not self.stopping:
            try:
                r = request(self.port, "POST", "/api/input", tls=False,
                            body={"command": f"/print seq {i}"})
                if r.status == 204:
                    self.acked.add(i)
                    i += 1
            except (OSError, EOFError):  # perchd closed it mid-request (quit, kill)
                time.sleep(0.05)
            time.sleep(0.03)
        self.last = i - 1


def wait_until(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def run_scenario(action, mode):
    d = Daemon()
    perch = Perch(mode, d.dir, d.tls_port, "--ping-timeout", "2", "--backoff-min", "0.2",
                  "--backoff-max", "1")
    printer = Printer(d.plain_port)
    try:
        # The action must hit an established connection (slow under sanitizers).
        perch.wait_for("-- connected")
        perch.end_input()
        printer.start()
        # The action comes while lines flow, and the printing goes on until perch is
        # connected again and lines come through its new connection.
        wait_until(lambda: len(printer.acked) >= 5)
        action(d)
        wait_until(lambda: perch.text().splitlines().count("-- connected to 127.0.0.1") >= 2)
        flowed = len(printer.acked)
        wait_until(lambda: len(printer.acked) >= flowed + 5)
        printer.stopping = True
        printer.join(timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if f"seq {printer.last}\n" in perch.text():
                break
            time.sleep(0.1)
        assert perch.stop() == 0
        text = perch.text()
    finally:
        perch.kill()
        d.stop()
    seen = [int(l.split()[-1]) for l in text.splitlines() if l.startswith("[core.weechat] seq ")]
    status = [l for l in text.splitlines() if l.startswith("-- ")]
    return seen, status, printer


def restart_after_quit(d):
    assert subprocess.run([PERCHD, "--dir", d.dir, "--quit"], timeout=60).returncode == 0
    time.sleep(0.5)
    d.start()


def upgrade(d):
    assert subprocess.run([PERCHD, "--dir", d.dir, "--upgrade"], timeout=60).returncode == 0


def kill_and_restart(d):
    d.proc.kill()
    d.proc.wait()
    time.sleep(0.5)
    d.start()


def stop_and_continue(d):
    d.proc.send_signal(signal.SIGSTOP)
    time.sleep(4)  # longer than perch's 2 s ping timeout
    d.proc.send_signal(signal.SIGCONT)


@pytest.mark.parametrize("mode", sorted(STDIN_MODES))
@pytest.mark.parametrize("action,planned", [
    (restart_after_quit, True), (upgrade, True), (kill_and_restart, False),
    (stop_and_continue, False),
])
def test_plain_client_through_trouble(action, planned, mode):
    seen, status, printer = run_scenario(action, mode)
    # Exactly once and in order.
    assert seen == sorted(set(seen)), "a line was shown twice or out of order"
    # Acknowledged means stored: not even a kill -9 loses one.
    missing = printer.acked - set(seen)
    assert not missing, sorted(missing)
    faults = [s for s in status if s.startswith("-- connection lost")]
    if planned:
        assert faults == [], status
        assert any("relay restarting" in s for s in status), status
    else:
        assert len(faults) == 1, status
    assert status.count("-- connected to 127.0.0.1") >= 2, status


def test_fault_after_an_upgrade_is_reported_as_a_fault():
    """upgrade_ended is not a goodbye: a kill -9 after an upgrade is a real fault."""
    d = Daemon()
    out_path = os.path.join(d.dir, "perch.out")
    with open(out_path, "w") as out:
        perch = subprocess.Popen(
            [PERCH, "--plain", f"http://127.0.0.1:{d.plain_port}", "--backoff-min", "5",
             "--backoff-max", "10"], stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, env=dict(os.environ, PERCH_PASSWORD=PASSWORD))
    try:
        def wait_for(text, timeout=30):
            deadline = time.monotonic() + timeout
            while text not in open(out_path).read():
                assert time.monotonic() < deadline, open(out_path).read()
                time.sleep(0.05)
        wait_for("-- connected")
        upgrade(d)  # the plain connection is kept across it: upgrade, then upgrade_ended
        curl_print(d.tls_port, "after upgrade")
        wait_for("after upgrade")
        d.proc.kill()
        d.proc.wait()
        wait_for("-- connection lost")
        after = open(out_path).read().split("after upgrade", 1)[1]
        assert "relay restarting" not in after, after
    finally:
        perch.kill()
        perch.wait()
        d.stop()


def test_lines_missed_while_stopped_are_all_shown_once(perchd_factory):
    """perch stopped while 3000 long lines are printed: perchd cuts it as too slow; the
    resync brings the relay's last 1000 and pages back with before= for the ones between:
    every line is shown once, in order, and nothing is reported missing."""
    from wsraw import open_ws
    p = perchd_factory(config="[limits]\nwrite_queue_max = 65536\n")
    perch = Perch("devnull", p.dir, p.tls_port, "--backoff-min", "0.2", "--backoff-max", "1")
    try:
        perch.wait_for("-- connected")
        curl_print(p.tls_port, "L-first")
        perch.wait_for("L-first")
        os.kill(perch.pid, signal.SIGSTOP)
        ws = open_ws(p.plain_port)
        pad = "x" * 4000
        for start in range(0, 3000, 1000):
            ws.send_json([{"request": "POST /api/input",
                           "body": {"command": f"/print L{i:05d} {pad}"}}
                          for i in range(start, start + 1000)])
            for _ in range(1000):
                assert ws.read_json()["code"] == 204
        ws.close()
        os.kill(perch.pid, signal.SIGCONT)
        perch.wait_for("L02999", timeout=60)
        text = perch.text()
        assert perch.stop() == 0  # and, under the sanitizers, nothing leaked
    finally:
        if perch.proc.poll() is None:
            os.kill(perch.pid, signal.SIGCONT)
        perch.kill()
    shown = [int(l.split()[1][1:]) for l in text.splitlines()
             if l.startswith("[core.weechat] L0")]
    assert shown == list(range(3000)), "a line missing, shown twice or out of order"
    assert "not shown" not in text, text[-2000:]
    # perchd did cut it: the lines came through a resync.
    assert text.count("-- connected to 127.0.0.1") >= 2, text[-2000:]


def relay_lines(first, last):
    return [("", f"W{i:05d}") for i in range(first, last + 1)]


def shown_w(text):
    return [int(l.split()[1][1:]) for l in text.splitlines() if l.startswith("[core.weechat] W")]


@pytest.mark.parametrize("honour_before", [False, True])
def test_resync_through_a_relay_with_or_without_before(honour_before, tmp_path):
    """Against a relay that ignores before= (WeeChat's, which answers with its latest lines
    again) perch asks once, then says how many lines it could not show; against one that
    honours it, it pages back to the last line shown. Lines that arrive as events meanwhile
    come after the missed ones."""
    relay = ScriptedRelay(relay_lines(0, 2), honour_before=honour_before)
    perch = Perch("devnull", str(tmp_path), f"http://127.0.0.1:{relay.port}", "--backoff-min",
                  "0.2", "--backoff-max", "1")
    try:
        perch.wait_for("[core.weechat] W00002\n")
        relay.add(relay_lines(3, 2502))
        relay.live = relay_lines(2503, 2504)
        relay.cut()
        perch.wait_for("[core.weechat] W02504\n")
        text = perch.text()
        assert perch.stop() == 0
    finally:
        perch.kill()
        relay.close()
    notices = [l for l in text.splitlines() if "not shown" in l]
    pages = [r for r in relay.requests if "before=" in r]
    if honour_before:
        assert shown_w(text) == list(range(2505)), text[-2000:]
        assert notices == []
        assert pages == [f"GET /api/buffers/1/lines?lines=-1000&before={b}&colors=strip"
                         for b in (1503, 503)]
    else:
        assert shown_w(text) == [0, 1, 2] + list(range(1503, 2505)), text[-2000:]
        assert notices == ["-- 1500 lines of core.weechat not shown (the relay sent only its latest)"]
        assert pages == ["GET /api/buffers/1/lines?lines=-1000&before=1503&colors=strip"]


def test_a_relay_asking_for_absurd_hash_iterations_is_refused_at_once(tmp_path):
    """The handshake is the relay's word: iterations past WeeChat's bound (1,000,000) would
    keep perch deriving a key for hours; it says so and ends instead."""
    relay = ScriptedRelay(relay_lines(0, 2), handshake={
        "password_hash_algo": "pbkdf2+sha512", "password_hash_iterations": 2000000000,
        "totp": False})
    try:
        r = subprocess.run([PERCH, "--plain", f"http://127.0.0.1:{relay.port}"],
                           env=dict(os.environ, PERCH_PASSWORD=PASSWORD), stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=60)
    finally:
        relay.close()
    assert r.returncode != 0
    assert "no valid number of password hash iterations (perch accepts 1 to 1000000)" \
        in r.stderr, r.stderr
    assert not any(req.startswith("GET /api/buffers") for req in relay.requests)


def test_messages_with_missing_texts_and_numbers_out_of_range_change_nothing(tmp_path):
    """A relay may send anything: numbers past any integer where ids and codes go, nulls
    where texts go. perch ignores what it cannot use and goes on with the next line."""
    relay = ScriptedRelay(relay_lines(0, 2))
    relay.raw = [
        {"code": 1e300, "request_id": None, "body": None},
        {"code": 404, "request_id": None, "body": {"error": None}},
        {"code": 0, "event_name": "buffer_line_added", "buffer_id": 1e300,
         "body": {"id": 5, "prefix": None, "message": "on no buffer"}},
        {"code": 0, "event_name": "buffer_line_added", "buffer_id": 1,
         "body": {"id": -1e300, "prefix": None, "message": "with no id"}},
        {"code": 0, "event_name": "buffer_opened", "buffer_id": 7,
         "body": {"id": 1e300, "number": 1e300, "name": None, "lines": []}},
        {"code": 0, "event_name": "buffer_renamed", "buffer_id": 1, "body": {"name": None}},
    ]
    relay.live = relay_lines(3, 3)
    perch = Perch("devnull", str(tmp_path), f"http://127.0.0.1:{relay.port}")
    try:
        perch.wait_for("[core.weechat] W00003\n")
        text = perch.text()
        assert perch.stop() == 0
    finally:
        perch.kill()
        relay.close()
    assert shown_w(text) == [0, 1, 2, 3], text
    assert "on no buffer" not in text and "with no id" not in text, text
    assert "-- error: code 404\n" in text, text


def test_an_event_without_a_line_while_paging_back_is_ignored(tmp_path):
    """A buffer_line_added without its line, while perch pages back after a reconnect (and
    holds new lines until the older ones are in), is nothing to hold: the paging goes on and
    every line is shown once (perch before this ended on it)."""
    relay = ScriptedRelay(relay_lines(0, 2), honour_before=True)
    perch = Perch("devnull", str(tmp_path), f"http://127.0.0.1:{relay.port}", "--backoff-min",
                  "0.2", "--backoff-max", "1")
    try:
        perch.wait_for("[core.weechat] W00002\n")
        relay.add(relay_lines(3, 1502))
        relay.raw = [{"code": 0, "event_name": "buffer_line_added", "buffer_id": 1},
                     {"code": 0, "event_name": "buffer_line_added", "buffer_id": 1,
                      "body": None}]
        relay.live = relay_lines(1503, 1503)
        relay.cut()
        perch.wait_for("[core.weechat] W01503\n")
        text = perch.text()
        assert perch.stop() == 0
    finally:
        perch.kill()
        relay.close()
    assert shown_w(text) == list(range(1504)), text[-2000:]


def test_buffers_opened_renamed_and_closed_are_followed(tmp_path):
    """perch follows the relay's buffers as they come and go: one opened after the sync shows
    its lines under its name, a rename is followed, a close is said (its event has no body)."""
    d = Daemon()
    perch = Perch("devnull", d.dir, d.tls_port)
    try:
        perch.wait_for("-- connected to 127.0.0.1")
        for buffer, command in [("core.weechat", "/buffer add scratch"),
                                ("core.scratch", "/print in scratch"),
                                ("core.scratch", "/buffer rename renamed"),
                                ("core.renamed", "/print after rename"),
                                ("core.weechat", "/close core.renamed")]:
            r = request(d.plain_port, "POST", "/api/input", tls=False,
                        body={"buffer_name": buffer, "command": command})
            assert r.status == 204, (command, r.status)
        perch.wait_for("-- buffer closed: core.renamed\n")
        text = perch.text()
        assert perch.stop() == 0, text
    finally:
        perch.kill()
        d.stop()
    assert "-- buffer opened: core.scratch\n" in text, text
    assert "[core.scratch] in scratch\n" in text, text
    assert "[core.renamed] after rename\n" in text, text
