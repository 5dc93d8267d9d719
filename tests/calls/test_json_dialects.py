"""hermes_json and json_fence parsing; every case also runs through the stream parser."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from punie.calls import ToolCall, get_dialect

from .helpers import TOOLS, every, stream, summary


def hermes(body: str) -> str:
    return f"<tool_call>\n{body}\n</tool_call>"


def fence(body: str) -> str:
    return f"```json\n{body}\n```"


@dataclass
class Case:
    id: str
    dialect: str
    text: str
    calls: list[tuple[str, dict]] = field(default_factory=list)
    content: str = ""
    reasoning: str = ""
    errors: list[str] = field(default_factory=list)
    tools: list | None = field(default_factory=lambda: TOOLS)


READ = '{"name": "read_file", "arguments": {"path": "a.py"}}'
CASES = [
    Case("hermes call", "hermes_json", hermes(READ), [("read_file", {"path": "a.py"})]),
    Case(
        "hermes arguments as a JSON string are decoded once",
        "hermes_json",
        hermes('{"name": "run_command", "arguments": "{\\"command\\": \\"echo \\\\\\"{}\\\\\\"\\"}"}'),
        [("run_command", {"command": 'echo "{}"'})],
    ),
    Case(
        "hermes string argument holding JSON stays a string",
        "hermes_json",
        hermes('{"name": "run_command", "arguments": {"command": "{\\"a\\": 1}"}}'),
        [("run_command", {"command": '{"a": 1}'})],
    ),
    Case(
        "hermes parameters alias",
        "hermes_json",
        hermes('{"name": "read_file", "parameters": {"path": "b"}}'),
        [("read_file", {"path": "b"})],
    ),
    Case(
        "hermes </tool_call> inside a JSON string is not structural",
        "hermes_json",
        hermes('{"name": "write_file", "arguments": {"path": "t", "content": "a</tool_call>\\\\\\"b"}}'),
        [("write_file", {"path": "t", "content": 'a</tool_call>\\"b'})],
    ),
    Case(
        "hermes several calls and text around them",
        "hermes_json",
        "Looking.\n" + hermes(READ) + "\nand\n" + hermes('{"name": "list_files", "arguments": {}}') + "\nok",
        [("read_file", {"path": "a.py"}), ("list_files", {})],
        content="Looking.\n\nand\n\nok",
    ),
    Case(
        "hermes think block and unicode",
        "hermes_json",
        "<think>ü & <x></think>\n" + hermes('{"name": "search", "arguments": {"pattern": "«<&>»"}}'),
        [("search", {"pattern": "«<&>»"})],
        reasoning="ü & <x>",
    ),
    Case(
        "hermes invalid JSON is reported and kept",
        "hermes_json",
        hermes('{"name": "read_file", "arguments": {"path": }}') + "\nAfter",
        content=hermes('{"name": "read_file", "arguments": {"path": }}') + "\nAfter",
        errors=["invalid JSON (Expecting value"],
    ),
    Case(
        "hermes unbalanced quote: the first </tool_call> ends it at the end of output",
        "hermes_json",
        hermes('{"name": "read_file", "arguments": {"path": "a}}') + "\nAfter",
        content=hermes('{"name": "read_file", "arguments": {"path": "a}}') + "\nAfter",
        errors=["invalid JSON"],
    ),
    Case(
        "hermes unknown tool",
        "hermes_json",
        hermes('{"name": "rm", "arguments": {}}'),
        content=hermes('{"name": "rm", "arguments": {}}'),
        errors=["unknown tool 'rm'"],
    ),
    Case(
        "hermes invalid name",
        "hermes_json",
        hermes('{"name": "{{ tc.name }}", "arguments": {}}'),
        content=hermes('{"name": "{{ tc.name }}", "arguments": {}}'),
        errors=["invalid tool name '{{ tc.name }}'"],
    ),
    Case(
        "hermes arguments that are not an object",
        "hermes_json",
        hermes('{"name": "read_file", "arguments": ["a"]}'),
        content=hermes('{"name": "read_file", "arguments": ["a"]}'),
        errors=["arguments must be an object, got list"],
    ),
    Case(
        "qwen3 XML inside hermes_json is reported, not lost",
        "hermes_json",
        "<tool_call>\n<function=read_file>\n</function>\n</tool_call>",
        content="<tool_call>\n<function=read_file>\n</function>\n</tool_call>",
        errors=["<tool_call> not followed by a JSON object (a qwen3_xml call?)"],
    ),
    Case(
        "hermes truncated call",
        "hermes_json",
        '<tool_call>\n{"name": "read_file", "argu',
        content='<tool_call>\n{"name": "read_file", "argu',
        errors=["truncated tool call: output ended before </tool_call>"],
    ),
    Case(
        "hermes complete JSON without </tool_call> at the end",
        "hermes_json",
        "<tool_call>\n" + READ + "\n",
        [("read_file", {"path": "a.py"})],
    ),
    Case(
        "hermes single-quoted Python literal is read and reported",
        "hermes_json",
        hermes("{'name': 'read_file', 'arguments': {'path': 'a'}}"),
        [("read_file", {"path": "a"})],
        errors=["read as a Python literal"],
    ),
    Case(
        "hermes comma after the call object is ignored and reported",
        "hermes_json",
        hermes(READ + ","),
        [("read_file", {"path": "a.py"})],
        errors=["ignored a comma after the object"],
    ),
    Case(
        "hermes two objects are not one call",
        "hermes_json",
        hermes(READ + ", " + READ),
        content=hermes(READ + ", " + READ),
        errors=['not a {"name": ..., "arguments": ...} object'],
    ),
    Case(
        "fence call",
        "json_fence",
        "I'll use read_file.\n\n" + fence(READ),
        [("read_file", {"path": "a.py"})],
        content="I'll use read_file.",
    ),
    Case(
        "fence multi-line JSON with parameters alias",
        "json_fence",
        fence('{\n  "name": "read_file",\n  "parameters": {"path": "x"}\n}'),
        [("read_file", {"path": "x"})],
    ),
    Case(
        "fence that is not a call stays content",
        "json_fence",
        "Config:\n" + fence('{"debug": true}') + "\nDone",
        content="Config:\n" + fence('{"debug": true}') + "\nDone",
    ),
    Case(
        "other fences stay content",
        "json_fence",
        "```jsonl\n{}\n```\n```python\nx = 1\n```",
        content="```jsonl\n{}\n```\n```python\nx = 1\n```",
    ),
    Case(
        "fence with invalid JSON is reported and kept",
        "json_fence",
        fence('{"name": "read_file", "arguments": {path: 1}}'),
        content=fence('{"name": "read_file", "arguments": {path: 1}}'),
        errors=["invalid JSON"],
    ),
    Case(
        "fence legacy single quotes",
        "json_fence",
        fence('{"name": "write_file", "arguments": {"path": "R.md", "content": \'# P\\n\\nok\'}}'),
        [("write_file", {"path": "R.md", "content": "# P\n\nok"})],
        errors=["read as a Python literal"],
    ),
    Case(
        "fence with unknown tool",
        "json_fence",
        fence('{"name": "deploy", "arguments": {}}'),
        content=fence('{"name": "deploy", "arguments": {}}'),
        errors=["unknown tool 'deploy'"],
    ),
    Case(
        "fence string containing ``` is not the end",
        "json_fence",
        fence('{"name": "write_file", "arguments": {"path": "r.md", "content": "```py\\nx\\n```"}}'),
        [("write_file", {"path": "r.md", "content": "```py\nx\n```"})],
    ),
    Case(
        "unclosed fence holding a complete call at the end",
        "json_fence",
        "```json\n" + READ,
        [("read_file", {"path": "a.py"})],
    ),
    Case(
        "unclosed fence with truncated JSON",
        "json_fence",
        '```json\n{"name": "read_file", "argu',
        content='```json\n{"name": "read_file", "argu',
        errors=["in unclosed ```json fence"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_parse(case: Case):
    result = get_dialect(case.dialect).parse(case.text, case.tools)
    assert [(c.name, c.arguments) for c in result.calls] == case.calls
    assert result.content == case.content
    assert result.reasoning == case.reasoning
    assert len(result.errors) == len(case.errors), result.errors
    for expected, error in zip(case.errors, result.errors, strict=True):
        assert expected in error


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
@pytest.mark.parametrize("size", [1, 2, 3, 7, 11])
def test_streaming_equals_batch(case: Case, size: int):
    batch = get_dialect(case.dialect).parse(case.text, case.tools)
    streamed, _ = stream(case.dialect, case.text, every(size, case.text), case.tools)
    assert summary(streamed) == summary(batch)


def test_hermes_literal_tool_call_tag_in_prose_does_not_swallow_the_answer():
    parser = get_dialect("hermes_json").stream_parser(TOOLS)
    events = parser.feed("Write `<tool_call>` in the template, then ")
    content = "".join(e.text for e in events if e.kind == "content")
    assert content == "Write `<tool_call>` in the template, then"
    assert [e.kind for e in events].count("error") == 1


@pytest.mark.parametrize("dialect", ["hermes_json", "json_fence"])
def test_arguments_string_that_is_not_json_is_reported(dialect: str):
    body = '{"name": "search", "arguments": "{\\"pattern\\": \\"x"}'
    text = hermes(body) if dialect == "hermes_json" else fence(body)
    result = get_dialect(dialect).parse(text, TOOLS)
    assert result.calls == []
    assert result.content == text
    assert len(result.errors) == 1 and "arguments given as a string: invalid JSON" in result.errors[0]


@pytest.mark.parametrize("dialect", ["hermes_json", "json_fence", "qwen3_xml"])
def test_deeply_nested_json_is_reported_not_raised(dialect: str):
    deep = "[" * 50_000 + "]" * 50_000
    body = '{"name": "typed", "arguments": {"a": ' + deep + "}}"
    if dialect == "qwen3_xml":
        text = get_dialect(dialect).render_calls([ToolCall("typed", {"a": deep})])
    else:
        text = hermes(body) if dialect == "hermes_json" else fence(body)
    result = get_dialect(dialect).parse(text, TOOLS)
    assert len(result.errors) == 1
    if dialect == "qwen3_xml":  # the call stands, the value that does not fit stays a string
        assert result.calls[0].arguments == {"a": deep}
    else:
        assert result.calls == [] and "nested too deeply" in result.errors[0] and result.content == text
