"""The protocol facts under tests/protocol: loading them and checking perchd's answers
against them (JSON Schema with member order, exact REST exchanges)."""
import json
import os

import jsonschema
from jsonschema import validators

from conftest import Client, basic

PROTOCOL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "protocol")


def load(name):
    with open(os.path.join(PROTOCOL_DIR, name)) as f:
        return json.load(f)


def compact(value):
    """value as perchd writes it: no spaces, UTF-8 as is."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# ---- schema ----

def _ordered_properties(validator, ordered, instance, schema):
    """orderedProperties: the members present follow the order of "properties"."""
    if not ordered or not validator.is_type(instance, "object"):
        return
    known = schema.get("properties", {})
    expected = [k for k in known if k in instance]
    present = [k for k in instance if k in known]
    if present != expected:
        yield jsonschema.ValidationError(f"members in order {present}, expected {expected}")


def _strict_integer(_checker, value):
    # A JSON integer only: not true/false, not 3.0, not 1.79563118121575e+15.
    return isinstance(value, int) and not isinstance(value, bool)


_Validator = validators.extend(
    jsonschema.Draft202012Validator,
    validators={"orderedProperties": _ordered_properties},
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _strict_integer))

_SCHEMA = None


def schema():
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = load("schema.json")
        _Validator.check_schema(_SCHEMA)
    return _SCHEMA


def assert_schema(value, name):
    """value follows $defs/<name> of schema.json (types, required and extra members, order)."""
    defs = schema()["$defs"]
    assert name in defs, f"no $defs/{name} in schema.json"
    root = {"$schema": schema()["$schema"], "$defs": defs, "$ref": f"#/$defs/{name}"}
    errors = sorted(_Validator(root).iter_errors(value), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{name} at $/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10])


# ---- REST exchanges (http.json) ----

def expected_headers(set_name, body):
    """The exact response header list: the named set, then Content-Length."""
    sets = load("http.json")["header_sets"]
    return [tuple(h) for h in sets[set_name]] + [("Content-Length", str(len(body)))]


def _substitute(value, ids):
    if isinstance(value, dict):
        return {k: _substitute(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, ids) for v in value]
    if isinstance(value, str) and value.startswith("$") and value.endswith(".id"):
        return ids[value[1:-3]]
    return value


def run_exchange(port, group, ex, ids=None):
    """Sends one exchange of http.json and checks status, headers and exact body."""
    method, path = ex["request"].split(" ")
    credential = ex.get("credential", group.get("credential"))
    headers = dict(ex.get("request_headers", {}))
    if credential is not None:
        headers["Authorization"] = basic(credential)
    if "body_text" in ex:
        body = ex["body_text"]
    elif "body" in ex:
        body = json.dumps(_substitute(ex["body"], ids or {}))
    else:
        body = None
    c = Client(port)
    try:
        r = c.request(method, path, body=body, headers=headers, auth=False)
        where = f"{ex['request']} {body or ''}"
        assert f"{r.status} {r.reason}" == ex["status"], (where, r.body)
        answer = "" if ex["answer"] is None else compact(ex["answer"])
        assert r.body.decode() == answer, where
        assert r.headers == expected_headers(ex.get("headers", "json"), r.body), where
        if ("Connection", "close") in r.headers:
            assert c.at_eof(), f"{where}: said Connection: close but did not close"
    finally:
        c.close()
    return r
