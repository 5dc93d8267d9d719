"""Splits: stratified by kind and first tool, near-duplicate prompts never straddle splits."""

from __future__ import annotations

from collections import Counter

from punie.data.generator import generate_examples
from punie.data.records import Example
from punie.data.split import (
    SPLIT_NAMES,
    cross_split_duplicates,
    near_duplicate_groups,
    normalise,
    parse_ratios,
    split_examples,
    stratum,
)


def direct(prompt: str) -> Example:
    return Example(messages=[{"role": "user", "content": prompt}, {"role": "assistant", "content": "ok"}])


def test_normalise_ignores_case_punctuation_and_spacing() -> None:
    assert (
        normalise("  Run the TESTS, please?! ") == normalise("run the tests please") == "run the tests please"
    )


def test_groups_join_equal_text_and_high_jaccard_only() -> None:
    prompts = [
        "Run the tests!",
        "run the   tests",
        "show the models file for the blog app now please thanks a lot",
        "show the models file for the blog app now please thanks a lot friend",  # Jaccard 12/13 > 0.9
        "show the models file",  # Jaccard 4/12, a different request
    ]
    groups = near_duplicate_groups(prompts, 0.9)
    assert groups[0] == groups[1]
    assert groups[2] == groups[3]
    assert len({groups[0], groups[2], groups[4]}) == 3


def test_split_is_stratified_and_has_no_leakage() -> None:
    examples = generate_examples(600, seed=4)
    result = split_examples(examples, (0.8, 0.1, 0.1), seed=1)
    parts = {name: [examples[i] for i in result.splits[name]] for name in SPLIT_NAMES}
    assert sum(len(p) for p in parts.values()) == len(examples)
    assert sorted(i for name in SPLIT_NAMES for i in result.splits[name]) == list(range(len(examples)))
    assert cross_split_duplicates(parts) == []
    # every stratum with enough examples appears in every split, roughly in proportion
    totals = Counter(stratum(e) for e in examples)
    for key, total in totals.items():
        if total < 40:
            continue
        train = sum(1 for e in parts["train"] if stratum(e) == key)
        assert 0.6 * total <= train <= 0.95 * total, (key, train, total)
        assert all(any(stratum(e) == key for e in parts[name]) for name in ("valid", "test")), key


def test_moves_are_reported_and_keep_groups_whole() -> None:
    examples = [direct("what is a fixture?") for _ in range(10)] + [
        direct(f"question number {i}") for i in range(30)
    ]
    result = split_examples(examples, (0.5, 0.25, 0.25), seed=0)
    homes = {name for name in SPLIT_NAMES for i in result.splits[name] if i < 10}
    assert len(homes) == 1
    assert result.groups == 1 and result.grouped_examples == 10
    assert 0 < len(result.moves) < 10
    assert all(move.to_split in homes and move.group_size == 10 for move in result.moves)


def test_leakage_check_finds_a_planted_duplicate() -> None:
    parts = {"train": [direct("Show me app.py")], "valid": [direct("show me app.py!")], "test": []}
    assert cross_split_duplicates(parts) == [("train", 0, "valid", 0)]


def test_parse_ratios_rejects_bad_input() -> None:
    assert parse_ratios("0.8,0.1,0.1") == (0.8, 0.1, 0.1)
    for bad in ("0.8,0.1", "0.5,0.5,0.5", "-0.1,0.6,0.5"):
        try:
            parse_ratios(bad)
        except ValueError:
            continue
        raise AssertionError(bad)
