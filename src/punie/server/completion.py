"""From generated text to OpenAI answers: the dialect's stream parser, then a JSON body or SSE chunks."""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from typing import Any

from punie.calls.types import StreamEvent, ToolCall
from punie.engine.base import Finished
from punie.server.schemas import ChatRequest
from punie.server.timing import Timing

log = logging.getLogger("punie.server")


@dataclass
class Outcome:
    """What one completion produced, filled in while its events stream by."""

    finished: Finished | None = None
    calls: list[ToolCall] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    held: list[StreamEvent] = field(default_factory=list)
    max_calls: int | None = None  # 1 when the request sets parallel_tool_calls=false

    def finish_reason(self) -> str:
        if self.calls:
            return "tool_calls"
        reason = self.finished.finish_reason if self.finished else "stop"
        return "length" if reason == "length" else "stop"

    def usage(self, timing: Timing) -> dict[str, Any]:
        done = self.finished
        prompt = done.prompt_tokens if done else 0
        completion = done.completion_tokens if done else 0
        return {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
            "prompt_tokens_details": {"cached_tokens": done.cached_tokens if done else 0},
            "punie_timing": timing.milliseconds(),
        }


async def parsed_events(
    text_stream: AsyncIterator[str | Finished],
    request: ChatRequest,
    dialect: str,
    timing: Timing,
    outcome: Outcome,
) -> AsyncIterator[StreamEvent]:
    """Parse text with the dialect's stream parser and the request's tools (plain content without tools)."""
    tools = request.offered_tools
    parser = None
    if tools:
        from punie.calls import get_dialect

        parser = get_dialect(dialect).stream_parser(tools)
    async for item in text_stream:
        if isinstance(item, Finished):
            outcome.finished = item
            continue
        if parser is None:
            yield StreamEvent("content", text=item)
            continue
        started = time.perf_counter()
        try:
            events = parser.feed(item)
        except Exception:  # a parser bug must not cost the answer: the rest passes through as content
            log.exception(
                "the %s stream parser failed; passing the remaining output through as content", dialect
            )
            parser, events = None, [StreamEvent("content", text=item)]
            outcome.errors.append("stream parser failed (see the log); output after it returned as content")
        timing.parse += time.perf_counter() - started
        for event in _noted(events, outcome):
            yield event
    if parser is not None:
        started = time.perf_counter()
        try:
            events = parser.close()
        except Exception:
            log.exception("the %s stream parser failed at the end of the output", dialect)
            events = []
            outcome.errors.append("stream parser failed at the end (see the log)")
        timing.parse += time.perf_counter() - started
        for event in _noted(events, outcome):
            yield event
    if outcome.held:
        outcome.errors.append(f"{len(outcome.held)} events of unfinished tool calls dropped")
        outcome.held.clear()
    if request.tool_choice in ("required", "function") and not outcome.calls:
        log.warning(
            "tool_choice %r asked for a call but the model produced none; returned as content",
            request.named_function or request.tool_choice,
        )
    if outcome.errors:
        log.warning(
            "model output did not parse cleanly (%s); returned as content: %s",
            dialect,
            "; ".join(outcome.errors),
        )


def _noted(events: list[StreamEvent], outcome: Outcome) -> list[StreamEvent]:
    """Pass content through; hold a call's events until it completes, so a dropped call is never sent.

    A completed call is released as its `call_start`, `call_args`..., `call_end` events, with the index
    renumbered to count only completed calls. A dropped call's events are discarded (the parser re-emits
    its text as content, after an `error` event).
    """
    released: list[StreamEvent] = []
    for event in events:
        if event.kind in ("call_start", "call_args"):
            outcome.held.append(event)
        elif event.kind == "call_end" and event.call is not None and outcome.max_calls == len(outcome.calls):
            outcome.held = [held for held in outcome.held if held.index != event.index]
            outcome.errors.append(f"extra call to {event.call.name} dropped (parallel_tool_calls is false)")
        elif event.kind == "call_end" and event.call is not None:
            index = len(outcome.calls)
            outcome.calls.append(event.call)
            mine = [held for held in outcome.held if held.index == event.index]
            outcome.held = [held for held in outcome.held if held.index != event.index]
            released += [replace(held, index=index) for held in mine] + [replace(event, index=index)]
        elif event.kind == "error":
            outcome.errors.append(event.text)
            outcome.held = [held for held in outcome.held if held.index != event.index]
        else:
            released.append(event)
    return released


def completion_id() -> str:
    return "chatcmpl-" + secrets.token_hex(12)


async def complete_json(
    events: AsyncIterator[StreamEvent], outcome: Outcome, model: str, timing: Timing
) -> dict[str, Any]:
    """A whole `chat.completion` object."""
    content: list[str] = []
    reasoning: list[str] = []
    async for event in events:
        if event.kind == "content":
            content.append(event.text)
        elif event.kind == "reasoning":
            reasoning.append(event.text)
    timing.finish()
    text = "".join(content)
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if outcome.calls:
        message["content"] = text if text.strip() else None
        message["tool_calls"] = [call.to_openai() for call in outcome.calls]
    if reasoning:
        message["reasoning_content"] = "".join(reasoning)
    return {
        "id": completion_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "message": message, "logprobs": None, "finish_reason": outcome.finish_reason()}
        ],
        "usage": outcome.usage(timing),
    }


class ChunkWriter:
    """Builds `chat.completion.chunk` SSE lines that share one id, timestamp and model."""

    def __init__(self, model: str) -> None:
        self.id = completion_id()
        self.created = int(time.time())
        self.model = model

    def chunk(self, delta: dict[str, Any] | None, finish_reason: str | None = None, **extra: Any) -> bytes:
        body: dict[str, Any] = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
        }
        if delta is None:
            body["choices"] = []
        else:
            body["choices"] = [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}]
        body.update(extra)
        return sse(body)


def sse(body: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(body, ensure_ascii=False).encode("utf-8") + b"\n\n"


DONE_LINE = b"data: [DONE]\n\n"


def event_delta(event: StreamEvent) -> dict[str, Any] | None:
    """The chunk delta for one parser event (None for events the client does not see)."""
    if event.kind == "content":
        return {"content": event.text} if event.text else None
    if event.kind == "reasoning":
        return {"reasoning_content": event.text} if event.text else None
    if event.kind == "call_start":
        call = {
            "index": event.index,
            "id": event.id,
            "type": "function",
            "function": {"name": event.name, "arguments": ""},
        }
        return {"tool_calls": [call]}
    if event.kind == "call_args":
        return (
            {"tool_calls": [{"index": event.index, "function": {"arguments": event.fragment}}]}
            if event.fragment
            else None
        )
    return None


async def complete_sse(
    events: AsyncIterator[StreamEvent], outcome: Outcome, request: ChatRequest, model: str, timing: Timing
) -> AsyncIterator[bytes]:
    """The SSE stream: role chunk, content/tool-call deltas, finish chunk, optional usage chunk, [DONE]."""
    writer = ChunkWriter(model)
    yield writer.chunk({"role": "assistant", "content": ""})
    async for event in events:
        delta = event_delta(event)
        if delta is not None:
            yield writer.chunk(delta)
    timing.finish()
    yield writer.chunk({}, outcome.finish_reason(), punie_timing=timing.milliseconds())
    if request.include_usage:
        yield writer.chunk(None, usage=outcome.usage(timing))
    yield DONE_LINE
