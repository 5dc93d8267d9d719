"""Scoring one case: the decision, the tool name, the arguments, and the validity of the call format.

Argument rules: strings match after lower-casing and dropping whitespace and punctuation; an integer is
accepted where a number is expected, a float is not accepted where an integer is; booleans match only
booleans; lists match element by element, in order; a listed parameter in `optional` may be left out;
a parameter the tool's schema does not declare fails the call.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from punie.calls.coerce import json_type
from punie.calls.types import Tool
from punie.eval.cases import EvalCase, Expected
from punie.eval.results import CaseRun, RecordedCall

_XML_MARKERS = ("<tool_call", "</tool_call", "<function=", "</function>", "<parameter=")
_FENCED_CALL = re.compile(r"```(?:json)?\s*\{[^`]*\"name\"\s*:", re.IGNORECASE)


def normalise_text(text: str) -> str:
    """Lower case without whitespace or punctuation: `" Django-Views. "` -> `djangoviews`."""
    return "".join(
        ch for ch in text.lower() if not ch.isspace() and not unicodedata.category(ch).startswith("P")
    )


def _schema_type(schema: dict[str, Any] | None, allowed: Any) -> str:
    declared = (schema or {}).get("type")
    if isinstance(declared, list):
        declared = next((t for t in declared if t != "null"), None)
    if isinstance(declared, str):
        return declared
    return json_type(allowed)  # allowed values come from JSON cases, so this is always a JSON type name


def value_matches(actual: Any, allowed: Any, schema: dict[str, Any] | None = None) -> bool:
    """Whether one argument value matches one allowed value under the rules above."""
    kind = _schema_type(schema, allowed)
    if kind == "boolean":
        return isinstance(actual, bool) and isinstance(allowed, bool) and actual == allowed
    if kind in ("integer", "number"):
        if isinstance(actual, bool) or isinstance(allowed, bool):
            return False
        if not isinstance(allowed, int | float) or not isinstance(actual, int | float):
            return False
        if kind == "integer" and not isinstance(actual, int):
            return False
        return math.isclose(actual, allowed, rel_tol=1e-9, abs_tol=1e-12)
    if kind == "string":
        return (
            isinstance(actual, str)
            and isinstance(allowed, str)
            and (normalise_text(actual) == normalise_text(allowed))
        )
    if kind == "array":
        items = (schema or {}).get("items") if isinstance((schema or {}).get("items"), dict) else None
        return (
            isinstance(actual, list)
            and isinstance(allowed, list)
            and len(actual) == len(allowed)
            and all(value_matches(a, b, items) for a, b in zip(actual, allowed, strict=True))
        )
    if kind == "object":
        props = (schema or {}).get("properties") or {}
        return (
            isinstance(actual, dict)
            and isinstance(allowed, dict)
            and actual.keys() == allowed.keys()
            and all(value_matches(actual[k], allowed[k], props.get(k)) for k in allowed)
        )
    if kind == "null":
        return actual is None and allowed is None
    return bool(actual == allowed)


def argument_failures(arguments: dict[str, Any], expected: Expected, tool: Tool) -> list[str]:
    """Why these arguments do not satisfy the expectation (empty when they do)."""
    failures = [f"unknown parameter {key!r}" for key in arguments if key not in tool.properties]
    for param, allowed in expected.arguments.items():
        if param not in arguments:
            if param not in expected.optional:
                failures.append(f"missing {param!r}")
            continue
        schema = tool.properties.get(param)
        if not any(value_matches(arguments[param], value, schema) for value in allowed):
            failures.append(f"{param}={arguments[param]!r} not in {allowed!r}")
    return failures


def has_call_markers(text: str) -> bool:
    """Whether text looks like an attempt at a tool call in any of Punie's dialects."""
    return any(marker in text for marker in _XML_MARKERS) or bool(_FENCED_CALL.search(text))


@dataclass
class CaseScore:
    """The verdicts on one case; name/argument verdicts are None when no call is expected."""

    expects_call: bool
    called: bool
    decision_ok: bool
    name_ok: bool | None
    arguments_ok: bool | None
    format_attempted: bool
    format_ok: bool | None
    notes: list[str] = field(default_factory=list)


def format_problems(run: CaseRun, tools: list[Tool], dialect: str = "qwen3_xml") -> tuple[bool, list[str]]:
    """(attempted, problems): text that tries to be a call but did not become a clean structured call."""
    from punie.calls import get_dialect

    problems = [f"call {call.name!r}: {call.error}" for call in run.calls if call.error]
    attempted = bool(run.calls) or has_call_markers(run.content) or has_call_markers(run.raw_text)
    if has_call_markers(run.content):
        seen = "beside the returned calls" if run.calls else "the client sees no call"
        problems.append(f"call text left in the content: {seen}")
        parsed = get_dialect(dialect).parse(run.content, tools)
        problems.extend(f"{dialect}: {error}" for error in parsed.errors)
        if parsed.calls and not parsed.errors:
            names = ", ".join(call.name for call in parsed.calls)
            problems.append(f"{dialect} parses it as {names}, but the server did not return it as tool_calls")
    if run.raw_text_source == "server" and has_call_markers(run.raw_text):
        parsed = get_dialect(dialect).parse(run.raw_text, tools)
        problems.extend(f"{dialect}: {error}" for error in parsed.errors)
    return attempted, problems


def _best_call(calls: list[RecordedCall], expected: Expected, case: EvalCase) -> tuple[bool, bool, list[str]]:
    named = [call for call in calls if call.name in expected.names]
    if not named:
        got = ", ".join(call.name for call in calls) or "no call"
        return False, False, [f"expected {' or '.join(expected.names)}, got {got}"]
    notes: list[str] = []
    for call in named:
        tool = case.tool(call.name)
        if call.arguments is None or tool is None:
            notes.append(f"{call.name}: {call.error or 'unknown tool'}")
            continue
        failures = argument_failures(call.arguments, expected, tool)
        if not failures:
            return True, True, []
        notes.append(f"{call.name}: " + "; ".join(failures))
    return True, False, notes


def score_case(case: EvalCase, run: CaseRun, dialect: str = "qwen3_xml") -> CaseScore:
    """Score one recorded run against its case."""
    expects_call = case.expected.kind == "tool_call"
    called = bool(run.calls)
    attempted, problems = format_problems(run, case.tool_objects, dialect)
    notes = [f"request failed: {run.error}"] if run.error else []
    notes.extend(problems)
    name_ok = arguments_ok = None
    if expects_call:
        name_ok, arguments_ok, call_notes = _best_call(run.calls, case.expected, case)
        notes.extend(call_notes)
    return CaseScore(
        expects_call=expects_call,
        called=called,
        decision_ok=called == expects_call,
        name_ok=name_ok,
        arguments_ok=arguments_ok,
        format_attempted=attempted,
        format_ok=(not problems) if attempted else None,
        notes=notes,
    )
