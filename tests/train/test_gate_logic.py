"""Gate scoring and the margin rule, on hand-written replies (no model)."""

from __future__ import annotations

import os
from pathlib import Path

from punie.chat import SYSTEM_PROMPT, WORKSPACE_TOOLS
from punie.data.records import Example
from punie.train.gate import (
    GateCase,
    Scores,
    case_from_example,
    gate_failures,
    judge,
    seed_cases,
    tool_breakdown,
)

TOOLS = [tool.to_openai() for tool in WORKSPACE_TOOLS]
CALL = (
    "<tool_call>\n<function=search>\n<parameter=pattern>\nclass UserSerializer\n</parameter>\n"
    "</function>\n</tool_call>"
)
RUN = CALL.replace("search", "run_command").replace("pattern", "command")


def _case(kind: str, name: str = "") -> GateCase:
    messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "q"}]
    return GateCase("c", messages, TOOLS, kind, name)


def test_tool_reply_is_parsed_with_the_dialect() -> None:
    result = judge(_case("tool", "search"), CALL, "qwen3_xml")
    assert result.predicted == "tool" and result.names == ["search"] and not result.parse_errors


def test_plain_answer_is_direct() -> None:
    result = judge(_case("direct"), "Dependency injection passes collaborators in.", "qwen3_xml")
    assert result.predicted == "direct" and not result.attempted_call


def test_broken_call_counts_as_attempted_but_not_valid() -> None:
    result = judge(_case("tool", "search"), "<tool_call>\n<function=search>\n<parameter=pat", "qwen3_xml")
    scores = Scores.of([result], [], 0.0)
    assert result.attempted_call
    assert scores.parse_valid == 0.0 and scores.decision == 0.0


def test_scores() -> None:
    results = [
        judge(_case("tool", "search"), CALL, "qwen3_xml"),
        judge(_case("tool", "read_file"), CALL, "qwen3_xml"),  # right decision, wrong tool
        judge(_case("direct"), "An answer.", "qwen3_xml"),
        judge(_case("direct"), CALL, "qwen3_xml"),  # wrong decision
    ]
    scores = Scores.of(results, [], 1.0)
    assert scores.decision == 0.75
    assert scores.tool_name == 0.5
    assert scores.parse_valid == 1.0 and scores.attempted_calls == 3


def test_margin_rule() -> None:
    ref = Scores(cases=10, decision=0.96, tool_name=0.92)
    scores = {
        "fused-f16": ref,
        "fused-Q8_0": Scores(cases=10, decision=0.95, tool_name=0.91),
        "fused-Q4_K_M": Scores(cases=10, decision=0.70, tool_name=0.92),
        "base (no adapter)": Scores(cases=10, decision=0.3, tool_name=0.0),
    }
    failures = gate_failures(scores, "fused-f16", 0.05, exempt=["base (no adapter)"])
    assert len(failures) == 1 and "fused-Q4_K_M" in failures[0] and "decision" in failures[0]


def test_case_from_example_uses_the_reply_to_the_last_user_message() -> None:
    example = Example(
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": "What is a fixture?"},
            {"role": "assistant", "content": "A reusable setup."},
            {"role": "user", "content": "Show me UserSerializer"},
            {
                "role": "assistant",
                "content": "",
                "tool_calls": [
                    {
                        "type": "function",
                        "function": {"name": "search", "arguments": {"pattern": "UserSerializer"}},
                    }
                ],
            },
            {"role": "tool", "name": "search", "content": "app/serializers.py:3:class UserSerializer:"},
            {"role": "assistant", "content": "It is in app/serializers.py."},
        ],
        tools=TOOLS,
    )
    case = case_from_example(example, 0)
    assert case.kind == "tool" and case.name == "search"
    assert case.messages[-1]["content"] == "Show me UserSerializer" and len(case.messages) == 4


def test_seed_queries() -> None:
    kinds = [case.kind for case in seed_cases()]
    assert kinds == ["tool", "tool", "direct", "tool", "direct"]


def test_seed_queries_go_through_the_server() -> None:
    """Replies become OpenAI tool_calls (or content) in the real server app; the prompt is the trained one."""
    from punie.engine.testing import ScriptedEngine
    from punie.train.gate import seed_through_server

    engine = ScriptedEngine([CALL, CALL, "It means passing dependencies in.", "An answer.", "It depends."])
    results = seed_through_server(engine)
    assert [r.got for r in results] == ["tool:search", "tool:search", "direct", "direct", "direct"]
    assert [r.correct for r in results] == [True, True, True, False, True]
    assert results[0].finish_reason == "tool_calls"
    assert "<function><name>run_command</name>" in engine.prompts[0]  # the six tools are listed
    assert engine.prompts[0].endswith("<|im_start|>assistant\n")


