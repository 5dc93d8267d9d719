"""`punie acp` as a real subprocess, `punie ask` and `punie init` from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from punie.cli import app

PUNIE = [sys.executable, "-m", "punie.cli"]


def _rpc(id_: int, method: str, params: dict) -> bytes:
    return (json.dumps({"jsonrpc": "2.0", "id": id_, "method": method, "params": params}) + "\n").encode()


def run_acp_turn(project: Path, tmp_path: Path, model: str, prompt_text: str, *extra: str) -> list[dict]:
    """Spawn `punie acp`, initialize, open a session, send one prompt; every stdout line must be JSON-RPC."""
    log = tmp_path / "acp.log"
    process = subprocess.Popen(
        [*PUNIE, "acp", "--model", model, "--log-file", str(log), *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert process.stdin and process.stdout
    messages: list[dict] = []

    def until_response(id_: int) -> dict:
        while True:
            line = process.stdout.readline()
            assert line, (
                f"punie acp closed stdout; stderr: {process.stderr.read().decode() if process.stderr else ''}"
            )
            message = json.loads(line)  # every stdout line must be a JSON-RPC message
            assert message["jsonrpc"] == "2.0"
            messages.append(message)
            if message.get("id") == id_:
                return message

    try:
        process.stdin.write(_rpc(0, "initialize", {"protocolVersion": 1, "clientCapabilities": {}}))
        process.stdin.flush()
        assert until_response(0)["result"]["agentInfo"]["name"] == "punie"
        process.stdin.write(_rpc(1, "session/new", {"cwd": str(project), "mcpServers": []}))
        process.stdin.flush()
        session_id = until_response(1)["result"]["sessionId"]
        prompt = {"sessionId": session_id, "prompt": [{"type": "text", "text": prompt_text}]}
        process.stdin.write(_rpc(2, "session/prompt", prompt))
        process.stdin.flush()
        assert until_response(2)["result"]["stopReason"] == "end_turn"
    finally:
        process.stdin.close()
        process.wait(timeout=60)
    assert "new session" in log.read_text()
    return messages


def test_punie_acp_subprocess_speaks_only_acp_on_stdout(project: Path, tmp_path: Path) -> None:
    # `test:echo` is the deterministic scripted model (a test hook), so the process needs no model file.
    messages = run_acp_turn(project, tmp_path, "test:echo", '!read_file {"path": "README.md"}')
    updates = [m["params"]["update"] for m in messages if m.get("method") == "session/update"]
    kinds = [update["sessionUpdate"] for update in updates]
    assert kinds[:2] == ["tool_call", "tool_call_update"] and "agent_message_chunk" in kinds
    text = "".join(u["content"]["text"] for u in updates if u["sessionUpdate"] == "agent_message_chunk")
    assert text == "[read_file] 1\t# Demo"


@pytest.mark.slow
def test_punie_acp_subprocess_on_the_embedded_model(project: Path, tmp_path: Path) -> None:
    messages = run_acp_turn(project, tmp_path, "embedded", "What is Python?", "--max-tokens", "24")
    chunks = [m["params"]["update"] for m in messages if m.get("method") == "session/update"]
    text = "".join(u["content"]["text"] for u in chunks if u["sessionUpdate"] == "agent_message_chunk")
    assert len(chunks) >= 2 and text.strip()  # a real, streamed answer


def test_punie_ask_streams_the_answer_traces_tools_and_times_the_turn(project: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["ask", '!read_file {"path": "app/main.py"}', "--model", "test:echo", "--workspace", str(project)],
    )
    assert result.exit_code == 0, result.output
    assert "→ read_file app/main.py" in result.output
    assert "✓ app/main.py (lines 1-6 of 6)" in result.output
    assert "[read_file] 1\tdef hello():" in result.output
    assert "total: model" in result.output and "tools" in result.output and "overhead" in result.output


def test_punie_ask_without_a_terminal_rejects_writes_unless_yes(project: Path) -> None:
    command = [
        "ask",
        '!write_file {"path": "new.txt", "content": "x"}',
        "-m",
        "test:echo",
        "-w",
        str(project),
    ]
    refused = CliRunner().invoke(app, command)
    assert refused.exit_code == 0 and "Pass --yes" in refused.output and not (project / "new.txt").exists()
    allowed = CliRunner().invoke(app, [*command, "--yes"])
    assert allowed.exit_code == 0 and (project / "new.txt").read_text() == "x"


def test_punie_ask_reports_bad_input_clearly(tmp_path: Path) -> None:
    missing = CliRunner().invoke(app, ["ask", "hi", "-m", "test:echo", "-w", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "not a directory" in missing.output
    bad_model = CliRunner().invoke(app, ["ask", "hi", "-m", "gpt4", "-w", str(tmp_path)])
    assert bad_model.exit_code == 2 and "unknown model spec" in bad_model.output


@pytest.mark.parametrize("ide", ["zed", "pycharm"])
def test_init_merges_into_existing_config(tmp_path: Path, ide: str) -> None:
    config = tmp_path / "settings.json"
    config.write_text(json.dumps({"theme": "One Dark", "agent_servers": {"Other": {"command": "other"}}}))
    result = CliRunner().invoke(app, ["init", "--ide", ide, "--config", str(config), "--model", "test:echo"])
    assert result.exit_code == 0, result.output
    data = json.loads(config.read_text())
    assert data["theme"] == "One Dark" and data["agent_servers"]["Other"] == {"command": "other"}
    entry = data["agent_servers"]["Punie"]
    assert entry["args"][-3:] == ["acp", "--model", "test:echo"]
    assert ("type" in entry) == (ide == "zed")
    # the written command really starts the agent
    assert Path(entry["command"]).exists()


def test_init_keeps_entries_of_a_jsonc_settings_file_and_backs_it_up(tmp_path: Path) -> None:
    config = tmp_path / "settings.json"
    original = '// Zed settings\n{\n  "vim_mode": true, // yes\n  "url": "http://x//y",\n}\n'
    config.write_text(original)
    result = CliRunner().invoke(app, ["init", "--ide", "zed", "--config", str(config)])
    assert result.exit_code == 0, result.output
    data = json.loads(config.read_text())
    assert data["vim_mode"] is True and data["url"] == "http://x//y" and "Punie" in data["agent_servers"]
    assert (tmp_path / "settings.json.bak").read_text() == original


def test_init_refuses_broken_json_and_leaves_it_alone(tmp_path: Path) -> None:
    config = tmp_path / "acp.json"
    config.write_text("{ not json")
    result = CliRunner().invoke(app, ["init", "--ide", "pycharm", "--config", str(config)])
    assert result.exit_code == 1 and "not valid JSON" in result.output
    assert config.read_text() == "{ not json"


def test_init_creates_a_missing_config(tmp_path: Path) -> None:
    config = tmp_path / "deep" / "acp.json"
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [*PUNIE, "init", "--ide", "pycharm", "--config", str(config)],
        check=True,
        env=env,
        capture_output=True,
    )
    assert "Punie" in json.loads(config.read_text())["agent_servers"]


@pytest.mark.parametrize("command", ["ask", "acp", "init"])
def test_help_renders_with_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
