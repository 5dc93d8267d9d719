"""Send cases through the OpenAI Chat Completions API (streaming) and record what comes back."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from punie.eval.cases import EvalCase
from punie.eval.results import CaseRun, RecordedCall

# A server may report the model's raw output text in this field (on chunks or usage); Punie's server
# currently does not, so the raw text is then rebuilt from the content and the structured calls.
RAW_TEXT_FIELD = "punie_raw_text"


@dataclass(frozen=True)
class RunSettings:
    model: str = "default"
    temperature: float = 0.0
    max_tokens: int = 256
    concurrency: int = 1
    dialect: str = "qwen3_xml"


def parse_server_timing(header: str | None) -> dict[str, float]:
    """`Server-Timing: pp;dur=12.5, gen;dur=80` -> {"pp": 12.5, "gen": 80.0} (milliseconds)."""
    timings: dict[str, float] = {}
    for entry in (header or "").split(","):
        name, _, params = entry.strip().partition(";")
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if name and key == "dur":
                try:
                    timings[name.strip()] = float(value.strip('"'))
                except ValueError:
                    continue
    return timings


def wire_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages as the OpenAI wire wants them: call arguments as JSON strings, each call with an id."""
    wired = []
    for index, message in enumerate(messages):
        message = dict(message)
        if message.get("tool_calls"):
            calls = []
            for number, call in enumerate(message["tool_calls"]):
                function = dict(call.get("function", call))
                if not isinstance(function.get("arguments"), str):
                    function["arguments"] = json.dumps(function.get("arguments") or {})
                calls.append(
                    {
                        "id": call.get("id") or f"call_{index}_{number}",
                        "type": "function",
                        "function": {"name": function["name"], "arguments": function["arguments"]},
                    }
                )
            message["tool_calls"] = calls
            message.setdefault("content", "")
        wired.append(message)
    _link_tool_results(wired)
    return wired


def _link_tool_results(messages: list[dict[str, Any]]) -> None:
    """Give tool results without a `tool_call_id` the id of the call they answer, in order."""
    pending: list[str] = []
    for message in messages:
        if message.get("role") == "assistant":
            pending = [call["id"] for call in message.get("tool_calls") or []]
        elif message.get("role") == "tool" and not message.get("tool_call_id") and pending:
            message["tool_call_id"] = pending.pop(0)


def _extra(obj: Any, key: str) -> Any:
    """A non-standard field (e.g. Punie's `punie_timing`) on a chunk or usage object, if present."""
    return (getattr(obj, "model_extra", None) or {}).get(key)


def _timing_ms(obj: Any) -> dict[str, float]:
    value = _extra(obj, "punie_timing")
    return _numeric(value) if isinstance(value, dict) else {}


def _reconstruct_raw(content: str, calls: list[RecordedCall], dialect: str) -> str:
    from punie.calls import get_dialect
    from punie.calls.types import ToolCall

    parsed = [ToolCall(call.name, call.arguments) for call in calls if call.arguments is not None]
    rendered = get_dialect(dialect).render_calls(parsed) if parsed else ""
    return content + rendered


async def run_case(client: Any, case: EvalCase, settings: RunSettings) -> CaseRun:
    """Send one case (streaming) and record the answer, time to first token and total time."""
    import openai

    run = CaseRun(case.id)
    content: list[str] = []
    raw_parts: list[str] = []
    calls: dict[int, dict[str, str]] = {}
    start = time.perf_counter()
    try:
        request: dict[str, Any] = {
            "model": settings.model,
            "messages": wire_messages(case.messages),
            "temperature": settings.temperature,
            "max_tokens": settings.max_tokens,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if case.tools:
            request["tools"] = case.tools
        response = await client.chat.completions.with_raw_response.create(**request)
        run.server_timing = parse_server_timing(response.headers.get("server-timing"))
        stream = response.parse()
        async for chunk in stream:
            raw_parts.append(str(_extra(chunk, RAW_TEXT_FIELD) or ""))
            run.server_timing.update(_timing_ms(chunk))
            for choice in chunk.choices or []:
                delta = choice.delta
                visible = delta is not None and (
                    delta.content or delta.tool_calls or _extra(delta, "reasoning_content")
                )
                if visible and run.ttft_s is None:
                    run.ttft_s = time.perf_counter() - start
                if delta is not None and delta.content:
                    content.append(delta.content)
                for tool_delta in (delta.tool_calls or []) if delta is not None else []:
                    entry = calls.setdefault(tool_delta.index, {"name": "", "arguments": ""})
                    if tool_delta.function is not None:
                        entry["name"] += tool_delta.function.name or ""
                        entry["arguments"] += tool_delta.function.arguments or ""
                if choice.finish_reason:
                    run.finish_reason = choice.finish_reason
            if chunk.usage is not None:
                run.prompt_tokens = chunk.usage.prompt_tokens
                run.completion_tokens = chunk.usage.completion_tokens
                run.server_timing.update(_timing_ms(chunk.usage))
                raw_parts.append(str(_extra(chunk.usage, RAW_TEXT_FIELD) or ""))
    except (openai.APIError, ValueError) as exc:
        run.error = f"{type(exc).__name__}: {exc}"
    run.total_s = time.perf_counter() - start
    run.content = "".join(content)
    run.calls = [RecordedCall.from_wire(c["name"], c["arguments"]) for _, c in sorted(calls.items())]
    server_raw = "".join(raw_parts)
    if server_raw:
        run.raw_text, run.raw_text_source = server_raw, "server"
    else:
        run.raw_text = _reconstruct_raw(run.content, run.calls, settings.dialect)
    return run


def _numeric(values: dict[str, Any]) -> dict[str, float]:
    return {
        key: float(value)
        for key, value in values.items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    }


async def run_cases(
    client: Any,
    cases: list[EvalCase],
    settings: RunSettings,
    done: list[CaseRun],
    on_result: Callable[[CaseRun], None] | None = None,
) -> list[CaseRun]:
    """Run all cases, `settings.concurrency` at a time; each finished run is appended to `done` at once,
    so an interrupted run keeps what it finished. Returns runs in case order."""
    gate = asyncio.Semaphore(max(1, settings.concurrency))

    async def one(case: EvalCase) -> None:
        async with gate:
            run = await run_case(client, case, settings)
        done.append(run)
        if on_result is not None:
            on_result(run)

    await asyncio.gather(*(one(case) for case in cases))
    order = {case.id: index for index, case in enumerate(cases)}
    return sorted(done, key=lambda run: order.get(run.id, len(order)))
