"""`punie serve` as users run it: a subprocess that prints where it listens and stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest
from typer.testing import CliRunner

from punie.cli import app


def test_serve_help_has_an_example() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--model", "--lora", "--host", "--port", "--ctx", "--threads", "--dialect", "--upstream"):
        assert option in result.output
    assert "punie serve --upstream" in result.output


def test_missing_model_file_is_a_clear_error() -> None:
    result = CliRunner().invoke(app, ["serve", "--model", "/nonexistent/model.gguf", "--port", "0"])
    assert result.exit_code == 2
    assert "model file not found" in result.output


def test_unknown_dialect_is_rejected() -> None:
    result = CliRunner().invoke(app, ["serve", "--dialect", "klingon", "--port", "0"])
    assert result.exit_code != 0
    assert "klingon" in result.output


@pytest.mark.slow
def test_serve_embedded_then_ctrl_c() -> None:
    command = [sys.executable, "-m", "punie.cli", "serve", "--port", "0", "--ctx", "1024", "--threads", "1"]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        url = None
        deadline = time.monotonic() + 60
        lines = []
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()  # type: ignore[union-attr]
            if not line:
                break
            lines.append(line)
            if match := re.search(r"listening on (http://127\.0\.0\.1:\d+/v1)", line):
                url = match.group(1)
        assert url, "".join(lines)
        assert any("SmolLM2-135M-Instruct" in line for line in lines)
        models = httpx.get(f"{url}/models").json()
        assert "embedded" in [m["id"] for m in models["data"]]
        reply = httpx.post(
            f"{url}/chat/completions",
            timeout=60,
            json={"model": "embedded", "max_tokens": 4, "messages": [{"role": "user", "content": "Hi"}]},
        ).json()
        assert reply["usage"]["completion_tokens"] > 0
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "punie serve: stopped" in output
    assert "Traceback" not in output
