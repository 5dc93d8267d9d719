"""The feature questions (on by default): the same Python feature names asked as a project search ("find
the X uses" -> `search`) and as a general question ("how do I use X" -> direct answer)."""

from __future__ import annotations

import re
from collections import Counter

from typer.testing import CliRunner

from punie.cli import app
from punie.data.generator import generate_examples
from punie.data.generator.features import FEATURES
from punie.data.io import read_examples
from punie.data.options import GeneratorOptions
from punie.data.records import message_calls
from punie.data.validate import validate_example

ON = generate_examples(600, seed=4)
OFF = generate_examples(600, seed=4, options=GeneratorOptions(feature_questions=False))
ANSWERS = {feature.answer for feature in FEATURES}
PATTERNS = {feature.pattern for feature in FEATURES}


def last_user(example) -> str:
    return [m for m in example.messages if m["role"] == "user"][-1]["content"]


def test_on_by_default_tagged_and_absent_when_off() -> None:
    assert not any(e.meta["scenario"] == "search_feature" for e in OFF)
    assert not any(e.messages[-1].get("content") in ANSWERS for e in OFF)
    assert {e.meta["generator"] for e in ON} == {"punie-generator/7+features"}
    assert {e.meta["generator"] for e in OFF} == {"punie-generator/7"}


def test_find_requests_search_with_the_features_pattern_and_ground_the_answer() -> None:
    found = [e for e in ON if e.meta["scenario"] == "search_feature"]
    assert len(found) >= 10
    for example in found:
        assert not validate_example(example)
        calls = [call for m in example.messages for call in message_calls(m)]
        assert [call.name for call in calls] == ["search"] and calls[0].arguments["pattern"] in PATTERNS
        re.compile(calls[0].arguments["pattern"])  # a pattern the search tool can run
        result = next(m["content"] for m in example.messages if m["role"] == "tool")
        answer = example.messages[-1]["content"]
        assert answer.startswith("No matches") == result.startswith("No matches")


def test_the_same_names_are_asked_both_ways() -> None:
    def named(examples) -> Counter[str]:
        return Counter(
            name
            for e in examples
            for feature in FEATURES
            for name in feature.names
            if name.lower() in last_user(e).lower()
        )

    searched = named(e for e in ON if e.meta["scenario"] == "search_feature")
    asked = [e for e in ON if e.messages[-1].get("content") in ANSWERS]
    assert len(asked) >= 10 and all(e.messages[-2]["role"] == "user" for e in asked)  # answered directly
    assert set(searched) & set(named(asked))  # overlapping names, opposite moves


def test_cli_flag(tmp_path) -> None:
    scenarios = {}
    for flag in ("--feature-questions", "--no-feature-questions"):
        out = tmp_path / f"{flag}.jsonl"
        result = CliRunner().invoke(app, ["data", "generate", "--n", "300", flag, "--out", str(out)])
        assert result.exit_code == 0, result.output
        scenarios[flag] = {e.meta["scenario"] for e in read_examples(out)}
    assert "search_feature" in scenarios["--feature-questions"]
    assert "search_feature" not in scenarios["--no-feature-questions"]
