"""Round trip: structured calls -> render_conversation -> the dialect's parser gives the same calls."""

from __future__ import annotations

import pytest

from punie.calls import get_dialect
from punie.calls.types import ToolCall
from punie.chat import assistant_spans

from .conversations import DIALECTS, GREP, READ, call, conversation


@pytest.mark.parametrize("dialect", DIALECTS)
def test_calls_parse_back_from_the_rendered_conversation(dialect: str) -> None:
    """render_calls -> render_conversation -> parse gives back the structured calls, for every dialect."""
    messages = conversation()
    messages[2]["tool_calls"].append(call("read_file", {"path": 'odd <name> & "quotes".py\nsecond line'}))
    messages.insert(5, {"role": "tool", "content": "x"})
    text, spans = assistant_spans(messages, [READ, GREP], dialect=dialect)
    turn = text[spans[0][0] : spans[0][1]].removesuffix("<|im_end|>")
    parsed = get_dialect(dialect).parse(turn, [READ, GREP])
    expected = [ToolCall.from_openai(entry) for entry in messages[2]["tool_calls"]]
    assert parsed.errors == []
    assert [(c.name, c.arguments) for c in parsed.calls] == [(c.name, c.arguments) for c in expected]
    assert parsed.content.strip() == ""
