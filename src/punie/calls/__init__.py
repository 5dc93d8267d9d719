"""The tool-call contract: structured calls, and the dialects that render and parse them as text.

    dialect = get_dialect("qwen3_xml")      # or "hermes_json", "json_fence"; DEFAULT_DIALECT
    text = dialect.render_calls([ToolCall("read_file", {"path": "a.py"})])
    result = dialect.parse(text, tools)     # ParseResult(content, calls, errors, reasoning); never raises
    parser = dialect.stream_parser(tools)   # parser.feed(chunk) / parser.close() -> list[StreamEvent]

Any chunking of a text gives the same content, reasoning, calls and errors as `parse` of the whole text.
"""

from punie.calls.registry import DEFAULT_DIALECT, DIALECTS, get_dialect
from punie.calls.render import render_tool_response
from punie.calls.streaming import collect_events
from punie.calls.types import (
    Dialect,
    ParseResult,
    StreamEvent,
    StreamParser,
    Tool,
    ToolCall,
    new_call_id,
)

__all__ = [
    "DEFAULT_DIALECT",
    "DIALECTS",
    "Dialect",
    "ParseResult",
    "StreamEvent",
    "StreamParser",
    "Tool",
    "ToolCall",
    "collect_events",
    "get_dialect",
    "new_call_id",
    "render_tool_response",
]
