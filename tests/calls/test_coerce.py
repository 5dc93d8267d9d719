"""Schema-guided typing of Qwen3 XML parameter values."""

import pytest

from punie.calls.coerce import CoercionError, allowed_types, coerce_value

INT = {"type": "integer"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}

CASES = [
    ("integer", "42", INT, 42),
    ("integer with spaces and sign", " -7 ", INT, -7),
    ("integral float for integer", "140.0", INT, 140),
    ("exponent for integer", "1e3", INT, 1000),
    ("number int", "3", NUM, 3),
    ("number float", "2.5", NUM, 2.5),
    ("boolean json", "true", BOOL, True),
    ("boolean python", "False", BOOL, False),
    ("null where allowed", "null", {"type": ["integer", "null"]}, None),
    ("None where allowed", "None", {"anyOf": [{"type": "integer"}, {"type": "null"}]}, None),
    ("nullable flag", "None", {"type": "number", "nullable": True}, None),
    ("object json", '{"a": [1, "x"]}', {"type": "object"}, {"a": [1, "x"]}),
    ("object python literal", "{'a': (1, True, None)}", {"type": "object"}, {"a": [1, True, None]}),
    ("array json", '[1, "ü", {"k": null}]', {"type": "array"}, [1, "ü", {"k": None}]),
    ("array python literal", "['a', 'b']", {"type": "array"}, ["a", "b"]),
    ("anyOf picks the fitting type", "12", {"anyOf": [{"type": "boolean"}, {"type": "integer"}]}, 12),
    ("type list", "true", {"type": ["integer", "boolean"]}, True),
    ("string fallback in anyOf", "abc", {"anyOf": [{"type": "integer"}, {"type": "string"}]}, "abc"),
    ("string never coerced", "123", {"type": "string"}, "123"),
    ("string keeps spaces and None", " None\n", {"type": "string"}, " None\n"),
    ("no schema stays string", "42", None, "42"),
    ("schema without type stays string", "42", {"description": "x"}, "42"),
    ("enum infers type", "2", {"enum": [1, 2, 3]}, 2),
]


@pytest.mark.parametrize(("text", "schema", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_coerce_value(text, schema, expected):
    value = coerce_value(text, schema)
    assert value == expected
    assert type(value) is type(expected)


FAILURES = [
    ("fraction for integer", "140.5", INT),
    ("word for integer", "ten", INT),
    ("null not allowed", "null", INT),
    ("None not allowed", "None", NUM),
    ("infinity", "inf", NUM),
    ("yes is not a boolean", "yes", BOOL),
    ("array is not an object", "[1]", {"type": "object"}),
    ("broken object", "{'a': ", {"type": "object"}),
    ("neither anyOf branch", "x", {"anyOf": [{"type": "integer"}, {"type": "boolean"}]}),
]


@pytest.mark.parametrize(("text", "schema"), [c[1:] for c in FAILURES], ids=[c[0] for c in FAILURES])
def test_coerce_value_reports_what_does_not_fit(text, schema):
    with pytest.raises(CoercionError, match="is not a valid"):
        coerce_value(text, schema)


def test_allowed_types_follows_combinators():
    schema = {"anyOf": [{"type": ["integer", "string"]}, {"oneOf": [{"type": "null"}]}]}
    assert allowed_types(schema) == {"integer", "string", "null"}
    assert allowed_types("not a schema") == set()
