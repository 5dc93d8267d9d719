"""Record validation: declared tools, argument schemas, turn order, tool results, flat metadata.

`validate_example` checks one record and returns `Issue`s naming a field path such as
`messages[2].tool_calls[0].function.arguments.path`. `validate_file` adds the file and line, and checks
that values keep one JSON type per field across the file, so `datasets.load_dataset("json")` can read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from punie.calls.coerce import json_type
from punie.calls.types import Tool
from punie.data.io import LineError, iter_json_lines
from punie.data.records import Example

ROLES = ("system", "user", "assistant", "tool")


@dataclass(frozen=True)
class Issue:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def _type_matches(value: Any, expected: str) -> bool:
    actual = json_type(value)
    return actual == expected or (expected == "number" and actual == "integer")


def schema_issues(value: Any, schema: dict[str, Any], where: str) -> list[Issue]:
    """Check a value against the JSON Schema subset tools use: type, properties, required, items, enum.

    Unknown object keys are errors unless the schema sets `additionalProperties`.
    """
    issues: list[Issue] = []
    expected = schema.get("type")
    if expected is not None:
        allowed = expected if isinstance(expected, list) else [expected]
        if not any(_type_matches(value, kind) for kind in allowed):
            return [Issue(where, f"expected {' or '.join(allowed)}, got {json_type(value)}")]
    if "enum" in schema and value not in schema["enum"]:
        issues.append(Issue(where, f"{value!r} is not one of {schema['enum']!r}"))
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        for name in schema.get("required") or []:
            if name not in value:
                issues.append(Issue(f"{where}.{name}", "required argument is missing"))
        for key, item in value.items():
            if key in properties:
                issues.extend(schema_issues(item, properties[key], f"{where}.{key}"))
            elif properties and not schema.get("additionalProperties"):
                issues.append(Issue(f"{where}.{key}", f"unknown argument (allowed: {', '.join(properties)})"))
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            issues.extend(schema_issues(item, schema["items"], f"{where}[{index}]"))
    return issues


def _tool_issues(example: Example) -> tuple[dict[str, Tool], list[Issue]]:
    tools: dict[str, Tool] = {}
    issues: list[Issue] = []
    for index, spec in enumerate(example.tools):
        try:
            tool = Tool.from_openai(spec)
        except (ValueError, AttributeError, TypeError) as exc:
            issues.append(Issue(f"tools[{index}]", str(exc)))
            continue
        if tool.name in tools:
            issues.append(Issue(f"tools[{index}].function.name", f"tool {tool.name!r} is declared twice"))
        tools[tool.name] = tool
    return tools, issues


def _call_issues(
    message: dict[str, Any], where: str, tools: dict[str, Tool]
) -> tuple[list[str], list[Issue]]:
    """Check one assistant message's tool_calls; return the called names and the issues."""
    names: list[str] = []
    issues: list[Issue] = []
    entries = message.get("tool_calls")
    if not isinstance(entries, list) or not entries:
        return names, [Issue(f"{where}.tool_calls", "must be a non-empty list when present")]
    for index, entry in enumerate(entries):
        call_where = f"{where}.tool_calls[{index}]"
        function = entry.get("function") if isinstance(entry, dict) else None
        if not isinstance(function, dict):
            issues.append(Issue(f"{call_where}.function", "missing or not an object"))
            names.append("")
            continue
        name = function.get("name")
        names.append(name if isinstance(name, str) else "")
        if not isinstance(name, str) or name not in tools:
            declared = ", ".join(tools) or "none"
            issues.append(
                Issue(f"{call_where}.function.name", f"{name!r} is not a declared tool ({declared})")
            )
            continue
        arguments = function.get("arguments")
        if not isinstance(arguments, dict):
            issues.append(
                Issue(f"{call_where}.function.arguments", "must be an object (a dict, not a string)")
            )
            continue
        issues.extend(schema_issues(arguments, tools[name].parameters, f"{call_where}.function.arguments"))
    return names, issues


