"""Files written by punie.data load with `datasets.load_dataset("json")` and keep their calls."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from punie.data.convert import convert_file, to_messages, to_mlx_text
from punie.data.generator import generate_examples
from punie.data.io import write_examples, write_json_lines

datasets = pytest.importorskip("datasets", reason="the `datasets` package (dev extra) is not installed")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
LEGACY = Path(__file__).resolve().parents[3] / "shared" / "legacy"


def load(path: Path, cache: Path):
    return datasets.load_dataset("json", data_files=str(path), split="train", cache_dir=str(cache))


def without_nulls(value):
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def test_generated_records_load_and_keep_their_calls(tmp_path: Path) -> None:
    examples = generate_examples(300, seed=8)
    path = tmp_path / "gen.jsonl"
    write_examples(path, examples)
    table = load(path, tmp_path / "cache")
    assert len(table) == 300 and set(table.column_names) == {"messages", "tools", "meta"}
    for index in (0, 57, 299):
        row = without_nulls(table[index])
        assert row["messages"] == without_nulls(json.loads(json.dumps(examples[index].messages)))


def test_converted_legacy_and_exports_load(tmp_path: Path) -> None:
    report = convert_file(LEGACY / "json_fence_hand_authored.jsonl")
    examples = [example for _, example in report.converted]
    write_examples(tmp_path / "legacy.jsonl", examples)
    write_json_lines(tmp_path / "messages.jsonl", (to_messages(e) for e in examples))
    write_json_lines(tmp_path / "text.jsonl", (to_mlx_text(e) for e in examples))
    assert len(load(tmp_path / "legacy.jsonl", tmp_path / "c1")) == len(examples)
    assert len(load(tmp_path / "messages.jsonl", tmp_path / "c2")) == len(examples)
    assert load(tmp_path / "text.jsonl", tmp_path / "c3")[0]["text"].startswith("<|im_start|>system")
