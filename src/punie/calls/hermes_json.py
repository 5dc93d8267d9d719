"""The Hermes / Qwen2.5 JSON dialect: `<tool_call>\\n{"name": ..., "arguments": {...}}\\n</tool_call>`."""

from __future__ import annotations

from punie.calls.render import dumps, render_tool_response
from punie.calls.types import ParseResult, StreamParser, Tool, ToolCall


def render_call(call: ToolCall) -> str:
    return f"<tool_call>\n{dumps({'name': call.name, 'arguments': call.arguments})}\n</tool_call>"


class HermesJsonDialect:
    """JSON tool calls wrapped in `<tool_call>` tags."""

    name = "hermes_json"

    def render_calls(self, calls: list[ToolCall]) -> str:
        return "\n".join(render_call(call) for call in calls)

    def render_tool_response(self, text: str) -> str:
        return render_tool_response(text)

    def parse(self, text: str, tools: list[Tool] | None = None) -> ParseResult:
        raise NotImplementedError("hermes_json parsing lands in the next commit")

    def stream_parser(self, tools: list[Tool] | None = None) -> StreamParser:
        raise NotImplementedError("hermes_json parsing lands in the next commit")
