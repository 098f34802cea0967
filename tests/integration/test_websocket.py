"""The WebSocket transport with real clients: handshake, resources, batches, sync events."""
import asyncio
import base64
import json

import pytest
import websockets

from conftest import PASSWORD, basic, request, tls_context
from protocol import assert_schema, compact, expected_headers, load
from wsraw import RawWS, accept_for, open_ws, settle


# ---- opening handshake ----

def test_handshake_101_exact_and_nothing_before_first_request(perchd):
    ws = RawWS(perchd.plain_port)
    status, headers, body = ws.handshake()
    assert status == "HTTP/1.1 101 Switching Protocols"
    assert headers == [("Upgrade", "websocket"), ("Connection", "Upgrade"),
                       ("Sec-WebSocket-Accept", accept_for(ws.key))]
    assert ws.buf == bytearray()
    ws.sock.settimeout(0.5)
    with pytest.raises(TimeoutError):
        ws.sock.recv(1)
    ws.sock.settimeout(10)
    assert ws.request("GET /api/version", request_id="check")["body_type"] == "version"
    ws.close()


@pytest.mark.parametrize("offer,answer", [
    ("permessage-deflate; client_max_window_bits", "permessage-deflate; client_max_window_bits=15"),
    ("permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
     "server_max_window_bits=12; client_max_window_bits=10",
     "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
     "server_max_window_bits=12; client_max_window_bits=10"),
    ("permessage-deflate", "permessage-deflate"),
    ("permessage-deflate; server_max_window_bits=8, permessage-deflate",
     "permessage-deflate"),
    ("permessage-deflate; server_max_window_bits=8", None),
    ("x-webkit-deflate-frame", None),
    ("permessage-deflate; bogus=1", None),
])
def test_permessage_deflate_negotiation_and_use(perchd, offer, answer):
    ws = RawWS(perchd.plain_port)
    status, headers, _ = ws.handshake(extensions=offer)
    assert status.startswith("HTTP/1.1 101")
    assert dict(headers).get("Sec-WebSocket-Extensions") == answer
    # Several messages in a row check that both sides keep their compression context.
    for i in range(5):
        ws.send_json({"request": "POST /api/ping", "body": {"data": "x" * 200 + str(i)}})
        fin, rsv1, op, payload = ws.read_frame()
        assert fin and op == 1 and rsv1 == (answer is not None)
        assert json.loads(payload)["body"]["data"].endswith(str(i))
    ws.close()


def test_subprotocol_echoed_only_when_offered(perchd):
    token = base64.urlsafe_b64encode(f"plain:{PASSWORD}".encode()).decode().rstrip("=")
    ws = RawWS(perchd.plain_port)
    _, headers, _ = ws.handshake(auth=False, headers={
        "Sec-WebSocket-Protocol": f"api.weechat, base64url.bearer.authorization.weechat.{token}"})
    assert ("Sec-WebSocket-Protocol", "api.weechat") in headers
    ws.close()
    ws = RawWS(perchd.plain_port)
    status, headers, _ = ws.handshake(headers={"Sec-WebSocket-Protocol": "chat, superchat"})
    assert status.startswith("HTTP/1.1 101")
    assert "Sec-WebSocket-Protocol" not in dict(headers)
    ws.close()


