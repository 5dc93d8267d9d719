"""Dialects by name."""

from __future__ import annotations

from punie.calls.hermes_json import HERMES_JSON
from punie.calls.json_fence import JSON_FENCE
from punie.calls.qwen3_xml import QWEN3_XML
from punie.calls.types import Dialect

DEFAULT_DIALECT = "qwen3_xml"

DIALECTS: dict[str, Dialect] = {dialect.name: dialect for dialect in (QWEN3_XML, HERMES_JSON, JSON_FENCE)}


def get_dialect(name: str = DEFAULT_DIALECT) -> Dialect:
    """The dialect called `name` ("qwen3_xml", "hermes_json" or "json_fence")."""
    try:
        return DIALECTS[name]
    except KeyError:
        known = ", ".join(sorted(DIALECTS))
        raise ValueError(f"unknown tool-call dialect {name!r}; known dialects: {known}") from None
