"""The opt-in compound features: twenty more Python features named by compound names, asked both ways, and
kept apart from the `features` eval suite's outside names."""

from __future__ import annotations

from collections import Counter

from typer.testing import CliRunner

from punie.cli import app
from punie.data.generator import generate_examples
from punie.data.generator.features import COMPOUND_FEATURES, FEATURES
from punie.data.io import read_examples
from punie.data.options import GeneratorOptions
from punie.data.records import message_calls
from punie.data.validate import validate_example
from punie.eval.heldout import RECIPE
from punie.eval.suites import OUTSIDE_FEATURES

PLAIN = generate_examples(600, seed=4)
SHIPPED_RECIPE = generate_examples(  # the shipped adapter's stream (and the held-out suite's)
    RECIPE.n, seed=RECIPE.seed, tool_ratio=RECIPE.tool_ratio, options=RECIPE
)
COMPOUND_ON = GeneratorOptions(compound_features=True)
COMPOUND = generate_examples(600, seed=4, options=COMPOUND_ON)
COMPOUND_PATTERNS = {feature.pattern for feature in COMPOUND_FEATURES}
COMPOUND_ANSWERS = {feature.answer for feature in COMPOUND_FEATURES}


def _text(example) -> str:
    return "\n".join(str(m.get("content") or "") for m in example.messages) + "\n".join(
        str(call.arguments) for m in example.messages for call in message_calls(m)
    )


def test_off_by_default_and_tagged_when_on() -> None:
    assert {e.meta["generator"] for e in PLAIN} == {"punie-generator/7+features"}
    assert {e.meta["generator"] for e in COMPOUND} == {"punie-generator/7+features+compound"}
    assert not any(e.messages[-1].get("content") in COMPOUND_ANSWERS for e in PLAIN)
    off = GeneratorOptions(feature_questions=False)
    both = GeneratorOptions(feature_questions=False, compound_features=True)  # compound needs the features
    assert generate_examples(50, seed=4, options=both) == generate_examples(50, seed=4, options=off)


def test_compound_features_join_the_feature_requests_at_the_same_share() -> None:
    def feature_requests(examples) -> Counter[str]:
        return Counter(
            "search" if e.meta["scenario"] == "search_feature" else "howto"
            for e in examples
            if e.meta["scenario"] == "search_feature"
            or e.messages[-1].get("content") in {f.answer for f in FEATURES + COMPOUND_FEATURES}
        )

    assert feature_requests(COMPOUND) == feature_requests(PLAIN)  # the same draws decide how many
    searched = [e for e in COMPOUND if e.meta["scenario"] == "search_feature"]
    patterns = {call.arguments["pattern"] for e in searched for m in e.messages for call in message_calls(m)}
    assert patterns & COMPOUND_PATTERNS and not any(validate_example(e) for e in searched)
    assert any(e.messages[-1].get("content") in COMPOUND_ANSWERS for e in COMPOUND)


def test_the_outside_names_stay_outside_the_generated_data() -> None:
    generator_names = {name.lower() for f in FEATURES + COMPOUND_FEATURES for name in f.names}
    assert not generator_names & {name.lower() for name in OUTSIDE_FEATURES}
    previous = generate_examples(2500, seed=0)  # the previous shipped adapter's stream
    texts = [_text(e).lower() for e in SHIPPED_RECIPE + previous]
    leaked = [name for name in OUTSIDE_FEATURES if any(name.lower() in t for t in texts)]
    assert leaked == []


def test_cli_flag(tmp_path) -> None:
    out = tmp_path / "compound.jsonl"
    args = ["data", "generate", "--n", "200", "--seed", "4", "--compound-features", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert read_examples(out) == generate_examples(200, seed=4, options=COMPOUND_ON)
