"""Evaluation cases (the JSONL format of design.md): loading and validation with file:line errors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from punie.calls.types import Tool

Kind = Literal["tool_call", "direct"]
KINDS: tuple[str, ...] = ("tool_call", "direct")
ROLES = frozenset({"system", "user", "assistant", "tool", "developer"})


class CaseError(ValueError):
    """A case that cannot be evaluated; the message says where (file:line) and what is wrong."""


@dataclass(frozen=True)
class Expected:
    """What a case expects: a call to one of `names` with allowed argument values, or a direct answer."""

    kind: Kind
    names: tuple[str, ...] = ()
    arguments: dict[str, list[Any]] = field(default_factory=dict)
    optional: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        if self.kind == "direct":
            return {"kind": "direct"}
        return {
            "kind": self.kind,
            "name": list(self.names),
            "arguments": self.arguments,
            "optional": sorted(self.optional),
        }


@dataclass(frozen=True)
class EvalCase:
    """One evaluation case: a conversation so far, the tools offered, and the expected next move."""

    id: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    expected: Expected
    source: str = ""

    @property
    def tool_objects(self) -> list[Tool]:
        return [Tool.from_openai(spec) for spec in self.tools]

    def tool(self, name: str) -> Tool | None:
        return next((tool for tool in self.tool_objects if tool.name == name), None)

    @property
    def prompt(self) -> str:
        """The last user message (for reports)."""
        users = [m for m in self.messages if m.get("role") == "user"]
        content = users[-1].get("content", "") if users else ""
        return content if isinstance(content, str) else json.dumps(content)


def case_from_dict(data: Any, where: str) -> EvalCase:
    """Validate one decoded JSON object as a case; `where` (e.g. `cases.jsonl:12`) prefixes every error."""
    if not isinstance(data, dict):
        raise CaseError(f"{where}: a case must be a JSON object, got {type(data).__name__}")
    case_id = data.get("id", where)
    if not isinstance(case_id, str | int) or isinstance(case_id, bool):
        raise CaseError(f"{where}: field 'id' must be a string")
    messages = _messages(data.get("messages"), where)
    tools = _tools(data.get("tools", []), where)
    expected = _expected(data.get("expected"), tools, where)
    source = data.get("source", "")
    return EvalCase(str(case_id), messages, [t.to_openai() for t in tools], expected, str(source or ""))


def _messages(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise CaseError(f"{where}: field 'messages' must be a non-empty list")
    for index, message in enumerate(value):
        if not isinstance(message, dict):
            raise CaseError(f"{where}: messages[{index}] must be an object")
        if message.get("role") not in ROLES:
            raise CaseError(f"{where}: messages[{index}].role must be one of {sorted(ROLES)}")
    if value[-1].get("role") not in ("user", "tool"):
        raise CaseError(f"{where}: the last message must be from the user or a tool (the model answers next)")
    return value


def _tools(value: Any, where: str) -> list[Tool]:
    if not isinstance(value, list):
        raise CaseError(f"{where}: field 'tools' must be a list")
    tools: list[Tool] = []
    for index, spec in enumerate(value):
        try:
            tools.append(Tool.from_openai(spec))
        except (ValueError, AttributeError, TypeError) as exc:
            raise CaseError(f"{where}: tools[{index}] is not an OpenAI tool definition ({exc})") from exc
    return tools


def _expected(value: Any, tools: list[Tool], where: str) -> Expected:
    if not isinstance(value, dict):
        raise CaseError(f"{where}: field 'expected' must be an object")
    kind = value.get("kind")
    if kind not in KINDS:
        raise CaseError(f"{where}: expected.kind must be 'tool_call' or 'direct', got {kind!r}")
    if kind == "direct":
        if value.get("name") or value.get("arguments"):
            raise CaseError(f"{where}: a 'direct' case must not name a tool or arguments")
        return Expected("direct")
    names = _names(value.get("name"), tools, where)
    by_name = {tool.name: tool for tool in tools}
    known_params = {param for name in names for param in by_name[name].properties}
    arguments = value.get("arguments") or {}
    if not isinstance(arguments, dict):
        raise CaseError(f"{where}: expected.arguments must map parameters to lists of allowed values")
    for param, allowed in arguments.items():
        if param not in known_params:
            raise CaseError(f"{where}: expected.arguments.{param} is not a parameter of {', '.join(names)}")
        if not isinstance(allowed, list) or not allowed:
            raise CaseError(f"{where}: expected.arguments.{param} must be a non-empty list of allowed values")
    optional = value.get("optional") or []
    if not isinstance(optional, list) or not all(isinstance(p, str) for p in optional):
        raise CaseError(f"{where}: expected.optional must be a list of parameter names")
    for param in optional:
        if param not in known_params:
            raise CaseError(
                f"{where}: expected.optional names {param!r}, not a parameter of {', '.join(names)}"
            )
    return Expected("tool_call", names, dict(arguments), frozenset(optional))


def _names(value: Any, tools: list[Tool], where: str) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise CaseError(f"{where}: expected.name must be a tool name or a non-empty list of names")
    offered = {tool.name for tool in tools}
    for name in names:
        if name not in offered:
            raise CaseError(
                f"{where}: expected.name {name!r} is not among the case's tools {sorted(offered)}"
            )
    return tuple(names)


def read_jsonl(path: Path) -> list[tuple[str, Any]]:
    """Decode a JSONL file into (`file:line`, object) pairs, skipping blank lines; bad JSON names its line."""
    rows: list[tuple[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                rows.append((where, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise CaseError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
    return rows


def load_cases(path: Path) -> list[EvalCase]:
    """Read a JSONL file of cases; the first bad line raises CaseError naming file and line."""
    cases = [case_from_dict(data, where) for where, data in read_jsonl(path)]
    seen: dict[str, int] = {}
    for index, case in enumerate(cases):
        if case.id in seen:
            raise CaseError(
                f"{path}: duplicate case id {case.id!r} (cases {seen[case.id] + 1} and {index + 1})"
            )
        seen[case.id] = index
    return cases
