"""The engine contract: a prompt string in, a stream of text deltas and one final record out."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from punie.engine.constraint import ToolNameConstraint

FinishReason = Literal["stop", "length", "cancelled"]


@dataclass(frozen=True)
class Delta:
    """A piece of generated text and how many generated tokens it covers."""

    text: str
    tokens: int


@dataclass(frozen=True)
class Finished:
    """The last item of every generation: token counts, timings and why it ended.

    `cached_tokens` prompt tokens were reused from the KV cache (not evaluated again);
    `prompt_seconds` is the time to the first sampled token, `generation_seconds` the rest.
    `finish_reason` is "stop" (end of turn or a stop string), "length" (max_tokens or context full)
    or "cancelled" (`should_stop` returned True).
    """

    finish_reason: FinishReason
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int
    prompt_seconds: float
    generation_seconds: float


class PromptTooLongError(ValueError):
    """The prompt does not fit into the engine's context window."""

    def __init__(self, prompt_tokens: int, context_size: int) -> None:
        super().__init__(
            f"the prompt has {prompt_tokens} tokens but the context window holds {context_size} "
            f"(including at least one generated token)"
        )
        self.prompt_tokens = prompt_tokens
        self.context_size = context_size


def _never() -> bool:
    return False


class Engine(Protocol):
    """A text-completion engine. Not thread-safe: callers serialize `generate` (the server holds a lock)."""

    name: str
    """The loaded model's name (for a GGUF file: its stem)."""

    aliases: tuple[str, ...]
    """Other model names that refer to this engine (e.g. "embedded")."""

    @property
    def context_size(self) -> int: ...

    def tokenize(self, text: str) -> list[int]: ...

    def detokenize(self, tokens: Sequence[int]) -> str: ...

    def generate(
        self,
        prompt: str,
        *,
        max_tokens: int = 256,
        temperature: float = 0.0,
        top_p: float = 1.0,
        seed: int | None = None,
        stop: Sequence[str] = (),
        should_stop: Callable[[], bool] = _never,
        constraint: ToolNameConstraint | None = None,
    ) -> Iterator[Delta | Finished]:
        """Yield `Delta`s as text is generated, then exactly one `Finished`.

        With a `constraint`, tool names in calls are restricted to the declared ones while they are sampled.

        Raises PromptTooLongError (before yielding anything) if the prompt does not fit the context.
        """
        ...


class StopScanner:
    """Finds stop strings in streamed text, holding back any tail that could still become one."""

    def __init__(self, stop: Sequence[str]) -> None:
        self.stop = [s for s in stop if s]
        self.text = ""
        self.emitted = 0
        self.stopped = False

    def push(self, piece: str) -> str:
        """Add text; return the part that is now safe to emit (never anything after a stop string)."""
        self.text += piece
        if not self.stop:
            return self._emit_to(len(self.text))
        longest = max(len(s) for s in self.stop)
        search_from = max(0, self.emitted - longest + 1)
        hits = [pos for s in self.stop if (pos := self.text.find(s, search_from)) >= 0]
        if hits:
            self.stopped = True
            return self._emit_to(min(hits))
        return self._emit_to(len(self.text) - self._held_tail())

    def flush(self) -> str:
        """At the end of generation: release any held-back tail (it never became a stop string)."""
        return "" if self.stopped else self._emit_to(len(self.text))

    def _held_tail(self) -> int:
        for size in range(min(len(self.text), max(len(s) for s in self.stop) - 1), 0, -1):
            tail = self.text[-size:]
            if any(s.startswith(tail) for s in self.stop):
                return size
        return 0

    def _emit_to(self, end: int) -> str:
        end = max(end, self.emitted)
        piece = self.text[self.emitted : end]
        self.emitted = end
        return piece
