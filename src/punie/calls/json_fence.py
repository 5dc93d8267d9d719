"""The legacy fenced-JSON dialect: a ```json block holding `{"name": ..., "arguments": ...}`."""

from __future__ import annotations

from punie.calls.render import dumps, render_tool_response
from punie.calls.types import ParseResult, StreamParser, Tool, ToolCall


def render_call(call: ToolCall) -> str:
    return f"```json\n{dumps({'name': call.name, 'arguments': call.arguments})}\n```"


class JsonFenceDialect:
    """Tool calls as fenced JSON blocks (found in legacy training data only)."""

    name = "json_fence"

    def render_calls(self, calls: list[ToolCall]) -> str:
        return "\n".join(render_call(call) for call in calls)

    def render_tool_response(self, text: str) -> str:
        return render_tool_response(text)

    def parse(self, text: str, tools: list[Tool] | None = None) -> ParseResult:
        raise NotImplementedError("json_fence parsing lands in the next commit")

    def stream_parser(self, tools: list[Tool] | None = None) -> StreamParser:
        raise NotImplementedError("json_fence parsing lands in the next commit")
