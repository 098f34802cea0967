"""Issue 11's acceptance, as a newcomer lives it: perch (the terminal client, line mode)
types `/server add` and `/connect`, joins a channel and chats with someone on a real
ngircd; then perchd upgrades, the IRC server dies and comes back, and perchd restarts,
while perch stays connected: each line the other user says is shown exactly once."""
import subprocess
import time

from conftest import PERCHD, request
from ircd import Ngircd, RawIrc
from test_plain_client import Daemon, Perch

CONFIG = "[irc]\nreconnect_first = 200\nreconnect_max = 1000\nauto_away =\n"


def joined(d, channel, *nicks):
    """perchd's nicklist of channel holds every nick (polled through the API)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        r = request(d.plain_port, "GET", f"/api/buffers/irc.test.{channel}/nicks", tls=False)
        if r.status == 200:
            names = set()
            stack = [r.json()]
            while stack:
                g = stack.pop()
                names.update(n["name"] for n in g.get("nicks", []))
                stack.extend(g.get("groups", []))
            if all(n in names for n in nicks):
                return
        time.sleep(0.1)
    raise AssertionError(f"{nicks} not all in {channel}: {r.status} {r.body[:500]}")


def test_newcomer_chats_through_upgrade_network_cut_and_restart():
    ircd = Ngircd()
    d = Daemon()
    with open(d.dir + "/perchd.conf", "a") as f:
        f.write(CONFIG)
    d.stop_keep = d.dir
    perch = bob = None
    try:
        # The config is read at start: start again with it.
        d.proc.terminate()
        d.proc.wait(timeout=30)
        d.log.close()
        d.start()
        perch = Perch("pipe", d.dir, d.tls_port)
        perch.wait_for("-- connected to 127.0.0.1")

        def say(line):
            perch.proc.stdin.write((line + "\n").encode())
            perch.proc.stdin.flush()

        say(f"/server add test 127.0.0.1/{ircd.port} -notls -nicks=newbie")
        say("/connect test")
        perch.wait_for("Welcome")
        say("/join -server test #newcomers")
        bob = RawIrc(ircd.port, "bob")
        bob.send("JOIN #newcomers")
        try:
            joined(d, "#newcomers", "newbie", "bob")
        except AssertionError:
            raise AssertionError(perch.text()[-3000:])
        say("/msg -server test #newcomers hello bob")
        assert "hello bob" in bob.wait_for("PRIVMSG #newcomers")

        spoken = []

        def bob_says(text):
            bob.send(f"PRIVMSG #newcomers :{text}")
            spoken.append(text)
            perch.wait_for(text)

        bob_says("hi newbie, welcome")
        # A hot upgrade of perchd.
        r = subprocess.run([PERCHD, "--dir", d.dir, "--upgrade"], capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        try:
            joined(d, "#newcomers", "newbie", "bob")
        except AssertionError:
            raise AssertionError("LOG " + open(d.dir + "/log").read()[-2500:])
        bob_says("after the upgrade")
        # The network dies and comes back: perchd reconnects and joins again.
        bob.close()
        ircd.kill()
        time.sleep(0.3)
        ircd.start()
        bob = RawIrc(ircd.port, "bob")
        bob.send("JOIN #newcomers")
        joined(d, "#newcomers", "newbie", "bob")
        bob_says("after the network cut")
        # perchd stops (SIGTERM) and starts again: the network is connected again.
        d.proc.terminate()
        assert d.proc.wait(timeout=30) == 0
        d.log.close()
        d.start()
        joined(d, "#newcomers", "newbie", "bob")
        bob_says("after the restart")
        out = perch.text()
        for text in spoken:
            assert out.count(text) == 1, (text, out[-3000:])
        assert "hello bob" in out
    finally:
        if perch:
            perch.kill()
        if bob:
            bob.close()
        d.stop()
        ircd.stop()
