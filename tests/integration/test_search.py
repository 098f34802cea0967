"""Full-text search of the stored history: GET /api/search (REST and WebSocket) and /search.
Lines in memory and past it, one buffer or all, closed and cleared buffers, paging that
returns every match exactly once, colours, and the refusals."""
import os
import re
import signal
import sqlite3
import subprocess
from urllib.parse import quote, urlencode

import pytest

from conftest import PERCHD, request
from protocol import assert_schema, load, run_exchange
from test_store import print_lines, restart
from wsraw import open_ws


def plain(p, method, path, body=None):
    return request(p.plain_port, method, path, body=body, tls=False)


def run(p, *commands, buffer=None):
    for cmd in commands:
        body = {"command": cmd, **({"buffer_name": buffer} if buffer else {})}
        assert plain(p, "POST", "/api/input", body).status == 204, cmd


def search_path(**params):
    # quote, not quote_plus: perchd (like the reference) does not read "+" as a space.
    return "/api/search?" + urlencode(params, quote_via=quote)


def search(p, **params):
    """The matches of a successful search, checked against the schema."""
    r = plain(p, "GET", search_path(**params))
    assert r.status == 200, r.body
    body = r.json()
    assert_schema(body, "search")
    return body


def refused(p, status, **params):
    r = plain(p, "GET", search_path(**params))
    assert r.status == status, r.body
    assert_schema(r.json(), "error")
    return r.json()["error"]


def buffer_id(p, name):
    return plain(p, "GET", f"/api/buffers/{name}").json()["id"]


def messages(matches):
    return [m["line"]["message"] for m in matches]


def page_all(p, limit, **params):
    """Every match, page after page, following the last match of each page."""
    got, cursor = [], {}
    while True:
        page = search(p, limit=limit, colors="strip", **params, **cursor)
        assert len(page) <= limit
        if not page:
            return got
        got += page
        last = page[-1]
        cursor = {"before": last["line"]["id"]}
        if "buffer" not in params:
            cursor["before_buffer"] = last["buffer_id"]


def test_matches_in_memory_and_beyond_newest_first(perchd_factory):
    p = perchd_factory(config="[core]\nmax_lines = 100\n")
    print_lines(p, 2000, "common w")
    core_id = buffer_id(p, "core.weechat")
    # The default limit is 50, the newest first.
    newest = search(p, query="common", colors="strip")
    assert messages(newest) == [f"common w{i:06d}" for i in range(1999, 1949, -1)]
    assert all(m["buffer_id"] == core_id and m["buffer_name"] == "core.weechat" for m in newest)
    assert [m["line"]["id"] for m in newest] == sorted((m["line"]["id"] for m in newest),
                                                       reverse=True)
    # Long gone from memory (100 lines kept), still found, with its own id.
    old = search(p, query="w000007", colors="strip")
    assert messages(old) == ["common w000007"]
    one = plain(p, "GET", f"/api/buffers/core.weechat/lines/{old[0]['line']['id']}?colors=strip")
    assert one.json() == old[0]["line"]
    in_memory = plain(p, "GET", "/api/buffers/core.weechat?lines=-100000").json()["lines"]
    assert len(in_memory) == 100 and old[0]["line"]["id"] < in_memory[0]["id"]
    # limit, and FTS5 syntax: prefix, phrase, boolean operators.
    assert len(search(p, query="common", limit=1000)) == 1000
    assert len(search(p, query="common", limit=1)) == 1
    assert messages(search(p, query="w00001*", colors="strip", limit=100)) == [
        f"common w{i:06d}" for i in range(19, 9, -1)]
    assert messages(search(p, query='"common w001234"', colors="strip")) == ["common w001234"]
    assert search(p, query="common NOT w001999", limit=1)[0]["line"]["message"].endswith("998")


def test_paging_with_buffer_returns_each_match_once(perchd_factory):
    p = perchd_factory(config="[core]\nmax_lines = 100\n")
    print_lines(p, 2000, "common w")
    run(p, "/print -newbuffer other common elsewhere")
    got = page_all(p, 300, query="common", buffer="core.weechat")
    assert messages(got) == [f"common w{i:06d}" for i in range(1999, -1, -1)]
    # The same by the buffer's id.
    core_id = buffer_id(p, "core.weechat")
    assert page_all(p, 700, query="common", buffer=str(core_id)) == got


