"""IRC commands and network options against a real ngircd: /mode, /ignore (kept across a
restart), completion of nicks, channels, servers and command arguments, nick regain with
ISON, outgoing flood control, client certificates, several addresses per network, and
networks defined in the config file."""
import os
import socket
import subprocess
import threading
import time

import pytest

from conftest import Perchd, free_port, request
from ircd import Ngircd, RawIrc
from test_irc import cmd, lines, wait_for, wait_line

CONFIG = "[irc]\nreconnect_first = 200\nreconnect_max = 1000\nconnect_timeout = 30000\n"
CHAN = "irc.test.%23perch"


@pytest.fixture
def ngircd():
    server = Ngircd()
    yield server
    server.stop()


def messages(p, buffer):
    return [l["message"] for l in lines(p, buffer)]


def connect(p, ngircd, nicks="perchy", extra=""):
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks={nicks} {extra}")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome")


def join_with_bob(p, ngircd):
    """perchy and bob (op, first in) in #perch; bob's client is returned."""
    bob = RawIrc(ngircd.port, "bob")
    bob.send("JOIN #perch")
    bob.wait_for("366")
    cmd(p, "/join #perch", buffer="irc.server.test")
    wait_line(p, CHAN, "has joined #perch")
    bob.wait_for("JOIN :#perch")
    return bob


def test_mode_on_the_channel_a_named_channel_and_our_nick(perchd_factory, ngircd):
    p = perchd_factory(config=CONFIG)
    connect(p, ngircd)
    bob = join_with_bob(p, ngircd)
    bob.send("MODE #perch +o perchy")
    bob.wait_for("MODE #perch +o perchy")
    wait_line(p, CHAN, "Mode #perch [+o perchy] by bob")
    cmd(p, "/mode +m", buffer="irc.test.#perch")
    assert bob.wait_for("MODE #perch").endswith("+m")
    wait_line(p, CHAN, "Mode #perch [+m] by perchy")
    cmd(p, "/mode #perch -m+l 5", buffer="irc.server.test")
    line = bob.wait_for("MODE #perch")
    assert "-m+l" in line and line.endswith("5")
    cmd(p, "/mode perchy +i", buffer="irc.server.test")
    wait_line(p, "irc.server.test", "User mode [+i] by perchy")
    # Modes without a channel outside a channel: an error, nothing sent.
    cmd(p, "/mode +t", buffer="irc.server.test")
    wait_line(p, "irc.server.test", "you must specify channel for \"mode\" command")
    bob.close()
