"""scripts/install-deps installs without touching what it did not install: a user's own
ngircd keeps running, a new package's service does not start (the temporary policy-rc.d
is in force while apt runs, and the one found before is back afterwards), and a run with
nothing missing does nothing."""
import os
import re
import socket
import subprocess
import time

import pytest

from conftest import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "install-deps")
POLICY = "/usr/sbin/policy-rc.d"
FAKE = "perch-test-fakesvc"

as_root = pytest.mark.skipif(os.geteuid() != 0, reason="installing packages needs root")


def script_code():
    """The script without its comment lines."""
    with open(SCRIPT) as f:
        return "".join(line for line in f if not line.lstrip().startswith("#"))


def test_script_stops_and_kills_nothing():
    code = script_code()
    for pattern in (r"\bp?kill\b", r"\bkillall\b", r"\bsystemctl\b", r"\bservice\s",
                    r"start-stop-daemon", r"invoke-rc\.d\s", r"update-rc\.d\s+\S+\s+(?!disable)"):
        assert not re.search(pattern, code), f"install-deps uses {pattern}"


def test_nothing_missing_does_nothing():
    r = subprocess.run([SCRIPT], capture_output=True, text=True, timeout=120)
    if r.returncode != 0 and os.geteuid() != 0:
        pytest.skip("packages are missing and only root installs them")
    assert r.returncode == 0 and r.stdout == "" and r.stderr == "", r.stdout + r.stderr


class OwnNgircd:
    """A real ngircd run by the user (here: the test) on its own port and config."""

    def __init__(self, tmp):
        self.port = free_port()
        conf = tmp / "ngircd.conf"
        conf.write_text(
            "[Global]\nName = own.perch.test\nInfo = a user's own server\n"
            f"Listen = 127.0.0.1\nPorts = {self.port}\n"
            "[Limits]\nMaxConnectionsIP = 0\n[Options]\nDNS = no\nIdent = no\nPAM = no\n")
        self.proc = subprocess.Popen(["ngircd", "-n", "-f", str(conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not self.answers():
            assert self.proc.poll() is None and time.monotonic() < deadline, "ngircd did not start"
            time.sleep(0.05)

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
                s.sendall(b"PING :x\r\n")
                return bool(s.recv(512))
        except OSError:
            return False

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)


def build_fake_package(tmp):
    """A package whose maintainer scripts do what Debian's daemons do: register an init
    script for boot and start it. Started, it leaves a mark."""
    marks = tmp / "marks"
    marks.mkdir()
    pkg = tmp / "pkg"
    (pkg / "DEBIAN").mkdir(parents=True)
    (pkg / "etc" / "init.d").mkdir(parents=True)
    files = {
        "DEBIAN/control": f"Package: {FAKE}\nVersion: 1.0\nArchitecture: all\n"
                          "Maintainer: perch tests <tests@perch.invalid>\n"
                          "Description: a service that install-deps must not start\n",
        "DEBIAN/postinst": "#!/bin/sh\nset -e\n"
                           'if [ "$1" = configure ]; then\n'
                           f"    cat {POLICY} >{marks}/policy-seen 2>/dev/null || true\n"
                           f"    update-rc.d {FAKE} defaults >/dev/null\n"
                           f"    invoke-rc.d {FAKE} start || true\n"
                           "fi\n",
        "DEBIAN/postrm": "#!/bin/sh\nset -e\n"
                         f'if [ "$1" = purge ]; then update-rc.d {FAKE} remove >/dev/null; fi\n',
        f"etc/init.d/{FAKE}": "#!/bin/sh\n### BEGIN INIT INFO\n"
                              f"# Provides:          {FAKE}\n"
                              "# Required-Start:    $local_fs\n# Required-Stop:     $local_fs\n"
                              "# Default-Start:     2 3 4 5\n# Default-Stop:      0 1 6\n"
                              "# Short-Description: perch install-deps test\n"
                              "### END INIT INFO\n"
                              f'[ "$1" = start ] && touch {marks}/started\nexit 0\n',
    }
    for name, text in files.items():
        path = pkg / name
        path.write_text(text)
        path.chmod(0o644 if name == "DEBIAN/control" else 0o755)
    deb = tmp / f"{FAKE}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "--build", str(pkg), str(deb)], check=True,
                   capture_output=True)
    return deb, marks


def purge_fake():
    subprocess.run(["apt-get", "-q", "-o", "DPkg::Lock::Timeout=600", "purge", "-y", FAKE],
                   capture_output=True, timeout=900)


def policy_state():
    try:
        st = os.lstat(POLICY)
    except FileNotFoundError:
        return None
    with open(POLICY, "rb") as f:
        return f.read(), st.st_mode, st.st_mtime_ns


@as_root
def test_install_keeps_own_daemons_and_starts_no_service(tmp_path):
    if subprocess.run(["dpkg-query", "-W", FAKE], capture_output=True).returncode == 0:
        purge_fake()
    deb, marks = build_fake_package(tmp_path)
    policy_before = policy_state()
    own = OwnNgircd(tmp_path)
    try:
        r = subprocess.run([SCRIPT, str(deb)], capture_output=True, text=True, timeout=1800)
        assert r.returncode == 0, r.stdout + r.stderr
        assert str(deb) in r.stdout

        # The user's own server was neither killed nor disturbed.
        assert own.proc.poll() is None, "install-deps stopped a process it did not start"
        assert own.answers()

        # While apt ran, our policy forbade every service action; the service stayed down,
        # and it does not start at boot either.
        seen = (marks / "policy-seen").read_text()
        assert "perch install-deps" in seen and "exit 101" in seen, seen
        assert not (marks / "started").exists(), "the new package's service was started"
        runlevel_links = [n for d in ("rc2.d", "rc3.d", "rc4.d", "rc5.d")
                          for n in os.listdir(f"/etc/{d}") if n.endswith(FAKE)]
        assert runlevel_links and all(n.startswith("K") for n in runlevel_links), runlevel_links

        # The policy found before (or its absence) is back, byte for byte.
        assert policy_state() == policy_before
        assert not os.path.lexists(POLICY + ".perch-saved")

        # Installed now: a second run has nothing to do.
        again = subprocess.run([SCRIPT, str(deb)], capture_output=True, text=True, timeout=120)
        assert again.returncode == 0 and again.stdout == "", again.stdout + again.stderr
    finally:
        own.stop()
        purge_fake()
    assert policy_state() == policy_before
