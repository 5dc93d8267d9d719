"""The scripted engine double behaves like an engine: chunks, limits, stop strings, cancellation."""

from __future__ import annotations

import pytest

from punie.engine import Delta, Finished, PromptTooLongError
from punie.engine.testing import ScriptedEngine, scripted_tokens


def run(engine: ScriptedEngine, **options: object) -> tuple[str, Finished]:
    items = list(engine.generate("prompt text", **options))  # type: ignore[arg-type]
    assert isinstance(items[-1], Finished)
    assert all(isinstance(item, Delta) for item in items[:-1])
    return "".join(item.text for item in items[:-1]), items[-1]  # type: ignore[union-attr]


def test_replays_replies_in_order_in_token_chunks() -> None:
    engine = ScriptedEngine(["Hello, wörld!", "second"])
    text, done = run(engine)
    assert text == "Hello, wörld!"
    assert done.completion_tokens == len(scripted_tokens("Hello, wörld!")) > 3
    assert run(engine)[0] == "second"
    assert run(engine)[0] == "second"  # the last reply repeats
    assert engine.prompts == ["prompt text"] * 3


def test_limits_stop_and_cancel() -> None:
    engine = ScriptedEngine(["a b c d e"])
    text, done = run(engine, max_tokens=2)
    assert (text, done.finish_reason, done.completion_tokens) == ("a b", "length", 2)
    text, done = run(engine, stop=[" c"])
    assert (text, done.finish_reason) == ("a b", "stop")
    text, done = run(engine, should_stop=lambda: True)
    assert (text, done.finish_reason) == ("", "cancelled")


def test_context_overflow() -> None:
    engine = ScriptedEngine(["x"], context_size=2)
    with pytest.raises(PromptTooLongError):
        engine.generate("three word prompt")
