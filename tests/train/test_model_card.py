"""The model card is written from the run's records: every number in it comes from summary.json."""

from __future__ import annotations

from pathlib import Path

from punie.train.config import load_config
from punie.train.model_card import render_model_card

ROOT = Path(__file__).resolve().parents[2]


def test_card_reports_the_measured_numbers() -> None:
    config = load_config(ROOT / "configs" / "embedded_adapter.toml")
    scores = {
        "cases": 172,
        "decision": 0.9651,
        "tool_name": 0.9123,
        "parse_valid": 1.0,
        "attempted_calls": 118,
        "seed_correct": 5,
        "seed_total": 5,
        "seconds": 80.0,
        "seed": ["tool:search", "tool:search", "direct", "tool:search", "direct"],
    }
    summary = {
        "train": {
            "seconds": 2100.5,
            "tokens_per_second": 1234.5,
            "first_valid_loss": 1.86,
            "valid_loss": 0.61,
        },
        "precompute_seconds": 429.0,
        "data": {
            "train": {"examples": 1653, "tokens": 1489611, "loss_tokens": 117797},
            "valid": {"examples": 175},
        },
        "gate": {
            "margin": 0.05,
            "reference": "fused-f16",
            "refused": ["fused-Q4_K_M"],
            "scores": {"adapter": scores},
            "sizes": {"adapter": 6_500_000},
        },
    }
    card = render_model_card(config, summary, "## Notes\nhand-written")
    assert "| adapter | 6.5 MB | 96.5% | 91.2% | 100.0% (118) | 5/5 |" in card
    assert "2100.5 s of steps" in card and "1234.5 tokens/s" in card and "1.86 -> 0.61" in card
    assert "--n 3600 --seed 0 --tool-ratio 0.7 --feature-questions" in card and "fused-Q4_K_M" in card
    assert card.rstrip().endswith("hand-written")


def test_card_lists_what_each_expected_tool_got_as_served() -> None:
    config = load_config(ROOT / "configs" / "embedded_adapter.toml")
    per_tool = {
        "list_files": {"cases": 4, "correct": 2, "instead": {"search": 1, "direct": 1}},
        "read_file": {"cases": 3, "correct": 3, "instead": {}},
    }
    served = {"decision": 1.0, "tool_name": 0.5, "parse_valid": 1.0, "attempted_calls": 7}
    served |= {"per_tool": per_tool, "cases": 7, "seed_correct": 5, "seed_total": 5, "seconds": 1.0}
    served["seed"] = []
    summary = {"gate": {"scores": {"adapter": {**served, "per_tool": {}}, "adapter+names": served}}}
    card = render_model_card(config, summary)
    assert "what came instead): list_files 2/4 (1 direct, 1 search); " in card
    assert "read_file 3/3." in card
    without = {"gate": {"scores": {"adapter": {**served, "per_tool": {}}}}}
    assert "what came instead" not in render_model_card(config, without)


def test_card_source_command_names_the_feature_questions_setting() -> None:
    ablation = load_config(ROOT / "configs" / "experiments" / "without_feature_questions.toml")
    card = render_model_card(ablation, {}, "")
    assert "--n 3600 --seed 0 --tool-ratio 0.7 --no-feature-questions --shell-tools 0.25`" in card


def test_card_source_command_names_non_default_mix_settings() -> None:
    shipped = render_model_card(load_config(ROOT / "configs" / "embedded_adapter.toml"), {}, "")
    assert (
        "--feature-questions --compound-features --feature-search-weight 10 --feature-howto-share 0.2 "
        "--shell-tools 0.25` split" in shipped
    )
    mix = ROOT / "configs" / "experiments" / "shell_tools_default_mix.toml"
    assert "--feature-questions --shell-tools 0.25` split" in render_model_card(load_config(mix), {}, "")
