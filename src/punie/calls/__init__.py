"""The tool-call contract: structured calls, and the dialects that render and parse them as text."""

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
    "Dialect",
    "ParseResult",
    "StreamEvent",
    "StreamParser",
    "Tool",
    "ToolCall",
    "new_call_id",
]
