"""qwen3_xml parsing: one case per required behaviour; every case also runs through the stream parser."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from punie.calls import get_dialect

from .helpers import TOOLS, every, stream, summary


def call(name: str, body: str, wrapped: bool = True) -> str:
    text = f"<function={name}>\n{body}</function>"
    return f"<tool_call>\n{text}\n</tool_call>" if wrapped else text


def param(key: str, value: str) -> str:
    return f"<parameter={key}>\n{value}\n</parameter>\n"


@dataclass
class Case:
    id: str
    text: str
    calls: list[tuple[str, dict]] = field(default_factory=list)
    content: str = ""
    reasoning: str = ""
    errors: list[str] = field(default_factory=list)  # substrings, one per expected error, in order
    tools: list | None = field(default_factory=lambda: TOOLS)


LITERAL_CLOSERS = "x</function>\ny</tool_call>\n</function>z"
CODE = 'def f():\n    return "<b>" if a < b else "&"\n'
CASES = [
    Case("single call", call("read_file", param("path", "src/a.py")), [("read_file", {"path": "src/a.py"})]),
    Case(
        "framing: one newline trimmed each side",
        call("write_file", param("path", "a") + "<parameter=content>\n\nx\n\n</parameter>\n"),
        [("write_file", {"path": "a", "content": "\nx\n"})],
    ),
    Case(
        "framing: no newlines around values",
        "<tool_call><function=read_file><parameter=path>a.py</parameter></function></tool_call>",
        [("read_file", {"path": "a.py"})],
    ),
    Case(
        "code value kept verbatim",
        call("write_file", param("path", "f.py") + param("content", CODE)),
        [("write_file", {"path": "f.py", "content": CODE})],
    ),
    Case(
        "coercion by schema",
        call(
            "typed",
            param("i", "140.0")
            + param("n", "2.5")
            + param("b", "True")
            + param("o", "{'k': [1, 2]}")
            + param("a", '["x", null]')
            + param("maybe", "None")
            + param("either", "7")
            + param("s", "007"),
        ),
        [
            (
                "typed",
                {
                    "i": 140,
                    "n": 2.5,
                    "b": True,
                    "o": {"k": [1, 2]},
                    "a": ["x", None],
                    "maybe": None,
                    "either": 7,
                    "s": "007",
                },
            )
        ],
    ),
    Case(
        "string parameters never coerced",
        call("read_file", param("path", "123")),
        [("read_file", {"path": "123"})],
    ),
    Case(
        "unknown parameter stays a string",
        call("read_file", param("path", "a") + param("extra", "5")),
        [("read_file", {"path": "a", "extra": "5"})],
    ),
    Case(
        "value that does not fit stays a string and is reported",
        call("read_file", param("path", "a") + param("start_line", "ten")),
        [("read_file", {"path": "a", "start_line": "ten"})],
        errors=["parameter 'start_line': 'ten' is not a valid integer"],
    ),
    Case(
        "null only where allowed",
        call("typed", param("i", "None") + param("nullable", "null")),
        [("typed", {"i": "None", "nullable": None})],
        errors=["parameter 'i'"],
    ),
    Case(
        "no tools: every value is a string",
        call("anything", param("n", "5") + param("b", "true")),
        [("anything", {"n": "5", "b": "true"})],
        tools=None,
    ),
    Case(
        "literal </parameter> in a value",
        call("write_file", param("path", "t.xml") + param("content", "a</parameter>b\n</parameter>x")),
        [("write_file", {"path": "t.xml", "content": "a</parameter>b\n</parameter>x"})],
    ),
    Case(
        "literal </function> and </tool_call> in a value",
        call("write_file", param("path", "t") + param("content", LITERAL_CLOSERS)),
        [("write_file", {"path": "t", "content": LITERAL_CLOSERS})],
    ),
    Case(
        "literal <tool_call> and <function=...> in a value",
        call("write_file", param("path", "t") + param("content", "<tool_call>\n<function=read_file>\n")),
        [("write_file", {"path": "t", "content": "<tool_call>\n<function=read_file>\n"})],
    ),
    Case(
        "missing </parameter> recovered at </function>",
        "<tool_call>\n<function=read_file>\n<parameter=path>\na.py\n</function>\n</tool_call>",
        [("read_file", {"path": "a.py"})],
        errors=["missing </parameter> before </function>"],
    ),
    Case(
        "missing </parameter> recovered at the next <parameter=",
        "<tool_call>\n<function=read_file>\n<parameter=path>\na.py\n<parameter=start_line>\n2\n</parameter>\n"
        "</function>\n</tool_call>",
        [("read_file", {"path": "a.py", "start_line": 2})],
        errors=["missing </parameter> before the next <parameter="],
    ),
    Case(
        "missing </function> recovered at </tool_call>",
        "<tool_call>\n<function=read_file>\n<parameter=path>\na\n</parameter>\n</tool_call>",
        [("read_file", {"path": "a"})],
        errors=["missing </function> before </tool_call>"],
    ),
    Case(
        "missing </tool_call> at the end is fine",
        "<tool_call>\n<function=list_files>\n<parameter=pattern>\n*.py\n</parameter>\n</function>\n",
        [("list_files", {"pattern": "*.py"})],
    ),
    Case(
        "bare <function=...> without <tool_call>",
        "Sure.\n" + call("read_file", param("path", "a"), wrapped=False) + "\nDone.",
        [("read_file", {"path": "a"})],
        content="Sure.\n\nDone.",
    ),
    Case(
        "several calls with text before, between and after",
        "First.\n"
        + call("read_file", param("path", "a"))
        + "\nThen:\n"
        + call("search", param("pattern", "def "))
        + "\nAfter.",
        [("read_file", {"path": "a"}), ("search", {"pattern": "def "})],
        content="First.\n\nThen:\n\nAfter.",
    ),
    Case("call without parameters", call("list_files", ""), [("list_files", {})]),
    Case(
        "think block separated from content",
        "<think>\nThe user wants a file.\n</think>\n\nHere: <b>ok</b>",
        content="Here: <b>ok</b>",
        reasoning="The user wants a file.",
    ),
    Case(
        "call inside an unclosed think block is still a call",
        "<think>\nI should read it.\n" + call("read_file", param("path", "a")),
        [("read_file", {"path": "a"})],
        reasoning="I should read it.",
    ),
    Case(
        "call inside a closed think block; reasoning continues after it",
        "<think>a\n" + call("read_file", param("path", "x")) + "\nb</think>\nAnswer",
        [("read_file", {"path": "x"})],
        content="Answer",
        reasoning="a\n\nb",
    ),
    Case(
        "missing </tool_call> with text after the call",
        "<tool_call>\n<function=read_file>\n<parameter=path>\na\n</parameter>\n</function>\nDone.",
        [("read_file", {"path": "a"})],
        content="Done.",
        errors=["missing </tool_call> after call 0"],
    ),
    Case(
        "spaces around names in tags",
        "<tool_call>\n<function= read_file >\n<parameter= path >\na\n</parameter>\n</function>\n</tool_call>",
        [("read_file", {"path": "a"})],
    ),
    Case(
        "think tag after the answer started stays content",
        "Use <think> tags.</think>",
        content="Use <think> tags.</think>",
    ),
    Case(
        "unknown tool name stays content and is reported",
        call("delete_everything", param("path", "/")),
        content=call("delete_everything", param("path", "/")),
        errors=["unknown tool 'delete_everything'"],
    ),
    Case(
        "invalid tool name {{ tc.name }}",
        call("{{ tc.name }}", param("path", "a")),
        content=call("{{ tc.name }}", param("path", "a")),
        errors=["invalid tool name '{{ tc.name }}'"],
    ),
    Case(
        "truncated inside a value",
        "Reading.\n<tool_call>\n<function=read_file>\n<parameter=path>\nsrc/a",
        content="Reading.\n<tool_call>\n<function=read_file>\n<parameter=path>\nsrc/a",
        errors=["truncated tool call: output ended inside parameter 'path'"],
    ),
    Case(
        "truncated after <tool_call>",
        "Ok <tool_call>\n",
        content="Ok <tool_call>",
        errors=["truncated tool call: output ended after <tool_call>"],
    ),
    Case(
        "truncated in the function name",
        "<tool_call>\n<function=read_fi",
        content="<tool_call>\n<function=read_fi",
        errors=["truncated tool call: output ended in <function="],
    ),
    Case(
        "truncated before </function>",
        "<tool_call>\n<function=read_file>\n<parameter=path>\na\n</parameter>\n",
        content="<tool_call>\n<function=read_file>\n<parameter=path>\na\n</parameter>",
        errors=["truncated tool call: output ended before </function>"],
    ),
    Case(
        "hermes JSON inside qwen3_xml is reported, not lost",
        '<tool_call>\n{"name": "read_file", "arguments": {"path": "a"}}\n</tool_call>',
        content='<tool_call>\n{"name": "read_file", "arguments": {"path": "a"}}\n</tool_call>',
        errors=["<tool_call> not followed by <function=NAME> (a hermes_json call?)"],
    ),
    Case(
        "stray text inside a call drops the call",
        "<tool_call>\n<function=read_file>\npath: a.py\n</function>\n</tool_call>",
        content="<tool_call>\n<function=read_file>\npath: a.py\n</function>\n</tool_call>",
        errors=["unexpected text inside the call (expected <parameter=NAME> or </function>): 'p'"],
    ),
    Case(
        "duplicate parameter keeps the first",
        call("read_file", param("path", "a") + param("path", "b")),
        [("read_file", {"path": "a"})],
        errors=["duplicate parameter 'path'; kept the first, ignored 'b'"],
    ),
    Case(
        "unicode, ampersands, angle brackets and quotes unchanged",
        "Voilà «ü» & <i>'\"</i> 😀\n" + call("run_command", param("command", "echo 'ü' \"&\" <in >out 😀")),
        [("run_command", {"command": "echo 'ü' \"&\" <in >out 😀"})],
        content="Voilà «ü» & <i>'\"</i> 😀",
    ),
    Case(
        "text that only looks like a tag start",
        "if a <tool and b <function x < 3: <",
        content="if a <tool and b <function x < 3: <",
    ),
    Case("plain answer", "  Paris is the capital of France.\n", content="Paris is the capital of France."),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_parse(case: Case):
    result = get_dialect("qwen3_xml").parse(case.text, case.tools)
    assert [(c.name, c.arguments) for c in result.calls] == case.calls
    assert result.content == case.content
    assert result.reasoning == case.reasoning
    assert len(result.errors) == len(case.errors), result.errors
    for expected, error in zip(case.errors, result.errors, strict=True):
        assert expected in error


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13])
def test_streaming_equals_batch(case: Case, size: int):
    batch = get_dialect("qwen3_xml").parse(case.text, case.tools)
    streamed, _ = stream("qwen3_xml", case.text, every(size, case.text), case.tools)
    assert summary(streamed) == summary(batch)
