"""The runner against a scripted OpenAI-compatible app: what it records, and what Ctrl-C keeps."""

from __future__ import annotations

import asyncio
import json

import pytest

from punie.eval.cases import case_from_dict
from punie.eval.report import REQUIRED_KEYS, build_report
from punie.eval.runner import RunSettings, parse_server_timing, run_case, run_cases, wire_messages
from punie.eval.suites import SEED_TOOLS

TOOLS = [tool.to_openai() for tool in SEED_TOOLS]


def _case(case_id: str, prompt: str, expected: dict) -> object:
    data = {
        "id": case_id,
        "messages": [{"role": "user", "content": prompt}],
        "tools": TOOLS,
        "expected": expected,
    }
    return case_from_dict(data, f"test:{case_id}")


SCRIPT = {
    "find views": {"calls": [("run_command", '{"command": "grep -rn View ."}')]},
    "what is DI": {"content_pieces": ["Dependency ", "injection."]},
    "broken": {"content": "<tool_call>\n<function=run_command>\n<parameter=command>\nls"},
    "fail": {"status": 400},
}


async def test_a_streamed_tool_call_is_recorded_with_timings_and_tokens(make_scripted) -> None:
    app, client = make_scripted(SCRIPT)
    case = _case("a", "find views", {"kind": "tool_call", "name": "run_command"})
    run = await run_case(client, case, RunSettings(max_tokens=32))
    assert [(c.name, c.arguments) for c in run.calls] == [("run_command", {"command": "grep -rn View ."})]
    assert run.finish_reason == "tool_calls"
    assert run.prompt_tokens == 11 and run.completion_tokens == 7
    assert run.server_timing["prompt"] == 5.0 and run.server_timing["gen"] == 7.5
    assert run.ttft_s is not None and 0 < run.ttft_s <= run.total_s
    assert run.raw_text_source == "reconstructed" and "<function=run_command>" in run.raw_text
    request = app.state.requests[0]
    assert request["temperature"] == 0.0 and request["stream"] is True and request["max_tokens"] == 32
    assert request["tools"] == TOOLS and request["stream_options"] == {"include_usage": True}


async def test_content_pieces_are_joined_and_errors_are_recorded(make_scripted) -> None:
    _, client = make_scripted(SCRIPT)
    direct = await run_case(client, _case("b", "what is DI", {"kind": "direct"}), RunSettings())
    assert direct.content == "Dependency injection." and direct.calls == [] and direct.finish_reason == "stop"
    failed = await run_case(client, _case("c", "fail", {"kind": "direct"}), RunSettings())
    assert "scripted failure" in failed.error and failed.total_s > 0


async def test_a_report_scores_the_recorded_runs(make_scripted) -> None:
    _, client = make_scripted(SCRIPT)
    cases = [
        _case("a", "find views", {"kind": "tool_call", "name": "run_command"}),
        _case("b", "what is DI", {"kind": "direct"}),
        _case("c", "broken", {"kind": "tool_call", "name": "run_command"}),
    ]
    done: list = []
    runs = await run_cases(client, cases, RunSettings(concurrency=2), done)
    assert [r.id for r in runs] == ["a", "b", "c"]
    report = build_report("t", "scripted", cases, runs)
    assert set(REQUIRED_KEYS) <= report.keys()
    assert report["cases"] == 3
    assert report["decision_accuracy"] == pytest.approx(2 / 3)
    assert report["format_validity"] == pytest.approx(1 / 2)
    assert report["per_case"][2]["format_ok"] is False
    json.dumps(report)  # serialisable as is


async def test_cancelling_keeps_the_finished_cases(make_scripted) -> None:
    _, client = make_scripted(SCRIPT)
    cases = [_case(f"c{i}", "what is DI", {"kind": "direct"}) for i in range(50)]
    done: list = []
    task = asyncio.create_task(run_cases(client, cases, RunSettings(), done))
    while len(done) < 3:
        await asyncio.sleep(0.001)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert 3 <= len(done) < 50
    report = build_report("t", "scripted", cases, done)
    assert report["cases"] == len(done) and report["cases_planned"] == 50


def test_server_timing_header_is_parsed() -> None:
    assert parse_server_timing("queue;dur=0.5, prompt;dur=12, gen;dur=80.25") == {
        "queue": 0.5,
        "prompt": 12.0,
        "gen": 80.25,
    }
    assert parse_server_timing(None) == {}


def test_wire_messages_turn_dict_arguments_into_json_and_link_tool_results() -> None:
    messages = [
        {"role": "user", "content": "x"},
        {
            "role": "assistant",
            "tool_calls": [{"function": {"name": "read_file", "arguments": {"path": "a"}}}],
        },
        {"role": "tool", "content": "1: a"},
    ]
    wired = wire_messages(messages)
    call = wired[1]["tool_calls"][0]
    assert json.loads(call["function"]["arguments"]) == {"path": "a"}
    assert wired[2]["tool_call_id"] == call["id"] and wired[1]["content"] == ""
    assert messages[1]["tool_calls"][0]["function"]["arguments"] == {"path": "a"}  # input untouched
