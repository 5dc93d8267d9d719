"""Property tests: render -> parse is the identity; any chunking streams like the batch parse."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from punie.calls import DIALECTS, Tool, ToolCall, get_dialect
from punie.calls.render import xml_value

from . import test_json_dialects, test_qwen3_xml
from .helpers import TOOLS, every, stream, summary

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TAGS = [
    "<tool_call>",
    "</tool_call>",
    "<function=read_file>",
    "<function=",
    "</function>",
    "<parameter=path>",
    "<parameter=",
    "</parameter>",
    "<think>",
    "</think>",
    "```json",
    "```",
    "<tool_response>",
]
PIECES = [*TAGS, "\n", " ", "<", ">", "&", '"', "'", "\\", "{", "}", "ü", "😀", "\r\n", "\t"]
FUZZ_PIECES = [
    *PIECES,
    "<tool_ca",
    "<functio",
    "</param",
    "<parameter=start_line>",
    "<function=search>",
    "```json\n",
    '{"name": "read_file", "arguments": {"path": "a"}}',
    '{"name": "search", "parameters": "{}"}',
    "\n```",
    "<function={{ tc.name }}>",
    "140.0",
    "True",
    "None",
    "[1, 2]",
]
text_values = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=8).map("".join)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | text_values,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text_values, inner, max_size=3),
    max_leaves=8,
)
KEYS = st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True)

TYPED_VALUES = {
    "string": ({"type": "string"}, text_values),
    "integer": ({"type": "integer"}, st.integers()),
    "number": ({"type": "number"}, st.floats(allow_nan=False, allow_infinity=False)),
    "boolean": ({"type": "boolean"}, st.booleans()),
    "array": ({"type": "array"}, st.lists(json_values, max_size=3)),
    "object": ({"type": "object"}, st.dictionaries(text_values, json_values, max_size=3)),
    "integer_or_null": ({"type": ["integer", "null"]}, st.none() | st.integers()),
}

# Qwen3 XML has no escaping: a value whose text contains a structural sequence cannot round-trip.
# This is the documented limit of the format (see punie.calls.qwen3_xml), excluded here and nowhere else.
QWEN3_AMBIGUOUS = re.compile(
    r"</parameter>\s*(<parameter=|</function>|</tool_call>)"
    r"|(^|\n)<parameter="
    r"|</function>\s*(</tool_call>|<tool_call>|<function=)"
)


@st.composite
def typed_calls(draw) -> tuple[list[Tool], list[ToolCall]]:
    tools, calls = [], []
    for position in range(draw(st.integers(1, 3))):
        kinds = draw(st.dictionaries(KEYS, st.sampled_from(sorted(TYPED_VALUES)), max_size=5))
        arguments = {key: draw(TYPED_VALUES[kind][1]) for key, kind in kinds.items()}
        properties = {key: TYPED_VALUES[kind][0] for key, kind in kinds.items()}
        name = f"tool_{position}"
        tools.append(Tool(name, "", {"type": "object", "properties": properties}))
        calls.append(ToolCall(name, arguments))
    return tools, calls


def same_calls(parsed: list[ToolCall], expected: list[ToolCall]) -> bool:
    return [(c.name, c.arguments) for c in parsed] == [(c.name, c.arguments) for c in expected]


@SETTINGS
@given(typed_calls())
def test_qwen3_xml_render_then_parse_is_identity(tools_and_calls):
    tools, calls = tools_and_calls
    for call in calls:
        for value in call.arguments.values():
            assume(not QWEN3_AMBIGUOUS.search(xml_value(value)))
    result = get_dialect("qwen3_xml").parse(get_dialect("qwen3_xml").render_calls(calls), tools)
    assert result.errors == []
    assert result.content == ""
    assert same_calls(result.calls, calls)


@SETTINGS
@given(
    st.sampled_from(["hermes_json", "json_fence"]),
    st.lists(st.dictionaries(text_values, json_values, max_size=4), min_size=1, max_size=3),
    st.sampled_from([None, "tools"]),
)
def test_json_dialects_render_then_parse_is_identity(dialect, argument_dicts, with_tools):
    calls = [ToolCall(f"tool_{i}", arguments) for i, arguments in enumerate(argument_dicts)]
    tools = [Tool(call.name) for call in calls] if with_tools else None
    result = get_dialect(dialect).parse(get_dialect(dialect).render_calls(calls), tools)
    assert result.errors == []
    assert result.content == ""
    assert same_calls(result.calls, calls)


def _corpus() -> list[tuple[str, str]]:
    texts = [("qwen3_xml", case.text) for case in test_qwen3_xml.CASES]
    texts += [(case.dialect, case.text) for case in test_json_dialects.CASES]
    calls = [
        ToolCall("write_file", {"path": "a", "content": "</parameter>\n<b>ü</b>\n"}),
        ToolCall("list_files"),
    ]
    for name, dialect in DIALECTS.items():
        texts.append((name, "<think>plan</think>\nText.\n" + dialect.render_calls(calls) + "\nEnd."))
    return texts


CORPUS = _corpus()


@SETTINGS
@given(st.sampled_from(CORPUS), st.data())
def test_streaming_equals_batch_for_random_chunkings(entry, data):
    dialect, text = entry
    if data.draw(st.booleans(), label="one character per chunk"):
        cuts = every(1, text)
    else:
        cuts = sorted(set(data.draw(st.lists(st.integers(0, len(text)), max_size=25), label="cuts")))
    batch = get_dialect(dialect).parse(text, TOOLS)
    streamed, _ = stream(dialect, text, cuts)
    assert summary(streamed) == summary(batch)


@SETTINGS
@given(
    st.sampled_from(sorted(DIALECTS)),
    st.lists(st.one_of(st.sampled_from(FUZZ_PIECES), st.text(max_size=5)), max_size=30).map("".join),
    st.data(),
)
def test_fuzzed_text_never_raises_and_streams_like_batch(dialect, text, data):
    batch = get_dialect(dialect).parse(text, TOOLS)
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(text)), max_size=15), label="cuts")))
    streamed, events = stream(dialect, text, cuts)
    assert summary(streamed) == summary(batch)
    assert summary(stream(dialect, text, every(1, text))[0]) == summary(batch)
    for index, call in enumerate(streamed.calls):
        end = next(e for e in events if e.kind == "call_end" and e.call is call)
        fragments = "".join(e.fragment for e in events if e.kind == "call_args" and e.index == end.index)
        assert fragments == call.arguments_json(), index
    if not batch.calls and not batch.reasoning and "<think>" not in text:
        assert batch.content == text.strip()  # nothing recognised: the text comes back whole


@settings(SETTINGS, max_examples=100)
@given(st.sampled_from(sorted(DIALECTS)), typed_calls(), st.data())
def test_mutated_calls_never_raise_and_stream_like_batch(dialect, tools_and_calls, data):
    """Rendered calls with a random cut, deletion or insertion: malformed output near real structure."""
    tools, calls = tools_and_calls
    text = "Intro.\n" + get_dialect(dialect).render_calls(calls) + "\nOutro."
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        start = data.draw(st.integers(0, len(text)), label="at")
        kind = data.draw(st.sampled_from(["truncate", "delete", "insert"]), label="kind")
        if kind == "truncate":
            text = text[:start]
        elif kind == "delete":
            text = text[:start] + text[start + data.draw(st.integers(1, 15), label="length") :]
        else:
            text = text[:start] + data.draw(st.sampled_from(FUZZ_PIECES), label="piece") + text[start:]
    batch = get_dialect(dialect).parse(text, tools)
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(text)), max_size=15), label="cuts")))
    assert summary(stream(dialect, text, cuts, tools)[0]) == summary(batch)
    assert summary(stream(dialect, text, every(1, text), tools)[0]) == summary(batch)
