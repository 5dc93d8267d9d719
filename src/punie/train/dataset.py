"""Training examples as token ids with a loss mask on assistant turns, grouped by their shared prompt prefix.

Text comes from `punie.chat.assistant_spans` (the same renderer the server uses); a token carries loss when
it starts inside an assistant span (the turn's content, its tool calls and the end-of-turn token).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from punie.chat import assistant_spans, render_conversation
from punie.data.io import read_examples
from punie.data.records import Example


@dataclass
class TokenizedExample:
    ids: list[int]
    loss: list[bool]  # loss[i]: token i is predicted by the model and scored
    truncated: bool = False

    @property
    def loss_tokens(self) -> int:
        return sum(self.loss)


@dataclass
class PrefixGroup:
    """Examples that begin with the same `prefix` tokens (system prompt and tool list)."""

    prefix: list[int]
    suffixes: list[TokenizedExample] = field(default_factory=list)

    @property
    def tokens(self) -> int:
        return sum(len(self.prefix) + len(s.ids) for s in self.suffixes)


@dataclass
class DatasetStats:
    examples: int = 0
    truncated: int = 0
    dropped: int = 0  # no loss token left after truncation
    tokens: int = 0
    loss_tokens: int = 0


class Tokenizer(Protocol):
    def encode(self, text: str) -> tuple[list[int], list[int]]:
        """Token ids and the character offset where each token starts."""
        ...


class GGUFTokenizer:
    """The exact tokenizer llama.cpp serves with (a GGUF vocabulary loaded vocab-only).

    Training must tokenize like the engine: transformers' GGUF tokenizer splits some whitespace runs
    differently, so ids come from llama.cpp and offsets from the token pieces.
    """

    def __init__(self, gguf_path: str | Path) -> None:
        from llama_cpp import Llama

        self.llama = Llama(model_path=str(gguf_path), vocab_only=True, verbose=False)
        self.add_bos = bool(self.llama._model.add_bos_token())

    def encode(self, text: str) -> tuple[list[int], list[int]]:
        data = text.encode("utf-8")
        ids = self.llama.tokenize(data, add_bos=self.add_bos, special=True)
        pieces = [self.piece(token) for token in ids]
        skip = len(pieces[0]) if self.add_bos and ids else 0
        if b"".join(pieces)[skip:] != data:
            raise ValueError("llama.cpp token pieces do not reproduce the text; cannot place the loss mask")
        starts, position = [], -skip
        for piece in pieces:
            starts.append(max(position, 0))
            position += len(piece)
        char_of_byte = _byte_to_char(text)
        return ids, [char_of_byte[start] for start in starts]

    def piece(self, token: int) -> bytes:
        """The exact bytes of one token (special tokens as their text)."""
        import ctypes

        import llama_cpp

        size = 64
        while True:
            buffer = ctypes.create_string_buffer(size)
            written = llama_cpp.llama_token_to_piece(self.llama._model.vocab, token, buffer, size, 0, True)
            if written >= 0:
                return buffer.raw[:written]
            size = -written + 1


class HFTokenizer:
    """A Hugging Face tokenizer (for bases given as a model folder)."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def encode(self, text: str) -> tuple[list[int], list[int]]:
        encoded = self.tokenizer(text, return_offsets_mapping=True, add_special_tokens=False)
        return list(encoded["input_ids"]), [start for start, _ in encoded["offset_mapping"]]


def _byte_to_char(text: str) -> list[int]:
    """For each byte offset 0..len(utf8) the index of the character containing it."""
    table = []
    for index, char in enumerate(text):
        table.extend([index] * len(char.encode("utf-8")))
    table.append(len(text))
    return table


def loss_mask(starts: Sequence[int], spans: Sequence[tuple[int, int]]) -> list[bool]:
    """True for each token whose first character lies inside one of the character spans."""
    return [any(a <= start < b for a, b in spans) for start in starts]


