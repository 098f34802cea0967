"""What today's clients send, unchanged: weechatRN's buffer switch, WeeChat commands through
POST /api/input, api 0.6.0 read markers and integer parsing, [relay] api_version."""
import subprocess

import pytest

from conftest import PERCHD, request
from test_goodbye import synced_ws
from test_store import restart

BUFFERS = ("core.chan1", "core.chan2")


def post_input(p, command, buffer_name=None):
    body = {"command": command}
    if buffer_name:
        body["buffer_name"] = buffer_name
    r = request(p.tls_port, "POST", "/api/input", body=body)
    assert r.status == 204, r.body


def buffer(p, name, query="lines=-100"):
    r = request(p.tls_port, "GET", f"/api/buffers/{name}?{query}")
    assert r.status == 200, r.body
    return r.json()


def hotlist_ids(p):
    return {e["buffer_id"] for e in request(p.tls_port, "GET", "/api/hotlist").json()}


def read_until(ws, wanted_event, limit=200):
    """Events up to and including the first one named wanted_event."""
    seen = []
    for _ in range(limit):
        msg = ws.read_json()
        seen.append(msg)
        if msg.get("event_name") == wanted_event:
            return seen
    raise AssertionError(f"no {wanted_event} in {seen}")


@pytest.fixture
def chats(perchd):
    for name in BUFFERS:
        short = name.split(".", 1)[1]
        post_input(perchd, f"/print -newbuffer {short} -tags notify_message bob\thello")
        for i in range(3):
            post_input(perchd, f"/print -buffer {name} -tags notify_message bob\tline {i}")
    return perchd


def test_weechatrn_buffer_switch_adds_no_line_and_moves_the_marker(chats):
    p = chats
    watcher = synced_ws(p.plain_port, tls=False)
    before = {name: buffer(p, name) for name in BUFFERS}
    assert {before[n]["id"] for n in BUFFERS} <= hotlist_ids(p)
    # weechatRN sends both on every buffer switch, through POST /api/input with the buffer:
    # one buffer over REST by name, the other over its WebSocket by id.
    post_input(p, "/buffer set hotlist -1", BUFFERS[0])
    post_input(p, "/input set_unread_current_buffer", BUFFERS[0])
    client = synced_ws(p.plain_port, tls=False)
    for command in ("/buffer set hotlist -1", "/input set_unread_current_buffer"):
        client.send_json({"request": "POST /api/input",
                          "body": {"buffer_id": before[BUFFERS[1]]["id"], "command": command}})
    client.close()
    events = read_until(watcher, "buffer_changed")
    events += read_until(watcher, "buffer_changed")
    assert not [e for e in events if e.get("event_name") == "buffer_line_added"], events
    changed = [e for e in events if e.get("event_name") == "buffer_changed"]
    for name, event in zip(BUFFERS, changed):
        after = buffer(p, name)
        assert after["lines"] == before[name]["lines"], "no line may be added"
        last_id = after["lines"][-1]["id"]
        assert after["last_read_line_id"] == last_id
        assert event["buffer_id"] == after["id"]
        assert event["body_type"] == "buffer"
        assert event["body"]["last_read_line_id"] == last_id
        assert event["body"]["name"] == name
    assert not {before[n]["id"] for n in BUFFERS} & hotlist_ids(p)
    watcher.close()


def test_last_read_line_id_in_every_buffer_object_in_order(chats):
    p = chats
    post_input(p, "/buffer set unread 2", BUFFERS[0])
    for query in ("", "?lines=-5", "?lines=-5&nicks=true", "?lines=0"):
        for b in request(p.tls_port, "GET", f"/api/buffers{query}").json():
            keys = list(b)
            assert isinstance(b["last_read_line_id"], int)
            at = keys.index("last_read_line_id")
            if "lines" in b:
                assert keys[at - 1] == "lines"
            else:
                assert keys[at - 1] == "keys"
            if "nicklist_root" in b:
                assert keys[at + 1] == "nicklist_root"
            if b["name"] == BUFFERS[0]:
                assert b["last_read_line_id"] == 1  # the 2 newest lines (2, 3) are unread
            elif b["name"] != BUFFERS[0]:
                assert b["last_read_line_id"] == -1
    # In events too: a title change carries the marker.
    ws = synced_ws(p.plain_port, tls=False)
    post_input(p, "/buffer set title hello", BUFFERS[0])
    ev = read_until(ws, "buffer_title_changed")[-1]
    assert ev["body"]["last_read_line_id"] == 1
    ws.close()


