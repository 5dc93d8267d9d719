"""`local:URL` against real HTTP (uvicorn on a free port) serving the Punie app on the scripted engine."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from typer.testing import CliRunner

from punie.calls import get_dialect
from punie.calls.types import ToolCall
from punie.cli import app
from punie.engine.testing import ScriptedEngine
from punie.server import create_app


@pytest.fixture
def served_engine() -> Iterator[tuple[str, ScriptedEngine]]:
    call = get_dialect("qwen3_xml").render_calls([ToolCall("list_files", {"pattern": "app/*.py"})])
    engine = ScriptedEngine([call, "Two Python files live in app/."])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/v1", engine
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.mark.parametrize("suffix", ["", "/default"])
def test_ask_with_a_local_url_runs_the_tool_loop_over_http(
    served_engine: tuple[str, ScriptedEngine], project: Path, suffix: str
) -> None:
    base_url, engine = served_engine
    result = CliRunner().invoke(
        app, ["ask", "Which Python files are in app/?", "-m", f"local:{base_url}{suffix}", "-w", str(project)]
    )
    assert result.exit_code == 0, result.output
    assert "→ list_files app/*.py" in result.output and "✓ 2 files match app/*.py" in result.output
    assert "Two Python files live in app/." in result.output
    assert "app/__init__.py\napp/main.py" in engine.prompts[1]
