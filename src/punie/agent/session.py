"""One conversation with the agent: history across turns, streaming, usage limits, timing, clean failures."""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal

from pydantic_ai import Agent, CancellationToken
from pydantic_ai.capabilities import ReinjectSystemPrompt
from pydantic_ai.exceptions import (
    AgentRunError,
    ModelAPIError,
    ModelContextWindowExceededError,
    RunCancelled,
    UnexpectedModelBehavior,
    UsageLimitExceeded,
)
from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    PartDeltaEvent,
    PartStartEvent,
    TextPart,
    TextPartDelta,
    UserPromptPart,
)
from pydantic_ai.models import Model
from pydantic_ai.models.wrapper import WrapperModel
from pydantic_ai.settings import ModelSettings
from pydantic_ai.usage import UsageLimits

from punie.agent.timing import Breakdown, Stopwatch
from punie.agent.tools import WorkspaceTools
from punie.agent.toolset import ToolRunner, TurnSink, pydantic_tools
from punie.chat.prompts import SYSTEM_PROMPT

log = logging.getLogger(__name__)

StopReason = Literal["end_turn", "cancelled", "max_turn_requests", "failed"]

DEFAULT_LIMITS = UsageLimits(request_limit=12, tool_calls_limit=20)
DEFAULT_RETRIES = 2
# Older turns are dropped (whole turns, oldest first) once the history exceeds this many characters,
# so long IDE sessions keep fitting the embedded model's 8k-token context next to the tool definitions.
DEFAULT_HISTORY_CHARS = 20_000


class TimedModel(WrapperModel):
    """Records the time spent inside each model request on the current turn's stopwatch."""

    def __init__(self, wrapped: Model) -> None:
        super().__init__(wrapped)
        self.stopwatch = Stopwatch()

    async def request(self, *args: Any, **kwargs: Any) -> ModelResponse:
        with self.stopwatch.measure("model"):
            return await super().request(*args, **kwargs)

    @asynccontextmanager
    async def request_stream(self, *args: Any, **kwargs: Any) -> AsyncGenerator[Any]:
        with self.stopwatch.measure("model"):
            async with super().request_stream(*args, **kwargs) as stream:
                yield stream


@dataclass
class TurnOutcome:
    text: str
    stop_reason: StopReason
    timing: Breakdown
    error: str | None = None
    requests: int = 0
    tool_calls: int = 0


class AgentSession:
    """A multi-turn conversation: each `run_turn` continues the history of the previous ones."""

    def __init__(
        self,
        model: Model,
        tools: WorkspaceTools,
        *,
        model_label: str = "",
        usage_limits: UsageLimits = DEFAULT_LIMITS,
        retries: int = DEFAULT_RETRIES,
        model_settings: ModelSettings | None = None,
        system_prompt: str = SYSTEM_PROMPT,
        history_chars: int = DEFAULT_HISTORY_CHARS,
    ) -> None:
        self.model = TimedModel(model)
        self.tools = tools
        self.model_label = model_label or self.model.model_name
        self.usage_limits = usage_limits
        self.history_chars = history_chars
        self.history: list[ModelMessage] = []
        self.runner = ToolRunner(tools, NullSink(), Stopwatch())
        self.agent: Agent[None, str] = Agent(
            self.model,
            system_prompt=system_prompt,
            tools=pydantic_tools(self.runner),
            retries=retries,
            model_settings=model_settings,
            capabilities=[ReinjectSystemPrompt()],  # the system prompt survives history trimming
        )

    async def run_turn(
        self, prompt: str, sink: TurnSink, cancel: CancellationToken | None = None
    ) -> TurnOutcome:
        """Run one user turn, streaming to `sink`. Model or tool trouble ends it with a `stop_reason`."""
        stopwatch = Stopwatch()
        self.model.stopwatch = stopwatch
        self.runner.sink = sink
        self.runner.stopwatch = stopwatch
        chunks: list[str] = []
        events = None
        try:
            async with self.agent.run_stream_events(
                prompt,
                message_history=trim_history(self.history, self.history_chars - len(prompt)),
                usage_limits=self.usage_limits,
                cancellation_token=cancel,
            ) as events:
                async for event in events:
                    delta = _text_delta(event)
                    if delta:
                        chunks.append(delta)
                        await sink.text(delta)
                self.history = events.all_messages()
                usage = events.usage
            return TurnOutcome(
                "".join(chunks),
                "end_turn",
                stopwatch.breakdown(),
                requests=usage.requests,
                tool_calls=usage.tool_calls,
            )
        except RunCancelled as exc:
            self.history = list(exc.all_messages())
            return TurnOutcome("".join(chunks), "cancelled", stopwatch.breakdown())
        except UsageLimitExceeded as exc:
            message = f"Stopped: the turn hit a usage limit ({exc}). Ask again, more narrowly."
            return TurnOutcome("".join(chunks), "max_turn_requests", stopwatch.breakdown(), error=message)
        except UnexpectedModelBehavior as exc:
            message = f"The model did not produce a usable answer: {exc.message}"
            return TurnOutcome("".join(chunks), "failed", stopwatch.breakdown(), error=message)
        except ModelContextWindowExceededError as exc:
            message = (
                "The conversation no longer fits the model's context window; start a new session "
                f"(or use a model with a larger context). Details: {exc.message}"
            )
            return TurnOutcome("".join(chunks), "failed", stopwatch.breakdown(), error=message)
        except ModelAPIError as exc:
            message = f"The model request failed ({type(exc).__name__}): {exc.message}"
            return TurnOutcome("".join(chunks), "failed", stopwatch.breakdown(), error=message)
        except AgentRunError as exc:
            return TurnOutcome(
                "".join(chunks), "failed", stopwatch.breakdown(), error=f"The run failed: {exc}"
            )
        except Exception as exc:  # a bug or an unreachable model: say so, keep the session usable
            log.exception("turn failed")
            message = f"The run failed unexpectedly: {type(exc).__name__}: {exc}"
            return TurnOutcome("".join(chunks), "failed", stopwatch.breakdown(), error=message)


def _message_chars(message: ModelMessage) -> int:
    total = 0
    for part in message.parts:
        for attribute in ("content", "args"):
            value = getattr(part, attribute, None)
            total += len(value) if isinstance(value, str) else len(str(value)) if value is not None else 0
    return total


def trim_history(messages: list[ModelMessage], max_chars: int) -> list[ModelMessage]:
    """Drop the oldest whole turns until the history fits `max_chars` (the system prompt is reinjected)."""
    starts = [
        index
        for index, message in enumerate(messages)
        if isinstance(message, ModelRequest) and any(isinstance(p, UserPromptPart) for p in message.parts)
    ]
    total = sum(_message_chars(message) for message in messages)
    first = 0
    for start in starts[1:]:
        if total <= max_chars:
            break
        total -= sum(_message_chars(message) for message in messages[first:start])
        first = start
    return messages[first:]


def _text_delta(event: Any) -> str:
    if isinstance(event, PartStartEvent) and isinstance(event.part, TextPart):
        return event.part.content
    if isinstance(event, PartDeltaEvent) and isinstance(event.delta, TextPartDelta):
        return event.delta.content_delta
    return ""


class NullSink:
    """A turn sink that ignores every event (for runs nobody watches)."""

    async def text(self, delta: str) -> None:
        pass

    async def tool_started(
        self, call_id: str, name: str, arguments: dict[str, Any], title: str, kind: str
    ) -> None:
        pass

    async def tool_finished(self, call_id: str, name: str, result: Any) -> None:
        pass

    async def tool_retry(self, call_id: str, name: str, message: str) -> None:
        pass