@pytest.mark.parametrize("case", load("ws-handshake.json")["cases"], ids=lambda c: c["label"])
def test_handshake_cases(perchd, case):
    """Each case of ws-handshake.json: exact status, headers and body; then the connection
    works as a WebSocket (101), closes, or keeps serving HTTP."""
    headers = {name: None for name in case.get("omit", [])}
    headers.update(case.get("request_headers", {}))
    if case["credential"] is not None:
        headers["Authorization"] = basic(case["credential"])
    tls = case.get("tls", False)
    ws = RawWS(perchd.tls_port if tls else perchd.plain_port, tls=tls)
    status, got, body = ws.handshake(headers=headers, auth=False, path=case.get("path", "/api"))
    assert status == "HTTP/1.1 " + case["status"]
    if isinstance(case["headers"], str):
        assert got == expected_headers(case["headers"], body)
    else:
        assert got == [(k, accept_for(ws.key) if v == "$accept" else v) for k, v in case["headers"]]
    answer = "" if case.get("answer") is None else compact(case["answer"])
    assert body.decode() == answer
    if case["status"].startswith("101"):
        ws.send_json({"request": "GET /api/version", "request_id": "check"})
        fin, rsv1, op, payload = ws.read_frame()
        assert fin and op == 1 and rsv1 == ("Sec-WebSocket-Extensions" in dict(got))
        reply = json.loads(payload)
        assert_schema(reply, "response")
        assert (reply["code"], reply["request_id"], reply["body_type"]) == (200, "check", "version")
    elif case["closes"]:
        assert ws.at_eof()
    else:
        ws.sock.sendall(f"GET /api/version HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        f"Authorization: {basic('plain:' + PASSWORD)}\r\n\r\n".encode())
        assert ws.read_head()[0] == "HTTP/1.1 200 OK"
    ws.close()


def test_both_credential_forms_and_refusals(perchd):
    ws = RawWS(perchd.plain_port)
    status, headers, body = ws.handshake(headers={"Authorization": basic("plain:nope")}, auth=False)
    assert status == "HTTP/1.1 401 Unauthorized"
    assert json.loads(body) == {"error": "Invalid password"}
    assert ws.at_eof()
    ws = RawWS(perchd.plain_port)
    status, _, body = ws.handshake(auth=False, headers={"x-weechat-totp": "123456",
                                                        "Authorization": basic(f"plain:{PASSWORD}")})
    assert json.loads(body) == {"error": "Invalid TOTP"}


def test_tls_websocket_with_python_websockets_and_deflate(perchd):
    async def run():
        ctx = tls_context()
        hdr = {"Authorization": basic(f"plain:{PASSWORD}")}
        async with websockets.connect(f"wss://127.0.0.1:{perchd.tls_port}/api", ssl=ctx,
                                      extra_headers=hdr, compression="deflate") as ws:
            assert ws.response_headers.get("Sec-WebSocket-Extensions", "").startswith(
                "permessage-deflate")
            await ws.send(json.dumps({"request": "GET /api/buffers?lines=-5", "request_id": "a"}))
            resp = json.loads(await ws.recv())
            assert resp["request_id"] == "a" and resp["body_type"] == "buffers"
        async with websockets.connect(f"wss://127.0.0.1:{perchd.tls_port}/api", ssl=ctx,
                                      extra_headers=hdr, compression=None) as ws:
            await ws.send(json.dumps({"request": "GET /api/version"}))
            assert json.loads(await ws.recv())["code"] == 200
    asyncio.run(run())


# ---- resources and envelopes ----

class CheckedWS(RawWS):
    """An authenticated RawWS whose every answer must follow the schema's response envelope."""

    def __init__(self, port):
        super().__init__(port)
        status, _, body = self.handshake()
        assert status == "HTTP/1.1 101 Switching Protocols", (status, body)

    def request(self, req, body=None, request_id=None):
        reply = super().request(req, body=body, request_id=request_id)
        assert_schema(reply, "response")
        return reply


def test_every_resource_over_websocket(perchd):
    ws = CheckedWS(perchd.plain_port)
    r = ws.request("POST /api/handshake", body={"password_hash_algo": ["sha256"]})
    assert r["code"] == 200 and r["body_type"] == "handshake"
    assert list(r) == ["code", "message", "request", "request_body", "request_id", "body_type", "body"]
    assert ws.request("GET /api/version")["body"]["relay_api_version"] == "0.4.1"
    r = ws.request("POST /api/input", body={"command": "/print -newbuffer w -tags a hello"})
    assert r["code"] == 204 and r["message"] == "No Content" and r["body"] is None
    assert ws.request("POST /api/ping")["code"] == 204
    b = ws.request("GET /api/buffers/core.w?lines=-1&nicks=true&colors=strip", request_id="b")
    assert b["request_id"] == "b" and b["body"]["lines"][0]["message"] == "hello"
    assert b["body"]["nicklist_root"]["id"] == 0
    lines = ws.request("GET /api/buffers/core.w/lines")
    assert lines["body_type"] == "lines"
    line = ws.request(f"GET /api/buffers/core.w/lines/{lines['body'][0]['id']}")
    assert line["body_type"] == "line"
    assert ws.request("GET /api/buffers/core.w/nicks")["body_type"] == "nick_group"
    assert ws.request("GET /api/hotlist")["body_type"] == "hotlist"
    assert ws.request("GET /api/scripts")["body"] == []
    c = ws.request("POST /api/completion", body={"command": "/hel"})
    assert c["body_type"] == "completion" and c["body"]["list"] == ["help"]
    p = ws.request("POST /api/ping", body={"data": "x"})
    assert p["body_type"] == "ping" and p["body"] == {"data": "x"}
    s = ws.request("POST /api/sync", body={"sync": False})
    assert s["code"] == 204
    ws.close()


def test_envelope_errors(perchd):
    """Each exchange of ws-errors.json, in order on one connection: the exact answer text."""
    ws = open_ws(perchd.plain_port)
    for ex in load("ws-errors.json")["exchanges"]:
        ws.send_json(ex["send_text"] if "send_text" in ex else json.dumps(ex["send"]))
        fin, _, op, payload = ws.read_frame()
        assert fin and op == 1
        assert payload.decode() == compact(ex["answer"]), ex
        assert_schema(json.loads(payload), "response")
    r = ws.request("GET /api/version HTTP/1.1")
    assert r["code"] == 200 and r["request"] == "GET /api/version"
    # Still usable after every error.
    assert ws.request("GET /api/version")["code"] == 200
    ws.close()


def test_batch_runs_in_order_with_request_ids(perchd):
    ws = open_ws(perchd.plain_port)
    ws.send_json([{"request": "POST /api/ping", "body": {"data": "a"}, "request_id": "1"},
                  {"bad": 1},
                  {"request": "PATCH /api/ping", "request_id": "3"},
                  {"request": "POST /api/ping", "body": {"data": "d"}, "request_id": "4"}])
    got = [ws.read_json() for _ in range(4)]
    assert [g["code"] for g in got] == [200, 400, 405, 200]
    assert [g["request_id"] for g in got] == ["1", None, "3", "4"]
    ws.send_json([])
    ws.send_json({"request": "POST /api/ping", "body": {"data": "after"}})
    assert ws.read_json()["body"] == {"data": "after"}
    ws.close()


def test_control_frames_fragments_binary_and_close(perchd):
    ws = open_ws(perchd.plain_port)
    ws.send_frame(9, b"hello")
    assert ws.read_frame() == (True, False, 10, b"hello")
    ws.send_frame(9, b"")
    assert ws.read_frame() == (True, False, 10, b"")
    ws.send_frame(2, json.dumps({"request": "POST /api/ping", "body": {"data": "bin"}}))
    assert ws.read_json()["body"] == {"data": "bin"}
    msg = json.dumps({"request": "POST /api/ping", "body": {"data": "frag"}}).encode()
    ws.send_frame(1, msg[:10], fin=False)
    ws.send_frame(9, b"mid")  # control frames may come between fragments
    ws.send_frame(0, msg[10:20], fin=False)
    ws.send_frame(0, msg[20:])
    assert ws.read_frame() == (True, False, 10, b"mid")
    assert ws.read_json()["body"] == {"data": "frag"}
    ws.send_frame(8, b"")
    fin, _, op, payload = ws.read_frame()
    assert op == 8
    assert ws.at_eof()


def test_close_frame_with_status_is_echoed(perchd):
    ws = open_ws(perchd.plain_port)
    ws.send_frame(8, b"\x03\xe8bye")
    _, _, op, payload = ws.read_frame()
    assert op == 8 and payload[:2] == b"\x03\xe8"
    assert ws.at_eof()


def test_unmasked_frame_closes_with_1002(perchd):
    ws = open_ws(perchd.plain_port)
    ws.send_frame(1, b'{"request":"GET /api/version"}', mask=False)
    _, _, op, payload = ws.read_frame()
    assert op == 8 and payload[:2] == (1002).to_bytes(2, "big")
    assert ws.at_eof()
    assert request(perchd.tls_port, "GET", "/api/version").status == 200


def test_oversized_message_closes_with_1009(perchd_factory):
    p = perchd_factory(config="[limits]\nmax_body_bytes = 4096\n")
    ws = open_ws(p.plain_port)
    ws.send_frame(1, b"x" * 5000)
    _, _, op, payload = ws.read_frame()
    assert op == 8 and payload[:2] == (1009).to_bytes(2, "big")
    assert ws.at_eof()
    # The limit also holds after inflation.
    ws = open_ws(p.plain_port, extensions="permessage-deflate")
    ws.send_json(json.dumps({"request": "POST /api/ping", "body": {"data": "y" * 20000}}))
    _, _, op, payload = ws.read_frame()
    assert op == 8 and payload[:2] == (1009).to_bytes(2, "big")


def test_deep_json_refused_connection_stays(perchd):
    ws = open_ws(perchd.plain_port)
    ws.send_json("[" * 5000 + "]" * 5000)
    assert ws.read_json()["body"] == {"error": "Bad request: invalid JSON"}
    assert ws.request("GET /api/version")["code"] == 200
    ws.close()


def test_second_request_get_api_is_not_a_websocket(perchd):
    from conftest import Client
    c = Client(perchd.plain_port, tls=False)
    assert c.request("GET", "/api/version").status == 200
    r = c.request("GET", "/api", headers={"Upgrade": "websocket", "Connection": "Upgrade",
                                         "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
    assert r.status == 404
    c.close()


def test_max_clients_refused_before_upgrade(perchd_factory):
    p = perchd_factory(config="[relay]\nmax_clients = 1\n")
    settle(p)
    first = open_ws(p.plain_port)
    ws = RawWS(p.plain_port)
    status, headers, body = ws.handshake()
    assert status == "HTTP/1.1 503 Service Unavailable"
    assert json.loads(body) == {"error": "Too many clients"}
    assert ws.at_eof()
    assert first.request("GET /api/version")["code"] == 200
    first.close()


# ---- sync and events ----

def sync_client(port, body=None, **kw):
    ws = open_ws(port, **kw)
    ws.send_json([{"request": "GET /api/buffers?lines=-1&nicks=true", "request_id": "initial_sync"},
                  {"request": "POST /api/sync", **({"body": body} if body is not None else {})}])
    first, second = ws.read_json(), ws.read_json()
    assert first["request_id"] == "initial_sync" and second["code"] == 204
    assert_schema(first, "response")
    assert_schema(second, "response")
    return ws


def run_input(port, command, buffer="core.weechat"):
    r = request(port, "POST", "/api/input", body={"buffer_name": buffer, "command": command})
    assert r.status == 204, r.body


ACTIONS = [
    ("core.weechat", "/buffer add mybuf", ["buffer_opened"]),
    ("core.mybuf", "/buffer set title Title of mybuf", ["buffer_title_changed"]),
    ("core.mybuf", "/buffer set modes +xyz", ["buffer_modes_changed"]),
    ("core.mybuf", "/buffer set short_name mb", ["buffer_renamed"]),
    ("core.mybuf", "/buffer setvar myvar 1", ["buffer_localvar_added"]),
    ("core.mybuf", "/buffer setvar myvar 2", ["buffer_localvar_changed"]),
    ("core.mybuf", "/buffer delvar myvar", ["buffer_localvar_removed"]),
    ("core.mybuf", "/buffer set time_for_each_line 0", ["buffer_time_for_each_line_changed"]),
    ("core.mybuf", "/buffer hide", ["buffer_hidden"]),
    ("core.mybuf", "/buffer unhide", ["buffer_unhidden"]),
    ("core.mybuf", "/buffer move 1", ["buffer_moved", "buffer_moved"]),
    ("core.mybuf", "/input insert abc", ["input_text_changed"]),
    ("core.mybuf", "/input move_beginning_of_line", ["input_text_cursor_moved"]),
    ("core.mybuf", "/buffer set input_prompt PROMPT>", ["input_prompt_changed"]),
    ("core.mybuf", "/print line in mybuf", ["buffer_line_added"]),
    ("core.mybuf", "/buffer retag 0 notify_none", ["buffer_line_data_changed"]),
    ("core.mybuf", "/buffer set unread", ["buffer_changed"]),
    ("core.mybuf", "/nicklist add_group 000|o", ["buffer_changed", "nicklist_group_added"]),
    ("core.mybuf", "/nicklist add_nick 000|o alice @ lightgreen", ["nicklist_nick_added"]),
    ("core.mybuf", "/nicklist change_nick alice + yellow", ["nicklist_nick_changed"]),
    ("core.mybuf", "/nicklist remove_nick alice", ["nicklist_nick_removing"]),
    ("core.mybuf", "/nicklist remove_group 000|o", ["nicklist_group_removing"]),
    ("core.mybuf", "/buffer clear", ["buffer_cleared"]),
    ("core.mybuf", "/buffer set name mybuf2", ["buffer_localvar_changed", "buffer_renamed"]),
    ("core.mybuf2", "/nicklist add_nick root bob", ["nicklist_nick_added"]),
    ("core.mybuf2", "/buffer close",
     ["buffer_closing", "nicklist_nick_removing", "buffer_closed", "buffer_moved"]),
]


def test_every_event_from_real_actions(perchd):
    ws = sync_client(perchd.plain_port)
    for buffer, command, expected in ACTIONS:
        run_input(perchd.tls_port, command, buffer)
        got = [ws.read_json() for _ in expected]
        assert [g["event_name"] for g in got] == expected, command
        for g in got:
            assert list(g) == ["code", "message", "event_name", "buffer_id", "body_type", "body"]
            assert g["code"] == 0 and g["message"] == "Event"
            assert_schema(g, "event")
    ws.close()


def test_buffer_opened_carries_lines_and_nicklist(perchd):
    ws = sync_client(perchd.plain_port)
    run_input(perchd.tls_port, "/print -newbuffer fresh first line")
    opened = ws.read_json()
    assert opened["event_name"] == "buffer_opened"
    assert_schema(opened, "event")
    assert "lines" in opened["body"] and "nicklist_root" in opened["body"]
    assert ws.read_json()["event_name"] == "buffer_line_added"
    ws.close()


def test_sync_options_nicks_input_colors_and_off(perchd):
    run_input(perchd.tls_port, "/buffer add opt")
    run_input(perchd.tls_port, "/buffer set nicklist 1", "core.opt")
    plain = sync_client(perchd.plain_port, body={"nicks": False, "input": False, "colors": "strip"})
    full = sync_client(perchd.plain_port, body={"colors": "weechat"})
    run_input(perchd.tls_port, "/nicklist add_nick root zed", "core.opt")
    run_input(perchd.tls_port, "/input insert x", "core.opt")
    run_input(perchd.tls_port, "/print \x02bold", "core.opt")
    assert [full.read_json()["event_name"] for _ in range(2)] == [
        "nicklist_nick_added", "input_text_changed"]
    line = full.read_json()
    assert line["event_name"] == "buffer_line_added"
    assert line["body"]["message"] == "\x1a\x01bold"
    line = plain.read_json()
    assert line["event_name"] == "buffer_line_added" and line["body"]["message"] == "bold"
    # Each call replaces the options: sync false stops everything.
    assert plain.request("POST /api/sync", body={"sync": False})["code"] == 204
    run_input(perchd.tls_port, "/print nothing for plain", "core.opt")
    assert full.read_json()["body"]["message"] == "nothing for plain"
    # An unknown colors value silently becomes ansi.
    assert plain.request("POST /api/sync", body={"colors": "rgb"})["code"] == 204
    run_input(perchd.tls_port, "/print \x0304red", "core.opt")
    assert plain.read_json()["body"]["message"] == "\x1b[91mred"
    plain.close()
    full.close()


def test_input_response_comes_before_its_events(perchd):
    ws = sync_client(perchd.plain_port)
    ws.send_json([{"request": "POST /api/input", "body": {"command": "/print one"}, "request_id": "i"},
                  {"request": "POST /api/ping", "body": {"data": "p"}}])
    got = [ws.read_json() for _ in range(3)]
    assert [g.get("request_id", g.get("event_name")) for g in got] == ["i", None, "buffer_line_added"]
    assert got[1]["body"] == {"data": "p"}
    ws.close()


def test_quit_event_then_close(perchd):
    ws = sync_client(perchd.plain_port)
    run_input(perchd.tls_port, "/quit")
    quit_event = ws.read_json()
    assert quit_event == {"code": 0, "message": "Event", "event_name": "quit", "buffer_id": -1,
                          "body_type": None, "body": None}
    _, _, op, payload = ws.read_frame()
    assert op == 8 and payload[:2] == (1001).to_bytes(2, "big")
    assert ws.at_eof()
    assert perchd.proc.wait(timeout=30) == 0


def test_slow_reader_cut_off_fast_one_gets_everything(perchd_factory):
    import socket
    import threading
    p = perchd_factory(config="[limits]\nwrite_queue_max = 262144\n")
    slow = RawWS(p.plain_port)
    slow.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow.handshake()
    slow.send_json({"request": "POST /api/sync"})
    fast = sync_client(p.plain_port)
    # More than the kernel buffers of the slow socket can absorb (tcp_wmem max 4 MiB).
    n, text = 3000, "x" * 2500
    sender = open_ws(p.plain_port)
    # The sender reads its own answers so that only the slow client falls behind.
    answers = threading.Thread(target=lambda: [sender.read_json() for _ in range(n)])
    answers.start()
    for start in range(0, n, 1000):  # a batch holds at most 1000 requests
        sender.send_json([{"request": "POST /api/input",
                           "body": {"command": f"/print {i} {text}"}}
                          for i in range(start, start + 1000)])
    seen = []
    while len(seen) < n:
        msg = fast.read_json()
        if msg.get("event_name") == "buffer_line_added":
            seen.append(int(msg["body"]["message"].split(" ")[0]))
    answers.join(timeout=60)
    assert seen == list(range(n))
    assert "write queue over 262144 bytes" in p.read_log()
    # The slow client's connection is gone on the server side (no longer ESTABLISHED),
    # without draining megabytes through its tiny window.
    assert wait_server_socket_gone(p.plain_port, slow.sock.getsockname()[1])
    sender.close()
    fast.close()


def tcp_state(local_port, remote_port):
    """State of the loopback socket local_port -> remote_port in /proc/net/tcp, or None."""
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            lport = int(fields[1].split(":")[1], 16)
            rport = int(fields[2].split(":")[1], 16)
            if (lport, rport) == (local_port, remote_port):
                return fields[3]
    return None


def wait_server_socket_gone(server_port, client_port, timeout=15):
    import time
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if tcp_state(server_port, client_port) != "01":  # 01 = ESTABLISHED
            return True
        time.sleep(0.1)
    return False


def test_silent_client_closed_by_ping_timeout(perchd_factory):
    p = perchd_factory(config="[limits]\nws_ping_interval = 1\nws_ping_timeout = 1\n")
    silent = open_ws(p.plain_port)
    # A client that answers pings (python websockets does) stays connected.
    async def alive():
        async with websockets.connect(f"ws://127.0.0.1:{p.plain_port}/api",
                                      extra_headers={"Authorization": basic(f"plain:{PASSWORD}")},
                                      ping_interval=None) as ws:
            await asyncio.sleep(4)
            await ws.send(json.dumps({"request": "GET /api/version"}))
            return json.loads(await ws.recv())["code"]
    assert asyncio.run(alive()) == 200
    # The silent one got a ping, then a close frame, then EOF.
    fin, _, op, payload = silent.read_frame()
    assert op == 9
    _, _, op, payload = silent.read_frame()
    assert op == 8 and payload[:2] == (1001).to_bytes(2, "big")
    assert silent.at_eof()
