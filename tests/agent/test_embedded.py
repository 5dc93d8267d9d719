"""The agent on the real embedded model (SmolLM2-135M via llama.cpp) through the real in-process server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from punie.agent.models import openai_client
from punie.cli import app

pytestmark = pytest.mark.slow

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample_project"


async def test_embedded_spec_streams_real_tokens_through_the_in_process_server() -> None:
    client, model_name = openai_client("embedded")
    stream = await client.chat.completions.create(
        model=model_name, messages=[{"role": "user", "content": "Say hello."}], max_tokens=12, stream=True
    )
    pieces = [
        chunk.choices[0].delta.content
        async for chunk in stream
        if chunk.choices and chunk.choices[0].delta.content
    ]
    assert len(pieces) >= 2, pieces  # several chunks: the response was streamed, not buffered
    assert "".join(pieces).strip()


def test_punie_ask_answers_on_the_embedded_model(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "ask",
            "Which web framework does this project use?",
            "--workspace",
            str(SAMPLE),
            "--yes",
            "--max-tokens",
            "40",
        ],
    )
    assert result.exit_code == 0, result.output
    timing = re.search(
        r"total: model ([\d.]+)s \(embedded[^)]*\), tools ([\d.]+)s, overhead ([\d.]+)s", result.output
    )
    assert timing, result.output
    assert float(timing.group(1)) > 0
    answer = result.output.split("\n", 1)[1].rsplit("⏱", 1)[0]  # between the header and the timing line
    assert len(answer.strip()) > 10, result.output
