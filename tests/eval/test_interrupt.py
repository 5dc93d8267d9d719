"""Ctrl-C during `punie eval` keeps the finished cases and still writes the reports."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from .conftest import scripted_app


class _SlowApp:
    """Delays every request, so the run is still going when Ctrl-C arrives."""

    def __init__(self, app: Starlette, delay: float) -> None:
        self.app = app
        self.delay = delay

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        if scope["type"] == "http":
            await asyncio.sleep(self.delay)
        await self.app(scope, receive, send)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_ctrl_c_keeps_finished_cases_and_writes_reports(tmp_path: Path) -> None:
    prompts = [f"question {i}" for i in range(40)]
    scripted = scripted_app({p: {"content": "an answer"} for p in prompts})
    app = _SlowApp(scripted, delay=0.25)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        suite = tmp_path / "cases.jsonl"
        lines = [
            json.dumps(
                {"id": f"q{i}", "messages": [{"role": "user", "content": p}], "expected": {"kind": "direct"}}
            )
            for i, p in enumerate(prompts)
        ]
        suite.write_text("\n".join(lines) + "\n")
        out, html = tmp_path / "r.json", tmp_path / "r.html"
        command = [
            sys.executable,
            "-m",
            "punie.cli",
            "eval",
            "--suite",
            str(suite),
            "--model",
            f"local:http://127.0.0.1:{port}/v1",
            "--json",
            str(out),
            "--html",
            str(html),
        ]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 120
        while len(scripted.state.requests) < 4 and time.monotonic() < deadline:  # a few cases are done
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert process.returncode == 0, output
    assert "interrupted" in output
    report = json.loads(out.read_text())
    assert report["interrupted"] is True and report["cases_planned"] == 40
    assert 3 <= report["cases"] < 40, output
    assert all(entry["content"] == "an answer" and not entry["error"] for entry in report["per_case"])
    assert "<svg" in html.read_text()