def test_paging_across_buffers_with_before_buffer(perchd_factory):
    p = perchd_factory(config="[core]\nmax_lines = 100\n")
    print_lines(p, 700, "common a")
    run(p, "/print -newbuffer chan opened")
    print_lines(p, 800, "common b", buffer="core.chan")
    print_lines(p, 500, "common c")
    stored_order = ([f"common a{i:06d}" for i in range(700)] +
                    [f"common b{i:06d}" for i in range(800)] +
                    [f"common c{i:06d}" for i in range(500)])
    got = page_all(p, 333, query="common")
    assert messages(got) == stored_order[::-1]
    chan_id = buffer_id(p, "core.chan")
    assert {m["buffer_name"] for m in got if m["buffer_id"] == chan_id} == {"core.chan"}
    assert len({(m["buffer_id"], m["line"]["id"]) for m in got}) == 2000
    # before= alone is a line id of buffer=: across buffers it needs before_buffer.
    last = got[0]
    assert refused(p, 400, query="common", before=last["line"]["id"]) == \
        'Query string parameter "before" needs "buffer" or "before_buffer"'
    assert refused(p, 404, query="common", before=99999, before_buffer=chan_id) == \
        f'Line "99999" not found in buffer "{chan_id}"'


def test_buffer_filter_and_colors(perchd):
    run(perchd, "/print tea for everyone",
        "/print -newbuffer chan -tags notify_message bob\t\x02strong\x02 tea",
        "/print -buffer core.chan nothing to see")
    chan_id = buffer_id(perchd, "core.chan")
    for scope in ("core.chan", str(chan_id)):
        found = search(perchd, query="tea", buffer=scope)
        assert [(m["buffer_id"], m["buffer_name"]) for m in found] == [(chan_id, "core.chan")]
        assert found[0]["line"]["prefix"] == "bob"
        assert found[0]["line"]["tags"] == ["notify_message"]
    assert len(search(perchd, query="tea")) == 2
    # The text is searched without its colours; the line comes in the colours asked for, as
    # the lines resource gives it (ansi by default).
    line_id = search(perchd, query="strong")[0]["line"]["id"]
    for colors in ("ansi", "weechat", "strip"):
        same = plain(perchd, "GET", f"/api/buffers/core.chan/lines/{line_id}?colors={colors}")
        assert search(perchd, query="strong", colors=colors)[0]["line"] == same.json()
    assert search(perchd, query="strong")[0]["line"]["message"].startswith("\x1b[1mstrong\x1b[")
    assert search(perchd, query="strong", colors="weechat")[0]["line"]["message"][0] == "\x1a"
    assert search(perchd, query="strong", colors="strip")[0]["line"]["message"] == "strong tea"
    assert refused(perchd, 404, query="tea", buffer="core.nope") == 'Buffer "core.nope" not found'


def test_closed_and_cleared_buffers_are_searched(perchd):
    run(perchd, "/print -newbuffer old farewell from a closed buffer",
        "/print -newbuffer wiped farewell from a cleared buffer")
    old_id = buffer_id(perchd, "core.old")
    wiped_id = buffer_id(perchd, "core.wiped")
    run(perchd, "/buffer close core.old", "/buffer clear core.wiped")
    assert plain(perchd, "GET", "/api/buffers/core.old").status == 404
    assert plain(perchd, "GET", "/api/buffers/core.wiped/lines").json() == []
    found = search(perchd, query="farewell", colors="strip")
    assert [(m["buffer_id"], m["buffer_name"], m["line"]["message"]) for m in found] == [
        (wiped_id, "core.wiped", "farewell from a cleared buffer"),
        (old_id, "core.old", "farewell from a closed buffer")]
    # A closed buffer's history by its name or last id, and paging through it.
    for scope in ("core.old", str(old_id)):
        assert [m["buffer_id"] for m in search(perchd, query="farewell", buffer=scope)] == [old_id]
    assert search(perchd, query="farewell", buffer="core.old", before=0) == []
    assert search(perchd, query="farewell", before=0, before_buffer=wiped_id)[0]["buffer_id"] \
        == old_id


@pytest.mark.parametrize("ex", load("http.json")["search"]["exchanges"],
                         ids=lambda ex: ex["request"])
def test_refusals(perchd, ex):
    r = run_exchange(perchd.tls_port, load("http.json")["search"], ex)
    assert_schema(r.json(), "search" if r.status == 200 else "error")


def test_bad_query_and_limits(perchd):
    assert refused(perchd, 400, query='"') == "Invalid search query: unterminated string"
    assert refused(perchd, 400, query='tea AND') == 'Invalid search query: fts5: syntax error near ""'
    for limit in (0, 1001, -5):
        assert refused(perchd, 400, query="tea", limit=limit) == \
            'Invalid query string parameter "limit" (1 to 1000)'
    assert refused(perchd, 400, query="") == 'Missing query string parameter "query"'


