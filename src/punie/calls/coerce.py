"""Schema-guided typing of Qwen3 XML parameter values (raw text -> JSON value)."""

from __future__ import annotations

import ast
import json
import math
import re
import warnings
from typing import Any

_INTEGER = re.compile(r"[+-]?\d+")
_TRY_ORDER = ("null", "boolean", "integer", "number", "object", "array")
_TRUE = {"true": True, "false": False}
_NULL = ("null", "none")


class CoercionError(ValueError):
    """The text does not fit any type the schema allows."""


def allowed_types(schema: Any) -> set[str]:
    """JSON types a (sub)schema allows, following `type` lists, `anyOf`/`oneOf` and `nullable`."""
    if not isinstance(schema, dict):
        return set()
    types: set[str] = set()
    declared = schema.get("type")
    if isinstance(declared, str):
        types.add(declared)
    elif isinstance(declared, list):
        types.update(t for t in declared if isinstance(t, str))
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key) or []:
            types |= allowed_types(option)
    if schema.get("nullable") is True:
        types.add("null")
    if "enum" in schema and not types:
        types |= {json_type(value) for value in schema["enum"]}
    return types


def json_type(value: Any) -> str:
    """The JSON Schema type name of a Python value (its Python type name when it is not JSON)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def coerce_value(text: str, schema: Any) -> Any:
    """Type `text` by `schema`. Unknown or string-typed parameters stay text.

    Raises CoercionError when the schema allows only types the text does not fit.
    """
    types = allowed_types(schema)
    if not types or types == {"string"}:
        return text
    for json_type in _TRY_ORDER:
        if json_type in types:
            try:
                return _CONVERTERS[json_type](text.strip())
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                continue
    if "string" in types:
        return text
    raise CoercionError(f"{text[:60]!r} is not a valid {' or '.join(sorted(types))}")


def _null(text: str) -> None:
    if text.lower() not in _NULL:
        raise ValueError(text)


def _boolean(text: str) -> bool:
    try:
        return _TRUE[text.lower()]
    except KeyError:
        raise ValueError(text) from None


def _integer(text: str) -> int:
    if _INTEGER.fullmatch(text):
        return int(text)
    number = _number(text)
    if isinstance(number, float) and not number.is_integer():
        raise ValueError(text)
    return int(number)


def _number(text: str) -> int | float:
    if _INTEGER.fullmatch(text):
        return int(text)
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _container(text: str, kind: type) -> Any:
    try:
        value = json.loads(text)
    except ValueError:
        with warnings.catch_warnings():  # e.g. invalid escape sequences in code-like text
            warnings.simplefilter("ignore")
            value = ast.literal_eval(text)
    if not isinstance(value, kind):
        raise TypeError(text)
    return json.loads(json.dumps(value))  # Python tuples/sets-free, JSON-clean


_CONVERTERS = {
    "null": _null,
    "boolean": _boolean,
    "integer": _integer,
    "number": _number,
    "object": lambda text: _container(text, dict),
    "array": lambda text: _container(text, list),
}
