"""The stream event protocol: early call_start, incremental argument fragments, ids, hold-back, errors."""

from __future__ import annotations

import json

import pytest

from punie.calls import DIALECTS, ToolCall, get_dialect

from .helpers import TOOLS, every, stream, summary

CALLS = [
    ToolCall("write_file", {"path": "ü.py", "content": 'print("<&>")\n'}),
    ToolCall("read_file", {"path": "a.py", "start_line": 2, "end_line": 9}),
    ToolCall("list_files", {}),
]


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
@pytest.mark.parametrize("size", [1, 4, 1000])
def test_fragments_concatenate_to_the_arguments_json(dialect: str, size: int):
    text = "Plan.\n" + get_dialect(dialect).render_calls(CALLS)
    result, events = stream(dialect, text, every(size, text))
    assert [c.arguments for c in result.calls] == [c.arguments for c in CALLS]
    for index, call in enumerate(result.calls):
        fragments = "".join(e.fragment for e in events if e.kind == "call_args" and e.index == index)
        assert fragments == json.dumps(call.arguments, ensure_ascii=False) == call.arguments_json()


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_ids_are_fresh_and_shared_by_start_and_end(dialect: str):
    text = get_dialect(dialect).render_calls(CALLS)
    _, events = stream(dialect, text, every(3, text))
    starts = {e.index: e for e in events if e.kind == "call_start"}
    ends = {e.index: e for e in events if e.kind == "call_end"}
    assert sorted(starts) == sorted(ends) == [0, 1, 2]
    for index, start in starts.items():
        assert start.id.startswith("call_") and len(start.id) > 10
        assert ends[index].call.id == start.id
        assert start.name == ends[index].call.name == CALLS[index].name
    assert len({start.id for start in starts.values()}) == 3


def test_qwen3_call_start_arrives_with_the_name_and_arguments_arrive_per_parameter():
    parser = get_dialect("qwen3_xml").stream_parser(TOOLS)
    assert [e.kind for e in parser.feed("<tool_call>\n<function=read_file")] == []
    started = parser.feed(">\n")
    assert [(e.kind, e.name, e.index) for e in started] == [("call_start", "read_file", 0)]
    assert parser.feed("<parameter=path>\na.py\n</parameter>\n") == []  # waits for the lookahead
    first = parser.feed("<parameter=start_line>\n")
    assert [(e.kind, e.fragment) for e in first] == [("call_args", '{"path": "a.py"')]
    rest = parser.feed("3\n</parameter>\n</function>\n</tool_call>")
    assert [(e.kind, e.fragment) for e in rest[:2]] == [
        ("call_args", ', "start_line": 3'),
        ("call_args", "}"),
    ]
    assert rest[2].kind == "call_end" and rest[2].call.arguments == {"path": "a.py", "start_line": 3}
    assert parser.close() == []


def test_hermes_call_start_arrives_with_the_name():
    parser = get_dialect("hermes_json").stream_parser(TOOLS)
    assert parser.feed('<tool_call>\n{"name": "read_fi') == []
    events = parser.feed('le", "arguments": {"path"')
    assert [(e.kind, e.name) for e in events] == [("call_start", "read_file")]


@pytest.mark.parametrize(
    ("dialect", "partial"),
    [
        ("qwen3_xml", "<tool_ca"),
        ("qwen3_xml", "<functio"),
        ("qwen3_xml", "<thi"),
        ("hermes_json", "<tool_call"),
        ("json_fence", "```js"),
    ],
)
def test_partial_tags_are_held_back(dialect: str, partial: str):
    parser = get_dialect(dialect).stream_parser(TOOLS)
    events = parser.feed("Hello " + partial)
    assert "".join(e.text for e in events if e.kind == "content") == "Hello"
    assert all(partial[:2] not in e.text for e in events)
    events = parser.feed("x and more")  # not a tag after all: released as content
    assert "".join(e.text for e in events) == " " + partial + "x and more"


def test_trailing_whitespace_is_held_until_more_text():
    parser = get_dialect("qwen3_xml").stream_parser()
    assert [e.text for e in parser.feed("a \n")] == ["a"]
    assert [e.text for e in parser.feed("b")] == [" \nb"]
    assert parser.close() == []


