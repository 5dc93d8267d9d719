"""The TOML recipe: the checked-in configs load, and mistakes are errors that name the file and key."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from punie.train.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "name", ["embedded_adapter.toml", "smoke.toml", "experiments/without_feature_questions.toml"]
)
def test_checked_in_configs_load(name: str) -> None:
    config = load_config(ROOT / "configs" / name)
    assert config.base == "embedded"
    assert config.data.generate is not None
    assert config.lora.rank >= 1 and config.train.iterations >= 1


def test_shipped_recipe_matches_the_held_out_suite() -> None:
    """The adapter must be trained on the train split of the same data the `held-out` eval suite tests."""
    from punie.eval import heldout

    assert load_config(ROOT / "configs" / "embedded_adapter.toml").data.generate == heldout.RECIPE


def test_ablation_differs_from_the_shipped_recipe_only_in_feature_questions_and_ships_nothing() -> None:
    shipped = load_config(ROOT / "configs" / "embedded_adapter.toml")
    ablation = load_config(ROOT / "configs" / "experiments" / "without_feature_questions.toml")
    assert ablation.export.adapter is None and ablation.export.card_notes is None
    assert shipped.data.generate is not None and ablation.data.generate is not None
    assert shipped.data.generate.feature_questions and not ablation.data.generate.feature_questions
    assert replace(ablation.data.generate, feature_questions=True) == shipped.data.generate
    assert (ablation.lora, ablation.train, ablation.gate) == (shipped.lora, shipped.train, shipped.gate)
    assert ablation.export.quantize == shipped.export.quantize
    assert ablation.output_dir != shipped.output_dir


def test_unknown_key_names_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[lora]\nrank = 8\nranks = 4\n")
    with pytest.raises(ConfigError, match=r"bad\.toml \[lora\].*ranks"):
        load_config(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[lora]\ntargets = ["qkv"]\n', "lora.targets"),
        ("[train]\nlearning_rate = 0\n", "learning_rate"),
        ('[export]\nquantize = ["Q3_X"]\n', "export.quantize"),
        ('[train]\nprecision = "fp8"\n', "precision"),
        ('[train]\ndevice = "tpu"\n', "train.device"),
        ("base = \n", "invalid TOML"),
        ("[data.generate]\nshell_tools = 1.5\n", r"\[data.generate\]: shell_tools must be between 0 and 1"),
        ("[data.generate]\nfeature_search_weight = -1\n", "feature_search_weight must be >= 0"),
        ("[data.generate]\nother_tools = 2\n", r"\[data.generate\]: other_tools must be between 0 and 1"),
    ],
)
def test_bad_values_are_rejected(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "recipe.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")
