"""The Qwen3-Coder XML dialect (the default): `<tool_call><function=NAME><parameter=KEY>...`."""

from __future__ import annotations

from punie.calls.render import render_tool_response, xml_value
from punie.calls.types import ParseResult, StreamParser, Tool, ToolCall


def render_call(call: ToolCall) -> str:
    parameters = "".join(
        f"<parameter={key}>\n{xml_value(value)}\n</parameter>\n" for key, value in call.arguments.items()
    )
    return f"<tool_call>\n<function={call.name}>\n{parameters}</function>\n</tool_call>"


class Qwen3XmlDialect:
    """Qwen3-Coder tool calls; values are raw text, typed by the tool's JSON Schema when parsed."""

    name = "qwen3_xml"

    def render_calls(self, calls: list[ToolCall]) -> str:
        return "\n".join(render_call(call) for call in calls)

    def render_tool_response(self, text: str) -> str:
        return render_tool_response(text)

    def parse(self, text: str, tools: list[Tool] | None = None) -> ParseResult:
        raise NotImplementedError("qwen3_xml parsing lands in the next commit")

    def stream_parser(self, tools: list[Tool] | None = None) -> StreamParser:
        raise NotImplementedError("qwen3_xml parsing lands in the next commit")
