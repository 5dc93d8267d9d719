"""Round trip: structured calls -> render_conversation -> the dialect's parser gives the same calls."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from punie.calls import get_dialect
from punie.calls.types import Tool, ToolCall
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


_values = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.booleans(),
    st.lists(st.text(max_size=8), max_size=3),
    st.dictionaries(st.text(min_size=1, max_size=8), st.integers(), max_size=3),
)
_arguments = st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True), _values, max_size=4)


_JSON_TYPES = {str: "string", int: "integer", bool: "boolean", list: "array", dict: "object"}


@pytest.mark.parametrize("dialect", DIALECTS)
@settings(max_examples=60, deadline=None)
@given(arguments=_arguments, content=st.sampled_from(["", "Let me check.", "Looking at it:\n"]))
def test_any_arguments_survive_render_conversation_and_parse(
    dialect: str, arguments: dict, content: str
) -> None:
    """Arbitrary typed arguments come back exactly, parsed with the tool's schema as the server does."""
    properties = {key: {"type": _JSON_TYPES[type(value)]} for key, value in arguments.items()}
    tool = Tool("anything", "", {"type": "object", "properties": properties})
    messages = [
        {"role": "user", "content": "go"},
        {"role": "assistant", "content": content, "tool_calls": [call("anything", arguments)]},
    ]
    text, spans = assistant_spans(messages, [tool], dialect=dialect)
    parsed = get_dialect(dialect).parse(text[spans[0][0] : spans[0][1]].removesuffix("<|im_end|>"), [tool])
    assert [(c.name, c.arguments) for c in parsed.calls] == [("anything", arguments)]
    assert parsed.content.strip() == content.strip()
