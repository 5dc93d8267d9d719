"""`punie eval --no-constrain-tool-names` measures the model alone; the default, what the server serves.

Real embedded model with the shipped adapter, offered one tool it was never trained on: constrained, every
reply is a structured call to that tool; unconstrained, the adapter writes names of its own and no reply is
a structured call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from punie.chat.prompts import SYSTEM_PROMPT
from punie.eval.evaluate import evaluate
from punie.eval.runner import RunSettings

pytestmark = pytest.mark.slow

OPEN_DOCUMENT = {
    "type": "function",
    "function": {
        "name": "open_document",
        "description": "Open a document and return its text.",
        "parameters": {
            "type": "object",
            "properties": {"path": {"type": "string", "description": "Document path."}},
            "required": ["path"],
        },
    },
}
PROMPTS = ("show me src/app.py", "what's in README.md", "open config/settings.py")


@pytest.fixture(scope="module")
def cases_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("constraint") / "cases.jsonl"
    rows = [
        {
            "id": f"open_{i}",
            "messages": [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": prompt}],
            "tools": [OPEN_DOCUMENT],
            "expected": {"kind": "tool_call", "name": "open_document"},
        }
        for i, prompt in enumerate(PROMPTS)
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def _run(cases_file: Path, constrain: bool) -> dict:
    settings = RunSettings(max_tokens=48)
    quiet = Console(quiet=True)
    return evaluate(str(cases_file), "embedded", settings, console=quiet, constrain_tool_names=constrain)


def test_constrained_eval_gets_only_declared_tool_names(cases_file: Path) -> None:
    report = _run(cases_file, constrain=True)
    assert report["constrain_tool_names"] is True
    names = [[call["name"] for call in case["calls"]] for case in report["per_case"]]
    assert names == [["open_document"]] * len(PROMPTS)


def test_unconstrained_eval_shows_the_models_own_names(cases_file: Path) -> None:
    report = _run(cases_file, constrain=False)
    assert report["constrain_tool_names"] is False
    assert all(not case["calls"] for case in report["per_case"])
    raw = [case["raw_text"] for case in report["per_case"]]
    assert all("<function=" in text and "<function=open_document>" not in text for text in raw)