@pytest.mark.parametrize("command,expected", [
    ("/buffer set unread", 3), ("/buffer set unread 1", 2), ("/buffer set unread -1", 2),
    ("/buffer set unread -3", 0), ("/buffer set unread +1", -1), ("/buffer set unread 0", -1),
    ("/buffer set unread 100000", -1),
])
def test_unread_moves_as_weechat(chats, command, expected):
    post_input(chats, "/buffer set unread", BUFFERS[0])
    post_input(chats, command, BUFFERS[0])
    assert buffer(chats, BUFFERS[0])["last_read_line_id"] == expected


def test_input_set_unread_marks_every_buffer(chats):
    post_input(chats, "/input set_unread")
    for name in BUFFERS:
        b = buffer(chats, name)
        assert b["last_read_line_id"] == b["lines"][-1]["id"]


def lines_of(p, name):
    return [l["message"] for l in buffer(p, name, "lines=-1000")["lines"]]


@pytest.mark.parametrize("command,reply", [
    ("/buffer set hotlst 1",
     'Error with command "/buffer set hotlst 1" (help on command: /help buffer)'),
    ("/input set_unred", 'Error with command "/input set_unred" (help on command: /help input)'),
    ("/buffer set", 'Too few arguments for command "/buffer set" (help on command: /help buffer)'),
    ("/hotlist frob", 'Error with command "/hotlist frob" (help on command: /help hotlist)'),
])
def test_typos_get_weechats_error_line(chats, command, reply):
    before = lines_of(chats, BUFFERS[0])
    post_input(chats, command, BUFFERS[0])
    assert lines_of(chats, BUFFERS[0]) == before + [reply]


@pytest.mark.parametrize("command", [
    "/buffer set display 1", "/input undo",
    "/input search_text", "/buffer merge 1", "/buffer core.weechat",
])
def test_meaningless_commands_answer_with_one_line(chats, command):
    before = lines_of(chats, BUFFERS[0])
    post_input(chats, command, BUFFERS[0])
    after = lines_of(chats, BUFFERS[0])
    assert len(after) == len(before) + 1
    assert "has no effect in perchd" in after[-1]


@pytest.mark.parametrize("command", [
    "/input switch_active_buffer", "/input switch_active_buffer_previous",
    "/input zoom_merged_buffer", "/buffer switch", "/buffer set hotlist -1",
    "/input set_unread_current_buffer", "/buffer set notify message",
])
def test_silent_commands_add_no_line(chats, command):
    before = lines_of(chats, BUFFERS[0])
    post_input(chats, command, BUFFERS[0])
    assert lines_of(chats, BUFFERS[0]) == before


def test_buffer_set_properties_reach_clients(chats):
    p = chats
    name = BUFFERS[1]
    for command in ("/buffer set title the topic", "/buffer set hidden 1",
                    "/buffer set localvar_set_away gone", "/buffer set nicklist 1",
                    "/buffer set key_bind_meta-x /print hi", "/buffer set key_bind_ctrl-b /print b",
                    "/buffer set key_bind_meta-x /print hi", "/buffer set input some draft",
                    "/buffer set input_pos 4", "/buffer set short_name c2"):
        post_input(p, command, name)
    b = buffer(p, name)
    assert b["title"] == "the topic" and b["hidden"] is True
    assert b["local_variables"]["away"] == "gone"
    assert b["nicklist"] is True
    # By key, bound twice kept once.
    assert b["keys"] == [{"key": "ctrl-b", "command": "/print b"},
                         {"key": "meta-x", "command": "/print hi"}]
    assert b["input"] == "some draft" and b["input_position"] == 4
    assert b["short_name"] == "c2"
    post_input(p, "/buffer set localvar_del_away", name)
    post_input(p, "/buffer set key_unbind_meta-x", name)
    post_input(p, "/buffer set key_unbind_ctrl-b", name)
    post_input(p, "/buffer set hidden 0", name)
    b = buffer(p, name)
    assert "away" not in b["local_variables"] and b["keys"] == [] and b["hidden"] is False


