"""Suites and case validation: good files load, each kind of bad line is reported with file:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from punie.chat.prompts import WORKSPACE_TOOLS
from punie.eval.cases import CaseError, load_cases
from punie.eval.suites import (
    OUTSIDE_FEATURES,
    SEED_QUERIES,
    held_out_cases,
    record_to_case,
    resolve_suite,
    seed_cases,
)

SHARED_EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval"  # ../shared beside the checkout
TOOL = {
    "type": "function",
    "function": {
        "name": "read_file",
        "description": "Read a file.",
        "parameters": {
            "type": "object",
            "properties": {"path": {"type": "string"}, "lines": {"type": "integer"}},
            "required": ["path"],
        },
    },
}
GOOD = {
    "id": "ok",
    "messages": [{"role": "user", "content": "show a.py"}],
    "tools": [TOOL],
    "expected": {
        "kind": "tool_call",
        "name": "read_file",
        "arguments": {"path": ["a.py", "./a.py"]},
        "optional": ["lines"],
    },
}


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _with(**changes: object) -> str:
    data = json.loads(json.dumps(GOOD))
    for dotted, value in changes.items():
        target = data
        *parents, last = dotted.split("__")
        for key in parents:
            target = target[key]
        if value is None:
            target.pop(last, None)
        else:
            target[last] = value
    return json.dumps(data)


def test_a_good_file_loads_with_names_arguments_and_optional(tmp_path: Path) -> None:
    direct = json.dumps(
        {
            "id": "d",
            "messages": [{"role": "user", "content": "hi"}],
            "tools": [TOOL],
            "expected": {"kind": "direct"},
        }
    )
    cases = load_cases(_write(tmp_path, [json.dumps(GOOD), "", direct]))
    assert [c.id for c in cases] == ["ok", "d"]
    assert cases[0].expected.names == ("read_file",)
    assert cases[0].expected.arguments == {"path": ["a.py", "./a.py"]}
    assert cases[0].expected.optional == frozenset({"lines"})
    assert cases[1].expected.kind == "direct"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        (_with(expected__kind="maybe"), "expected.kind must be"),
        (_with(expected__name="write_file"), "is not among the case's tools"),
        (_with(expected__name=[]), "expected.name must be"),
        (_with(expected__arguments={"filename": ["a.py"]}), "expected.arguments.filename is not a parameter"),
        (_with(expected__arguments={"path": "a.py"}), "must be a non-empty list"),
        (_with(expected__optional=["colour"]), "expected.optional names 'colour'"),
        (_with(messages=[]), "'messages' must be a non-empty list"),
        (_with(messages=[{"role": "wizard", "content": "x"}]), "role must be one of"),
        (_with(messages=[{"role": "assistant", "content": "x"}]), "the last message must be"),
        (_with(tools=[{"type": "function"}]), "tools[0] is not an OpenAI tool"),
        (_with(expected=None), "'expected' must be an object"),
    ],
)
def test_a_bad_line_is_reported_with_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = _write(tmp_path, [json.dumps(GOOD), line])
    with pytest.raises(CaseError) as error:
        load_cases(path)
    assert f"{path}:2:" in str(error.value)
    assert message in str(error.value)


def test_a_direct_case_naming_a_tool_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match=r"cases.jsonl:1: a 'direct' case must not name"):
        load_cases(_write(tmp_path, [_with(expected={"kind": "direct", "name": "read_file"})]))


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match="duplicate case id 'ok'"):
        load_cases(_write(tmp_path, [json.dumps(GOOD), json.dumps(GOOD)]))


def test_the_seed_suite_is_the_seeds_five_queries_with_two_tools() -> None:
    cases = seed_cases()
    assert [c.prompt for c in cases] == [q for q, _ in SEED_QUERIES]
    assert [c.expected.kind for c in cases] == ["tool_call", "tool_call", "direct", "tool_call", "direct"]
    assert cases[1].expected.names == ("read_file", "run_command")
    assert {t.name for t in cases[0].tool_objects} == {"run_command", "read_file"}
    assert cases[0].tool("run_command").required == ["command"]


def test_a_dataset_record_becomes_a_case_expecting_its_first_call() -> None:
    record = {
        "messages": [
            {"role": "system", "content": "sys"},
            {"role": "user", "content": "Find the views"},
            {
                "role": "assistant",
                "content": "",
                "tool_calls": [
                    {
                        "type": "function",
                        "function": {
                            "name": "run_command",
                            "arguments": {"command": "grep -rn View .", "timeout": 10},
                        },
                    }
                ],
            },
            {"role": "tool", "name": "run_command", "content": "app/views.py:1"},
            {"role": "assistant", "content": "One view."},
        ],
        "tools": [t.to_openai() for t in WORKSPACE_TOOLS],
        "meta": {"source": "generator/django", "kind": "tool"},
    }
    case = record_to_case(record, "test.jsonl:4")
    assert [m["role"] for m in case.messages] == ["system", "user"]
    assert case.expected.names == ("run_command",)
    assert case.expected.arguments == {"command": ["grep -rn View ."], "timeout": [10]}
    assert case.expected.optional == frozenset({"timeout"})
    assert case.source == "generator/django"


def test_a_direct_record_becomes_a_direct_case(tmp_path: Path) -> None:
    record = {
        "messages": [
            {"role": "user", "content": "What is a decorator?"},
            {"role": "assistant", "content": "A function wrapping a function."},
        ]
    }
    path = tmp_path / "test.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    cases = held_out_cases(path)
    assert cases[0].expected.kind == "direct"
    assert {t.name for t in cases[0].tool_objects} == {t.name for t in WORKSPACE_TOOLS}
    name, resolved = resolve_suite(str(path))  # a records file given as a suite is detected as records
    assert name == "test" and resolved[0].expected.kind == "direct"


def test_a_multi_turn_record_is_judged_on_the_reply_to_its_last_user_message() -> None:
    record = {
        "messages": [
            {"role": "system", "content": "sys"},
            {"role": "user", "content": "What is a decorator?"},
            {"role": "assistant", "content": "A function wrapping a function."},
            {"role": "user", "content": "Show me app.py"},
            {
                "role": "assistant",
                "content": "",
                "tool_calls": [
                    {"type": "function", "function": {"name": "read_file", "arguments": '{"path": "app.py"}'}}
                ],
            },
            {"role": "tool", "content": "1: import flask"},
            {"role": "assistant", "content": "It imports Flask."},
        ],
    }
    case = record_to_case(record, "test.jsonl:9")
    assert [m["role"] for m in case.messages] == ["system", "user", "assistant", "user"]
    assert case.prompt == "Show me app.py"
    assert case.expected.names == ("read_file",) and case.expected.arguments == {"path": ["app.py"]}


def test_a_record_without_an_assistant_turn_is_refused() -> None:
    with pytest.raises(
        CaseError, match=r"test.jsonl:3: the record has no assistant turn after its last user"
    ):
        record_to_case({"messages": [{"role": "user", "content": "hi"}]}, "test.jsonl:3")


def test_an_unknown_suite_name_is_a_clear_error() -> None:
    with pytest.raises(CaseError, match="unknown suite 'nope'"):
        resolve_suite("nope")


@pytest.mark.skipif(not SHARED_EVAL.is_dir(), reason="the shared BFCL cases are not on this machine")
@pytest.mark.parametrize(("name", "count"), [("bfcl_decision", 200), ("bfcl_live", 100)])
def test_the_shared_bfcl_files_load_as_cases(name: str, count: int) -> None:
    suite, cases = resolve_suite(str(SHARED_EVAL / f"{name}.jsonl"))
    assert suite == name and len(cases) == count
    kinds = {c.expected.kind for c in cases}
    assert kinds == {"tool_call", "direct"}


def test_the_held_out_suite_is_the_generated_test_split_and_is_deterministic() -> None:
    name, cases = resolve_suite("held-out")
    _, again = resolve_suite("held-out")
    assert name == "held-out" and len(cases) > 50
    assert [(c.id, c.expected) for c in cases] == [(c.id, c.expected) for c in again]
    kinds = {c.expected.kind for c in cases}
    assert kinds == {"tool_call", "direct"}
    workspace_names = {t.name for t in WORKSPACE_TOOLS}
    for case in cases:
        assert case.messages[-1]["role"] == "user"
        assert set(case.expected.names) <= workspace_names


def test_the_features_suite_asks_each_outside_name_two_ways() -> None:
    name, cases = resolve_suite("features")
    assert name == "features" and len(cases) == 3 * len(OUTSIDE_FEATURES) == 60
    assert len({c.id for c in cases}) == 60
    finds = [c for c in cases if c.id.endswith("_find")]
    assert [c.prompt for c in finds] == [f"Find {n} uses" for n in OUTSIDE_FEATURES]
    assert all(c.expected.names == ("search", "run_command") for c in cases if c.expected.kind == "tool_call")
    howtos = [c for c in cases if c.id.endswith("_howto")]
    assert len(howtos) == 20 and all(c.expected.kind == "direct" for c in howtos)
    assert {t.name for t in cases[0].tool_objects} == {t.name for t in WORKSPACE_TOOLS}
