"""Token counting with the embedded model's own tokenizer (the GGUF vocabulary, loaded vocab-only)."""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from punie.models import embedded_model_path

embedded_gguf_path = embedded_model_path


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


def load_vocab(path: str | Path) -> Any:
    """A llama.cpp model with only its vocabulary loaded (fast, no weights), cached per path."""
    path = str(path)
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
        self._llama = load_vocab(self.path)

    def encode(self, text: str) -> list[int]:
        return self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=True)

    def count(self, text: str) -> int:
        return len(self.encode(text))
