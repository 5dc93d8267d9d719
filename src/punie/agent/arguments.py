"""Checking a model's tool arguments against the tool's JSON Schema, with gentle coercion of obvious cases."""

from __future__ import annotations

from typing import Any

from punie.calls.types import Tool


class ToolArgumentError(Exception):
    """The call itself is malformed (missing, unknown or mistyped arguments); the model should retry."""


def _coerce(name: str, value: Any, schema: dict[str, Any]) -> Any:
    expected = schema.get("type")
    if expected == "string":
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
    elif expected == "integer":
        if isinstance(value, bool):
            pass
        elif isinstance(value, int):
            return value
        elif isinstance(value, float) and value.is_integer():
            return int(value)
        elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value.strip())
    elif expected == "boolean":
        if isinstance(value, bool):
            return value
    else:
        return value
    raise ToolArgumentError(f"argument {name!r} must be of type {expected}, got {value!r}")


def check_arguments(tool: Tool, arguments: Any) -> dict[str, Any]:
    """Validated (and lightly coerced) arguments, or a ToolArgumentError explaining what is wrong."""
    if not isinstance(arguments, dict):
        raise ToolArgumentError(f"arguments for {tool.name} must be a JSON object, got {arguments!r}")
    properties = tool.properties
    unknown = sorted(set(arguments) - set(properties))
    if unknown:
        raise ToolArgumentError(
            f"unknown argument(s) {', '.join(unknown)} for {tool.name}; "
            f"its parameters are: {', '.join(properties)}"
        )
    missing = [name for name in tool.required if arguments.get(name) is None]
    if missing:
        raise ToolArgumentError(f"{tool.name} needs the argument(s): {', '.join(missing)}")
    return {
        name: _coerce(name, value, properties[name]) for name, value in arguments.items() if value is not None
    }
