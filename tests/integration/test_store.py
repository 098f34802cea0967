"""Durable history: every acknowledged line survives kill -9, /quit and /upgrade with its id,
nothing twice; paging with before=/after= past memory; a newer database is refused."""
import hashlib
import os
import signal
import sqlite3
import subprocess
import time

import pytest

from conftest import PERCHD, Perchd, request
from test_goodbye import synced_ws
from wsraw import open_ws


def plain(p, method, path, body=None):
    return request(p.plain_port, method, path, body=body, tls=False)


def print_lines(p, n, prefix, buffer="core.weechat", width=0):
    """n /print inputs in batches over one WebSocket, each acknowledged."""
    ws = open_ws(p.plain_port)
    pad = " " + "p" * width if width else ""
    for start in range(0, n, 1000):
        batch = range(start, min(n, start + 1000))
        ws.send_json([{"request": "POST /api/input",
                       "body": {"buffer_name": buffer, "command": f"/print {prefix}{i:06d}{pad}"}}
                      for i in batch])
        for _ in batch:
            assert ws.read_json()["code"] == 204
    ws.close()


def snapshot(p):
    buffers = plain(p, "GET", "/api/buffers?lines=-100000&colors=weechat").json()
    return buffers, plain(p, "GET", "/api/hotlist").json()


def populate(p):
    for cmd in ["/print -newbuffer chan -tags notify_message bob\thello",
                "/print -buffer core.chan -tags notify_highlight alice\tping",
                "/print -newbuffer freebuf -free", "/print -buffer core.freebuf -y 2 third"]:
        assert plain(p, "POST", "/api/input", {"command": cmd}).status == 204
    for cmd in ["/buffer set title chan title", "/buffer setvar away yes",
                "/buffer set unread 1", "/buffer set hotlist 2"]:
        assert plain(p, "POST", "/api/input",
                     {"buffer_name": "core.chan", "command": cmd}).status == 204
    print_lines(p, 50, "chan-", buffer="core.chan")
    print_lines(p, 20, "core-")


def restart(p, how):
    """Ends p (kill -9 or /quit; "gone": it ended already) and starts perchd again on its
    data dir, in its place."""
    if how == "kill":
        p.proc.send_signal(signal.SIGKILL)
        p.proc.wait()
    elif how == "quit":
        assert plain(p, "POST", "/api/input", {"command": "/quit"}).status == 204
        assert p.proc.wait(timeout=30) == 0
    p.log.close()
    again = Perchd(p.dir)
    p.proc, p.log, p.tls_port, p.plain_port = again.proc, again.log, again.tls_port, again.plain_port
    return p


