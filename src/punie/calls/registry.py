"""Dialects by name."""

from __future__ import annotations

from punie.calls.hermes_json import HermesJsonDialect
from punie.calls.json_fence import JsonFenceDialect
from punie.calls.qwen3_xml import Qwen3XmlDialect
from punie.calls.types import Dialect

DEFAULT_DIALECT = "qwen3_xml"

DIALECTS: dict[str, Dialect] = {
    dialect.name: dialect for dialect in (Qwen3XmlDialect(), HermesJsonDialect(), JsonFenceDialect())
}


def get_dialect(name: str = DEFAULT_DIALECT) -> Dialect:
    """The dialect called `name` ("qwen3_xml", "hermes_json" or "json_fence")."""
    try:
        return DIALECTS[name]
    except KeyError:
        known = ", ".join(sorted(DIALECTS))
        raise ValueError(f"unknown tool-call dialect {name!r}; known dialects: {known}") from None