def test_buffer_list_and_localvar_as_weechat_prints_them(chats):
    p = chats
    post_input(p, "/buffer set notify highlight", BUFFERS[0])
    post_input(p, "/buffer set hidden 1", BUFFERS[1])
    post_input(p, "/buffer list", BUFFERS[0])
    shown = buffer(p, BUFFERS[0], "lines=-4&colors=strip")["lines"]
    assert [l["message"] for l in shown] == [
        "Buffers list:", "  [1] core.weechat (notify: all)",
        "  [2] core.chan1 (notify: highlight)", "  [3] core.chan2 (notify: all) (hidden)"]
    raw = buffer(p, BUFFERS[0], "lines=-1&colors=weechat")["lines"][0]["message"]
    assert raw == ("  \x1928[\x19013\x1928]\x1911 core\x1928.\x1911chan2\x1901 (notify: "
                   "\x1932all\x1901) (hidden)")
    post_input(p, "/buffer localvar", BUFFERS[0])
    shown = buffer(p, BUFFERS[0], "lines=-5&colors=strip")["lines"]
    assert [l["message"] for l in shown] == [
        "", 'Local variables for buffer "core.chan1":', '  plugin: "core"', '  name: "chan1"',
        '  type: "user"']
    post_input(p, "/buffer localvar nope", BUFFERS[0])
    assert 'buffer "nope" not found' in buffer(p, BUFFERS[0], "lines=-1")["lines"][0]["message"]


def test_notify_and_hotlist_commands(chats):
    p = chats
    ids = {name: buffer(p, name)["id"] for name in BUFFERS}
    post_input(p, "/buffer set notify highlight", BUFFERS[0])
    post_input(p, "/hotlist clear")
    assert hotlist_ids(p) == set()
    post_input(p, f"/print -buffer {BUFFERS[0]} -tags notify_message bob\tquiet")
    post_input(p, f"/print -buffer {BUFFERS[1]} -tags notify_message bob\tloud")
    assert hotlist_ids(p) == {ids[BUFFERS[1]]}
    post_input(p, f"/print -buffer {BUFFERS[0]} -tags notify_highlight bob\tping")
    assert hotlist_ids(p) == {ids[BUFFERS[0]], ids[BUFFERS[1]]}
    # Mask 8 clears highlights only; restore brings the entry back.
    post_input(p, "/hotlist clear 8")
    assert hotlist_ids(p) == {ids[BUFFERS[1]]}
    post_input(p, "/hotlist restore", BUFFERS[0])
    entries = request(p.tls_port, "GET", "/api/hotlist").json()
    assert entries[0]["buffer_id"] == ids[BUFFERS[0]] and entries[0]["priority"] == 3
    post_input(p, "/hotlist remove", BUFFERS[1])
    assert hotlist_ids(p) == {ids[BUFFERS[0]]}


def test_integers_follow_api_0_6_0(chats):
    p = chats
    r = request(p.tls_port, "GET", "/api/buffers/core.weechat/lines?lines=99999999999999999999")
    assert r.status == 400 and r.json() == {"error": 'Invalid query string parameter "lines"'}
    r = request(p.tls_port, "GET", "/api/buffers?lines_free=99999999999999999999")
    assert r.status == 400 and r.json() == {"error": 'Invalid query string parameter "lines_free"'}
    r = request(p.tls_port, "GET", "/api/buffers/core.weechat/lines/4294967297")
    assert r.status == 404
    assert r.json() == {"error": 'Line "4294967297" not found in buffer "core.weechat"'}
    r = request(p.tls_port, "GET", f"/api/buffers/{BUFFERS[0]}/lines?lines=-9223372036854775808")
    assert r.status == 200 and len(r.json()) == 4
    r = request(p.tls_port, "GET", f"/api/buffers/{BUFFERS[0]}/lines?lines=9223372036854775807")
    assert r.status == 200 and len(r.json()) == 4


def test_scripts_resource(perchd):
    r = request(perchd.tls_port, "GET", "/api/scripts")
    assert r.status == 200 and r.json() == []
    r = request(perchd.tls_port, "GET", "/api/scripts/python")
    assert r.status == 400
    assert r.json() == {"error": "Bad request: too many path parameters (max: 0)"}
    r = request(perchd.tls_port, "POST", "/api/scripts", body={})
    assert r.status == 405 and r.json() == {"error": "Method Not Allowed"}
    ws = synced_ws(perchd.plain_port, tls=False)
    answer = ws.request("GET /api/scripts", request_id="s")
    assert (answer["code"], answer["body_type"], answer["body"]) == (200, "scripts", [])
    ws.close()


