"""Every REST resource over real TLS, checked against the protocol facts in tests/protocol."""
import pytest

from conftest import Client, request
from protocol import assert_schema, expected_headers, load, run_exchange


def exchanges(group):
    """(group, exchange) pairs of one group of http.json, for parametrize."""
    g = load("http.json")[group]
    return [pytest.param(g, ex, id=f"{ex['request']} {ex.get('body', ex.get('body_text', ''))}"[:80])
            for ex in g["exchanges"]]


def post_input(port, command, **extra):
    r = request(port, "POST", "/api/input", body={"command": command, **extra})
    assert r.status == 204, r.body
    return r


def populate(p):
    """A core line, a formatted buffer with tagged lines and a free buffer."""
    c = Client(p.tls_port)
    for cmd in ["/print core line", "/print -newbuffer chan -tags notify_message,nick_bob bob\thello",
                "/print -buffer core.chan -tags notify_highlight alice\tping",
                "/print -newbuffer freebuf -free", "/print -buffer core.freebuf -y 0 first",
                "/print -buffer core.freebuf -y 3 fourth"]:
        assert c.request("POST", "/api/input", body={"command": cmd}).status == 204
    # Inputs run after their 204: one more round trip lets them finish.
    c.request("POST", "/api/ping", body={"data": "sync"})
    c.close()


def test_version_matches_reference_shape_and_headers(perchd):
    r = request(perchd.tls_port, "GET", "/api/version")
    assert r.status == 200 and r.reason == "OK"
    body = r.json()
    assert_schema(body, "version")
    assert body["relay_api_version"] == "0.4.1"
    assert body["relay_api_version_number"] == 1025
    assert r.headers == expected_headers("json", r.body)


def test_buffers_list_and_one_buffer(perchd):
    populate(perchd)
    r = request(perchd.tls_port, "GET", "/api/buffers")
    body = r.json()
    assert [b["name"] for b in body] == ["core.weechat", "core.chan", "core.freebuf"]
    assert [b["number"] for b in body] == [1, 2, 3]
    assert all("lines" not in b and "nicklist_root" not in b for b in body)
    assert_schema(body, "buffers")
    assert isinstance(body[0]["id"], int) and body[0]["id"] > 10**15
    by_name = request(perchd.tls_port, "GET", "/api/buffers/core.chan").json()
    by_id = request(perchd.tls_port, "GET", f"/api/buffers/{by_name['id']}").json()
    assert by_name == by_id
    assert_schema(by_name, "buffer")
    assert by_name["local_variables"] == {"plugin": "core", "name": "chan", "type": "user"}


def test_buffers_with_lines_nicks_colors(perchd):
    populate(perchd)
    r = request(perchd.tls_port, "GET", "/api/buffers?lines=-1&nicks=true&colors=weechat")
    body = r.json()
    assert_schema(body, "buffers")
    assert all("lines" in b and "nicklist_root" in b for b in body)
    chan = body[1]
    assert [l["message"] for l in chan["lines"]] == ["ping"]
    assert chan["nicklist_root"]["id"] == 0
    assert chan["nicklist_root"]["parent_group_id"] == -1
    # lines_free defaults to all lines when lines is non-zero.
    assert len(body[2]["lines"]) == 4


def test_free_buffer_lines_free_and_y(perchd):
    populate(perchd)
    b = request(perchd.tls_port, "GET", "/api/buffers/core.freebuf?lines=-1").json()
    assert [(l["id"], l["y"], l["message"]) for l in b["lines"]] == [
        (0, 0, "first"), (1, 1, ""), (2, 2, ""), (3, 3, "fourth")]
    assert b["lines"][1]["date"] == "1970-01-01T00:00:00.000000Z"
    assert_schema(b, "buffer")
    assert b["type"] == "free" and "nicklist_root" not in b
    b = request(perchd.tls_port, "GET", "/api/buffers/core.freebuf?lines=-1&lines_free=1").json()
    assert [l["y"] for l in b["lines"]] == [0]
    b = request(perchd.tls_port, "GET", "/api/buffers/core.freebuf?lines=0&lines_free=-2").json()
    assert [l["y"] for l in b["lines"]] == [2, 3]
    b = request(perchd.tls_port, "GET", "/api/buffers/core.freebuf?lines=0").json()
    assert "lines" not in b


