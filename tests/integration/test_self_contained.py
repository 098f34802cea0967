"""The build and the tests read nothing outside the repository: a plain clone must build
and pass on its own. Scans build files, scripts and tests for paths that leave it."""
import os
import re

import pytest

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))

# Trees whose every text file is scanned, and single files; plus every meson file.
SCANNED_TREES = ["tests", "scripts", "fuzz", "bench", "contrib", ".ci"]
SCANNED_FILES = ["Makefile"]
SKIPPED_DIRS = {os.path.join("fuzz", "corpus"), "__pycache__", ".pytest_cache"}

# Places known to lie outside: the sibling checkout of the protocol notes, the machine's
# work area. The names are built from pieces so that this file names neither itself.
SIBLING = "sha" + "red"
WORK_AREA = "wo" + "rk"
OUTSIDE = [re.compile(p) for p in (r"\.\./" + SIBLING, SIBLING + "/protocol",
                                   r"(?<![\w.])/" + WORK_AREA + "/",
                                   r"['\"]" + SIBLING + r"['\"]")]
# A run of parent-directory steps: "../../x" or os.path.join(d, "..", "..").
SLASH_CLIMB = re.compile(r"(?<![\w.])(?:\.\./)+(?:\.\.(?![\w.]))?|(?<![\w./])\.\.(?![\w./])")
JOIN_CLIMB = re.compile(r"[\"']\.\.[\"'](?:\s*,\s*[\"']\.\.[\"'])*")


def scanned_files():
    out = [os.path.join(ROOT, f) for f in SCANNED_FILES]
    for top in SCANNED_TREES:
        for d, dirs, files in os.walk(os.path.join(ROOT, top)):
            dirs[:] = [x for x in dirs if x not in SKIPPED_DIRS
                       and os.path.relpath(os.path.join(d, x), ROOT) not in SKIPPED_DIRS]
            out += [os.path.join(d, f) for f in files]
    for d, dirs, files in os.walk(ROOT):
        # Build directories (they hold build.ninja) and git data are not sources.
        dirs[:] = [x for x in dirs if x != ".git" and x not in SKIPPED_DIRS
                   and not os.path.exists(os.path.join(d, x, "build.ninja"))]
        out += [os.path.join(d, f) for f in files if f in ("meson.build", "meson_options.txt")]
    return sorted(set(out))


def text_of(path):
    with open(path, "rb") as f:
        data = f.read()
    if b"\0" in data:
        return None
    return data.decode("utf-8", errors="replace")


def climbs(line):
    """Largest number of ".." steps in one path of this line."""
    steps = [m.group(0).count("..") for m in SLASH_CLIMB.finditer(line)]
    steps += [m.group(0).count("..") for m in JOIN_CLIMB.finditer(line)]
    return max(steps, default=0)


def leaks(path):
    """(line number, line) of every line naming a place outside the repository."""
    text = text_of(path)
    if text is None:
        return []
    depth = len(os.path.relpath(os.path.dirname(path), ROOT).split(os.sep))
    depth = 0 if os.path.dirname(path) == ROOT else depth
    found = []
    for n, line in enumerate(text.splitlines(), 1):
        # A path relative to its file may climb to the root and no further.
        if any(p.search(line) for p in OUTSIDE) or climbs(line) > depth:
            found.append((n, line.strip()))
    return found


def test_nothing_outside_the_repository_is_read():
    files = scanned_files()
    assert any(f.endswith(os.path.join("integration", "conftest.py")) for f in files)
    report = [f"{os.path.relpath(f, ROOT)}:{n}: {line}" for f in files for n, line in leaks(f)]
    assert not report, "paths leaving the repository:\n" + "\n".join(report)


@pytest.mark.parametrize("line,depth,leaves", [
    ('D = os.path.join(os.path.dirname(__file__), ' + '"..", ' * 3 + f'"{SIBLING}")', 2, True),
    ('D = os.path.join(os.path.dirname(__file__), ' + '"..", ' * 3 + '"notes")', 2, True),
    ('X = os.path.join(os.path.dirname(__file__), "..", "..", "build", "src")', 2, False),
    ("include " + "../" * 3 + "elsewhere/x.mk", 2, True),
    ("cp ../../x .", 2, False),
    ("cd .. && make", 0, True),
    (f"open('/{WORK_AREA}/anything')", 5, True),
    (f"cat ../{SIBLING}/DESIGN.md", 3, True),
    ("a = b..c and v1.2..v1.3, va_list ...", 0, False),
])
def test_the_scan_itself(line, depth, leaves):
    """The scan finds the leaks it is meant to find and lets in-repo paths pass."""
    found = any(p.search(line) for p in OUTSIDE) or climbs(line) > depth
    assert found == leaves
