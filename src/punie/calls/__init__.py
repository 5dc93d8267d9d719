"""The tool-call contract: structured calls, and the dialects that render and parse them as text."""

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
