"""`punie data overlap`: what a training set already holds of a held-out file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from typer.testing import CliRunner

from punie.cli import app
from punie.data.generator import generate_examples
from punie.data.io import read_examples, write_examples
from punie.data.split import overlap

EXAMPLES = generate_examples(60, seed=9)


def reworded(example, prompt: str):
    messages = [dict(m) for m in example.messages]
    first_user = next(m for m in messages if m["role"] == "user")
    first_user["content"] = prompt
    return replace(example, messages=messages)


def test_identical_near_duplicate_and_clean_examples_are_told_apart() -> None:
    train, held_out = EXAMPLES[:40], EXAMPLES[40:]
    copied = train[3]
    shouted = reworded(train[5], train[5].user_prompt.upper() + "!!")  # same prompt once normalised
    fresh = reworded(held_out[0], "zebra quantum harmonica overlap check")
    found = overlap(train, [copied, shouted, fresh, *held_out[1:]])
    assert found.identical == [0]
    assert {0, 1} <= set(found.near_prompt) and 2 not in found.near_prompt
    assert 2 in found.clean and not {0, 1} & set(found.clean)
    assert len(found.clean) + len(set(found.identical) | set(found.near_prompt)) == 22


def test_cli_reports_and_writes_the_clean_part(tmp_path: Path) -> None:
    write_examples(tmp_path / "train.jsonl", EXAMPLES[:40])
    write_examples(tmp_path / "test.jsonl", [EXAMPLES[0], *EXAMPLES[40:]])
    out = tmp_path / "clean.jsonl"
    result = CliRunner().invoke(
        app,
        [
            "data",
            "overlap",
            str(tmp_path / "test.jsonl"),
            "--train",
            str(tmp_path / "train.jsonl"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "identical conversations: 1" in result.output and "line 1:" in result.output
    clean = read_examples(out)
    assert EXAMPLES[0].messages not in [e.messages for e in clean]
    assert f"wrote {len(clean)} clean examples" in result.output
    (tmp_path / "bad.jsonl").write_text("{not json\n")
    bad = CliRunner().invoke(
        app, ["data", "overlap", str(tmp_path / "bad.jsonl"), "--train", str(tmp_path / "train.jsonl")]
    )
    assert bad.exit_code == 2 and "bad.jsonl:1: invalid JSON" in bad.output
