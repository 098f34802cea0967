"""The files under tests/protocol agree with each other before any of them is used against
perchd: the schema is valid JSON Schema, every answer written down follows it."""
import os

from protocol import PROTOCOL_DIR, assert_schema, load, schema


def test_schema_is_valid_and_complete():
    defs = schema()["$defs"]  # schema() also checks it against the 2020-12 meta-schema
    for name in ("error", "version", "handshake", "buffer", "line", "nick_group", "nick",
                 "hotlist_entry", "completion", "ping", "script", "search_match", "search",
                 "response", "event"):
        assert name in defs, name
    buffer = defs["buffer"]
    # api 0.6.0: in every buffer object, between lines and nicklist_root.
    assert "last_read_line_id" in buffer["required"]
    order = list(buffer["properties"])
    assert order.index("lines") < order.index("last_read_line_id") < order.index("nicklist_root")


def test_every_protocol_file_is_used_and_described():
    with open(os.path.join(PROTOCOL_DIR, "README.md")) as f:
        readme = f.read()
    for name in os.listdir(PROTOCOL_DIR):
        if name != "README.md":
            assert name in readme, f"{name} is not described in tests/protocol/README.md"


def test_http_answers_follow_the_schema():
    http = load("http.json")
    for group_name, group in http.items():
        if group_name in ("about", "header_sets"):
            continue
        for ex in group["exchanges"]:
            assert ex.get("headers", "json") in http["header_sets"], ex
            method, path = ex["request"].split(" ")
            assert method.isupper() and path.startswith("/"), ex
            code = int(ex["status"].split(" ")[0])
            if ex["answer"] is None:
                assert code in (204, 400), ex  # 400 only for GET /api over HTTP
            elif code >= 400:
                assert_schema(ex["answer"], "error")


def test_websocket_answers_follow_the_schema():
    for ex in load("ws-errors.json")["exchanges"]:
        assert_schema(ex["answer"], "response")
    sets = load("http.json")["header_sets"]
    for case in load("ws-handshake.json")["cases"]:
        if case["status"].startswith("101"):
            assert [h[0] for h in case["headers"][:3]] == [
                "Upgrade", "Connection", "Sec-WebSocket-Accept"], case["label"]
        else:
            assert case["headers"] in sets and "closes" in case, case["label"]
            if case["answer"] is not None:
                assert_schema(case["answer"], "error")