def test_seed_queries_with_the_seeds_own_tools_check_its_names() -> None:
    """With the seed's two tools a project query counts only when it calls a name the seed accepted."""
    from punie.chat.seed import SEED_TOOLS
    from punie.engine.testing import ScriptedEngine
    from punie.train.gate import seed_through_server

    read = CALL.replace("search", "read_file").replace("pattern", "path")
    engine = ScriptedEngine([read, read, "Passing dependencies in.", RUN, "It depends."])
    results = seed_through_server(engine, tools=SEED_TOOLS)
    assert [r.got for r in results] == [
        "tool:read_file",
        "tool:read_file",
        "direct",
        "tool:run_command",
        "direct",
    ]
    assert [r.correct for r in results] == [False, True, True, True, True]  # Find ... needs run_command
    assert "<function><name>search</name>" not in engine.prompts[0]


def test_the_served_adapter_is_gated_with_the_name_constraint(tmp_path: Path) -> None:
    """`adapter+names` is the runtime adapter measured as the server runs it; its scores are kept apart."""
    from punie.train.gate import ADAPTER, SERVED, _artifact_key, artifacts_of

    base = tmp_path / "base.gguf"
    base.write_bytes(b"base")
    (tmp_path / "adapter.gguf").write_bytes(b"lora")
    cases = tmp_path / "test.jsonl"
    cases.write_text("")
    found = {artifact.name: artifact for artifact in artifacts_of(tmp_path, base, [])}
    assert found[SERVED].lora == found[ADAPTER].lora and found[SERVED].constrain_names
    assert not found[ADAPTER].constrain_names
    keys = {name: _artifact_key(found[name], cases, 0, "qwen3_xml") for name in (ADAPTER, SERVED)}
    assert keys[ADAPTER] != keys[SERVED]


def test_a_regenerated_identical_test_split_keeps_earlier_gate_results(tmp_path: Path) -> None:
    from punie.train.gate import BASE, _artifact_key, artifacts_of

    base = tmp_path / "base.gguf"
    base.write_bytes(b"base")
    cases = tmp_path / "test.jsonl"
    cases.write_text('{"a": 1}\n')
    artifact = next(a for a in artifacts_of(tmp_path, base, []) if a.name == BASE)
    before = _artifact_key(artifact, cases, 0, "qwen3_xml")
    os.utime(cases, ns=(1, 1))  # rewritten later with the same bytes
    assert _artifact_key(artifact, cases, 0, "qwen3_xml") == before
    cases.write_text('{"a": 2}\n')
    assert _artifact_key(artifact, cases, 0, "qwen3_xml") != before
    assert _artifact_key(artifact, cases, 5, "qwen3_xml") != _artifact_key(artifact, cases, 0, "qwen3_xml")


def test_engine_reply_passes_the_servers_name_constraint_only_when_asked() -> None:
    from punie.engine.testing import ScriptedEngine
    from punie.train.gate import engine_reply, seed_cases

    case = seed_cases()[0]
    engine = ScriptedEngine([CALL, CALL])
    engine_reply(engine, case, "qwen3_xml", 64)
    engine_reply(engine, case, "qwen3_xml", 64, constrain_names=True)
    assert engine.constraints[0] is None
    constraint = engine.constraints[1]
    assert constraint is not None and set(constraint.names) == {tool.name for tool in WORKSPACE_TOOLS}
    assert "<function=" in constraint.syntax.name_openers
    assert dict(constraint.keys) == {tool.name: tuple(tool.properties) for tool in WORKSPACE_TOOLS}


def test_tool_breakdown_counts_the_first_call_per_expected_tool() -> None:
    other = CALL.replace("function=search", "function=list_files")
    results = [
        judge(_case("tool", "search"), CALL, "qwen3_xml"),
        judge(_case("tool", "search"), other, "qwen3_xml"),
        judge(_case("tool", "search"), "It is in serializers.py.", "qwen3_xml"),
        judge(_case("tool", "list_files"), other, "qwen3_xml"),
        judge(_case("direct"), CALL, "qwen3_xml"),  # not a tool case: not in the breakdown
    ]
    assert tool_breakdown(results) == {
        "list_files": {"cases": 1, "correct": 1, "instead": {}},
        "search": {"cases": 3, "correct": 1, "instead": {"list_files": 1, "direct": 1}},
    }
    assert Scores.of(results, [], 0.0).per_tool == tool_breakdown(results)