@pytest.mark.parametrize("how", ["kill", "quit", "upgrade"])
def test_restart_keeps_every_line_with_its_id(perchd_factory, how):
    p = perchd_factory()
    populate(p)
    before = snapshot(p)
    if how == "upgrade":
        r = subprocess.run([PERCHD, "--dir", p.dir, "--upgrade"], capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0, r.stderr
        after = snapshot(p)
    else:
        restart(p, how)
        after = snapshot(p)
        # New lines continue the ids: none is reused.
        assert plain(p, "POST", "/api/input", {"command": "/print next"}).status == 204
        last = plain(p, "GET", "/api/buffers/core.weechat/lines?lines=-1").json()[0]
        old_ids = [l["id"] for l in before[0][0]["lines"]]
        assert last["id"] == max(old_ids) + 1
    # Nicklists are not stored (networks rebuild them): compare everything else.
    for b in before[0] + after[0]:
        b.pop("nicklist_root", None)
    assert after == before


@pytest.mark.parametrize("how", ["kill", "quit", "upgrade"])
def test_a_renamed_core_buffer_stays_the_core_buffer(perchd_factory, how):
    # WeeChat lets /buffer rename rename its core buffer too; perchd used to look for
    # "core.weechat" when it read its state back, and then refused to start at all.
    p = perchd_factory()
    for cmd in ["/print -newbuffer older", "/buffer rename renamed", "/buffer move 2",
                "/print in the core buffer"]:
        assert plain(p, "POST", "/api/input", {"command": cmd}).status == 204
    before = snapshot(p)
    assert [b["name"] for b in before[0]] == ["core.older", "core.renamed"]
    if how == "upgrade":
        r = subprocess.run([PERCHD, "--dir", p.dir, "--upgrade"], capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0, r.stderr
    else:
        restart(p, how)
    after = snapshot(p)
    for b in before[0] + after[0]:
        b.pop("nicklist_root", None)
    assert after == before
    # Input sent to no buffer still goes to the core buffer, under its new name.
    assert plain(p, "POST", "/api/input", {"command": "/print after"}).status == 204
    last = plain(p, "GET", "/api/buffers/core.renamed/lines?lines=-1&colors=strip").json()
    assert last[0]["message"] == "after"


def test_renaming_to_a_closed_buffers_name_keeps_both_histories_apart(perchd_factory):
    """core.a closed, then core.b renamed to "a": the name's history is b's from then on,
    the closed one's is kept under a name of its own, across a restart."""
    p = perchd_factory()
    for body in ({"command": "/print -newbuffer a old-a-line"},
                 {"command": "/buffer close core.a"},
                 {"command": "/print -newbuffer b new-b-line"},
                 {"buffer_name": "core.b", "command": "/buffer rename a"},
                 {"buffer_name": "core.a", "command": "/print after the rename"}):
        assert plain(p, "POST", "/api/input", body).status == 204
    path = "/api/buffers/core.a/lines?lines=-100&colors=strip"
    expected = ["new-b-line", "after the rename"]
    assert [l["message"] for l in plain(p, "GET", path).json()] == expected
    restart(p, "quit")
    assert [l["message"] for l in plain(p, "GET", path).json()] == expected
    con = sqlite3.connect(f"file:{os.path.join(p.dir, 'perch.db')}?mode=ro", uri=True)
    try:
        logs = dict(con.execute("SELECT name, id FROM logs WHERE name LIKE 'core.a%'"))
        kept = [r[0] for r in con.execute(
            "SELECT message FROM lines WHERE log_id = ? ORDER BY id", (logs.pop("core.a"),))]
        assert kept == expected
        (archived, log_id), = logs.items()
        assert archived == f"core.a#{log_id}"
        old = [r[0] for r in con.execute("SELECT message FROM lines WHERE log_id = ?", (log_id,))]
        assert old == ["old-a-line"]
    finally:
        con.close()


def test_kill_right_after_the_ack_loses_nothing(perchd_factory):
    p = perchd_factory()
    seen_by_client = []
    ws = synced_ws(p.plain_port, tls=False)
    print_lines(p, 3000, "k")
    while len(seen_by_client) < 3000:
        msg = ws.read_json()
        if msg.get("event_name") == "buffer_line_added":
            seen_by_client.append((msg["body"]["id"], msg["body"]["message"]))
    # The last acknowledged input: killed the moment its 204 arrives.
    assert plain(p, "POST", "/api/input", {"command": "/print the-last-one"}).status == 204
    restart(p, "kill")
    lines = plain(p, "GET", "/api/buffers/core.weechat/lines?lines=-5000&colors=strip").json()
    stored = [(l["id"], l["message"]) for l in lines if l["message"].startswith("k")]
    assert stored == [(i, m.replace("\x1b[0m", "")) for i, m in seen_by_client] or \
        [m for _, m in stored] == [f"k{i:06d}" for i in range(3000)]
    assert [l["id"] for l in lines] == sorted(set(l["id"] for l in lines))
    assert lines[-1]["message"] == "the-last-one"


def test_paging_through_20000_lines(perchd_factory):
    p = perchd_factory(config="[core]\nmax_lines = 1000\n")
    print_lines(p, 20000, "n")
    newest = plain(p, "GET", "/api/buffers/core.weechat/lines?lines=-1&colors=strip").json()
    got, before = [], newest[0]["id"] + 1
    while True:
        page = plain(p, "GET", f"/api/buffers/core.weechat/lines?lines=-700&before={before}"
                               "&colors=strip").json()
        if not page:
            break
        assert [l["id"] for l in page] == sorted(l["id"] for l in page)
        got = page + got
        before = page[0]["id"]
    msgs = [l["message"] for l in got if l["message"].startswith("n")]
    assert msgs == [f"n{i:06d}" for i in range(20000)]
    # Forward from the oldest line, in pages.
    fwd, after = [got[0]], got[0]["id"]
    while True:
        page = plain(p, "GET", f"/api/buffers/core.weechat/lines?lines=900&after={after}"
                               "&colors=strip").json()
        if not page:
            break
        fwd += page
        after = page[-1]["id"]
    assert [l["id"] for l in fwd] == [l["id"] for l in got]
    big = plain(p, "GET", "/api/buffers/core.weechat/lines?lines=-5000&colors=strip").json()
    assert [l["message"] for l in big][-1] == "n019999" and len(big) == 5000
    # Any stored line by id, in memory or not.
    first = got[0]
    one = plain(p, "GET", f"/api/buffers/core.weechat/lines/{first['id']}?colors=strip")
    assert one.status == 200 and one.json()["message"] == first["message"]
    assert plain(p, "GET", "/api/buffers/core.weechat/lines?lines=-5&before=x").status == 400


def test_lines_left_on_disk_at_start_come_back_as_memory_held_them(perchd_factory):
    """A restart leaves every line on disk (start-up does not grow with the history); each
    way of asking for lines, and the read marker, then give what they gave before it."""
    p = perchd_factory(config="[core]\nmax_lines = 50\n")
    print_lines(p, 200, "d")
    asks = ["/api/buffers/core.weechat/lines?lines=-30", "/api/buffers/core.weechat/lines?lines=-80",
            "/api/buffers/core.weechat/lines?lines=10", "/api/buffers?lines=-20",
            "/api/buffers/core.weechat?lines=-50"]
    before = [plain(p, "GET", a + "&colors=strip").json() for a in asks]
    restart(p, "quit")
    assert [plain(p, "GET", a + "&colors=strip").json() for a in asks] == before
    # Lines printed after the start join the stored ones without a gap.
    restart(p, "kill")
    print_lines(p, 5, "e")
    got = plain(p, "GET", "/api/buffers/core.weechat/lines?lines=-50&colors=strip").json()
    assert [l["message"] for l in got][-5:] == [f"e{i:06d}" for i in range(5)]
    assert [l["message"] for l in got][:45] == [l["message"] for l in before[1][-45:]]
    assert [l["id"] for l in got] == list(range(got[0]["id"], got[0]["id"] + 50))
    # The read marker counts lines still on disk (WeeChat clients mark read with these).
    restart(p, "quit")
    newest = plain(p, "GET", "/api/buffers/core.weechat/lines?lines=-1").json()[0]["id"]
    restart(p, "quit")
    assert plain(p, "POST", "/api/input", {"buffer_name": "core.weechat",
                                           "command": "/buffer set unread -3"}).status == 204
    buf = plain(p, "GET", "/api/buffers/core.weechat").json()
    assert buf["last_read_line_id"] == newest - 3
    restart(p, "quit")
    assert plain(p, "POST", "/api/input", {"buffer_name": "core.weechat",
                                           "command": "/input set_unread_current_buffer"}).status == 204
    assert plain(p, "GET", "/api/buffers/core.weechat").json()["last_read_line_id"] == newest
    # An upgrade hands the lines still on disk over as such.
    restart(p, "kill")
    r = subprocess.run([PERCHD, "--dir", p.dir, "--upgrade"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    got = plain(p, "GET", "/api/buffers/core.weechat/lines?lines=-50&colors=strip").json()
    assert len(got) == 50 and got[-1]["id"] == newest


def test_reopened_buffer_shows_its_history(perchd):
    for cmd in ["/print -newbuffer room first", "/buffer close core.room",
                "/print -newbuffer room second"]:
        assert plain(perchd, "POST", "/api/input", {"command": cmd}).status == 204
    lines = plain(perchd, "GET", "/api/buffers/core.room/lines?colors=strip").json()
    assert [(l["id"], l["message"]) for l in lines] == [(0, "first"), (1, "second")]


def test_database_from_a_newer_perchd_is_refused_untouched(tmp_path):
    p = Perchd(str(tmp_path))
    p.stop()
    db = os.path.join(str(tmp_path), "perch.db")
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()
    digest = hashlib.sha256(open(db, "rb").read()).hexdigest()
    r = subprocess.run([PERCHD, "--dir", str(tmp_path), "--plain-listen", "127.0.0.1:0",
                        "--tls-listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=30,
                       env=dict(os.environ, PERCH_PASSWORD="x"))
    assert r.returncode != 0
    assert "written by a newer perchd (schema 99" in r.stdout + r.stderr
    assert hashlib.sha256(open(db, "rb").read()).hexdigest() == digest


def lines_in_database_file(db, copy):
    """Lines in the database file alone, as if its log were lost: what checkpoints copied."""
    with open(db, "rb") as src, open(copy, "wb") as dst:
        dst.write(src.read())
    try:
        with sqlite3.connect(f"file:{copy}?mode=ro", uri=True) as c:
            return c.execute("SELECT count(*) FROM lines").fetchone()[0]
    except sqlite3.OperationalError:  # no table yet
        return 0
    finally:
        os.unlink(copy)


def test_the_running_daemon_checkpoints_its_log_into_the_database(perchd_factory, tmp_path):
    # A log that is never copied grows for as long as perchd runs, and is read whole at the
    # next start after a crash.
    p = perchd_factory()
    print_lines(p, 500, "c")
    db = os.path.join(p.dir, "perch.db")
    deadline = time.monotonic() + 20
    while lines_in_database_file(db, tmp_path / "copy.db") < 500:
        assert time.monotonic() < deadline, "the lines never reached the database file"
        time.sleep(0.2)
