"""Statistics: counts and histograms, and token lengths under the embedded model's real vocabulary."""

from __future__ import annotations

import importlib.util

import pytest

from punie.data.generator import generate_examples
from punie.data.stats import add_token_lengths, count_examples


def test_counts_and_histograms() -> None:
    examples = generate_examples(50, seed=2, tool_ratio=0.6)
    stats = count_examples(examples)
    assert stats.examples == 50
    assert stats.kinds["tool"] == 30 and stats.kinds["direct"] == 20
    assert stats.tool_ratio == pytest.approx(0.6)
    assert sum(stats.first_tool.values()) == 30
    assert sum(stats.calls_by_tool.values()) == sum(len(e.calls) for e in examples)
    assert sum(stats.calls_per_example.values()) == 30
    assert stats.to_dict()["tool"] == 30


def test_fake_token_counter_sums_whole_and_assistant_text() -> None:
    examples = generate_examples(5, seed=2)
    stats = count_examples(examples)
    add_token_lengths(stats, examples, count_tokens=len)  # characters as "tokens": a logic check only
    assert stats.tokens is not None and stats.assistant_tokens is not None
    assert stats.tokens.count == 5
    assert stats.assistant_tokens.maximum < stats.tokens.minimum


@pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None, reason="llama-cpp-python not installed")
def test_real_tokenizer_counts_chatml_markers_as_single_tokens() -> None:
    from punie.data.tokens import Tokenizer

    tokenizer = Tokenizer()
    assert tokenizer.count("<|im_start|>") == 1
    examples = generate_examples(4, seed=2)
    stats = count_examples(examples)
    add_token_lengths(stats, examples, tokenizer.count)
    assert stats.tokens is not None and 300 < stats.tokens.minimum < stats.tokens.maximum < 4000
