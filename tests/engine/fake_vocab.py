"""A fake vocabulary for constraint tests: token id = list index, None = not text on its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from punie.engine.constraint import TokenTable


class FakeVocab:
    def __init__(self, pieces: Sequence[str | None]) -> None:
        self.pieces = list(pieces)
        self.table = TokenTable(self.pieces)
        self.id = {text: token for token, text in enumerate(self.pieces) if text is not None}

    def texts(self, tokens: list[int]) -> set[str | None]:
        return {self.pieces[token] for token in tokens}

    def greedy(self, processor: Callable[[Any, Any], Any], wanted: str, likes: Mapping[str, float]) -> str:
        """One greedy step of a fake model: it most wants the longest token that continues `wanted`, then
        the tokens in `likes` (by score); `processor` may mask the scores first. Returns the token's text."""
        scores = np.full(len(self.pieces), -100.0, dtype=np.float32)
        for token, text in enumerate(self.pieces):
            if text and wanted.startswith(text):
                scores[token] = 100.0 + len(text)
        for text, score in likes.items():
            scores[self.id[text]] = score
        return self.pieces[int(np.argmax(processor(None, scores)))] or ""
