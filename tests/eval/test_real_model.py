"""The seed suite and the profile against the REAL embedded model (llama.cpp, SmolLM2-135M); structure and
recorded outputs are asserted, never accuracy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from punie.eval.evaluate import evaluate
from punie.eval.report import REQUIRED_KEYS
from punie.eval.runner import RunSettings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_report() -> dict:
    from rich.console import Console

    return evaluate("seed", "embedded:base", RunSettings(max_tokens=24), console=Console(quiet=True))


def test_the_seed_suite_runs_on_the_embedded_model(seed_report: dict) -> None:
    assert set(REQUIRED_KEYS) <= seed_report.keys()
    assert seed_report["cases"] == 5 and seed_report["errors"] == 0 and not seed_report["interrupted"]
    assert "SmolLM2-135M-Instruct" in seed_report["model"] and seed_report["model_load_s"] > 0
    assert seed_report["settings"]["temperature"] == 0.0 and seed_report["settings"]["max_tokens"] == 24
    confusion = seed_report["confusion"]
    assert sum(confusion["tool_expected"].values()) == 3 and sum(confusion["direct_expected"].values()) == 2


def test_each_case_records_the_models_real_output(seed_report: dict) -> None:
    for entry in seed_report["per_case"]:
        assert entry["finish_reason"] in ("stop", "length", "tool_calls")
        assert 0 < entry["completion_tokens"] <= 24 and entry["prompt_tokens"] > 50
        assert entry["server_timing"]["prompt"] > 0 and entry["server_timing"]["gen"] >= 0
        assert entry["total_s"] >= (entry["ttft_s"] or 0) > 0
        assert entry["content"] or entry["calls"]  # the model said something
        assert entry["raw_text"].startswith(entry["content"])
        assert entry["decision"] == ("call" if entry["calls"] else "direct")
        assert entry["decision_ok"] == ((entry["expected"]["kind"] == "tool_call") == bool(entry["calls"]))


def test_temperature_zero_is_deterministic(seed_report: dict) -> None:
    from rich.console import Console

    again = evaluate(
        "seed", "embedded:base", RunSettings(max_tokens=24), limit=2, console=Console(quiet=True)
    )
    first = {e["id"]: (e["content"], e["calls"]) for e in seed_report["per_case"]}
    assert all(first[e["id"]] == (e["content"], e["calls"]) for e in again["per_case"])


def test_the_cli_writes_json_and_html(tmp_path: Path) -> None:
    out, html = tmp_path / "seed.json", tmp_path / "seed.html"
    command = [
        sys.executable,
        "-m",
        "punie.cli",
        "eval",
        "--suite",
        "seed",
        "--limit",
        "2",
        "--max-tokens",
        "8",
        "--json",
        str(out),
        "--html",
        str(html),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["cases"] == 2 and "decision accuracy" in result.stdout
    assert "<svg" in html.read_text()


def test_profile_measures_the_whole_agent_on_the_embedded_model() -> None:
    from rich.console import Console

    from punie.eval.profile import PARTS, profile_suite

    result = profile_suite("embedded:base", "seed", limit=2, max_tokens=24, console=Console(quiet=True))
    assert len(result["queries"]) == 2
    for query in result["queries"]:
        assert query["requests"] >= 1 and query["unsplit_requests"] == 0
        assert query["prompt"] > 0 and query["gen"] > 0 and query["framework"] > 0
        assert query["server_overhead"] >= 0 and query["completion_tokens"] > 0
        parts = sum(query[part] for part in PARTS)
        assert parts + query["residual"] == pytest.approx(query["wall"])
        assert abs(query["residual"]) < 0.01 * query["wall"]
    assert result["summary"]["warm_up"]["query"] == "Find all Django view classes"