def test_over_websocket_with_request_id(perchd):
    run(perchd, "/print -newbuffer chan over the socket")
    ws = open_ws(perchd.plain_port)
    r = ws.request("GET " + search_path(query="socket", colors="strip"), request_id="find-1")
    assert_schema(r, "response")
    assert (r["code"], r["body_type"], r["request_id"]) == (200, "search", "find-1")
    assert r["body"][0]["buffer_name"] == "core.chan"
    assert r["body"][0]["line"]["message"] == "over the socket"
    bad = ws.request("GET /api/search?query=AND", request_id="find-2")
    assert_schema(bad, "response")
    assert (bad["code"], bad["request_id"]) == (400, "find-2")
    assert bad["body"] == {"error": 'Invalid search query: fts5: syntax error near "AND"'}
    ws.close()


def search_buffer_lines(p):
    r = plain(p, "GET", "/api/buffers/perch.search/lines?colors=strip")
    assert r.status == 200, r.body
    return r.json()


DATE = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"


def test_search_command_fills_perch_search(perchd):
    run(perchd, "/print -newbuffer chan bob\tneedle in a haystack", "/print needle alone")
    run(perchd, "/search needle", buffer="core.chan")
    lines = search_buffer_lines(perchd)
    buffer = plain(perchd, "GET", "/api/buffers/perch.search").json()
    assert buffer["local_variables"]["plugin"] == "perch"
    assert buffer["local_variables"]["name"] == "search"
    # The header, then the matches with the newest last, each with its buffer and date.
    assert lines[0]["message"] == "2 matches for needle"
    assert [l["prefix"] for l in lines[1:]] == ["core.chan", "core.weechat"]
    assert re.fullmatch(DATE + " bob needle in a haystack", lines[1]["message"])
    assert re.fullmatch(DATE + " needle alone", lines[2]["message"])
    original = search(perchd, query="alone")[0]["line"]
    assert lines[2]["date"] == original["date"]
    assert all(l["notify_level"] == -1 for l in lines)
    # Each search replaces the last; its own listing is never a match.
    run(perchd, "/search -buffer core.chan needle")
    lines = search_buffer_lines(perchd)
    assert [l["message"] for l in lines][0] == "1 match for needle" and len(lines) == 2
    assert len(search(perchd, query="needle")) == 2
    run(perchd, "/search AND")
    assert [l["message"] for l in search_buffer_lines(perchd)] == [
        'search: invalid query "AND": fts5: syntax error near "AND"']
    run(perchd, "/search -buffer core.nope needle")
    assert [l["message"] for l in search_buffer_lines(perchd)] == [
        'search: buffer "core.nope" not found']


def index_rows(p, word):
    """Rowids of the search index for a word, read from outside (a contentless index)."""
    con = sqlite3.connect(f"file:{os.path.join(p.dir, 'perch.db')}?mode=ro", uri=True, timeout=10)
    try:
        return [r[0] for r in con.execute("SELECT rowid FROM lines_text WHERE lines_text MATCH ?",
                                          (word,))]
    finally:
        con.close()


def test_words_waiting_for_their_batch_survive_a_crash_and_are_found_at_once(perchd_factory):
    # A batch delay no test outlives: the lines' words are still waiting when perchd dies.
    p = perchd_factory(config="[store]\nindex_delay = 3600000\n")
    print_lines(p, 60, "waiting-")
    assert index_rows(p, "waiting") == []
    # A search never misses a line, batch or not.
    assert len(search(p, query="waiting", limit=100)) == 60
    print_lines(p, 40, "killed-")
    p.proc.send_signal(signal.SIGKILL)
    p.proc.wait()
    assert index_rows(p, "killed") == []
    # The database is sound meanwhile: lines past the mark only wait for their entries.
    r = subprocess.run([PERCHD, "--dir", p.dir, "--check-db"], capture_output=True, text=True,
                       timeout=60, env=dict(os.environ, PERCH_PASSWORD="x"))
    assert (r.returncode, r.stdout) == (0, "ok\n"), r.stdout + r.stderr
    restart(p, "gone")
    # Indexed again at start-up: each line once.
    rows = index_rows(p, "killed")
    assert len(rows) == 40 == len(set(rows))
    assert len(index_rows(p, "waiting")) == 60
    assert [m["line"]["message"] for m in search(p, query="killed", limit=100,
                                                  colors="strip")] == \
        [f"killed-{i:06d}" for i in reversed(range(40))]