def validate_example(example: Example) -> list[Issue]:
    """Every problem with one record (empty list when it is valid)."""
    tools, issues = _tool_issues(example)
    messages = example.messages
    if not messages:
        return [*issues, Issue("messages", "no messages")]
    pending: list[str] = []  # tool names still owed a result, in call order
    pending_ids: list[str | None] = []  # their ids, when the record carries OpenAI call ids
    previous = ""
    for index, message in enumerate(messages):
        where = f"messages[{index}]"
        if not isinstance(message, dict):
            issues.append(Issue(where, "must be an object"))
            continue
        role = message.get("role")
        if role not in ROLES:
            issues.append(Issue(f"{where}.role", f"unknown role {role!r}"))
            continue
        if not isinstance(message.get("content"), str):
            issues.append(Issue(f"{where}.content", "must be a string"))
        if pending and role != "tool":
            issues.append(
                Issue(where, f"{role} message, but calls to {', '.join(pending)} have no result yet")
            )
            pending, pending_ids = [], []
        if role == "system" and index != 0:
            issues.append(Issue(f"{where}.role", "a system message may only come first"))
        elif role == "user" and previous == "user":
            issues.append(Issue(f"{where}.role", "two user messages in a row"))
        elif role == "assistant":
            if previous not in ("user", "tool"):
                issues.append(
                    Issue(
                        f"{where}.role",
                        f"an assistant message must follow a user or tool message, "
                        f"not {previous or 'the start'}",
                    )
                )
            if "tool_calls" in message:
                names, call_issues = _call_issues(message, where, tools)
                issues.extend(call_issues)
                pending = names
                pending_ids = [
                    entry.get("id") if isinstance(entry, dict) else None
                    for entry in message["tool_calls"] or []
                ]
        elif role == "tool":
            if not pending:
                issues.append(Issue(where, "tool result does not answer any call"))
            else:
                expected = pending.pop(0)
                expected_id = pending_ids.pop(0) if pending_ids else None
                name = message.get("name")
                if name is not None and expected and name != expected:
                    issues.append(
                        Issue(f"{where}.name", f"answers {name!r} but the call was to {expected!r}")
                    )
                call_id = message.get("tool_call_id")
                if call_id is not None and expected_id is not None and call_id != expected_id:
                    issues.append(
                        Issue(
                            f"{where}.tool_call_id",
                            f"{call_id!r} does not match the call's id {expected_id!r}",
                        )
                    )
        previous = role
    # A conversation may end on a call (calls still pending): that teaches the decision to call.
    last_role = messages[-1].get("role") if isinstance(messages[-1], dict) else None
    if last_role != "assistant":
        issues.append(
            Issue(
                f"messages[{len(messages) - 1}].role",
                f"the last turn must be the assistant's, not {last_role!r}",
            )
        )
    for key, value in example.meta.items():
        if json_type(value) not in ("string", "integer", "number", "boolean"):
            issues.append(
                Issue(f"meta.{key}", f"meta must be flat (string/number/boolean), got {json_type(value)}")
            )
    return issues


@dataclass
class FileReport:
    """Validation result for one file."""

    path: str
    lines: int = 0
    valid: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _loader_type(value: Any) -> str:
    """The JSON type as Arrow sees it: integers and floats share one numeric column."""
    kind = json_type(value)
    return "number" if kind == "integer" else kind


def _typed_fields(example: Example) -> Iterator[tuple[str, str]]:
    """(field, type) pairs whose types must agree across a file for Arrow-based loaders."""
    for key, value in example.meta.items():
        yield f"meta.{key}", _loader_type(value)
    for call in example.calls:
        for key, value in call.arguments.items():
            if value is not None:
                yield f"arguments.{key}", _loader_type(value)


def validate_file(path: str | Path, progress: Callable[[int], None] | None = None) -> FileReport:
    """Validate every line; each error names file, line and field. `progress(line)` is called per line."""
    name = str(path)
    report = FileReport(name)
    first_type: dict[str, tuple[str, int]] = {}
    for number, value in iter_json_lines(path):
        report.lines += 1
        if progress:
            progress(number)
        if isinstance(value, LineError):
            report.errors.append(value)
            continue
        try:
            example = Example.from_dict(value)
        except TypeError as exc:
            report.errors.append(LineError(name, number, "", str(exc)))
            continue
        issues = validate_example(example)
        if not issues:
            try:
                typed = list(_typed_fields(example))
            except (KeyError, ValueError, TypeError) as exc:
                typed, issues = [], [Issue("messages", str(exc))]
            for key, kind in typed:
                seen = first_type.setdefault(key, (kind, number))
                if seen[0] != kind:
                    issues.append(
                        Issue(
                            key,
                            f"is {kind} here but {seen[0]} on line {seen[1]} "
                            f"(one type per field keeps the file loadable as a dataset)",
                        )
                    )
        report.errors.extend(LineError(name, number, issue.field, issue.message) for issue in issues)
        if not issues:
            report.valid += 1
    return report