@pytest.mark.parametrize("configured,number", [(None, 1025), ("0.4.1", 1025), ("0.6.0", 1536)])
def test_api_version_announced_as_configured(perchd_factory, configured, number):
    p = perchd_factory(config=f"[relay]\napi_version = {configured}\n" if configured else None)
    v = request(p.tls_port, "GET", "/api/version").json()
    assert v["relay_api_version"] == (configured or "0.4.1")
    assert v["relay_api_version_number"] == number
    # Either way the 0.6.0 behaviour is served.
    assert "last_read_line_id" in request(p.tls_port, "GET", "/api/buffers/core.weechat").json()
    assert request(p.tls_port, "GET", "/api/scripts").status == 200


def test_api_version_other_values_refused(tmp_path):
    (tmp_path / "perchd.conf").write_text("[relay]\napi_version = 0.5.0\n")
    r = subprocess.run([PERCHD, "--dir", str(tmp_path)], capture_output=True, text=True,
                       timeout=30, env={"PERCH_PASSWORD": "x", "PATH": "/usr/bin:/bin"})
    assert r.returncode == 1
    assert '[relay] api_version: expected 0.4.1 or 0.6.0, got "0.5.0"' in r.stderr


def line_messages(events):
    return [e["body"]["message"] for e in events if e.get("event_name") == "buffer_line_added"]


def test_wait_repeat_and_mute_through_perchds_loop(chats):
    p = chats
    watcher = synced_ws(p.plain_port, tls=False)
    before = lines_of(p, "core.chan1")
    # /wait: answered at once, run by perchd's timer later, its line stored and announced.
    post_input(p, "/wait 300ms /print -buffer core.chan1 waited", BUFFERS[0])
    assert lines_of(p, "core.chan1") == before
    assert line_messages(read_until(watcher, "buffer_line_added")) == ["waited"]
    # /repeat -interval: the first run before the answer, the others every 100 ms.
    post_input(p, "/repeat -interval 100ms 3 /print -buffer core.chan1 tick ${repeat_index}",
               BUFFERS[0])
    ticks = [line_messages(read_until(watcher, "buffer_line_added"))[0] for _ in range(3)]
    assert ticks == ["tick 1", "tick 2", "tick 3"]
    # /mute: nothing printed, nothing announced, nothing stored.
    post_input(p, "/mute /print -buffer core.chan1 quiet", BUFFERS[0])
    post_input(p, "/print -buffer core.chan1 loud", BUFFERS[0])
    assert line_messages(read_until(watcher, "buffer_line_added")) == ["loud"]
    assert lines_of(p, "core.chan1") == before + ["waited", "tick 1", "tick 2", "tick 3", "loud"]
    watcher.close()


def test_wait_quit_ends_perchd_cleanly_later(perchd):
    post_input(perchd, "/wait 200ms /quit")
    assert perchd.proc.poll() is None
    assert perchd.proc.wait(timeout=20) == 0
    assert "quitting" in perchd.read_log()


def last_line(p, name):
    return buffer(p, name, "lines=-1&colors=strip")["lines"][-1]


def print_line(p, name, text, tags="notify_message"):
    post_input(p, f"/print -buffer {name} -tags {tags} {text}")
    line = last_line(p, name)
    assert line["message"] == text.split("\t")[-1].replace("\x02", "")
    return line


def highlighted(p, name, text, tags="notify_message"):
    line = print_line(p, name, text, tags)
    if line["highlight"]:
        assert line["notify_level"] == 3
    return line["highlight"]


