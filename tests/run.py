#!/usr/bin/python3
"""Runs every perch test suite for one or more builds and ends with 'N passed, N failed'."""
import argparse
import glob
import os
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAN_ENV = {
    "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:exitcode=23",
    "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1",
}


def junit_counts(path):
    """(passed, failed) from a JUnit XML file (cmocka's or pytest's)."""
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    passed = failed = 0
    for s in suites:
        for case in s.findall("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
            elif case.find("skipped") is None:
                passed += 1
    return passed, failed


def slowest_files(path, count=6):
    """The test files that took longest in a pytest JUnit XML file, longest first, so that a
    suite creeping towards its time budget shows where the time goes."""
    totals = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        name = case.get("classname", "").split(".")[-1] or "?"
        totals[name] = totals.get(name, 0.0) + float(case.get("time") or 0)
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:count]
    return ", ".join(f"{name} {secs:.0f} s" for name, secs in ranked)


def run_unit(build, env):
    passed = failed = 0
    tests = sorted(glob.glob(os.path.join(build, "tests", "test_*")))
    tests = [t for t in tests if os.access(t, os.X_OK) and not t.endswith(".p")]
    if not tests:
        print(f"[{build}] no unit test binaries found", flush=True)
        return 0, 1
    with tempfile.TemporaryDirectory() as tmp:
        for t in tests:
            xml = os.path.join(tmp, os.path.basename(t) + ".xml")
            e = dict(env, CMOCKA_MESSAGE_OUTPUT="XML", CMOCKA_XML_FILE=xml)
            r = subprocess.run([t], env=e, capture_output=True, text=True, timeout=300)
            if os.path.exists(xml):
                p, f = junit_counts(xml)
            else:
                p, f = 0, 1
            if r.returncode != 0 and f == 0:
                f = 1
            if f:
                print(r.stdout[-4000:], r.stderr[-4000:], sep="\n")
            print(f"[{build}] unit {os.path.basename(t)}: {p} passed, {f} failed", flush=True)
            passed += p
            failed += f
    return passed, failed


# A hang guard for one build's whole integration suite, not a measurement.
INTEGRATION_TIMEOUT_S = 3600


def run_integrations(builds, env, tmp):
    """Each build's integration suite, all at once: the tests mostly wait on processes
    (perchd, IRC servers, browsers), so two suites share this machine's two cores well.
    Each one's output goes to its own log, shown in full when it fails."""
    runs = []
    for build in builds:
        name = os.path.basename(os.path.normpath(build))
        xml = os.path.join(tmp, f"{name}.xml")
        log_path = os.path.join(tmp, f"{name}.log")
        e = dict(env, PERCHD=os.path.abspath(os.path.join(build, "src", "perchd")))
        cmd = ["/usr/bin/python3", "-m", "pytest", "-q", "-p", "no:cacheprovider",
               f"--junitxml={xml}", os.path.join(ROOT, "tests", "integration")]
        with open(log_path, "w") as log:
            proc = subprocess.Popen(cmd, env=e, stdout=log, stderr=subprocess.STDOUT)
        print(f"[{build}] integration: started (log: {log_path})", flush=True)
        runs.append((build, proc, xml, log_path))
    passed = failed = 0
    for build, proc, xml, log_path in runs:
        try:
            rc = proc.wait(timeout=INTEGRATION_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
            print(f"[{build}] integration: still running after {INTEGRATION_TIMEOUT_S} s, killed")
        p, f = junit_counts(xml) if os.path.exists(xml) else (0, 1)
        if rc not in (0, 1) and f == 0:
            f = 1
        with open(log_path, errors="replace") as log:
            text = log.read()
        print(text if f else text.strip().splitlines()[-1] if text.strip() else "", flush=True)
        if os.path.exists(xml):
            print(f"[{build}] integration: slowest files: {slowest_files(xml)}", flush=True)
        print(f"[{build}] integration: {p} passed, {f} failed", flush=True)
        passed += p
        failed += f
    return passed, failed


def run_fuzz_corpora(build, env, say=print):
    """Replays every corpus file (and kept crash) through its libFuzzer target."""
    passed = failed = 0
    for corpus in sorted(glob.glob(os.path.join(ROOT, "fuzz", "corpus", "*"))):
        name = os.path.basename(corpus)
        binary = os.path.join(build, "fuzz", "fuzz_" + name)
        files = sorted(glob.glob(os.path.join(corpus, "*")))
        if not os.path.exists(binary) or not files:
            say(f"[fuzz] missing target or corpus for {name}")
            failed += 1
            continue
        r = subprocess.run([binary] + files, env=env, capture_output=True, text=True, timeout=600)
        ok = r.returncode == 0
        if not ok:
            say(r.stderr[-4000:])
        say(f"[fuzz] {name}: {len(files)} inputs replayed, {'ok' if ok else 'FAILED'}")
        passed += ok
        failed += not ok
    return passed, failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", action="append", required=True)
    ap.add_argument("--fuzz")
    ap.add_argument("--only", choices=["unit", "integration"])
    args = ap.parse_args()
    env = dict(os.environ, **SAN_ENV)
    passed = failed = 0
    if args.only != "integration":
        for build in args.build:
            p, f = run_unit(build, env)
            passed += p
            failed += f
    # The fuzz replays (CPU) run beside the integration suites (mostly waiting); what they
    # say is printed after them.
    fuzz_said, fuzz_counts = [], []
    fuzz = threading.Thread(target=lambda: fuzz_counts.append(
        run_fuzz_corpora(args.fuzz, env, fuzz_said.append))) if args.fuzz else None
    if fuzz:
        fuzz.start()
    if args.only != "unit":
        with tempfile.TemporaryDirectory() as tmp:
            p, f = run_integrations(args.build, env, tmp)
        passed += p
        failed += f
    if fuzz:
        fuzz.join()
        print("\n".join(fuzz_said), flush=True)
        p, f = fuzz_counts[0] if fuzz_counts else (0, 1)
        passed += p
        failed += f
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
