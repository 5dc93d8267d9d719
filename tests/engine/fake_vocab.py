"""A fake vocabulary for constraint tests: token id = list index, None = not text on its own."""

from __future__ import annotations

from collections.abc import Sequence

from punie.engine.constraint import TokenTable


class FakeVocab:
    def __init__(self, pieces: Sequence[str | None]) -> None:
        self.pieces = list(pieces)
        self.table = TokenTable(self.pieces)
        self.id = {text: token for token, text in enumerate(self.pieces) if text is not None}

    def texts(self, tokens: list[int]) -> set[str | None]:
        return {self.pieces[token] for token in tokens}
