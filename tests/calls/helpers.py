"""Shared helpers for the punie.calls tests."""

from __future__ import annotations

from punie.calls import ParseResult, StreamEvent, Tool, collect_events, get_dialect
from punie.chat.prompts import WORKSPACE_TOOLS

TYPED = Tool(
    "typed",
    "A tool with one parameter of each JSON type.",
    {
        "type": "object",
        "properties": {
            "s": {"type": "string"},
            "i": {"type": "integer"},
            "n": {"type": "number"},
            "b": {"type": "boolean"},
            "o": {"type": "object"},
            "a": {"type": "array"},
            "maybe": {"type": ["integer", "null"]},
            "either": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
            "choice": {"anyOf": [{"type": "boolean"}, {"type": "array"}]},
            "nullable": {"type": "number", "nullable": True},
        },
    },
)
TOOLS: list[Tool] = [*WORKSPACE_TOOLS, TYPED]


def stream(dialect: str, text: str, cuts: list[int], tools=TOOLS) -> tuple[ParseResult, list[StreamEvent]]:
    """Feed `text` cut at `cuts` (sorted offsets) to a stream parser; return the folded result and events."""
    parser = get_dialect(dialect).stream_parser(tools)
    events: list[StreamEvent] = []
    start = 0
    for cut in [*cuts, len(text)]:
        events += parser.feed(text[start:cut])
        start = cut
    events += parser.close()
    return collect_events(events), events


def every(size: int, text: str) -> list[int]:
    return list(range(size, len(text), size))


def summary(result: ParseResult) -> tuple:
    """Everything a parse decides, without call ids."""
    calls = [(call.name, call.arguments) for call in result.calls]
    return result.content, result.reasoning, calls, result.errors
