"""The llama.cpp engine (llama-cpp-python): streaming, UTF-8 safe, KV-cache prefix reuse between requests."""

from __future__ import annotations

import codecs
import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from punie.engine.base import Delta, Finished, FinishReason, PromptTooLongError, StopScanner
from punie.engine.constraint import NameConstraint, NameLogitsProcessor, TokenTable, ToolNameConstraint

# llama.cpp's OpenMP threads spin while they wait for each other. When the cores are shared (other
# processes, a laptop under load) spinning threads starve the ones doing work: measured here on 2 busy
# cores, 20 tokens took 42 s with the default policy and 1.4 s with PASSIVE. It must be set before the
# OpenMP runtime loads (the first `import llama_cpp`); an explicit setting by the user wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def available_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class TokenTextDecoder:
    """Token ids to text, UTF-8 safe: a character split over several tokens is held until complete."""

    def __init__(self, detokenize: Callable[[list[int]], bytes]) -> None:
        self._detokenize = detokenize
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def decode(self, token: int) -> str:
        return self._decoder.decode(self._detokenize([token]))

    def flush(self) -> str:
        """At the end: the bytes of a character cut off by the end of generation are dropped, not garbled."""
        pending, _ = self._decoder.getstate()
        if pending:
            self._decoder.reset()
            return ""
        return self._decoder.decode(b"", final=True)


class LlamaCppEngine:
    """Any GGUF model (optionally with a LoRA adapter GGUF) through llama-cpp-python's low-level API.

    Consecutive requests share the KV cache: a prompt that extends the previous prompt (an agent resending
    its conversation) only evaluates the new tokens. Not thread-safe; serialize calls to `generate`.
    """

    def __init__(
        self,
        model_path: str | Path,
        *,
        lora_path: str | Path | None = None,
        n_ctx: int = 8192,
        n_threads: int | None = None,
        aliases: Sequence[str] = (),
        verbose: bool = False,
    ) -> None:
        self.model_path = Path(model_path)
        self.lora_path = Path(lora_path) if lora_path else None
        if not self.model_path.is_file():
            raise FileNotFoundError(f"model file not found: {self.model_path}")
        if self.lora_path and not self.lora_path.is_file():
            raise FileNotFoundError(f"LoRA adapter file not found: {self.lora_path}")
        import llama_cpp

        self._llama_cpp = llama_cpp
        threads = n_threads or available_cores()
        self.llama = llama_cpp.Llama(
            str(self.model_path),
            n_ctx=n_ctx,
            n_threads=threads,
            n_threads_batch=threads,
            lora_path=str(self.lora_path) if self.lora_path else None,
            verbose=verbose,
        )
        self.n_threads = threads
        self.name = self.model_path.name.removesuffix(".gguf")
        self.aliases = tuple(a for a in aliases if a != self.name)
        self._add_bos = bool(self.llama._model.add_bos_token())
        self.last_prompt_evaluated = 0
        self.last_constraint: NameConstraint | None = None  # the last generation's, to inspect what it did
        self._token_table: TokenTable | None = None
        self._end_tokens: tuple[int, ...] | None = None
        self._evaluated = 0
        evaluate = self.llama.eval

        def counting_eval(tokens: Sequence[int]) -> None:
            self._evaluated += len(tokens)
            evaluate(tokens)

        self.llama.eval = counting_eval  # type: ignore[method-assign]  # measures what prefix reuse saved

    @property
    def context_size(self) -> int:
        return int(self.llama.n_ctx())

    def tokenize(self, text: str) -> list[int]:
        """Tokens of a rendered prompt (special tokens such as <|im_start|> are parsed as such)."""
        return self.llama.tokenize(text.encode("utf-8"), add_bos=self._add_bos, special=True)

    def detokenize(self, tokens: Sequence[int]) -> str:
        return self.llama.detokenize(list(tokens)).decode("utf-8", errors="replace")

    def token_table(self) -> TokenTable:
        """Every token's text, built once per model (the tool-name constraint looks tokens up in it)."""
        if self._token_table is None:
            detokenize = self.llama.detokenize
            self._token_table = TokenTable.from_bytes([detokenize([t]) for t in range(self.llama.n_vocab())])
        return self._token_table

    def end_tokens(self) -> tuple[int, ...]:
        """The model's end-of-generation tokens (EOS, <|im_end|>, ...), found once per model."""
        if self._end_tokens is None:
            vocab, is_end = self.llama._model.vocab, self._llama_cpp.llama_vocab_is_eog
            self._end_tokens = tuple(t for t in range(self.llama.n_vocab()) if is_end(vocab, t))
        return self._end_tokens

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
        tokens = self.tokenize(prompt)
        if len(tokens) >= self.context_size:
            raise PromptTooLongError(len(tokens), self.context_size)
        bound = (
            NameConstraint(constraint, self.token_table(), self.end_tokens())
            if constraint and constraint.names
            else None
        )
        self.last_constraint = bound
        return self._generate(tokens, max_tokens, temperature, top_p, seed, stop, should_stop, bound)

    def _generate(
        self,
        tokens: list[int],
        max_tokens: int,
        temperature: float,
        top_p: float,
        seed: int | None,
        stop: Sequence[str],
        should_stop: Callable[[], bool],
        constraint: NameConstraint | None = None,
    ) -> Iterator[Delta | Finished]:
        llama = self.llama
        budget = max(0, min(max_tokens, self.context_size - len(tokens)))
        llama.set_seed(seed if seed is not None else self._llama_cpp.LLAMA_DEFAULT_SEED)
        self._evaluated = 0
        decoder = TokenTextDecoder(llama.detokenize)
        scanner = StopScanner(stop)
        sampling: dict[str, Any] = {"temp": max(temperature, 0.0), "top_p": top_p, "repeat_penalty": 1.0}
        if constraint is not None:  # it reads the text fed below, before the next token is sampled
            sampling["logits_processor"] = self._llama_cpp.LogitsProcessorList(
                [NameLogitsProcessor(constraint)]
            )
        start = time.perf_counter()
        first_token_at: float | None = None
        completion = 0
        pending_tokens = 0
        reason: FinishReason = "length"
        evaluated = len(tokens)
        stream = llama.generate(tokens, **sampling)
        try:
            while completion < budget:
                if should_stop():
                    reason = "cancelled"
                    break
                token = next(stream)
                if first_token_at is None:
                    first_token_at = time.perf_counter()
                    evaluated = self._evaluated  # prompt tokens decoded (the rest came from the KV cache)
                if self._llama_cpp.llama_vocab_is_eog(llama._model.vocab, token):
                    reason = "stop"
                    break
                completion += 1
                pending_tokens += 1
                text = decoder.decode(token)
                if constraint is not None:
                    constraint.feed(text)
                piece = scanner.push(text)
                if piece:
                    yield Delta(piece, pending_tokens)
                    pending_tokens = 0
                if scanner.stopped:
                    reason = "stop"
                    break
        finally:
            stream.close()
        tail = scanner.push(decoder.flush()) if not scanner.stopped else ""
        tail += scanner.flush()
        if scanner.stopped:
            reason = "stop"
        if tail:
            yield Delta(tail, pending_tokens)
        end = time.perf_counter()
        first = first_token_at if first_token_at is not None else end
        self.last_prompt_evaluated = evaluated
        yield Finished(
            finish_reason=reason,
            prompt_tokens=len(tokens),
            completion_tokens=completion,
            cached_tokens=max(0, len(tokens) - evaluated),
            prompt_seconds=first - start,
            generation_seconds=end - first,
        )
