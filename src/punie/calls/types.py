"""The tool-call contract as data: tools, calls, parse results and stream events."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from punie.calls.syntax import CallSyntax


def new_call_id() -> str:
    """A fresh OpenAI-style call id (`call_` + 24 hex digits)."""
    return "call_" + secrets.token_hex(12)


@dataclass(frozen=True)
class Tool:
    """A tool the model may call: a name, a description and JSON-Schema parameters."""

    name: str
    description: str = ""
    parameters: dict[str, Any] = field(default_factory=lambda: {"type": "object", "properties": {}})

    @classmethod
    def from_openai(cls, spec: dict[str, Any]) -> Tool:
        """Build from an OpenAI tool entry (`{"type": "function", "function": {...}}`) or a bare function."""
        function = spec.get("function", spec)
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            raise ValueError(f"not an OpenAI tool definition: {spec!r}")
        parameters = function.get("parameters") or {"type": "object", "properties": {}}
        return cls(function["name"], function.get("description") or "", parameters)

    def to_openai(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters},
        }

    @property
    def properties(self) -> dict[str, Any]:
        props = self.parameters.get("properties") or {}
        return props if isinstance(props, dict) else {}

    @property
    def argument_names(self) -> tuple[str, ...] | None:
        """The only argument names a call may use: the declared properties, unless the schema declares none
        or allows others (`additionalProperties` set to anything but false)."""
        extra = self.parameters.get("additionalProperties")
        if not self.properties or extra not in (None, False):
            return None
        return tuple(self.properties)

    @property
    def required(self) -> list[str]:
        return list(self.parameters.get("required") or [])


@dataclass
class ToolCall:
    """One structured call: the only form a tool call has inside Punie."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)
    id: str = field(default_factory=new_call_id)

    def arguments_json(self) -> str:
        return json.dumps(self.arguments, ensure_ascii=False)

    def to_openai(self) -> dict[str, Any]:
        """The OpenAI `tool_calls` entry (arguments as a JSON string)."""
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments_json()},
        }

    @classmethod
    def from_openai(cls, entry: dict[str, Any]) -> ToolCall:
        """Read an OpenAI `tool_calls` entry; arguments may be a dict or a JSON string."""
        function = entry.get("function", entry)
        arguments = function.get("arguments") or {}
        if isinstance(arguments, str):
            arguments = json.loads(arguments) if arguments.strip() else {}
        if not isinstance(arguments, dict):
            raise ValueError(f"tool call arguments must be an object, got {type(arguments).__name__}")
        return cls(name=function["name"], arguments=arguments, id=entry.get("id") or new_call_id())

    def same_call(self, other: ToolCall) -> bool:
        """Equal name and arguments (ids are ignored)."""
        return self.name == other.name and self.arguments == other.arguments


@dataclass
class ParseResult:
    """What a dialect found in a model's text. `errors` explains anything that was not a clean call.

    `content` is the text outside calls and think blocks, `reasoning` the text inside `<think>...</think>`;
    each has its leading and trailing whitespace removed. Text that looked like a call but was not one
    (unknown or invalid name, truncated, invalid JSON) stays in `content` and is explained in `errors`.
    """

    content: str
    calls: list[ToolCall] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reasoning: str = ""


EventKind = Literal["content", "reasoning", "call_start", "call_args", "call_end", "error"]


@dataclass
class StreamEvent:
    """One increment from a stream parser.

    - `content` / `reasoning`: `text`
    - `call_start`: `index`, `id`, `name` (once per call)
    - `call_args`: `index`, `fragment` (a call's fragments concatenate to the JSON of its final arguments)
    - `call_end`: `index`, `call` (the finished ToolCall)
    - `error`: `text` (a diagnostic; the offending text is also emitted as content). `index` is -1, or the
      index of a started call that was dropped (e.g. truncated): no `call_end` follows for that index.

    Indexes count `call_start` events from 0 in order. `collect_events(events)` folds a stream's events
    into the ParseResult that `parse` returns for the same text.
    """

    kind: EventKind
    text: str = ""
    index: int = -1
    id: str = ""
    name: str = ""
    fragment: str = ""
    call: ToolCall | None = None


class StreamParser(Protocol):
    def feed(self, chunk: str) -> list[StreamEvent]: ...

    def close(self) -> list[StreamEvent]: ...


class Dialect(Protocol):
    """How tool calls look as text for one model family (`syntax`: where a call writes its tool name)."""

    name: str
    syntax: CallSyntax | None

    def render_calls(self, calls: list[ToolCall]) -> str: ...

    def render_tool_response(self, text: str) -> str: ...

    def parse(self, text: str, tools: list[Tool] | None = None) -> ParseResult: ...

    def stream_parser(self, tools: list[Tool] | None = None) -> StreamParser: ...
