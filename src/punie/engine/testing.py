"""A deterministic engine double for unit tests of the layers above the engine (never used for serving).

`ScriptedEngine` ignores what the prompt says and replays scripted replies, one per `generate` call,
in token-sized chunks, honouring max_tokens, stop strings, should_stop and the context size like the
real engine does. Like a model continuing its prompt, a reply that starts with the text the prompt ends
with (a call opening the server forced) is replayed from where the prompt stops. A tool-name
`constraint` is recorded (in `constraints`) but not applied: scripted replies are fixed text.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence

from punie.engine.base import Delta, Finished, FinishReason, PromptTooLongError, StopScanner
from punie.engine.constraint import ToolNameConstraint

_TOKEN = re.compile(r"\s*[A-Za-z0-9_]+|\s*[^A-Za-z0-9_\s]|\s+")


def continuation(prompt: str, reply: str) -> str:
    """`reply` without the longest start of it that the prompt already ends with (if not just whitespace)."""
    for size in range(min(len(prompt), len(reply)), 0, -1):
        if prompt.endswith(reply[:size]) and not reply[:size].isspace():
            return reply[size:]
    return reply


def scripted_tokens(text: str) -> list[str]:
    """Split text into word-piece-like chunks whose concatenation is exactly `text`."""
    pieces = _TOKEN.findall(text)
    assert "".join(pieces) == text
    return pieces


class ScriptedEngine:
    """Replays `replies` in order (the last one repeats); records every prompt it receives."""

    def __init__(
        self,
        replies: Sequence[str],
        *,
        name: str = "scripted",
        aliases: Sequence[str] = (),
        context_size: int = 4096,
        seconds_per_token: float = 0.0,
        gate: threading.Event | None = None,
    ) -> None:
        if not replies:
            raise ValueError("ScriptedEngine needs at least one reply")
        self.replies = list(replies)
        self.name = name
        self.aliases = tuple(aliases)
        self._context_size = context_size
        self.seconds_per_token = seconds_per_token
        self.gate = gate  # if given, each generation waits for it before its first token
        self.prompts: list[str] = []
        self.constraints: list[ToolNameConstraint | None] = []
        self.generated_tokens: list[int] = []
        self.finish_reasons: list[FinishReason] = []
        self.active = 0
        self.max_active = 0
        self._counter_lock = threading.Lock()

    @property
    def context_size(self) -> int:
        return self._context_size

    def tokenize(self, text: str) -> list[int]:
        return [hash(piece) & 0xFFFF for piece in scripted_tokens(text)]

    def detokenize(self, tokens: Sequence[int]) -> str:
        raise NotImplementedError("ScriptedEngine tokens are not reversible")

    def generate(
        self,
        prompt: str,
        *,
        max_tokens: int = 256,
        temperature: float = 0.0,
        top_p: float = 1.0,
        seed: int | None = None,
        stop: Sequence[str] = (),
        should_stop: Callable[[], bool] = lambda: False,
        constraint: ToolNameConstraint | None = None,
    ) -> Iterator[Delta | Finished]:
        prompt_tokens = len(self.tokenize(prompt))
        if prompt_tokens >= self.context_size:
            raise PromptTooLongError(prompt_tokens, self.context_size)
        reply = continuation(prompt, self.replies[min(len(self.prompts), len(self.replies) - 1)])
        self.prompts.append(prompt)
        self.constraints.append(constraint)
        return self._replay(reply, prompt_tokens, max_tokens, stop, should_stop)

    def _replay(
        self,
        reply: str,
        prompt_tokens: int,
        max_tokens: int,
        stop: Sequence[str],
        should_stop: Callable[[], bool],
    ) -> Iterator[Delta | Finished]:
        with self._counter_lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        start = time.perf_counter()
        if self.gate is not None:
            self.gate.wait()
        scanner = StopScanner(stop)
        produced = 0
        reason: FinishReason = "stop"
        try:
            for piece in scripted_tokens(reply):
                if produced >= max_tokens:
                    reason = "length"
                    break
                if should_stop():
                    reason = "cancelled"
                    break
                if self.seconds_per_token:
                    time.sleep(self.seconds_per_token)
                produced += 1
                text = scanner.push(piece)
                if text:
                    yield Delta(text, 1)
                if scanner.stopped:
                    break
            tail = scanner.flush()
            if tail:
                yield Delta(tail, 0)
        finally:
            with self._counter_lock:
                self.active -= 1
            self.generated_tokens.append(produced)
            self.finish_reasons.append(reason)
        yield Finished(
            finish_reason=reason,
            prompt_tokens=prompt_tokens,
            completion_tokens=produced,
            cached_tokens=0,
            prompt_seconds=0.0,
            generation_seconds=time.perf_counter() - start,
        )
