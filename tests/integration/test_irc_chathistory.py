"""Catch-up with draft/chathistory against a small real server speaking its wire format
(chathistory_ircd.py): after a network cut, after perchd restarts, for a private buffer, and at
a /join of a channel with history (bounded by [irc] catchup_max), what a buffer missed is
fetched and shown with the server's times, in order, each line once; lines arriving while the
answer is awaited come after it; a server without the capability is not asked."""
import datetime
import time

from chathistory_ircd import CAPS, ChathistoryIrcd, stamp
from conftest import Perchd
from test_irc import CONFIG, cmd, lines, wait_line

CHAN = "irc.hist.#c".replace("#", "%23")


def start(perchd_factory, srv, extra=""):
    p = perchd_factory(config=CONFIG + extra)
    connect(p, srv)
    return p


def connect(p, srv):
    cmd(p, f"/server add hist 127.0.0.1/{srv.port} -notls -nicks=perchy")
    cmd(p, "/connect hist")
    wait_line(p, "irc.server.hist", "Welcome to the chathistory test network")


def join(p, srv, chan="#c"):
    cmd(p, f"/join {chan}", buffer="irc.server.hist")
    wait_until(lambda: srv.joined("perchy", chan))


def wait_until(cond, timeout=20):
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def said(p, buffer, nick):
    """The messages nick said in buffer, in the buffer's order."""
    return [l["message"] for l in lines(p, buffer) if f"nick_{nick}" in l["tags"]
            and ("irc_privmsg" in l["tags"] or "irc_notice" in l["tags"])]


def cut_and_miss(srv, p, texts, target="#c", nick="bob"):
    """perchd cut off while nick says texts; then let back in."""
    srv.refuse(True)
    srv.cut()
    wait_line(p, "irc.server.hist", "disconnected from server")
    missed = [srv.say(nick, target, t) for t in texts]
    srv.refuse(False)
    return missed


def iso(line):
    d = datetime.datetime.strptime(line["date"], "%Y-%m-%dT%H:%M:%S.%fZ")
    return d.replace(tzinfo=datetime.timezone.utc).timestamp()


def test_a_cut_is_filled_in_order_with_the_servers_times(perchd_factory):
    srv = ChathistoryIrcd()
    try:
        p = start(perchd_factory, srv)
        join(p, srv)
        live = srv.say("bob", "#c", "live-1")
        wait_line(p, CHAN, "live-1")
        missed = cut_and_miss(srv, p, [f"missed-{i}" for i in range(5)])
        wait_line(p, CHAN, "missed-4")
        srv.say("bob", "#c", "after-1")
        wait_line(p, CHAN, "after-1")
        assert said(p, CHAN, "bob") == ["live-1"] + [f"missed-{i}" for i in range(5)] + ["after-1"]
        # Asked from the last line stored, by its msgid, within the server's limit.
        assert ("perchy", ["LATEST", "#c", f"msgid={live.msgid}", "100"]) in srv.requests
        # Each missed line dated by the server (milliseconds kept), tagged as WeeChat tags.
        got = {l["message"]: l for l in lines(p, CHAN)}
        for m in missed:
            line = got[m.text]
            assert stamp(iso(line)) == stamp(m.time)
            assert f"irc_tag_msgid={m.msgid}" in line["tags"]
            assert "irc_batch_type_chathistory" in line["tags"]
    finally:
        srv.stop()


def test_lines_arriving_while_the_answer_is_awaited_come_after_it_once(perchd_factory):
    srv = ChathistoryIrcd()
    try:
        p = start(perchd_factory, srv)
        join(p, srv)
        srv.say("bob", "#c", "live-1")
        wait_line(p, CHAN, "live-1")
        srv.pause_history()
        cut_and_miss(srv, p, ["missed-1", "missed-2"])
        wait_until(lambda: srv.paused)  # perchd is back and asked
        # A live line now: the server stores it, so the answer will hold it too.
        srv.say("bob", "#c", "during")
        time.sleep(0.3)
        assert "during" not in said(p, CHAN, "bob")  # held until the answer
        srv.answer_history()
        wait_line(p, CHAN, "during")
        srv.say("bob", "#c", "after")
        wait_line(p, CHAN, "after")
        assert said(p, CHAN, "bob") == ["live-1", "missed-1", "missed-2", "during", "after"]
    finally:
        srv.stop()


def test_a_restart_of_perchd_is_filled_from_the_stored_history(perchd_factory, tmp_path):
    srv = ChathistoryIrcd()
    d = str(tmp_path)
    p = Perchd(d, config=CONFIG)
    try:
        connect(p, srv)
        join(p, srv)
        srv.say("bob", "#c", "before")
        wait_line(p, CHAN, "before")
    finally:
        assert p.stop() == 0
    wait_until(lambda: not srv.client("perchy"))
    for i in range(3):
        srv.say("bob", "#c", f"while-down-{i}")
    p = Perchd(d)
    try:
        # The network and the channel come back by themselves, then the gap is filled.
        wait_line(p, CHAN, "while-down-2")
        srv.say("bob", "#c", "after")
        wait_line(p, CHAN, "after")
        assert said(p, CHAN, "bob") == ["before"] + [f"while-down-{i}" for i in range(3)] + ["after"]
    finally:
        assert p.stop() == 0
        srv.stop()