@pytest.mark.parametrize("query,expected", [
    ("", ["hello", "ping"]), ("?lines=-1", ["ping"]), ("?lines=1", ["hello"]),
    ("?lines=0", []), ("?lines=-100", ["hello", "ping"]), ("?lines=%2B1", ["hello"]),
])
def test_lines_subresource_counts(perchd, query, expected):
    populate(perchd)
    r = request(perchd.tls_port, "GET", "/api/buffers/core.chan/lines" + query)
    assert r.status == 200
    lines = r.json()
    assert [l["message"] for l in lines] == expected
    if lines:
        assert_schema(lines, "lines")


def test_one_line_by_id_and_line_fields(perchd):
    populate(perchd)
    lines = request(perchd.tls_port, "GET", "/api/buffers/core.chan/lines").json()
    line = request(perchd.tls_port, "GET", f"/api/buffers/core.chan/lines/{lines[1]['id']}").json()
    assert line == lines[1]
    assert line["y"] == -1
    assert line["highlight"] is True and line["notify_level"] == 3
    assert lines[0]["notify_level"] == 1 and lines[0]["tags"] == ["notify_message", "nick_bob"]
    assert lines[0]["prefix"] == "bob"
    assert len(line["date"]) == 27 and line["date"].endswith("Z")
    assert_schema(line, "line")
    r = request(perchd.tls_port, "GET", "/api/buffers/core.chan/lines/999")
    assert r.status == 404
    assert r.json() == {"error": 'Line "999" not found in buffer "core.chan"'}


def test_nicks_subresource_is_root_group(perchd):
    r = request(perchd.tls_port, "GET", "/api/buffers/core.weechat/nicks")
    assert r.status == 200
    root = r.json()
    assert root == {"id": 0, "parent_group_id": -1, "name": "root", "color_name": "",
                    "color": "", "visible": False, "groups": [], "nicks": []}
    assert_schema(root, "nick_group")


def test_url_forms_percent_decoding_and_case_insensitive_names(perchd):
    populate(perchd)
    assert request(perchd.tls_port, "GET", "//api//buffers//core.chan/").status == 200
    assert request(perchd.tls_port, "GET", "/api/buffers/core%2Echan").status == 200
    assert request(perchd.tls_port, "GET", "/api/buffers/(%3Fi)CORE.CHAN").status == 200
    r = request(perchd.tls_port, "GET", "/api/buffers/core.CHAN")
    assert r.status == 404 and r.json() == {"error": 'Buffer "core.CHAN" not found'}


@pytest.mark.parametrize("colors,expected", [
    ("ansi", "\x1b[91mred\x1b[0m \x1b[1mbold\x1b[21m \x1b[38;5;196mext"),
    ("weechat", "\x19F|04red\x1c \x1a\x01bold\x1b\x01 \x19F@|00196ext"),
    ("strip", "red bold ext"),
])
def test_three_colour_modes(perchd, colors, expected):
    post_input(perchd.tls_port, "/print \x0304red\x0f \x02bold\x02 \x0352ext")
    request(perchd.tls_port, "POST", "/api/ping")
    r = request(perchd.tls_port, "GET", f"/api/buffers/core.weechat/lines?lines=-1&colors={colors}")
    assert r.json()[0]["message"] == expected


def test_invalid_colors_parameter(perchd):
    r = request(perchd.tls_port, "GET", "/api/buffers/core.weechat/lines?colors=ANSI")
    assert r.status == 400 and r.json() == {"error": 'Invalid parameter "colors"'}


def test_hotlist(perchd):
    assert request(perchd.tls_port, "GET", "/api/hotlist").json() == []
    populate(perchd)
    hot = request(perchd.tls_port, "GET", "/api/hotlist").json()
    chan = request(perchd.tls_port, "GET", "/api/buffers/core.chan").json()
    assert hot[0]["buffer_id"] == chan["id"]
    assert hot[0]["priority"] == 3 and hot[0]["count"] == [0, 1, 0, 1]
    assert_schema(hot, "hotlist")
    post_input(perchd.tls_port, "/hotlist clear")
    request(perchd.tls_port, "POST", "/api/ping")
    assert request(perchd.tls_port, "GET", "/api/hotlist").json() == []


def test_handshake_without_credentials(perchd):
    g = load("http.json")["handshake"]
    for ex in g["exchanges"]:
        r = run_exchange(perchd.tls_port, g, ex)
        assert_schema(r.json(), "handshake")


