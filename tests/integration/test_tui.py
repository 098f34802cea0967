"""perch's terminal UI under tmux: buffer list, lines, switching, sending, completion."""
import os
import shutil
import subprocess
import time

import pytest

from conftest import PASSWORD, request
from test_client import PERCH

pytestmark = pytest.mark.skipif(not shutil.which("tmux"), reason="tmux is installed by make test")


def tmux(*args, socket):
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True,
                          timeout=30)


def screen(socket):
    return tmux("capture-pane", "-p", "-t", "t", socket=socket).stdout


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
    sock = f"perch-test-{os.getpid()}"
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
