"""Validation of records: declared tools, schemas, turn order, tool results, errors with file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from punie.calls.types import ToolCall
from punie.chat.prompts import SYSTEM_PROMPT, WORKSPACE_TOOLS
from punie.data.io import DataError, read_examples, write_examples
from punie.data.records import Example, assistant_call_message, tool_message
from punie.data.validate import validate_example, validate_file

TOOLS = [tool.to_openai() for tool in WORKSPACE_TOOLS]


def tool_example(arguments: dict | None = None, name: str = "read_file") -> Example:
    return Example(
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": "show app/models.py"},
            assistant_call_message(
                [ToolCall(name, arguments if arguments is not None else {"path": "app/models.py"})]
            ),
            tool_message(name, "1: class Post(models.Model):"),
            {"role": "assistant", "content": "It defines Post."},
        ],
        tools=TOOLS,
        meta={"source": "test", "kind": "tool"},
    )


def fields(example: Example) -> list[str]:
    return [issue.field for issue in validate_example(example)]


def test_valid_example_has_no_issues() -> None:
    assert validate_example(tool_example()) == []


def test_undeclared_tool_is_named() -> None:
    assert fields(tool_example({"path": "x"}, name="open_file")) == [
        "messages[2].tool_calls[0].function.name"
    ]


def test_argument_schema_type_missing_and_unknown() -> None:
    example = tool_example({"path": 3, "start_line": "one", "file": "x"})
    assert fields(example) == [
        "messages[2].tool_calls[0].function.arguments.path",
        "messages[2].tool_calls[0].function.arguments.start_line",
        "messages[2].tool_calls[0].function.arguments.file",
    ]
    assert fields(tool_example({})) == ["messages[2].tool_calls[0].function.arguments.path"]


def test_arguments_as_string_are_rejected() -> None:
    example = tool_example()
    example.messages[2]["tool_calls"][0]["function"]["arguments"] = '{"path": "a.py"}'
    assert fields(example) == ["messages[2].tool_calls[0].function.arguments"]


def test_tool_result_without_call_and_wrong_name() -> None:
    example = tool_example()
    example.messages[3]["name"] = "search"
    assert fields(example) == ["messages[3].name"]
    orphan = Example(
        messages=[
            {"role": "user", "content": "hi"},
            tool_message("search", "x"),
            {"role": "assistant", "content": "ok"},
        ],
        tools=TOOLS,
    )
    assert "messages[1]" in fields(orphan)


def test_tool_call_ids_must_match_when_present() -> None:
    example = tool_example()
    example.messages[2]["tool_calls"][0]["id"] = "call_1"
    example.messages[3]["tool_call_id"] = "call_1"
    assert validate_example(example) == []
    example.messages[3]["tool_call_id"] = "call_2"
    assert fields(example) == ["messages[3].tool_call_id"]


def test_missing_result_and_role_order() -> None:
    example = tool_example()
    del example.messages[3]  # the call is followed by an assistant answer, not a result
    assert "messages[3]" in fields(example)
    two_users = Example(
        messages=[
            {"role": "user", "content": "a"},
            {"role": "user", "content": "b"},
            {"role": "assistant", "content": "c"},
        ]
    )
    assert fields(two_users) == ["messages[1].role"]
    late_system = Example(
        messages=[
            {"role": "user", "content": "a"},
            {"role": "system", "content": "s"},
            {"role": "assistant", "content": "c"},
        ]
    )
    assert "messages[1].role" in fields(late_system)


def test_last_turn_must_be_assistant() -> None:
    example = tool_example()
    example.messages.append({"role": "user", "content": "thanks"})
    assert fields(example) == ["messages[5].role"]


def test_conversation_may_end_on_a_call() -> None:
    example = tool_example()
    del example.messages[3:]
    assert validate_example(example) == []


def test_meta_must_be_flat() -> None:
    example = tool_example()
    example.meta["tags"] = ["a"]
    assert fields(example) == ["meta.tags"]


def test_validate_file_names_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    good = json.dumps(tool_example().to_dict())
    bad_call = json.dumps(tool_example({"path": "a.py", "start_line": "2"}).to_dict())
    path.write_text("\n".join([good, "{not json", "", bad_call, json.dumps({"text": "x"})]) + "\n")
    report = validate_file(path)
    assert report.lines == 4 and report.valid == 1
    rendered = [str(error) for error in report.errors]
    assert rendered[0].startswith(f"{path}:2: invalid JSON")
    assert (
        rendered[1]
        == f"{path}:4: messages[2].tool_calls[0].function.arguments.start_line: expected integer, got string"
    )
    assert rendered[2] == f"{path}:5: 'messages' must be a list"


def test_validate_file_reports_mixed_types_across_lines(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    first = tool_example()
    second = tool_example()
    first.meta["difficulty"] = 1
    second.meta["difficulty"] = "hard"
    write_examples(path, [first, second])
    report = validate_file(path)
    assert [(e.line, e.field) for e in report.errors] == [(2, "meta.difficulty")]


def test_write_then_read_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "out" / "set.jsonl"
    examples = [tool_example(), tool_example({"path": "b.py", "start_line": 2, "end_line": 9})]
    assert write_examples(path, examples) == 2
    back = read_examples(path)
    assert [e.to_dict() for e in back] == [e.to_dict() for e in examples]
    assert back[1].calls[0].arguments == {"path": "b.py", "start_line": 2, "end_line": 9}
    assert back[0].kind == "tool" and back[0].first_tool == "read_file"


def test_strict_read_lists_every_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"messages": []}\n[1]\n{oops\n')
    with pytest.raises(DataError) as caught:
        read_examples(path)
    assert [error.line for error in caught.value.errors] == [2, 3]


def test_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_text(json.dumps(tool_example().to_dict()) + "\n", encoding="utf-8-sig")
    assert len(read_examples(path)) == 1


def test_invalid_utf8_line_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    good = json.dumps(tool_example().to_dict()).encode()
    path.write_bytes(good + b"\n" + b'{"messages": "caf\xe9"}\n' + good + b"\n")
    report = validate_file(path)
    assert report.lines == 3 and report.valid == 2
    assert [(e.line, e.message) for e in report.errors] == [(2, "not UTF-8 (byte 18)")]