def test_handshake_errors(perchd):
    g = load("http.json")["handshake_errors"]
    for ex in g["exchanges"]:
        r = run_exchange(perchd.tls_port, g, ex)
        assert_schema(r.json(), "error")


def test_input_exchanges(perchd):
    core_id = request(perchd.tls_port, "GET", "/api/buffers/core.weechat").json()["id"]
    g = load("http.json")["input"]
    for ex in g["exchanges"]:
        run_exchange(perchd.tls_port, g, ex, ids={"core.weechat": core_id})
    request(perchd.tls_port, "POST", "/api/ping")
    lines = request(perchd.tls_port, "GET", "/api/buffers/core.weechat/lines").json()
    assert [l["message"] for l in lines if l["message"].startswith("sent ")] == [
        "sent by name", "sent by id", "sent to the default buffer"]


def test_input_errors_print_in_buffer(perchd):
    post_input(perchd.tls_port, "not a command")
    post_input(perchd.tls_port, "/nosuchcommand x")
    request(perchd.tls_port, "POST", "/api/ping")
    lines = request(perchd.tls_port, "GET", "/api/buffers/core.weechat/lines?lines=-2&colors=strip").json()
    assert [(l["prefix"], l["message"]) for l in lines] == [
        ("=!=", "You can not write text in this buffer"),
        ("=!=", 'Unknown command "nosuchcommand" (type /help for help)')]
    # weechat_prefix("error"): the prefix in weechat.color.chat_prefix_error (yellow).
    for colors, prefix in (("weechat", "\x1904=!="), ("ansi", "\x1b[0m\x1b[38;5;11m\x1b[49m=!=")):
        shown = request(perchd.tls_port, "GET",
                        f"/api/buffers/core.weechat/lines?lines=-1&colors={colors}").json()
        assert shown[0]["prefix"] == prefix


def test_ping_exchanges(perchd):
    g = load("http.json")["ping"]
    for ex in g["exchanges"]:
        r = run_exchange(perchd.tls_port, g, ex)
        if r.status == 200:
            assert_schema(r.json(), "ping")


def test_completion(perchd):
    populate(perchd)
    r = request(perchd.tls_port, "POST", "/api/completion", body={"command": "/bu"})
    body = r.json()
    assert body == {"context": "command", "base_word": "bu", "position_replace": 1,
                    "add_space": True, "list": ["buffer"]}
    assert_schema(body, "completion")
    body = request(perchd.tls_port, "POST", "/api/completion",
                   body={"command": "/buffer close core.", "buffer_name": "core.chan"}).json()
    assert body["context"] == "command_arg"
    assert body["list"] == ["core.chan", "core.freebuf", "core.weechat"]
    body = request(perchd.tls_port, "POST", "/api/completion",
                   body={"command": "/help pr x", "position": 8}).json()
    assert body["base_word"] == "pr" and body["list"] == ["print"]
    r = request(perchd.tls_port, "POST", "/api/completion", body={"command": 1})
    assert r.status == 400 and r.json() == {"error": "Bad request"}
    g = load("http.json")["completion"]
    for ex in g["exchanges"]:
        r = run_exchange(perchd.tls_port, g, ex)
        assert_schema(r.json(), "completion" if r.status == 200 else "error")


def test_sync_over_http_is_refused(perchd):
    r = request(perchd.tls_port, "POST", "/api/sync", body={"nicks": False})
    assert r.status == 403
    assert r.json() == {"error": "Sync resource is available only with a websocket connection"}


def test_scripts_are_an_empty_list_and_preflight(perchd):
    r = request(perchd.tls_port, "GET", "/api/scripts")
    assert r.status == 200 and r.body == b"[]"
    assert_schema(r.json(), "scripts")
    for group in ("scripts", "preflight"):
        g = load("http.json")[group]
        for ex in g["exchanges"]:
            run_exchange(perchd.tls_port, g, ex)


@pytest.mark.parametrize("group,ex", exchanges("errors"))
def test_error_exchanges(perchd, group, ex):
    """Each error of http.json: status, exact body, exact headers; 401s then close."""
    r = run_exchange(perchd.tls_port, group, ex)
    if ex["answer"] is not None:
        assert_schema(r.json(), "error")
