"""Agent logic on FunctionModel: tool calls, retries, failures, history, limits, cancel, timing."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
from openai import AsyncOpenAI
from pydantic_ai import CancellationToken
from pydantic_ai.messages import ModelMessage, ModelRequest, ToolReturnPart, UserPromptPart
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.openai_compatible import OpenAICompatibleProvider
from pydantic_ai.usage import UsageLimits

from punie.agent.models import local_profile
from punie.agent.policy import Decision
from punie.agent.session import AgentSession
from punie.agent.tools import ToolResult
from punie.chat.prompts import SYSTEM_PROMPT, WORKSPACE_TOOLS

from .conftest import make_tools


class RecordingSink:
    def __init__(self) -> None:
        self.events: list[tuple[Any, ...]] = []

    async def text(self, delta: str) -> None:
        self.events.append(("text", delta))

    async def tool_started(
        self, call_id: str, name: str, arguments: dict[str, Any], title: str, kind: str
    ) -> None:
        self.events.append(("start", name, arguments, kind))

    async def tool_finished(self, call_id: str, name: str, result: ToolResult) -> None:
        self.events.append(("finish", name, result.ok, result.summary))

    async def tool_retry(self, call_id: str, name: str, message: str) -> None:
        self.events.append(("retry", name, message))


def tool_returns(messages: list[ModelMessage]) -> list[ToolReturnPart]:
    return [
        p for m in messages if isinstance(m, ModelRequest) for p in m.parts if isinstance(p, ToolReturnPart)
    ]


def scripted(*steps: Any) -> tuple[FunctionModel, list[list[ModelMessage]]]:
    """A streaming FunctionModel playing `steps`: a str answers, a (name, args) tuple calls a tool."""
    seen: list[list[ModelMessage]] = []

    async def stream(messages: list[ModelMessage], info: AgentInfo):  # type: ignore[no-untyped-def]
        seen.append(list(messages))
        step = steps[min(len(seen), len(steps)) - 1]
        if isinstance(step, str):
            for word in step.split(" "):
                yield word + " "
        else:
            name, args = step
            raw = args if isinstance(args, str) else json.dumps(args)
            yield {0: DeltaToolCall(name=name, json_args=raw, tool_call_id=f"call_{len(seen)}")}

    return FunctionModel(stream_function=stream), seen


async def test_a_tool_call_runs_and_its_result_reaches_the_model(project: Path) -> None:
    model, seen = scripted(("read_file", {"path": "app/main.py"}), "It defines hello and bye.")
    tools, _ = make_tools(project)
    sink = RecordingSink()
    outcome = await AgentSession(model, tools).run_turn("What is in app/main.py?", sink)
    assert outcome.stop_reason == "end_turn" and outcome.error is None
    assert outcome.text.strip() == "It defines hello and bye."
    assert outcome.tool_calls == 1 and outcome.requests == 2
    [returned] = tool_returns(seen[1])
    assert returned.tool_name == "read_file" and "     1\tdef hello():" in str(returned.content)
    assert ("start", "read_file", {"path": "app/main.py"}, "read") in sink.events
    assert ("finish", "read_file", True, "app/main.py (lines 1-6 of 6)") in sink.events
    assert "".join(e[1] for e in sink.events if e[0] == "text").strip() == "It defines hello and bye."


async def test_the_model_receives_the_system_prompt_and_exact_tool_definitions(project: Path) -> None:
    infos: list[AgentInfo] = []

    async def answer(messages: list[ModelMessage], info: AgentInfo):  # type: ignore[no-untyped-def]
        infos.append(info)
        yield "ok"

    tools, _ = make_tools(project)
    session = AgentSession(FunctionModel(stream_function=answer), tools)
    await session.run_turn("hi", RecordingSink())
    sent = [(t.name, t.description, t.parameters_json_schema) for t in infos[0].function_tools]
    assert sent == [(t.name, t.description, t.parameters) for t in WORKSPACE_TOOLS]
    first = session.history[0]
    assert isinstance(first, ModelRequest) and first.parts[0].content == SYSTEM_PROMPT


async def test_tool_definitions_on_the_wire_equal_the_canonical_ones_without_strict(project: Path) -> None:
    bodies: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        chunks = [{"role": "assistant", "content": "Hel"}, {"content": "lo."}]
        lines = [
            json.dumps(
                {
                    "id": "x",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": "default",
                    "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
                }
            )
            for delta in chunks
        ]
        body = "".join(f"data: {line}\n\n" for line in lines) + "data: [DONE]\n\n"
        return httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})

    client = AsyncOpenAI(
        base_url="http://local/v1",
        api_key="x",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
    )
    provider = OpenAICompatibleProvider("punie-local", openai_client=client, profile=local_profile())
    tools, _ = make_tools(project)
    session = AgentSession(OpenAIChatModel("default", provider=provider), tools)
    outcome = await session.run_turn("hi", RecordingSink())
    assert outcome.error is None and outcome.text == "Hello."
    assert bodies, "no request reached the server"
    assert bodies[0]["tools"] == [tool.to_openai() for tool in WORKSPACE_TOOLS]
    assert bodies[0]["messages"][0] == {"role": "system", "content": SYSTEM_PROMPT}


async def test_a_malformed_tool_call_goes_back_to_the_model_as_a_retry(project: Path) -> None:
    model, seen = scripted(
        ("read_file", {"file": "app/main.py"}),
        ("read_file", '{"path": "app/main.py"'),  # not even JSON
        ("read_file", {"path": "app/main.py"}),
        "Done.",
    )
    tools, _ = make_tools(project)
    sink = RecordingSink()
    outcome = await AgentSession(model, tools, retries=3).run_turn("read it", sink)
    assert outcome.stop_reason == "end_turn" and outcome.text.strip() == "Done."
    returns = tool_returns(seen[-1])
    assert returns[0].outcome == "retried" and "unknown argument(s) file" in str(returns[0].content)
    assert returns[-1].outcome != "retried" and "def hello" in str(returns[-1].content)
    assert (
        "retry",
        "read_file",
        "unknown argument(s) file for read_file; its parameters are: path, start_line, end_line",
    ) in sink.events


async def test_a_run_that_keeps_failing_ends_with_a_clear_message(project: Path) -> None:
    model, _ = scripted(("read_file", {"file": "x"}))
    tools, _ = make_tools(project)
    session = AgentSession(model, tools, retries=1)
    outcome = await session.run_turn("read it", RecordingSink())
    assert outcome.stop_reason == "failed"
    assert outcome.error is not None and outcome.error.startswith("The model did not produce a usable answer")
    assert "read_file" in outcome.error
    # the session stays usable
    session.agent.model.wrapped = scripted("Recovered.")[0]
    assert (await session.run_turn("again", RecordingSink())).stop_reason == "end_turn"


async def test_usage_limits_stop_a_looping_model(project: Path) -> None:
    model, _ = scripted(("list_files", {"pattern": "*"}))
    tools, _ = make_tools(project)
    session = AgentSession(model, tools, usage_limits=UsageLimits(request_limit=3))
    outcome = await session.run_turn("loop", RecordingSink())
    assert outcome.stop_reason == "max_turn_requests"
    assert outcome.error is not None and "usage limit" in outcome.error


async def test_history_carries_across_turns(project: Path) -> None:
    prompts_seen: list[list[str]] = []

    async def answer(messages: list[ModelMessage], info: AgentInfo):  # type: ignore[no-untyped-def]
        prompts = [
            p.content
            for m in messages
            if isinstance(m, ModelRequest)
            for p in m.parts
            if isinstance(p, UserPromptPart)
        ]
        prompts_seen.append(prompts)
        yield f"turn {len(prompts)}"

    tools, _ = make_tools(project)
    session = AgentSession(FunctionModel(stream_function=answer), tools)
    first = await session.run_turn("my name is Ada", RecordingSink())
    second = await session.run_turn("what is my name?", RecordingSink())
    assert (first.text, second.text) == ("turn 1", "turn 2")
    assert prompts_seen[-1] == ["my name is Ada", "what is my name?"]
    assert (
        sum(
            isinstance(m, ModelRequest) and any(isinstance(p, UserPromptPart) for p in m.parts)
            for m in session.history
        )
        == 2
    )


async def test_a_rejected_write_reaches_the_model_as_a_refusal(project: Path) -> None:
    model, seen = scripted(("write_file", {"path": "x.py", "content": "1"}), "Okay, I did not write it.")
    tools, approver = make_tools(project, Decision.REJECT)
    outcome = await AgentSession(model, tools).run_turn("write x.py", RecordingSink())
    assert outcome.stop_reason == "end_turn"
    assert not (project / "x.py").exists()
    assert "rejected" in str(tool_returns(seen[-1])[0].content)
    assert len(approver.requests) == 1


async def test_cancel_ends_the_turn_as_cancelled_and_keeps_history(project: Path) -> None:
    started = asyncio.Event()

    async def slow(messages: list[ModelMessage], info: AgentInfo):  # type: ignore[no-untyped-def]
        yield "partial "
        started.set()
        await asyncio.sleep(30)
        yield "never"

    tools, _ = make_tools(project)
    session = AgentSession(FunctionModel(stream_function=slow), tools)
    token = CancellationToken()
    task = asyncio.create_task(session.run_turn("go", RecordingSink(), cancel=token))
    await asyncio.wait_for(started.wait(), 5)
    token.cancel()
    outcome = await asyncio.wait_for(task, 5)
    assert outcome.stop_reason == "cancelled"
    assert outcome.text == "partial "
    assert any(
        isinstance(p, UserPromptPart) and p.content == "go"
        for m in session.history
        if isinstance(m, ModelRequest)
        for p in m.parts
    )


async def test_timing_splits_model_tool_and_overhead(project: Path) -> None:
    async def slow_model(messages: list[ModelMessage], info: AgentInfo):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.2)
        if len(messages) == 1:
            yield {
                0: DeltaToolCall(name="run_command", json_args='{"command": "sleep 0.3"}', tool_call_id="c")
            }
        else:
            yield "done"

    tools, _ = make_tools(project)
    outcome = await AgentSession(FunctionModel(stream_function=slow_model), tools).run_turn(
        "x", RecordingSink()
    )
    timing = outcome.timing
    assert 0.38 <= timing.model < 5, timing
    assert 0.28 <= timing.tools < 5, timing
    assert abs(timing.total - (timing.model + timing.tools + timing.approval + timing.overhead)) < 1e-6
    assert "model" in timing.line("test") and "tools" in timing.line("test")


async def test_long_histories_drop_old_turns_but_keep_the_system_prompt(project: Path) -> None:
    seen: list[list[ModelMessage]] = []

    async def answer(messages: list[ModelMessage], info: AgentInfo):  # type: ignore[no-untyped-def]
        seen.append(list(messages))
        yield "noted"

    tools, _ = make_tools(project)
    session = AgentSession(FunctionModel(stream_function=answer), tools, history_chars=2_500)
    for index in range(4):
        await session.run_turn(f"message {index}: " + "x" * 1_000, RecordingSink())
    last = seen[-1]
    prompts = [
        p.content[:9]
        for m in last
        if isinstance(m, ModelRequest)
        for p in m.parts
        if isinstance(p, UserPromptPart)
    ]
    assert prompts == ["message 2", "message 3"]  # turns 0 and 1 were dropped, whole
    assert isinstance(last[0], ModelRequest) and last[0].parts[0].content == SYSTEM_PROMPT
    assert len(session.history) > len(last)  # the session itself keeps everything
