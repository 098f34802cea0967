"""One request cannot freeze perchd: long arrays are walked in linear time and bounded
(handshake algorithm lists, WebSocket batches, deflated ones too), with clear 400s, while
another client's request is still answered promptly."""
import json
import threading
import time

from conftest import request
from wsraw import open_ws

# Generous: only catches a stall (before the fix, 40,000 entries took seconds).
PROMPT_S = 3.0


def answered_promptly(p):
    start = time.monotonic()
    assert request(p.tls_port, "GET", "/api/version").status == 200
    return time.monotonic() - start < PROMPT_S


def while_running(action, p):
    """Runs action in a thread and checks that an unrelated client is served meanwhile."""
    result = {}
    t = threading.Thread(target=lambda: result.update(value=action()))
    t.start()
    prompt = answered_promptly(p)
    t.join(timeout=60)
    assert not t.is_alive(), "the big request never finished"
    assert prompt, "an unrelated request waited behind the big one"
    return result["value"]


def test_handshake_with_a_huge_algorithm_list_is_refused_quickly(perchd):
    body = json.dumps({"password_hash_algo": ["plain"] * 40000})
    r = while_running(lambda: request(perchd.tls_port, "POST", "/api/handshake", body=body,
                                      auth=False), perchd)
    assert r.status == 400
    assert r.json() == {"error": "Bad request: too many hash algorithms (max: 64)"}
    # An honest list, repeated up to the bound, is still answered.
    r = request(perchd.tls_port, "POST", "/api/handshake",
                body={"password_hash_algo": ["plain", "sha256"] * 32}, auth=False)
    assert r.status == 200 and r.json()["password_hash_algo"] == "sha256"


def test_websocket_batch_bounded_and_linear(perchd):
    ws = open_ws(perchd.plain_port)
    ws.send_json([{"request": "POST /api/ping", "body": {"data": str(i)}} for i in range(1000)])
    answers = [ws.read_json() for _ in range(1000)]
    assert [a["body"]["data"] for a in answers] == [str(i) for i in range(1000)]
    ws.send_json([{"request": "POST /api/ping"}] * 1001)
    answer = ws.read_json()
    assert answer["code"] == 400
    assert answer["body"] == {"error": "Bad request: too many requests in one batch (max: 1000)"}
    # Nothing of it ran, and the connection goes on.
    assert ws.request("GET /api/version", request_id="after")["request_id"] == "after"
    ws.close()


def test_deflated_batch_of_40000_does_not_stall_others(perchd):
    ws = open_ws(perchd.plain_port, extensions="permessage-deflate")
    assert ws.deflate
    batch = json.dumps([{"request": "GET /api/version"}] * 40000)

    def send_and_read():
        ws.send_json(batch)  # about 3 kB on the wire
        return ws.read_json()

    answer = while_running(send_and_read, perchd)
    assert answer["code"] == 400 and "max: 1000" in answer["body"]["error"]
    ws.close()


def test_nested_nick_groups_are_bounded_and_encoded(perchd):
    ws = open_ws(perchd.plain_port)
    batch = [{"request": "POST /api/input", "body": {"command": "/nicklist add_group g0"}}]
    batch += [{"request": "POST /api/input",
               "body": {"command": f"/nicklist add_group g{i} default g{i - 1}"}}
              for i in range(1, 1000)]
    ws.send_json(batch)
    for _ in batch:
        assert ws.read_json()["code"] == 204
    ws.close()
    r = request(perchd.tls_port, "GET", "/api/buffers/core.weechat/nicks")
    assert r.status == 200
    depth, group = 0, r.json()
    while group["groups"]:
        group, depth = group["groups"][0], depth + 1
    assert depth == 16
