"""make install and make uninstall into a temporary DESTDIR: the files land under PREFIX,
the installed perchd runs, the man pages render, and uninstall leaves nothing of ours."""
import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import PERCHD

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The build dir whose perchd the suite tests (build/ or build-san/): install reuses it.
BUILD = os.path.dirname(os.path.dirname(os.path.abspath(PERCHD)))
PREFIX = "/opt/perch-test"
INSTALLED = {
    "bin/perchd",
    "bin/perch",
    "share/man/man1/perchd.1",
    "share/man/man1/perch.1",
    "lib/systemd/user/perchd.service",
}


def make(target, destdir):
    # A parent make (make test) must not pass its own flags down.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run(
        ["make", "-C", ROOT, target, f"BUILD={BUILD}", f"PREFIX={PREFIX}", f"DESTDIR={destdir}"],
        capture_output=True, text=True, env=env, timeout=900)


def configured_prefix():
    out = subprocess.run(["meson", "introspect", "--buildoptions", BUILD], check=True,
                         capture_output=True, text=True).stdout
    return next(o["value"] for o in json.loads(out) if o["name"] == "prefix")


@pytest.fixture
def build_prefix_kept():
    """make install configures the build dir for PREFIX: give it back its own prefix."""
    before = configured_prefix()
    yield
    if configured_prefix() != before:
        subprocess.run(["meson", "setup", "--reconfigure", BUILD, f"-Dprefix={before}"],
                       check=True, capture_output=True)
        subprocess.run(["ninja", "-C", BUILD, "build.ninja"], check=True, capture_output=True)


def files_under(top):
    found = set()
    for d, _, names in os.walk(top):
        found.update(os.path.relpath(os.path.join(d, n), top) for n in names)
    return found


def check_man_page(path, program, option):
    with open(path) as f:
        roff = f.read()
    assert f'.TH {program.upper()} "1"' in roff
    for section in (".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS"):
        assert section in roff, f"{path}: no {section}"
    if not shutil.which("man"):
        assert option.replace("-", r"\-") in roff
        return
    r = subprocess.run(["man", "-l", path], capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat"))
    assert r.returncode == 0, r.stderr
    # groff may render hyphens as U+2010 or minus signs as U+2212.
    text = r.stdout.replace("\u2010", "-").replace("\u2212", "-")
    assert "SYNOPSIS" in text and "OPTIONS" in text and option in text, text


def test_install_then_uninstall(tmp_path, build_prefix_kept):
    dest = tmp_path / "dest"
    root = dest / PREFIX.lstrip("/")
    # Someone else's file in the same directory: uninstall must leave it.
    (root / "bin").mkdir(parents=True)
    (root / "bin" / "other-tool").write_text("#!/bin/sh\n")

    r = make("install", dest)
    assert r.returncode == 0, r.stdout + r.stderr
    assert files_under(root) == INSTALLED | {"bin/other-tool"}

    for program in ("perchd", "perch"):
        binary = root / "bin" / program
        assert os.access(binary, os.X_OK)
        v = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30)
        assert v.returncode == 0 and re.fullmatch(rf"{program} \d+\.\d+\.\d+\n", v.stdout)

    unit = (root / "lib/systemd/user/perchd.service").read_text()
    commands = re.findall(r"^Exec(?:Start|Reload|Stop)=(\S+)", unit, re.M)
    assert commands == [f"{PREFIX}/bin/perchd"] * 3, unit
    assert "@" not in unit.replace("%h", "")

    check_man_page(root / "share/man/man1/perchd.1", "perchd", "--tls-listen")
    check_man_page(root / "share/man/man1/perch.1", "perch", "--fingerprint")

    r = make("uninstall", dest)
    assert r.returncode == 0, r.stdout + r.stderr
    assert files_under(dest) == {os.path.join(PREFIX.lstrip("/"), "bin/other-tool")}
