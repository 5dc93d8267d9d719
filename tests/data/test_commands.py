"""The `punie data` commands end to end on small files: generate, split, stats, validate, render, convert."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from punie.cli import app

RUNNER = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = RUNNER.invoke(app, ["data", *args])
    return result.exit_code, result.output


def test_generate_split_stats_validate_render(tmp_path: Path) -> None:
    data = tmp_path / "gen.jsonl"
    code, out = run("generate", "--n", "120", "--seed", "5", "--out", str(data))
    assert code == 0 and "wrote 120 examples" in out and "84 tool, 36 direct" in out
    code, out = run("split", str(data), "--out-dir", str(tmp_path / "splits"), "--ratios", "0.8,0.1,0.1")
    assert code == 0, out
    assert "leakage check: 0 near-duplicate prompts across splits" in out
    sizes = [
        len((tmp_path / "splits" / f"{n}.jsonl").read_text().splitlines()) for n in ("train", "valid", "test")
    ]
    assert sum(sizes) == 120 and sizes[0] > sizes[1] > 0 and sizes[2] > 0
    code, out = run("stats", str(data), "--no-tokens", "--json", str(tmp_path / "stats.json"))
    assert code == 0 and "tool ratio: 0.700" in out
    assert json.loads((tmp_path / "stats.json").read_text())["tool"] == 84
    code, out = run("validate", str(data))
    assert code == 0 and "120 lines, 120 valid, 0 error(s)" in out
    code, out = run("render", str(data), "-i", "2")
    assert code == 0 and "<|im_start|>system" in out and f"{data}:2" in out


def test_validate_reports_file_line_and_field(tmp_path: Path) -> None:
    data = tmp_path / "gen.jsonl"
    run("generate", "--n", "3", "--tool-ratio", "1", "--out", str(data))
    lines = data.read_text().splitlines()
    record = json.loads(lines[1])
    first_call = next(i for i, m in enumerate(record["messages"]) if m.get("tool_calls"))
    record["messages"][first_call]["tool_calls"][0]["function"]["name"] = "open_file"
    lines[1] = json.dumps(record)
    lines.insert(2, "not json")
    data.write_text("\n".join(lines) + "\n")
    code, out = run("validate", str(data))
    assert code == 1
    field = f"messages[{first_call}].tool_calls[0].function.name"
    assert f"{data}:2: {field}: 'open_file' is not a declared tool" in out
    assert f"{data}:3: invalid JSON" in out


def test_convert_legacy_and_export(tmp_path: Path) -> None:
    legacy = tmp_path / "legacy.jsonl"
    good = {
        "messages": [
            {"role": "user", "content": "run ls"},
            {
                "role": "assistant",
                "content": '```json\n{"name": "run_command", "arguments": {"command": "ls"}}\n```',
            },
            {"role": "user", "content": "Tool result: a.py"},
            {"role": "assistant", "content": "One file."},
        ]
    }
    legacy.write_text(json.dumps(good) + "\n{oops\n")
    out_file, rejects = tmp_path / "records.jsonl", tmp_path / "rejects.jsonl"
    code, out = run("convert", str(legacy), "--out", str(out_file), "--rejects", str(rejects))
    assert code == 0
    assert "in 2 = converted 1 + rejected 1" in out and f"rejected {legacy}:2: invalid JSON" in out
    assert json.loads(rejects.read_text())["line"] == 2
    mlx = tmp_path / "mlx.jsonl"
    code, out = run("convert", str(out_file), "--from", "records", "--to", "mlx-text", "--out", str(mlx))
    assert code == 0 and "<function=run_command>" in json.loads(mlx.read_text())["text"]


def test_bad_arguments_are_clear_errors(tmp_path: Path) -> None:
    data = tmp_path / "gen.jsonl"
    run("generate", "--n", "5", "--out", str(data))
    code, out = run("split", str(data), "--out-dir", str(tmp_path), "--ratios", "0.5,0.5,0.5")
    assert code == 2 and "ratios must be three non-negative numbers summing to 1" in out
