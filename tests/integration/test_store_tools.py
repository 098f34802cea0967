"""Retention ([store] max_age_days, max_lines_per_buffer) and the tools: --check-db,
--export-logs, --import-weechat-logs (a round trip shows the same messages)."""
import datetime
import os
import re
import signal
import sqlite3
import subprocess
import tempfile
import time

from conftest import PERCHD, Perchd, request
from wsraw import open_ws


def plain(p, method, path, body=None):
    return request(p.plain_port, method, path, body=body, tls=False)


def run_inputs(p, commands, buffer="core.weechat"):
    """Each command as one POST /api/input over a WebSocket, in batches, each acknowledged."""
    ws = open_ws(p.plain_port)
    for start in range(0, len(commands), 500):
        batch = commands[start:start + 500]
        ws.send_json([{"request": "POST /api/input",
                       "body": {"buffer_name": buffer, "command": c}} for c in batch])
        for _ in batch:
            assert ws.read_json()["code"] == 204
    ws.close()


def tool(d, *args):
    r = subprocess.run([PERCHD, "--dir", d, *args], capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, PERCH_PASSWORD="x"))
    assert "Sanitizer" not in r.stderr and "runtime error:" not in r.stderr, r.stderr
    return r


def db_rows(d, sql, *params):
    """A query on a running or stopped perchd's database, read-only."""
    con = sqlite3.connect(f"file:{os.path.join(d, 'perch.db')}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def history(d, name):
    return db_rows(d, "SELECT id, message FROM lines WHERE log_id ="
                      " (SELECT id FROM logs WHERE name = ?) ORDER BY id", name)


def matches(d, word):
    """Rowids of the search index for a word: the only way to read a contentless index."""
    return [r[0] for r in db_rows(d, "SELECT rowid FROM lines_text WHERE lines_text MATCH ?"
                                     " ORDER BY rowid", word)]


def wait_for(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def set_config(p, text):
    with open(p.config_path, "w") as f:
        f.write(text)
    p.proc.send_signal(signal.SIGHUP)
    assert wait_for(lambda: "reloaded" in p.read_log(), 10)


# ---- retention ----

def test_age_removes_old_lines_past_memory_with_their_search_entries(perchd_factory):
    p = perchd_factory(config="[core]\nmax_lines = 50\n")
    ten_days = 10 * 86400
    run_inputs(p, [f"/print -date -{ten_days} ancient-{i:04d}" for i in range(300)])
    run_inputs(p, [f"/print fresh-{i:04d}" for i in range(100)])
    # A quiet buffer: its old lines are all in memory, which the age rule spares.
    run_inputs(p, ["/print -newbuffer quiet start"] +
               [f"/print -buffer core.quiet -date -{ten_days} ancient-quiet-{i}" for i in range(20)])
    # Search entries are written in batches, a fraction of a second after their lines.
    assert wait_for(lambda: len(matches(p.dir, "ancient")) == 320)
    set_config(p, "[core]\nmax_lines = 50\n[store]\nmax_age_days = 5\n")
    assert wait_for(lambda: not [m for _, m in history(p.dir, "core.weechat")
                                 if m.startswith("ancient")])
    assert "store: retention: lines go after 5 days" in p.read_log()
    stored = [m for _, m in history(p.dir, "core.weechat")]
    assert stored == [f"fresh-{i:04d}" for i in range(100)]
    assert len([m for _, m in history(p.dir, "core.quiet") if m.startswith("ancient")]) == 20
    # The search index forgot exactly the deleted lines.
    quiet_seqs = [r[0] for r in db_rows(p.dir, "SELECT seq FROM lines WHERE message LIKE"
                                               " 'ancient-quiet-%' ORDER BY seq")]
    assert matches(p.dir, "ancient") == quiet_seqs
    assert len(matches(p.dir, "fresh")) == 100
    # Paging past memory finds no deleted line.
    oldest_in_memory = plain(p, "GET", "/api/buffers/core.weechat/lines?lines=-50").json()[0]["id"]
    page = plain(p, "GET", "/api/buffers/core.weechat/lines?lines=-1000"
                           f"&before={oldest_in_memory}&colors=strip").json()
    assert [l["message"] for l in page] == [f"fresh-{i:04d}" for i in range(50)]
    assert plain(p, "GET", "/api/buffers/core.weechat/lines/0").status == 404
    assert p.stop() == 0
    r = tool(p.dir, "--check-db")
    assert (r.returncode, r.stdout) == (0, "ok\n"), r.stderr


def test_an_answer_kept_for_repeated_requests_forgets_lines_retention_deleted(perchd_factory):
    """GET answers are kept for the next client asking the same; retention deletes lines
    without a core event, so it must drop them: no answer shows a line that is gone."""
    p = perchd_factory(config="[core]\nmax_lines = 20\n[store]\nmax_age_days = 5\n"
                              "[log]\nlevel = debug\n")
    ten_days = 10 * 86400
    for attempt in range(5):
        name = f"old{attempt}"
        deleted_before = p.read_log().count("retention deleted")
        run_inputs(p, [f"/print -newbuffer {name} -date -{ten_days} start"] +
                   [f"/print -buffer core.{name} -date -{ten_days} old-{i:02d}" for i in range(40)])
        path = f"/api/buffers/core.{name}/lines?lines=-100&colors=strip"
        first = plain(p, "GET", path).json()
        # The answer read past memory before retention ran: it is kept, then retention goes.
        if p.read_log().count("retention deleted") == deleted_before and len(first) == 41:
            break
    else:
        raise AssertionError("retention always ran before the first request")
    assert plain(p, "GET", path).json() == first  # the kept answer
    assert wait_for(lambda: p.read_log().count("retention deleted") > deleted_before)
    after = plain(p, "GET", path).json()
    # Memory's 20 lines (spared by the age rule) and nothing retention deleted.
    assert [l["message"] for l in after] == [f"old-{i:02d}" for i in range(20, 40)]


def test_retention_waits_while_the_database_is_locked_and_goes_on_after(perchd_factory):
    """Another process holding the write lock: retention deletes nothing (the store says
    why it cannot write), and once the lock goes, deletes what it must."""
    p = perchd_factory(config="[core]\nmax_lines = 20\n")
    ten_days = 10 * 86400
    run_inputs(p, [f"/print -date -{ten_days} ancient-{i:04d}" for i in range(60)])
    run_inputs(p, [f"/print fresh-{i:04d}" for i in range(20)])
    assert wait_for(lambda: len(matches(p.dir, "ancient")) == 60)
    locker = sqlite3.connect(os.path.join(p.dir, "perch.db"), timeout=10,
                             isolation_level=None)
    try:
        locker.execute("BEGIN IMMEDIATE")
        set_config(p, "[core]\nmax_lines = 20\n[store]\nmax_age_days = 5\n")
        assert wait_for(lambda: "database is locked" in p.read_log())
        time.sleep(2.5)  # retention steps come and go while the lock is held
        assert len([m for _, m in history(p.dir, "core.weechat") if m.startswith("ancient")]) == 60
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert wait_for(lambda: not [m for _, m in history(p.dir, "core.weechat")
                                 if m.startswith("ancient")])
    assert [m for _, m in history(p.dir, "core.weechat")] == [f"fresh-{i:04d}" for i in range(20)]
    assert wait_for(lambda: "written again" in p.read_log()), p.read_log()[-1500:]
    assert p.stop() == 0
    assert tool(p.dir, "--check-db").stdout == "ok\n"


def test_count_keeps_the_newest_lines_of_each_history_even_in_memory(perchd_factory):
    p = perchd_factory(config="[core]\nmax_lines = 50\n[store]\nmax_lines_per_buffer = 30\n")
    assert "is below [core] max_lines (50)" in p.read_log()
    run_inputs(p, [f"/print line-{i:04d} padding {'x' * 500}" for i in range(1200)])
    run_inputs(p, ["/print -newbuffer small s-start"] +
               [f"/print -buffer core.small s-{i}" for i in range(10)])
    assert wait_for(lambda: len(history(p.dir, "core.weechat")) == 30)
    kept = history(p.dir, "core.weechat")
    assert [m.split()[0] for _, m in kept] == [f"line-{i:04d}" for i in range(1170, 1200)]
    assert [i for i, _ in kept] == list(range(kept[0][0], kept[0][0] + 30))
    assert len(history(p.dir, "core.small")) == 11
    assert len(matches(p.dir, "padding")) == 30
    # What the user asked for: memory still holds the buffer's 50 lines until a restart.
    assert len(plain(p, "GET", "/api/buffers/core.weechat/lines?lines=-50").json()) == 50
    # Pages freed by the deletes went back to the file system.
    assert db_rows(p.dir, "PRAGMA auto_vacuum") == [(2,)]
    assert wait_for(lambda: db_rows(p.dir, "PRAGMA freelist_count")[0][0] == 0)
    # Turned off by a reload: nothing more goes.
    set_config(p, "[core]\nmax_lines = 50\n")
    run_inputs(p, [f"/print more-{i}" for i in range(40)])
    time.sleep(2.5)
    assert len(history(p.dir, "core.weechat")) == 70
    assert p.stop() == 0
    assert tool(p.dir, "--check-db").stdout == "ok\n"


# ---- tools ----

def test_tools_refuse_while_perchd_runs(perchd):
    for args in (["--check-db"], ["--export-logs", os.path.join(perchd.dir, "out")],
                 ["--import-weechat-logs", perchd.dir]):
        r = tool(perchd.dir, *args)
        assert r.returncode == 1
        assert "another perchd already runs for" in r.stderr
        assert "stop the daemon first" in r.stderr


def test_check_db_says_ok_on_a_good_database(perchd_factory):
    p = perchd_factory()
    run_inputs(p, [f"/print good-{i}" for i in range(100)])
    assert p.stop() == 0
    r = tool(p.dir, "--check-db")
    assert (r.returncode, r.stdout, r.stderr) == (0, "ok\n", "")


def test_check_db_finds_lines_and_search_entries_that_disagree(perchd_factory):
    p = perchd_factory()
    # Lines without a word have no entry, and need none.
    run_inputs(p, [f"/print good-{i}" for i in range(20)] + ["/print \U0001F44D !!", "/print"])
    assert p.stop() == 0
    assert tool(p.dir, "--check-db").stdout == "ok\n"
    con = sqlite3.connect(os.path.join(p.dir, "perch.db"))
    with con:
        seq = con.execute("SELECT seq FROM lines WHERE message = 'good-3'").fetchone()[0]
        con.execute("INSERT INTO lines_text (lines_text, rowid, text)"
                    " VALUES ('delete', ?, 'good-3')", (seq,))
        con.execute("DELETE FROM lines WHERE message = 'good-7'")
    con.close()
    r = tool(p.dir, "--check-db")
    assert r.returncode == 1
    assert r.stdout == "1 lines without a search entry\n1 search entries without a line\n"


def test_check_db_without_a_database(tmp_path):
    r = tool(str(tmp_path), "--check-db")
    assert r.returncode == 1 and "perch.db: No such file or directory" in r.stderr
    assert not os.path.exists(tmp_path / "perch.db")


WEECHAT_48_LOG = (
    "not a log line\n"
    "2025-08-30 19:04:55.123456Z\t--\tMode #perch [+nt] by server\n"
    "2025-08-30 19:05:00.5Z\talice\tfirst line\n"
    "of a message in two lines\n"
    "2025-08-30T21:06:00+02:00\tbob\tbob's line, an offset\n"
    "2025-08-30 19:07:00Z\t****  End of log  ****\n"
)


def local(iso_utc):
    when = datetime.datetime.fromisoformat(iso_utc.replace("Z", "+00:00"))
    return when.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def test_import_takes_crlf_logs_skips_files_without_lines_and_says_a_missing_dir(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    # A log written on Windows: CR LF line ends, none of them in the messages.
    (logs / "irc.net.#win.weechatlog").write_bytes(
        b"2025-08-30 19:05:00\talice\tfrom windows\r\n"
        b"2025-08-30 19:06:00\tbob\tsecond\r\n")
    (logs / "irc.net.#junk.weechatlog").write_text("no date here\nnor here\n")
    (logs / "notes.txt").write_text("not a log\n")
    d = str(tmp_path / "data")
    os.mkdir(d)
    r = tool(d, "--import-weechat-logs", str(logs))
    assert r.returncode == 0, r.stderr
    assert f'imported {logs}/irc.net.#win.weechatlog: 2 lines into "irc.net.#win"' in r.stdout
    assert f"skipped {logs}/irc.net.#junk.weechatlog: no line to import (2 did not parse)" \
        in r.stdout
    assert "notes.txt" not in r.stdout
    assert [m for _, m in history(d, "irc.net.#win")] == ["from windows", "second"]
    assert db_rows(d, "SELECT count(*) FROM logs WHERE name = 'irc.net.#junk'") == [(0,)]
    r = tool(d, "--import-weechat-logs", str(tmp_path / "nowhere"))
    assert r.returncode == 1 and "nowhere: No such file or directory" in r.stderr
    assert tool(d, "--check-db").stdout == "ok\n"


def test_export_then_import_shows_the_same_messages(perchd_factory):
    src = perchd_factory()
    run_inputs(src, [f"/print \x0304red\x0f and plain {i}" for i in range(30)] +
               ["/print -date 2024-01-02T03:04:05Z -escape alice\\tan old one\\nin two lines"])
    run_inputs(src, ["/print -newbuffer chan -tags notify_message bob\thello"] +
               [f"/print -buffer core.chan carol\tchan line {i}" for i in range(5)])
    before = {b: plain(src, "GET", f"/api/buffers/{b}/lines?colors=strip").json()
              for b in ("core.weechat", "core.chan")}
    assert src.stop() == 0
    out = tempfile.mkdtemp(prefix="perch-export-")
    r = tool(src.dir, "--export-logs", out)
    assert r.returncode == 0, r.stderr
    assert sorted(os.listdir(out)) == ["core.chan.weechatlog", "core.weechat.weechatlog"]
    text = open(os.path.join(out, "core.weechat.weechatlog")).read()
    lines = text.split("\n")
    # WeeChat's logger line: local date, prefix, message; colours gone; a second line of a
    # message follows without a date.
    old = before["core.weechat"][-1]
    assert f"{local(old['date'])}\talice\tan old one" in lines
    assert lines[lines.index(f"{local(old['date'])}\talice\tan old one") + 1] == "in two lines"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\t\tred and plain 0", lines[0])
    # An export never replaces a file.
    again = tool(src.dir, "--export-logs", out)
    assert again.returncode == 1 and "File exists" in again.stderr
    with open(os.path.join(out, "irc.libera.#perch.weechatlog"), "w") as f:
        f.write(WEECHAT_48_LOG)

    fresh = tempfile.mkdtemp(prefix="perch-import-")
    r = tool(fresh, "--import-weechat-logs", out)
    assert r.returncode == 0, r.stderr
    assert 'imported %s/core.weechat.weechatlog: 31 lines into "core.weechat", 0 lines did' \
        ' not parse' % out in r.stdout
    assert '4 lines into "irc.libera.#perch", 1 lines did not parse' in r.stdout
    # Histories holding lines take no file: a second import skips them all.
    r2 = tool(fresh, "--import-weechat-logs", out)
    assert r2.returncode == 0 and r2.stdout.count("it holds lines already") == 3
    assert tool(fresh, "--check-db").stdout == "ok\n"
    irc = db_rows(fresh, "SELECT id, date_us, prefix, message FROM lines WHERE log_id ="
                         " (SELECT id FROM logs WHERE name = 'irc.libera.#perch') ORDER BY id")
    t0 = int(datetime.datetime(2025, 8, 30, 19, 4, 55, tzinfo=datetime.timezone.utc).timestamp())
    assert irc == [
        (0, t0 * 10**6 + 123456, "--", "Mode #perch [+nt] by server"),
        (1, (t0 + 5) * 10**6 + 500000, "alice", "first line\nof a message in two lines"),
        (2, (t0 + 65) * 10**6, "bob", "bob's line, an offset"),
        (3, (t0 + 125) * 10**6, "", "****  End of log  ****"),
    ]
    assert len(matches(fresh, "plain")) == 30 and len(matches(fresh, "offset")) == 1

    dst = Perchd(fresh)
    try:
        run_inputs(dst, ["/print -newbuffer chan reopened"])
        after = {b: plain(dst, "GET", f"/api/buffers/{b}/lines?colors=strip").json()
                 for b in ("core.weechat", "core.chan")}
        for b in before:
            assert [(l["id"], l["prefix"], l["message"]) for l in after[b]][:len(before[b])] == \
                [(l["id"], l["prefix"], l["message"]) for l in before[b]]
        # The history goes on after the imported lines, with the next id.
        assert [(l["id"], l["message"]) for l in after["core.chan"][len(before["core.chan"]):]] \
            == [(len(before["core.chan"]), "reopened")]
    finally:
        assert dst.stop() == 0
    subprocess.run(["rm", "-rf", out, fresh], check=False)
