"""Fan-out to mixed clients: plain and TLS, with and without permessage-deflate (with and
without context takeover), the three colour modes, a late sync, an unsynced client and slow
readers. Each must get exactly its events, in order, once, with the bytes its mode calls for
(the REST answer for the same lines and mode is the oracle); a stalled reader is cut without
the others losing anything."""
import socket
import threading

from conftest import Client, tls_context
from wsraw import RawWS

MODES = ("ansi", "strip", "weechat")
# Colour codes (WeeChat's, raw), the bytes JSON escapes, and UTF-8.
TEXT = "\x19F03red\x1c plain \x1a\x01bold\x1b\x01 \"q\" \\ caf\u00e9 \x19*05,02x"


def ws_client(port, tls=False, extensions=None, rcvbuf=None):
    raw = socket.socket()
    if rcvbuf:
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    raw.settimeout(30)
    raw.connect(("127.0.0.1", port))
    ws = RawWS.__new__(RawWS)
    ws.sock = tls_context().wrap_socket(raw) if tls else raw
    ws.buf = bytearray()
    ws.deflate = False
    ws.inflater = None
    status, _, body = ws.handshake(extensions=extensions)
    assert status == "HTTP/1.1 101 Switching Protocols", (status, body)
    return ws


def sync(ws, colors):
    assert ws.request("POST /api/sync", {"colors": colors})["code"] == 204


def print_lines(http, start, n, width=0):
    for i in range(start, start + n):
        r = http.request("POST", "/api/input",
                         body={"command": f"/print mix {i:04d} {TEXT}{'x' * width}"})
        assert r.status == 204, r.body


def oracle(port, n, colors):
    """The newest n lines of core.weechat in a colour mode, by id, from the REST API."""
    r = Client(port, tls=False).request(
        "GET", f"/api/buffers/core.weechat/lines?lines=-{n}&colors={colors}")
    assert r.status == 200
    return [line for line in r.json() if " mix " in line["message"] or
            line["message"].startswith("mix ")]


def line_events(ws, count):
    """The next count buffer_line_added events of the mix lines (other events skipped)."""
    got = []
    while len(got) < count:
        msg = ws.read_json()
        if msg.get("event_name") == "buffer_line_added" and "mix " in msg["body"]["message"]:
            got.append(msg["body"])
    return got


def assert_exactly(got, expected, who):
    ids = [line["id"] for line in got]
    assert len(ids) == len(set(ids)), f"{who}: a line came twice"
    assert ids == [line["id"] for line in expected], f"{who}: lines missing or out of order"
    assert got == expected, f"{who}: a line differs from the REST answer in its mode"


def assert_no_more_lines(ws, who):
    """The next answer comes before any further line event."""
    ws.send_json({"request": "POST /api/ping", "body": {"data": "end"}})
    while True:
        msg = ws.read_json()
        assert msg.get("event_name") != "buffer_line_added", f"{who}: an extra line event"
        if msg.get("body_type") == "ping":
            return


def test_mixed_clients_get_exactly_their_events(perchd):
    port, tls_port = perchd.plain_port, perchd.tls_port
    clients = {}
    for mode in MODES:
        clients[f"plain-{mode}"] = (ws_client(port), mode)
        clients[f"tls-{mode}"] = (ws_client(tls_port, tls=True), mode)
        clients[f"deflate-{mode}"] = (ws_client(port, extensions="permessage-deflate"), mode)
    # Two whose compressors start afresh each message: they share compressed frames.
    for name in ("deflate-reset", "deflate-reset-2"):
        clients[name] = (ws_client(
            port, extensions="permessage-deflate; server_no_context_takeover"), "strip")
    clients["tls-deflate"] = (ws_client(tls_port, tls=True, extensions="permessage-deflate"),
                              "weechat")
    # Reads nothing until every line was printed: its frames wait in the queue, partly
    # written (a small receive window), then all come.
    clients["slow"] = (ws_client(port, rcvbuf=4096), "ansi")
    for name, (ws, mode) in clients.items():
        assert ws.deflate == ("deflate" in name), name
        sync(ws, mode)
    unsynced = ws_client(port)
    http = Client(port, tls=False)
    print_lines(http, 0, 40, width=2000)
    late = ws_client(port)
    sync(late, "strip")
    print_lines(http, 40, 40, width=2000)
    for name, (ws, mode) in clients.items():
        assert_exactly(line_events(ws, 80), oracle(port, 80, mode), name)
        assert_no_more_lines(ws, name)
    assert_exactly(line_events(late, 40), oracle(port, 80, "strip")[40:], "late")
    assert_no_more_lines(late, "late")
    assert_no_more_lines(unsynced, "unsynced")
    for ws, _ in clients.values():
        ws.close()


def test_stalled_reader_is_cut_and_the_others_lose_nothing(perchd_factory):
    p = perchd_factory(config="[limits]\nwrite_queue_max = 262144\n")
    stalled = ws_client(p.plain_port, rcvbuf=4096)
    sync(stalled, "strip")
    readers = [(ws_client(p.plain_port), "strip"),
               (ws_client(p.plain_port, extensions="permessage-deflate"), "ansi"),
               (ws_client(p.tls_port, tls=True), "weechat")]
    for ws, mode in readers:
        sync(ws, mode)
    # More than the stalled socket's kernel buffers absorb (tcp_wmem max 4 MiB), sent in
    # batches by a client that reads its own answers; the readers keep up meanwhile.
    n = 3000
    seen = [[] for _ in readers]
    threads = [threading.Thread(target=lambda i=i, ws=ws: seen[i].extend(line_events(ws, n)))
               for i, (ws, _) in enumerate(readers)]
    sender = ws_client(p.plain_port)
    answers = threading.Thread(target=lambda: [sender.read_json() for _ in range(n)])
    for t in threads + [answers]:
        t.start()
    for start in range(0, n, 1000):
        sender.send_json([{"request": "POST /api/input",
                           "body": {"command": f"/print mix {i:04d} {TEXT}{'x' * 2500}"}}
                          for i in range(start, start + 1000)])
    for t in threads + [answers]:
        t.join(timeout=120)
    for i, (ws, mode) in enumerate(readers):
        assert_exactly(seen[i], oracle(p.plain_port, n, mode), f"reader {mode}")
    assert "write queue over 262144 bytes" in p.read_log()
    # Once what its kernel buffers hold is read, the stalled client finds the end.
    assert stalled.at_eof(timeout=30)
