"""Where completion text comes from: the local engine (rendered by punie.chat) run in a worker thread.

A source turns a ChatRequest into an async stream of text pieces followed by one `Finished` record.
`prepare` does all checks that can fail (rendering, context size) before any response is started.
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any, Protocol

from punie.engine.base import Engine, Finished
from punie.server.errors import APIError, invalid
from punie.server.forcing import Forcing, forcing_for
from punie.server.schemas import ChatRequest
from punie.server.timing import Timing

_DONE = object()
_ENGINE_LOCKS: weakref.WeakKeyDictionary[Any, threading.Lock] = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()


def engine_lock(engine: Engine) -> threading.Lock:
    """The one lock of an engine, shared by every app that serves it (generations never overlap)."""
    with _LOCKS_GUARD:
        lock = _ENGINE_LOCKS.get(engine)
        if lock is None:
            lock = _ENGINE_LOCKS[engine] = threading.Lock()
        return lock


def _count_forced(finished: Finished, forced_tokens: int) -> Finished:
    """Move the forced answer start from the prompt's token count to the completion's."""
    if not forced_tokens:
        return finished
    return replace(
        finished,
        prompt_tokens=finished.prompt_tokens - forced_tokens,
        completion_tokens=finished.completion_tokens + forced_tokens,
        cached_tokens=min(finished.cached_tokens, finished.prompt_tokens - forced_tokens),
    )


class TextSource(Protocol):
    def accepts_model(self, model: str) -> bool: ...

    async def prepare(self, request: ChatRequest) -> Any: ...

    def stream(
        self, prepared: Any, request: ChatRequest, timing: Timing
    ) -> AsyncIterator[str | Finished]: ...


class EngineSource:
    """Renders the conversation with punie.chat and generates on one engine, one request at a time.

    `tool_choice` "required" or a named function forces the start of a call; with `constrain_tool_names`
    the engine only samples declared tool (and parameter) names inside calls (see punie.server.forcing).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        dialect: str,
        model_name: str,
        default_temperature: float = 0.0,
        constrain_tool_names: bool = True,
    ) -> None:
        self.engine = engine
        self.dialect = dialect
        self.model_name = model_name
        self.default_temperature = default_temperature
        self.constrain_tool_names = constrain_tool_names
        self.lock = engine_lock(engine)

    @property
    def model_names(self) -> list[str]:
        names = [self.model_name, self.engine.name, *self.engine.aliases]
        return list(dict.fromkeys(names))

    def accepts_model(self, model: str) -> bool:
        return model == "default" or model in self.model_names

    async def prepare(self, request: ChatRequest) -> tuple[str, Forcing]:
        """The rendered prompt (ending with any forced start) and the forcing; 400 if the messages cannot be
        rendered or the prompt overflows the context."""
        from punie.calls import get_dialect
        from punie.chat import render_conversation

        try:
            prompt = render_conversation(
                request.messages,
                request.offered_tools or None,
                dialect=self.dialect,
                add_generation_prompt=True,
            )
        except ValueError as exc:
            raise invalid(f"cannot render the conversation: {exc}", param="messages") from None
        forcing = forcing_for(
            request, get_dialect(self.dialect).syntax, constrain_names=self.constrain_tool_names
        )
        rendered_tokens = len(self.engine.tokenize(prompt)) if forcing.start else 0
        prompt += forcing.start
        prompt_tokens = len(self.engine.tokenize(prompt))
        if forcing.start:
            forcing = replace(forcing, start_tokens=max(0, prompt_tokens - rendered_tokens))
        if prompt_tokens >= self.engine.context_size:
            raise APIError(
                f"This model's maximum context length is {self.engine.context_size} tokens; the messages "
                f"resulted in {prompt_tokens} tokens. Shorten the conversation or start the server with a "
                "larger --ctx.",
                param="messages",
                code="context_length_exceeded",
            )
        return prompt, forcing

    async def stream(
        self, prepared: tuple[str, Forcing], request: ChatRequest, timing: Timing
    ) -> AsyncIterator[str | Finished]:
        prompt, forcing = prepared
        if forcing.start:  # the forced text is part of the answer: it goes through the parser first
            yield forcing.start
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Any] = asyncio.Queue()
        cancel = threading.Event()

        def deliver(item: Any) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the event loop is gone (server shutting down)
                cancel.set()

        def work() -> None:
            waited = time.perf_counter()
            with self.lock:
                timing.queue = time.perf_counter() - waited
                try:
                    if not cancel.is_set():
                        for item in self.engine.generate(
                            prompt,
                            max_tokens=request.max_tokens or self.engine.context_size,
                            temperature=self.default_temperature
                            if request.temperature is None
                            else request.temperature,
                            top_p=1.0 if request.top_p is None else request.top_p,
                            seed=request.seed,
                            stop=request.stop,
                            should_stop=cancel.is_set,
                            constraint=forcing.constraint,
                        ):
                            if isinstance(item, Finished):
                                timing.prompt, timing.gen = item.prompt_seconds, item.generation_seconds
                                item = _count_forced(item, forcing.start_tokens)
                                deliver(item)
                            elif item.text:
                                deliver(item.text)
                except BaseException as exc:  # reported to the request, never lost in the thread
                    deliver(exc)
            deliver(_DONE)

        worker = threading.Thread(target=work, name="punie-generate", daemon=True)
        worker.start()
        try:
            while (item := await queue.get()) is not _DONE:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            cancel.set()  # the client went away or the response is complete: stop generating
