"""Tokens, loss masks and batches: loss falls exactly on the assistant turns, tokenized like llama.cpp."""

from __future__ import annotations

import pytest

from punie.chat import assistant_spans
from punie.data.generator import generate_examples
from punie.train.dataset import BatchRef, batch_stream, build_groups, epoch_batches, loss_mask

pytest.importorskip("llama_cpp")


@pytest.fixture(scope="module")
def tokenizer():
    from punie.engine import embedded_model_path
    from punie.train.dataset import GGUFTokenizer

    return GGUFTokenizer(embedded_model_path())


@pytest.fixture(scope="module")
def examples():
    return generate_examples(40, seed=11)


def test_loss_mask_by_token_start() -> None:
    assert loss_mask([0, 3, 5, 9], [(3, 9)]) == [False, True, True, False]


def test_ids_are_llama_cpp_ids(tokenizer, examples) -> None:
    for example in examples[:10]:
        text, _ = assistant_spans(example.messages, example.tools)
        ids, starts = tokenizer.encode(text)
        assert ids == tokenizer.llama.tokenize(text.encode(), add_bos=tokenizer.add_bos, special=True)
        assert starts == sorted(starts) and len(starts) == len(ids)


def test_loss_tokens_spell_the_assistant_turns(tokenizer, examples) -> None:
    from punie.train.dataset import tokenize_example

    for example in examples:
        text, spans = assistant_spans(example.messages, example.tools)
        item = tokenize_example(example, tokenizer, "qwen3_xml", 100_000)
        scored = b"".join(tokenizer.piece(t) for t, on in zip(item.ids, item.loss, strict=True) if on)
        assert scored.decode() == "".join(text[a:b] for a, b in spans)


def test_groups_share_the_system_prompt_and_tools(tokenizer, examples) -> None:
    groups, stats = build_groups(examples, tokenizer, "qwen3_xml", 100_000)
    assert len(groups) == 1 and stats.examples == len(examples) and stats.truncated == 0
    group = groups[0]
    assert len(group.prefix) > 500  # system prompt + six tool definitions
    assert all(not any(s.loss[:1]) for s in group.suffixes)  # the first suffix token is predicted in-suffix
    assert group.tokens == stats.tokens


def test_truncation_keeps_max_len(tokenizer, examples) -> None:
    groups, stats = build_groups(examples, tokenizer, "qwen3_xml", 800)
    assert stats.truncated > 0
    assert all(len(groups[0].prefix) + len(s.ids) <= 800 for s in groups[0].suffixes)


def test_batches_cover_every_example_once_per_epoch(tokenizer, examples) -> None:
    groups, _ = build_groups(examples, tokenizer, "qwen3_xml", 100_000)
    batches = epoch_batches(groups, 4, seed=0, epoch=0)
    members = sorted(m for b in batches for m in b.members)
    assert members == list(range(len(examples)))
    assert epoch_batches(groups, 4, seed=0, epoch=0) == batches
    assert epoch_batches(groups, 4, seed=0, epoch=1) != batches


def test_resume_continues_the_same_batch_sequence(tokenizer, examples) -> None:
    groups, _ = build_groups(examples, tokenizer, "qwen3_xml", 100_000)
    full = batch_stream(groups, 4, seed=3)
    first_25: list[BatchRef] = [next(full) for _ in range(25)]
    resumed = batch_stream(groups, 4, seed=3, start_step=17)
    assert [next(resumed) for _ in range(8)] == first_25[17:]
