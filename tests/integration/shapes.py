"""Compares JSON values by shape: member names and order, JSON types, recursively."""
import os

import yaml

from conftest import SHARED


def json_type(v):
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if v is None:
        return "null"
    return type(v).__name__


def assert_same_shape(ours, ref, path="$", ordered=True):
    """ours must have the reference's members in the same order with the same types."""
    assert json_type(ours) == json_type(ref), f"{path}: {json_type(ours)} != {json_type(ref)}"
    if isinstance(ref, dict):
        if ordered:
            assert list(ours.keys()) == list(ref.keys()), f"{path}: {list(ours)} != {list(ref)}"
        for k in ref:
            if k == "local_variables":
                continue  # free-form object of strings
            assert_same_shape(ours[k], ref[k], f"{path}.{k}", ordered)
    elif isinstance(ref, list) and ref and ours:
        for i, item in enumerate(ours):
            assert_same_shape(item, ref[0], f"{path}[{i}]", ordered)


_SPEC = None


def openapi_validate(value, schema_name, array=False):
    """Validates against components/schemas/<schema_name> of the shipped OpenAPI file."""
    import jsonschema

    global _SPEC
    if _SPEC is None:
        with open(os.path.join(SHARED, "weechat-relay-api.yaml")) as f:
            _SPEC = yaml.safe_load(f)
    ref = {"$ref": f"#/components/schemas/{schema_name}"}
    schema = {"type": "array", "items": ref} if array else ref
    resolver = jsonschema.RefResolver.from_schema(_SPEC)
    jsonschema.Draft202012Validator(schema, resolver=resolver).validate(value)
