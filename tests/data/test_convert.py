"""Legacy conversion: every case of the legacy formats, reported repairs and rejections, the real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from punie.data.convert import (
    ConversionError,
    chatml_to_messages,
    convert_file,
    convert_object,
    parse_assistant_content,
    to_messages,
    to_mlx_text,
)

LEGACY = Path(__file__).resolve().parents[3] / "shared" / "legacy"
SYSTEM = {"role": "system", "content": "You are a helper."}


def fence(body: str, before: str = "I'll use the tool.\n\n", after: str = "") -> str:
    return f"{before}```json\n{body}\n```{after}"


def legacy(*messages: dict) -> dict:
    return {"messages": [SYSTEM, *messages]}


def user(text: str) -> dict:
    return {"role": "user", "content": text}


def assistant(text: str) -> dict:
    return {"role": "assistant", "content": text}


def calls_of(example) -> list[tuple[str, dict]]:
    return [(call.name, call.arguments) for call in example.calls]


def test_fenced_call_with_tool_result_becomes_structured() -> None:
    line = legacy(
        user("show main.py"),
        assistant(fence('{"name": "read_file", "arguments": {"path": "src/main.py"}}')),
        user("Tool result: def main():\n    pass"),
        assistant("It defines main()."),
    )
    example, repairs = convert_object(line, "legacy", "t:1")
    assert repairs == []
    assert calls_of(example) == [("read_file", {"path": "src/main.py"})]
    assert example.messages[2]["content"] == "I'll use the tool."
    assert example.messages[3] == {"role": "tool", "name": "read_file", "content": "def main():\n    pass"}
    assert example.tools[0]["function"]["parameters"]["properties"] == {"path": {"type": "string"}}
    assert example.meta["tools"] == "inferred from calls" and example.meta["kind"] == "tool"


def test_backticks_inside_json_strings_do_not_close_the_fence() -> None:
    body = json.dumps({"name": "write_file", "arguments": {"path": "a.md", "content": "```py\nx = `1`\n```"}})
    _, calls, _ = parse_assistant_content(fence(body))
    assert calls[0].arguments["content"] == "```py\nx = `1`\n```"


@pytest.mark.parametrize("arguments", ["{}", "null"])
def test_empty_arguments(arguments: str) -> None:
    _, calls, _ = parse_assistant_content(fence(f'{{"name": "git_status", "arguments": {arguments}}}'))
    assert [(c.name, c.arguments) for c in calls] == [("git_status", {})]


def test_list_and_dict_arguments_keep_their_types() -> None:
    body = (
        '{"name": "search_recipes", "arguments": '
        '{"ingredients": ["egg", "ham"], "filters": {"vegan": false}, "limit": 5}}'
    )
    example, _ = convert_object(legacy(user("recipes?"), assistant(fence(body))), "legacy", "t:1")
    assert calls_of(example) == [
        ("search_recipes", {"ingredients": ["egg", "ham"], "filters": {"vegan": False}, "limit": 5})
    ]
    props = example.tools[0]["function"]["parameters"]["properties"]
    assert props == {
        "ingredients": {"type": "array"},
        "filters": {"type": "object"},
        "limit": {"type": "integer"},
    }


def test_several_calls_in_one_message_and_text_after_the_call() -> None:
    content = (
        fence('{"name": "read_file", "arguments": {"path": "a.py"}}', before="Reading both.\n")
        + "\n"
        + fence(
            '{"name": "read_file", "arguments": {"path": "b.py"}}', before="", after="\nThen I will compare."
        )
    )
    line = legacy(
        user("compare a.py and b.py"),
        assistant(content),
        user("Tool result: A"),
        user("Tool result: B"),
        assistant("They differ."),
    )
    example, _ = convert_object(line, "legacy", "t:1")
    assert calls_of(example) == [("read_file", {"path": "a.py"}), ("read_file", {"path": "b.py"})]
    assert "Reading both." in example.messages[2]["content"]
    assert "Then I will compare." in example.messages[2]["content"]
    assert [m["content"] for m in example.messages if m["role"] == "tool"] == ["A", "B"]


def test_single_quoted_pseudo_json_is_repaired_and_reported() -> None:
    body = (
        """{\n  "name": "write_file",\n"""
        """  "arguments": {"path": "README.md", "content": '# Title\\n\\nText.'}\n}"""
    )
    example, repairs = convert_object(legacy(user("readme"), assistant(fence(body))), "legacy", "t:1")
    assert calls_of(example) == [("write_file", {"path": "README.md", "content": "# Title\n\nText."})]
    assert repairs == ["single-quoted pseudo-JSON read as a Python literal"]
    assert "Python literal" in example.meta["repairs"]


def test_ambiguous_single_quoted_pseudo_json_is_rejected() -> None:
    body = """{"name": "write_file", "arguments": {"path": "x", "content": 'tab\\x09here'}}"""
    with pytest.raises(ConversionError, match="Python-only escapes"):
        parse_assistant_content(fence(body))


def test_unreadable_call_text_is_rejected_not_dropped() -> None:
    with pytest.raises(ConversionError, match="json_fence call text not understood"):
        parse_assistant_content(fence('{"name": "read_file", "arguments": {"path": "a.py",}'))


def test_tool_call_markup_without_a_readable_call_is_rejected() -> None:
    with pytest.raises(ConversionError):
        parse_assistant_content("<tool_call>\nnot a call\n</tool_call>")


def test_truncated_arguments_string_is_closed_and_reported() -> None:
    body = '{\n  "name": "get_news",\n  "arguments": "{\\"country\\": \\"France"\n}'
    _, calls, repairs = parse_assistant_content(fence(body))
    assert [(c.name, c.arguments) for c in calls] == [("get_news", {"country": "France"})]
    assert repairs == ["arguments string cut before its closing '\"}' (closed)"]


def test_qwen3_xml_calls_with_tool_response_results() -> None:
    call = (
        "<tool_call>\n<function=run_command>\n<parameter=command>\nls -la\n</parameter>\n"
        "</function>\n</tool_call>"
    )
    line = legacy(
        user("list it"),
        assistant("Let me look.\n\n" + call),
        user("<tool_response>\ntotal 0\n</tool_response>"),
        assistant("Empty."),
    )
    example, _ = convert_object(line, "legacy", "t:1")
    assert calls_of(example) == [("run_command", {"command": "ls -la"})]
    assert example.messages[2]["content"] == "Let me look."
    assert example.messages[3] == {"role": "tool", "name": "run_command", "content": "total 0"}


def test_hermes_calls_with_two_tool_responses_in_one_message() -> None:
    calls = (
        '<tool_call>\n{"name": "read_file", "arguments": {"path": "a"}}\n</tool_call>\n'
        '<tool_call>\n{"name": "read_file", "arguments": {"path": "b"}}\n</tool_call>'
    )
    line = legacy(
        user("read a and b"),
        assistant(calls),
        user("<tool_response>\nA\n</tool_response>\n<tool_response>\nB\n</tool_response>"),
        assistant("Done."),
    )
    example, _ = convert_object(line, "legacy", "t:1")
    assert calls_of(example) == [("read_file", {"path": "a"}), ("read_file", {"path": "b"})]
    assert [m["content"] for m in example.messages if m["role"] == "tool"] == ["A", "B"]


def test_mlx_text_chatml_line() -> None:
    text = (
        "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nrun ls<|im_end|>\n<|im_start|>assistant\n"
        + fence('{"name": "run_command", "arguments": {"command": "ls"}}')
        + "<|im_end|>\n<|im_start|>user\nTool result: a.py<|im_end|>\n"
        + "<|im_start|>assistant\nOne file.<|im_end|>"
    )
    example, _ = convert_object({"text": text}, "auto", "t:1")
    assert calls_of(example) == [("run_command", {"command": "ls"})]
    assert [m["role"] for m in example.messages] == ["system", "user", "assistant", "tool", "assistant"]
    with pytest.raises(ConversionError, match="outside ChatML"):
        chatml_to_messages("junk<|im_start|>user\nhi<|im_end|>")


def test_structural_problems_are_rejected_with_reasons() -> None:
    cases = {
        "tool result without a preceding call": legacy(
            user("hi"), assistant("hello"), user("Tool result: x"), assistant("ok")
        ),
        "2 results for 1 pending call": legacy(
            user("x"),
            assistant(fence('{"name": "a", "arguments": {}}')),
            user("<tool_response>\n1\n</tool_response><tool_response>\n2\n</tool_response>"),
            assistant("ok"),
        ),
        "no assistant turn": legacy(user("anyone?")),
        "unknown role": {"messages": [{"role": "robot", "content": "x"}, assistant("y")]},
    }
    for reason, line in cases.items():
        with pytest.raises(ConversionError, match=reason):
            convert_object(line, "legacy", "t:1")


def test_file_accounts_for_every_line(tmp_path: Path) -> None:
    good = legacy(user("q"), assistant("a"))
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps(good),
                "{broken",
                json.dumps({"text": "no turns"}),
                "",
                json.dumps([1, 2]),
                json.dumps(good),
            ]
        )
        + "\n"
    )
    report = convert_file(path)
    assert report.lines == 5 and report.balanced
    assert [n for n, _ in report.converted] == [1, 6]
    assert [(r.line, r.reason.split(" (")[0]) for r in report.rejected] == [
        (2, "invalid JSON"),
        (3, "unterminated or stray ChatML text: 'no turns'"),
        (5, "a line must be a JSON object, got array"),
    ]
    assert report.rejected[0].raw == "{broken"


@pytest.mark.parametrize(
    "name",
    [
        "json_fence_domain_examples.jsonl",
        "json_fence_hand_authored.jsonl",
        "mlx_text_chatml.jsonl",
        "xml_text_phase27.jsonl",
    ],
)
def test_real_legacy_files_are_fully_accounted_for(name: str) -> None:
    path = LEGACY / name
    report = convert_file(path)
    nonblank = sum(1 for line in path.read_text().splitlines() if line.strip())
    assert report.lines == nonblank == len(report.converted) + len(report.rejected)
    assert len(report.converted) >= 0.9 * nonblank
    for _, example in report.converted:
        assert example.meta["source"].startswith(name)


def test_known_good_legacy_lines_give_expected_calls() -> None:
    hand = dict(convert_file(LEGACY / "json_fence_hand_authored.jsonl").converted)
    assert calls_of(hand[1]) == [("read_file", {"path": "src/main.py"})]
    assert calls_of(hand[3]) == [
        ("write_file", {"path": "README.md", "content": "# My Project\n\nA simple Python project."})
    ]
    xml = dict(convert_file(LEGACY / "xml_text_phase27.jsonl").converted)
    assert calls_of(xml[2]) == [
        (
            "execute_code",
            {"code": "result = run_command(\"grep -r 'async def' --include='*.py'\")\nprint(result)"},
        )
    ]
    assert xml[2].messages[3]["content"].startswith("data/repos/fastapi/docs_src/response_model/")
    mlx = dict(convert_file(LEGACY / "mlx_text_chatml.jsonl").converted)
    assert calls_of(mlx[2])[0] == ("calculate_bmi", {"weight": 70, "height": 1.75})


def test_workspace_tools_mode_declares_punie_tools_plus_others() -> None:
    line = legacy(
        user("run ls then fetch"),
        assistant(fence('{"name": "run_command", "arguments": {"command": "ls"}}')),
        user("Tool result: a.py"),
        assistant(fence('{"name": "fetch_url", "arguments": {"url": "x"}}')),
        user("Tool result: ok"),
        assistant("Done."),
    )
    example, _ = convert_object(line, "legacy", "t:1", tools_mode="workspace")
    names = [tool["function"]["name"] for tool in example.tools]
    assert names == [
        "read_file",
        "list_files",
        "search",
        "write_file",
        "edit_file",
        "run_command",
        "fetch_url",
    ]
    assert example.meta["tools"] == "punie workspace tools + inferred from other calls"
    bad = legacy(user("read"), assistant(fence('{"name": "read_file", "arguments": {"file": "a.py"}}')))
    with pytest.raises(ConversionError, match="arguments"):
        convert_object(bad, "legacy", "t:1", tools_mode="workspace")


def test_openai_style_lines_keep_structured_calls_and_declared_tools() -> None:
    tools = [
        {
            "type": "function",
            "function": {
                "name": "run_command",
                "description": "Run.",
                "parameters": {"type": "object", "properties": {"command": {"type": "string"}}},
            },
        }
    ]
    line = {
        "messages": [
            user("run ls"),
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "run_command", "arguments": '{"command": "ls"}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": "a.py"},
            assistant("One file."),
        ],
        "tools": tools,
    }
    example, _ = convert_object(line, "auto", "t:1")
    assert calls_of(example) == [("run_command", {"command": "ls"})]
    assert example.tools == tools and example.meta["tools"] == "declared in the input"
    assert example.messages[2] == {"role": "tool", "name": "run_command", "content": "a.py"}


def test_exports() -> None:
    example, _ = convert_object(
        legacy(
            user("run ls"),
            assistant(fence('{"name": "run_command", "arguments": {"command": "ls"}}')),
            user("Tool result: a.py"),
            assistant("One file."),
        ),
        "legacy",
        "t:1",
    )
    text = to_mlx_text(example)["text"]
    assert "<function=run_command>" in text and "<tool_response>\na.py\n</tool_response>" in text
    assert "```json" not in text
    exported = to_messages(example)
    assert set(exported) == {"messages", "tools"}
    assert exported["messages"][2]["tool_calls"][0]["function"]["arguments"] == {"command": "ls"}