def test_a_private_buffer_catches_up_after_the_welcome(perchd_factory):
    srv = ChathistoryIrcd()
    try:
        p = start(perchd_factory, srv)
        srv.say("bob", "perchy", "pm-1")
        wait_line(p, "irc.hist.bob", "pm-1")
        cut_and_miss(srv, p, ["pm-2", "pm-3"], target="perchy")
        wait_line(p, "irc.hist.bob", "pm-3")
        assert said(p, "irc.hist.bob", "bob") == ["pm-1", "pm-2", "pm-3"]
        assert any(r[1][:2] == ["LATEST", "bob"] for r in srv.requests)
    finally:
        srv.stop()


def test_a_join_brings_the_channels_latest_lines_bounded(perchd_factory):
    srv = ChathistoryIrcd()
    try:
        for i in range(5):
            srv.say("carol", "#old", f"old-{i}")
        p = start(perchd_factory, srv, extra="catchup_max = 3\n")
        join(p, srv, "#old")
        wait_line(p, "irc.hist.%23old", "old-4")
        assert said(p, "irc.hist.%23old", "carol") == ["old-2", "old-3", "old-4"]
        assert ("perchy", ["LATEST", "#old", "*", "3"]) in srv.requests
    finally:
        srv.stop()


def test_no_catch_up_without_the_capability_or_when_off(perchd_factory):
    for caps, extra in ([c for c in CAPS if c != "draft/chathistory"], ""), (CAPS, "catchup_max = 0\n"):
        srv = ChathistoryIrcd(caps=caps)
        try:
            p = start(perchd_factory, srv, extra=extra)
            join(p, srv)
            srv.say("bob", "#c", "live-1")
            wait_line(p, CHAN, "live-1")
            cut_and_miss(srv, p, ["missed"])
            wait_until(lambda: srv.joined("perchy", "#c"))
            srv.say("bob", "#c", "after")
            wait_line(p, CHAN, "after")
            assert said(p, CHAN, "bob") == ["live-1", "after"]
            assert srv.requests == []
        finally:
            srv.stop()


def test_a_failed_request_lets_held_lines_through(perchd_factory):
    srv = ChathistoryIrcd()
    try:
        p = start(perchd_factory, srv)
        join(p, srv)
        srv.say("bob", "#c", "live-1")
        wait_line(p, CHAN, "live-1")
        srv.pause_history()
        cut_and_miss(srv, p, ["missed"])
        wait_until(lambda: srv.paused)
        srv.say("bob", "#c", "during")
        with srv.lock:
            c, _ = srv.paused[0]
            srv.paused = None
            c.send(f":{srv.name} FAIL CHATHISTORY MESSAGE_ERROR LATEST #c :Messages could not be retrieved")
        wait_line(p, CHAN, "during")
        wait_line(p, "irc.server.hist", "Failure: CHATHISTORY [MESSAGE_ERROR LATEST #c] Messages could not be retrieved")
        assert said(p, CHAN, "bob") == ["live-1", "during"]
    finally:
        srv.stop()



def test_held_lines_are_shown_after_catchup_timeout_without_other_traffic(perchd_factory):
    srv = ChathistoryIrcd()
    try:
        p = start(perchd_factory, srv, extra="catchup_timeout = 500\n")
        join(p, srv)
        srv.say("bob", "#c", "live-1")
        wait_line(p, CHAN, "live-1")
        srv.pause_history()
        cut_and_miss(srv, p, ["missed"])
        wait_until(lambda: srv.paused)
        srv.say("bob", "#c", "during")
        # The server never answers, and says nothing else: the line comes anyway.
        wait_line(p, CHAN, "during", timeout=10)
        # A late answer adds what was missed, not the line shown already.
        srv.answer_history()
        wait_line(p, CHAN, "missed")
        assert said(p, CHAN, "bob") == ["live-1", "during", "missed"]
    finally:
        srv.stop()


def test_server_times_outside_four_digit_years_never_reach_a_client(perchd_factory):
    """A server's time past 9999 (a leap second on its last minute) is refused and the line
    dated on arrival; one before year 1000 keeps its four digits. Every date a client gets
    is the protocol's form."""
    srv = ChathistoryIrcd()
    try:
        p = start(perchd_factory, srv)
        join(p, srv)
        before = time.time()
        with srv.lock:
            perchy = next(c for c in srv.clients if c.nick == "perchy")
            perchy.send("@time=9999-12-31T23:59:60Z :bob!bob@127.0.0.1 PRIVMSG #c :leap")
            perchy.send("@time=0999-01-02T03:04:05.000Z :bob!bob@127.0.0.1 PRIVMSG #c :old")
        wait_line(p, CHAN, "old")
        got = {l["message"]: l["date"] for l in lines(p, CHAN)}
        assert before - 1 <= iso({"date": got["leap"]}) <= time.time() + 1, got["leap"]
        assert got["old"] == "0999-01-02T03:04:05.000000Z"
    finally:
        srv.stop()
