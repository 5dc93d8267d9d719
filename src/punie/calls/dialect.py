"""A dialect is two things: how one call renders as text, and the incremental parser that reads calls back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from punie.calls.render import render_tool_response
from punie.calls.streaming import Scanner, parse_with
from punie.calls.syntax import CallSyntax
from punie.calls.types import ParseResult, Tool, ToolCall


@dataclass(frozen=True)
class TextDialect:
    """A `Dialect` built from a single-call renderer and a stream-parser class.

    `parse` feeds the whole text to the same stream parser, so batch and streaming agree by construction.
    `syntax` says where a call's tool name is written (used to force and constrain calls while decoding).
    """

    name: str
    render_call: Callable[[ToolCall], str]
    parser: Callable[[list[Tool] | None], Scanner]
    description: str = ""
    syntax: CallSyntax | None = None

    def render_calls(self, calls: list[ToolCall]) -> str:
        return "\n".join(self.render_call(call) for call in calls)

    def render_tool_response(self, text: str) -> str:
        return render_tool_response(text)

    def parse(self, text: str, tools: list[Tool] | None = None) -> ParseResult:
        return parse_with(self.parser(tools), text)

    def stream_parser(self, tools: list[Tool] | None = None) -> Scanner:
        return self.parser(tools)
