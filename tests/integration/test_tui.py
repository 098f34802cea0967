"""perch's terminal UI under tmux: buffer list, lines, switching, sending, completion, editing
the input line (history, cursor over multi-byte characters), nicklist changes."""
import os
import shutil
import subprocess
import time

import pytest

from conftest import PASSWORD, request
from scripted_relay import ScriptedRelay
from test_client import PERCH

pytestmark = pytest.mark.skipif(not shutil.which("tmux"), reason="tmux is installed by make test")


def tmux(*args, socket):
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True,
                          timeout=30)


def screen(socket):
    return tmux("capture-pane", "-p", "-t", "t", socket=socket).stdout


# Each test has a tmux socket of its own: a server still going away would take a new
# session on the same socket with it.


def wait_for(socket, text, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in screen(socket):
            return True
        time.sleep(0.1)
    return False


def test_tui(perchd):
    for cmd in ["/print -newbuffer chan hello chan", "/print core héllo wörld 日本"]:
        request(perchd.tls_port, "POST", "/api/input", body={"command": cmd})
    request(perchd.tls_port, "POST", "/api/input",
            body={"buffer_name": "core.chan", "command": "/nicklist add_nick root bob"})
    sock = f"perch-test-{os.getpid()}-1"
    cmd = (f"PERCH_PASSWORD={PASSWORD} {PERCH} --insecure https://127.0.0.1:{perchd.tls_port}; "
           "sleep 5")
    tmux("new-session", "-d", "-s", "t", "-x", "100", "-y", "20", cmd, socket=sock)
    try:
        assert wait_for(sock, "connected to 127.0.0.1"), screen(sock)
        text = screen(sock)
        assert "1.core.weechat" in text and "2.core.chan" in text
        assert "héllo wörld 日本" in text
        # Alt+2 switches buffers; the nicklist of core.chan shows.
        tmux("send-keys", "-t", "t", "M-2", socket=sock)
        assert wait_for(sock, "hello chan"), screen(sock)
        assert "bob" in screen(sock)
        # A message typed in the input line is sent to the current buffer.
        tmux("send-keys", "-t", "t", "/print typed in the tui", "Enter", socket=sock)
        assert wait_for(sock, "typed in the tui"), screen(sock)
        lines = request(perchd.tls_port, "GET", "/api/buffers/core.chan/lines").json()
        assert lines[-1]["message"] == "typed in the tui"
        # Tab completes through POST /api/completion.
        tmux("send-keys", "-t", "t", "/hel", "Tab", socket=sock)
        assert wait_for(sock, "\n/help\n"), screen(sock)  # tmux trims the added space
        tmux("send-keys", "-t", "t", "C-u", socket=sock)
        # /buffer switches locally; lines arriving elsewhere count as unread.
        tmux("send-keys", "-t", "t", "/buffer core.weechat", "Enter", socket=sock)
        request(perchd.tls_port, "POST", "/api/input",
                body={"buffer_name": "core.chan", "command": "/print -tags notify_message x"})
        assert wait_for(sock, "2.core.chan (1)"), screen(sock)
        # Resizing is safe.
        tmux("resize-window", "-t", "t", "-x", "60", "-y", "12", socket=sock)
        assert wait_for(sock, "1.core.weechat"), screen(sock)
        tmux("send-keys", "-t", "t", "C-c", socket=sock)
        time.sleep(1)
    finally:
        tmux("kill-server", socket=sock)


def start_tui(url, sock, width=120):
    cmd = f"PERCH_PASSWORD={PASSWORD} {PERCH} --insecure {url}; sleep 5"
    tmux("new-session", "-d", "-s", "t", "-x", str(width), "-y", "20", cmd, socket=sock)


def styled(socket, text):
    """The escape sequences tmux shows just before text (its styled screen), or None."""
    out = tmux("capture-pane", "-p", "-e", "-t", "t", socket=socket).stdout
    at = out.find(text)
    if at < 0:
        return None
    start = at
    while start >= 2 and out[start - 1] == "m" and "\x1b[" in out[max(0, start - 16):start]:
        start = out.rfind("\x1b[", 0, start)
    return out[start:at]


def test_tui_draws_irc_formatting_without_codes(perchd):
    """/print ^Bbold^B x ^C04red^C text (issue 8): bold, then red, no "B00" left over."""
    request(perchd.tls_port, "POST", "/api/input",
            body={"command": "/print \x02bold\x02 x \x0304red\x03 text"})
    sock = f"perch-test-{os.getpid()}-2"
    start_tui(f"https://127.0.0.1:{perchd.tls_port}", sock)
    try:
        assert wait_for(sock, "connected to 127.0.0.1"), screen(sock)
        assert "| bold x red text\n" in screen(sock), screen(sock)
        assert "B00" not in screen(sock) and "\x19" not in screen(sock)
        assert "1" in styled(sock, "bold"), "bold is drawn bold"
        # lightred: bright red in 256 (or 16) colours, red and bold in 8.
        assert any(c in styled(sock, "red") for c in ("91", "38;5;9", "1;31")), \
            repr(styled(sock, "red"))
        tmux("send-keys", "-t", "t", "C-c", socket=sock)
    finally:
        tmux("kill-server", socket=sock)


def test_tui_draws_weechat_chat_colour_codes():
    """Lines as WeeChat's relay sends them: "\\x19NN" option colours, emphasis, bar codes and
    every other form are drawn, never shown as text."""
    relay = ScriptedRelay([
        ("", 'Option changed: relay.network.password\x1928 = \x1928"\x1932secret\x1928"'
             '\x1928  (\x1901default: \x1928"\x1932\x1928"\x1928)'),
        ("\x1904=!=", "\x19F@00214orange\x19B05 on green\x1c \x19*03~05both\x19\x1c"
                      "\x1a\x03 italic\x1b\x03 \x19Eemphasis\x19E \x19bFbar\x19@00001pair"),
        ("\x19F*14nick", "\x19F|_12keep\x19F@|/00100attrs\x1c end"),
    ])
    sock = f"perch-test-{os.getpid()}-3"
    start_tui(f"http://127.0.0.1:{relay.port}", sock, width=140)
    try:
        assert wait_for(sock, "connected to 127.0.0.1"), screen(sock)
        text = screen(sock)
        assert 'Option changed: relay.network.password = "secret"  (default: "")\n' in text, text
        assert "=!=" in text and ("| orange on green both italic emphasis barpair\n" in text), \
            text
        assert "nick" in text and "| keepattrs end\n" in text, text
        assert "WeeChat [relay]" in text, text
        assert "\x19" not in text and "\x1a" not in text and "@00" not in text
        # delimiters (22) around the value (cyan) as WeeChat draws them.
        assert "36" in styled(sock, "secret") or "38;5;6" in styled(sock, "secret"), \
            repr(styled(sock, "secret"))
        tmux("send-keys", "-t", "t", "C-c", socket=sock)
    finally:
        tmux("kill-server", socket=sock)
        relay.close()


def test_tui_ignores_a_nick_event_without_its_nick():
    """A relay's nicklist_nick_added without a body is nothing to add (perch before this
    ended on it); the lines after it are drawn."""
    relay = ScriptedRelay([("", "before")])
    relay.raw = [{"code": 0, "event_name": "nicklist_nick_added", "buffer_id": 1}]
    relay.live = [("", "after the empty nick event")]
    sock = f"perch-test-{os.getpid()}-4"
    start_tui(f"http://127.0.0.1:{relay.port}", sock, width=140)
    try:
        assert wait_for(sock, "after the empty nick event"), screen(sock)
        tmux("send-keys", "-t", "t", "C-c", socket=sock)
    finally:
        tmux("kill-server", socket=sock)
        relay.close()


def input_line(socket):
    """The input line: the screen's last line that is not empty."""
    return [line for line in screen(socket).splitlines() if line.strip()][-1].rstrip()


def wait_input(socket, text, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if input_line(socket) == text:
            return True
        time.sleep(0.1)
    return False


def test_tui_edits_the_input_line_and_follows_the_nicklist(perchd):
    post = lambda body: request(perchd.tls_port, "POST", "/api/input", body=body)
    post({"command": "/print -newbuffer chan hello chan"})
    post({"buffer_name": "core.chan", "command": "/nicklist add_nick root bob"})
    sock = f"perch-test-{os.getpid()}-5"
    start_tui(f"https://127.0.0.1:{perchd.tls_port}", sock)
    keys = lambda *k: tmux("send-keys", "-t", "t", *k, socket=sock)
    try:
        assert wait_for(sock, "connected to 127.0.0.1"), screen(sock)
        keys("M-2")
        assert wait_for(sock, "hello chan") and "bob" in screen(sock), screen(sock)
        # History: Up and Down walk what was sent, back to an empty line.
        keys("/print one", "Enter")
        keys("/print twö", "Enter")
        assert wait_for(sock, "twö"), screen(sock)
        keys("Up")
        assert wait_input(sock, "/print twö"), screen(sock)
        keys("Up")
        assert wait_input(sock, "/print one"), screen(sock)
        keys("Down")
        assert wait_input(sock, "/print twö"), screen(sock)
        keys("Down")
        keys("x/print abé")
        assert wait_input(sock, "x/print abé"), screen(sock)
        # Editing by characters (é is two bytes): Home, Delete, End, Left, Backspace.
        keys("Home", "DC", "End", "Left", "BSpace")
        assert wait_input(sock, "/print aé"), screen(sock)
        keys("Enter")
        assert wait_for(sock, "aé"), screen(sock)
        sent = request(perchd.tls_port, "GET", "/api/buffers/core.chan/lines").json()
        assert [l["message"] for l in sent][-3:] == ["one", "twö", "aé"]
        # The nicklist follows nicks added and removed while shown.
        post({"buffer_name": "core.chan", "command": "/nicklist add_nick root carol"})
        assert wait_for(sock, "carol"), screen(sock)
        post({"buffer_name": "core.chan", "command": "/nicklist remove_nick bob"})
        deadline = time.monotonic() + 10
        while "bob" in screen(sock) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "bob" not in screen(sock) and "carol" in screen(sock), screen(sock)
        keys("C-c")
    finally:
        tmux("kill-server", socket=sock)