def test_buffer_highlight_properties_decide_which_new_lines_highlight(chats):
    p, name = chats, BUFFERS[0]
    assert not highlighted(p, name, "coffee is ready")
    post_input(p, "/buffer set highlight_words coffee,(?-i)Tea,*ache", name)
    assert highlighted(p, name, "COFFEE is ready")
    assert not highlighted(p, name, "coffees are ready")    # a whole word only
    assert not highlighted(p, name, "coffee-break")         # "-" belongs to the word
    assert highlighted(p, name, "\x02coffee\x02!")          # colours do not count
    assert not highlighted(p, name, "tea time")             # case kept for Tea
    assert highlighted(p, name, "Tea time")
    assert highlighted(p, name, "a headache")               # "*" at the start
    post_input(p, "/buffer set highlight_words_add tea , café", name)
    assert highlighted(p, name, "tea time") and highlighted(p, name, "au CAFÉ")
    post_input(p, "/buffer set highlight_words_del coffee", name)
    assert not highlighted(p, name, "coffee is ready")
    # The buffer's local variables in words: $name is "chan1".
    post_input(p, "/buffer set highlight_words $name", name)
    assert highlighted(p, name, "hi chan1!") and not highlighted(p, name, "tea time")
    # Regular expressions: a match must be a whole word; a bad one changes nothing.
    post_input(p, "/buffer set highlight_regex ca+t", name)
    assert highlighted(p, name, "a caaat") and not highlighted(p, name, "concatenate")
    before = len(lines_of(p, name))
    post_input(p, "/buffer set highlight_regex ca(t", name)
    error = lines_of(p, name)[before:]
    assert len(error) == 1 and 'invalid regular expression "ca(t"' in error[0]
    assert highlighted(p, name, "a caaat")
    post_input(p, "/buffer set highlight_disable_regex ^quiet", name)
    assert not highlighted(p, name, "quiet, caaat") and highlighted(p, name, "loud caaat")
    # Tags: some highlight whatever the text, a restriction keeps the others out.
    assert not highlighted(p, name, "nothing special", tags="notify_message,urgent")
    post_input(p, "/buffer set highlight_tags urgent+notify_message,page*", name)
    assert highlighted(p, name, "nothing special", tags="notify_message,urgent")
    assert highlighted(p, name, "nothing special", tags="notify_message,PAGER")
    assert not highlighted(p, name, "nothing special", tags="notify_low,urgent")
    post_input(p, "/buffer set highlight_tags_restrict irc_privmsg", name)
    assert not highlighted(p, name, "loud caaat")
    assert highlighted(p, name, "loud caaat", tags="notify_message,irc_privmsg")
    assert not highlighted(p, name, "loud caaat", tags="notify_message,irc_privmsg,no_highlight")
    # "-": the buffer never highlights by words, regex or tags; notify_highlight still does.
    post_input(p, "/buffer set highlight_words -", name)
    assert not highlighted(p, name, "loud caaat", tags="notify_message,irc_privmsg")
    assert highlighted(p, name, "page", tags="notify_highlight")
    # hotlist_max_level_nicks caps a nick's lines: bob's at 1 neither highlight nor rise.
    post_input(p, "/buffer set hotlist_max_level_nicks bob:1,carol:-1", name)
    line = print_line(p, name, "bob\tpage", tags="notify_highlight,nick_bob")
    assert not line["highlight"] and line["notify_level"] == 1
    line = print_line(p, name, "carol\thi", tags="notify_message,nick_carol")
    assert line["notify_level"] == -1
    post_input(p, "/buffer set hotlist_max_level_nicks_del bob", name)
    line = print_line(p, name, "bob\tpage", tags="notify_highlight,nick_bob")
    assert line["highlight"] and line["notify_level"] == 3
    # Other buffers are untouched.
    assert not highlighted(p, BUFFERS[1], "a caaat of coffee")


def test_buffer_highlight_properties_stay_over_a_restart(perchd_factory):
    p = perchd_factory()
    post_input(p, "/print -newbuffer keep start")
    post_input(p, "/buffer set highlight_words coffee", "core.keep")
    post_input(p, "/buffer set highlight_regex ca+t", "core.keep")
    post_input(p, "/buffer set hotlist_max_level_nicks bob:1", "core.keep")
    restart(p, "quit")
    assert highlighted(p, "core.keep", "coffee now") and highlighted(p, "core.keep", "caat")
    line = print_line(p, "core.keep", "bob\tcoffee", tags="notify_message,nick_bob")
    assert not line["highlight"] and line["notify_level"] == 1


def test_buffer_get_shows_a_property_as_weechat_does(chats):
    p, name = chats, BUFFERS[0]

    def get(prop):
        before = len(lines_of(p, name))
        post_input(p, f"/buffer get {prop}", name)
        return [l["message"] for l in buffer(p, name, "lines=-100&colors=strip")["lines"]][before:]

    assert get("number") == ["core.chan1: (int) number = 2"]
    assert get("name") == ["core.chan1: (str) name = chan1"]
    assert get("highlight_words") == ["core.chan1: (str) highlight_words = (null)"]
    post_input(p, "/buffer set highlight_words coffee,tea", name)
    post_input(p, "/buffer set hotlist_max_level_nicks bob:1", name)
    assert get("highlight_words") == ["core.chan1: (str) highlight_words = coffee,tea"]
    assert get("hotlist_max_level_nicks") == ["core.chan1: (str) hotlist_max_level_nicks = bob:1"]
    assert get("localvar_name") == ["core.chan1: (str) localvar_name = chan1"]
    assert get("input") == ["core.chan1: (int) input = 1", "core.chan1: (str) input = "]
    assert get("colour") == ['buffer: unknown property "colour"']
    assert get("") == ['Too few arguments for command "/buffer get" (help on command: /help buffer)']