def tokenize_example(example: Example, tokenizer: Tokenizer, dialect: str, max_len: int) -> TokenizedExample:
    text, spans = assistant_spans(example.messages, example.tools, dialect=dialect)
    ids, starts = tokenizer.encode(text)
    mask = loss_mask(starts, spans)
    truncated = len(ids) > max_len
    return TokenizedExample(ids[:max_len], mask[:max_len], truncated)


def _system_block(example: Example, dialect: str) -> str:
    """Rendered system messages and tools: the part every turn of a dataset usually shares."""
    leading = []
    for message in example.messages:
        if message.get("role") != "system":
            break
        leading.append(message)
    return render_conversation(leading, example.tools, dialect=dialect, add_generation_prompt=False)


def _common_prefix(sequences: Sequence[Sequence[int]]) -> int:
    length = min(len(s) for s in sequences)
    first = sequences[0]
    for index in range(length):
        token = first[index]
        if any(s[index] != token for s in sequences):
            return index
    return length


def build_groups(
    examples: Sequence[Example], tokenizer: Tokenizer, dialect: str, max_len: int
) -> tuple[list[PrefixGroup], DatasetStats]:
    """Tokenize, mask and group examples by their shared prefix (which never contains a loss token)."""
    stats = DatasetStats()
    buckets: dict[str, list[TokenizedExample]] = {}
    for example in examples:
        item = tokenize_example(example, tokenizer, dialect, max_len)
        if item.loss_tokens == 0:
            stats.dropped += 1
            continue
        stats.examples += 1
        stats.truncated += int(item.truncated)
        stats.tokens += len(item.ids)
        stats.loss_tokens += item.loss_tokens
        buckets.setdefault(_system_block(example, dialect), []).append(item)
    groups = []
    for items in buckets.values():
        first_loss = min(item.loss.index(True) for item in items)
        shared = min(_common_prefix([item.ids for item in items]), first_loss - 1)
        shared = max(shared, 0)
        prefix = items[0].ids[:shared]
        suffixes = [TokenizedExample(i.ids[shared:], i.loss[shared:], i.truncated) for i in items]
        groups.append(PrefixGroup(prefix, suffixes))
    return groups, stats


def load_groups(
    path: str | Path, tokenizer: Tokenizer, dialect: str, max_len: int
) -> tuple[list[PrefixGroup], DatasetStats]:
    """Read a JSONL split (bad lines raise DataError naming file and line) and build its groups."""
    return build_groups(read_examples(path), tokenizer, dialect, max_len)


@dataclass(frozen=True)
class BatchRef:
    group: int
    members: tuple[int, ...]


def epoch_batches(groups: Sequence[PrefixGroup], batch_size: int, seed: int, epoch: int) -> list[BatchRef]:
    """Shuffled batches within each group; examples of similar length share a batch (less padding)."""
    rng = random.Random(f"punie-train:{seed}:{epoch}")
    batches: list[BatchRef] = []
    for index, group in enumerate(groups):
        order = list(range(len(group.suffixes)))
        rng.shuffle(order)
        window = batch_size * 16
        for start in range(0, len(order), window):
            chunk = sorted(order[start : start + window], key=lambda i: len(group.suffixes[i].ids))
            for offset in range(0, len(chunk), batch_size):
                batches.append(BatchRef(index, tuple(chunk[offset : offset + batch_size])))
    rng.shuffle(batches)
    return batches


def batch_stream(
    groups: Sequence[PrefixGroup], batch_size: int, seed: int, start_step: int = 0
) -> Iterator[BatchRef]:
    """Endless, deterministic batches; `start_step` skips ahead (for resuming a run)."""
    epoch, step = 0, 0
    while True:
        batches = epoch_batches(groups, batch_size, seed, epoch)
        if not batches:
            raise ValueError("the training split has no usable examples")
        for batch in batches:
            if step >= start_step:
                yield batch
            step += 1
        epoch += 1
