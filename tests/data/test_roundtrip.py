"""Property: a record rendered by punie.chat and parsed back by its dialect gives back the same calls."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from punie.calls import ToolCall, get_dialect
from punie.chat import WORKSPACE_TOOLS, assistant_spans
from punie.data.generator import generate_examples
from punie.data.records import Example, assistant_call_message, message_calls, tool_message

END_OF_TURN = "<|im_end|>"


def parsed_turns(example: Example, dialect: str) -> list[tuple[list[ToolCall], list[ToolCall]]]:
    """(structured calls, calls parsed from the rendered text) for each assistant turn."""
    text, spans = assistant_spans(example.messages, example.tools, dialect=dialect)
    assistants = [m for m in example.messages if m["role"] == "assistant"]
    assert len(spans) == len(assistants)
    pairs = []
    for message, (start, end) in zip(assistants, spans, strict=True):
        turn = text[start:end].removesuffix(END_OF_TURN)
        result = get_dialect(dialect).parse(turn, example.tool_objects)
        assert result.errors == [], (turn, result.errors)
        pairs.append((message_calls(message), result.calls))
    return pairs


def same(expected: list[ToolCall], got: list[ToolCall]) -> bool:
    return len(expected) == len(got) and all(a.same_call(b) for a, b in zip(expected, got, strict=True))


@pytest.mark.parametrize("dialect", ["qwen3_xml", "hermes_json"])
def test_generated_examples_round_trip(dialect: str) -> None:
    for example in generate_examples(150, seed=21):
        for expected, got in parsed_turns(example, dialect):
            assert same(expected, got), (expected, got)


# Any text a model could emit: code, paths, quotes, angle brackets, newlines, surrounding whitespace.
_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters="\n\t"),
    min_size=1,
    max_size=60,
)
_ARGUMENTS = {
    "read_file": st.fixed_dictionaries(
        {"path": _TEXT}, optional={"start_line": st.integers(1, 500), "end_line": st.integers(1, 500)}
    ),
    "list_files": st.fixed_dictionaries({}, optional={"pattern": _TEXT}),
    "search": st.fixed_dictionaries({"pattern": _TEXT}, optional={"path": _TEXT}),
    "write_file": st.fixed_dictionaries({"path": _TEXT, "content": _TEXT}),
    "edit_file": st.fixed_dictionaries({"path": _TEXT, "old": _TEXT, "new": _TEXT}),
    "run_command": st.fixed_dictionaries({"command": _TEXT}, optional={"timeout": st.integers(1, 600)}),
}
_CALL = st.sampled_from(sorted(_ARGUMENTS)).flatmap(
    lambda name: _ARGUMENTS[name].map(lambda arguments: ToolCall(name, arguments))
)


@settings(max_examples=60, deadline=None)
@given(calls=st.lists(_CALL, min_size=1, max_size=3), request=_TEXT)
def test_arbitrary_calls_round_trip_through_qwen3_xml(calls: list[ToolCall], request: str) -> None:
    example = Example(
        messages=[
            {"role": "user", "content": request},
            assistant_call_message(calls),
            *[tool_message(call.name, "ok") for call in calls],
            {"role": "assistant", "content": "done"},
        ],
        tools=[tool.to_openai() for tool in WORKSPACE_TOOLS],
    )
    (expected, got), (_, none) = parsed_turns(example, "qwen3_xml")
    assert same(expected, got), (expected, got)
    assert none == []
