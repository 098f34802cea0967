"""make bench BASELINE=rev: perchd of that commit, built in a temporary git worktree that is
removed afterwards (also when the bench fails or is interrupted)."""
import contextlib
import os
import shutil
import subprocess
import tempfile

from perf_procs import BenchError


def _run(argv, cwd=None):
    try:
        r = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=1800)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{' '.join(argv)} took more than 30 minutes")
    if r.returncode != 0:
        raise BenchError(f"{' '.join(argv)} failed:\n{(r.stdout + r.stderr)[-3000:]}")
    return r.stdout


@contextlib.contextmanager
def baseline_perchd(repo, rev):
    """Yields (path of the baseline's perchd, full commit id)."""
    sha = subprocess.run(["git", "-C", repo, "rev-parse", "--verify", "--quiet",
                          rev + "^{commit}"], capture_output=True, text=True).stdout.strip()
    if not sha:
        raise BenchError(f"BASELINE={rev}: no such commit")
    tmp = tempfile.mkdtemp(prefix="perch-bench-baseline-")
    tree = os.path.join(tmp, "tree")
    added = False
    try:
        _run(["git", "-C", repo, "worktree", "add", "--detach", "--quiet", tree, sha])
        added = True
        _run(["nice", "meson", "setup", "build", "--buildtype=debugoptimized"], cwd=tree)
        _run(["nice", "ninja", "-C", "build", "src/perchd"], cwd=tree)
        yield os.path.join(tree, "build", "src", "perchd"), sha
    finally:
        if added:
            subprocess.run(["git", "-C", repo, "worktree", "remove", "--force", tree],
                           capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