def test_abandoned_call_is_reported_with_its_index_and_its_text_comes_back_as_content():
    parser = get_dialect("qwen3_xml").stream_parser(TOOLS)
    events = parser.feed("<tool_call>\n<function=read_file>\n<parameter=path>\nsrc/")
    events += parser.close()
    kinds = [e.kind for e in events]
    assert kinds == ["call_start", "error", "content"]
    assert events[1].index == 0 and "truncated" in events[1].text
    assert events[2].text == "<tool_call>\n<function=read_file>\n<parameter=path>\nsrc/"


def test_reasoning_events_stream_before_the_answer():
    parser = get_dialect("qwen3_xml").stream_parser()
    events = parser.feed("<think>\nstep one") + parser.feed(" two</think>\n\nAnswer")
    assert [(e.kind, e.text) for e in events] == [
        ("reasoning", "step one"),
        ("reasoning", " two"),
        ("content", "Answer"),
    ]


def test_feed_after_close_is_an_error_and_close_is_idempotent():
    parser = get_dialect("qwen3_xml").stream_parser()
    parser.feed("hi")
    assert [e.text for e in parser.close()] == []
    assert parser.close() == []
    with pytest.raises(RuntimeError, match="closed"):
        parser.feed("more")


def test_tools_may_be_openai_dicts():
    tools = [tool.to_openai() for tool in TOOLS]
    text = get_dialect("qwen3_xml").render_calls([ToolCall("read_file", {"path": "a", "start_line": 4})])
    result = get_dialect("qwen3_xml").parse(text, tools)
    assert result.calls[0].arguments == {"path": "a", "start_line": 4}


def test_long_value_with_many_literal_tags_streams_correctly():
    """A long code value full of tag-like text, streamed in small chunks (speed: benchmarks/parse.py)."""
    body = "x = '<tag>' if a < b else '</param>'\n" * 2000
    text = get_dialect("qwen3_xml").render_calls(
        [ToolCall("write_file", {"path": "big.py", "content": body})]
    )
    result, _ = stream("qwen3_xml", text, every(4, text))
    assert result.calls[0].arguments["content"] == body and result.errors == []


@pytest.mark.parametrize("dialect", ["qwen3_xml", "hermes_json"])
@pytest.mark.parametrize("length", [95, 99, 100, 101, 120, 127, 128, 129, 140, 300, 320])
def test_long_names_get_the_same_verdict_in_any_chunking(dialect: str, length: int):
    name = "n" * length
    if dialect == "qwen3_xml":
        body = f"<parameter={name}>\nv\n</parameter>\n"
        text = f"<tool_call>\n<function={name}>\n{body}</function>\n</tool_call>"
    else:
        text = "<tool_call>\n{" + " " * length + f'"name": "{name}", "arguments": {{}}}}\n</tool_call>'
    batch = get_dialect(dialect).parse(text)
    for size in (1, 7, 64):
        streamed, _ = stream(dialect, text, every(size, text), tools=None)
        assert summary(streamed) == summary(batch)


@pytest.mark.parametrize("dialect", ["qwen3_xml", "hermes_json"])
@pytest.mark.parametrize("size", [1, 3, 1000])
def test_a_repeated_close_tag_after_a_call_is_dropped_and_reported(dialect: str, size: int):
    call = get_dialect(dialect).render_calls([ToolCall("read_file", {"path": "a.py"})])
    text = call + "\n</tool_call>\n</tool_call>\nDone."
    result, _ = stream(dialect, text, every(size, text))
    assert [(c.name, c.arguments) for c in result.calls] == [("read_file", {"path": "a.py"})]
    assert result.content.strip() == "Done."
    assert result.errors == ["stray </tool_call> after a call (dropped)"] * 2


@pytest.mark.parametrize("dialect", ["qwen3_xml", "hermes_json"])
def test_a_close_tag_inside_later_text_stays_content(dialect: str):
    call = get_dialect(dialect).render_calls([ToolCall("read_file", {"path": "a.py"})])
    for tail in ["\nThe call ends with </tool_call>.", "\n</tool_cal", "\n</tool"]:
        result, _ = stream(dialect, call + tail, every(1, call + tail))
        assert result.content == tail.strip() and result.errors == [], tail
