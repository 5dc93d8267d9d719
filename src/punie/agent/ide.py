"""`punie init --ide zed|pycharm`: add Punie to the IDE's ACP agent list, keeping everything else."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

AGENT_NAME = "Punie"


def default_config_path(ide: str) -> Path:
    home = Path.home()
    if ide == "zed":
        if sys.platform == "darwin":
            return home / ".config" / "zed" / "settings.json"
        base = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
        return base / "zed" / "settings.json"
    if ide == "pycharm":
        return home / ".jetbrains" / "acp.json"
    raise ValueError(f"unknown IDE {ide!r}: use zed or pycharm")


def punie_command() -> list[str]:
    """The command line that starts `punie` (absolute path, or this Python running the CLI module)."""
    found = shutil.which("punie")
    return [str(Path(found).resolve())] if found else [sys.executable, "-m", "punie.cli"]


def agent_entry(ide: str, model: str | None = None, command: list[str] | None = None) -> dict[str, Any]:
    """The agent_servers entry that starts `punie acp`."""
    program, *prefix = command or punie_command()
    args = [*prefix, "acp"] + (["--model", model] if model else [])
    entry: dict[str, Any] = {"command": program, "args": args, "env": {}}
    return {"type": "custom", **entry} if ide == "zed" else entry


def strip_jsonc(text: str) -> str:
    """JSON from JSON-with-comments (Zed's settings): drops // and /* */ comments and trailing commas."""
    out: list[str] = []
    i, in_string = 0, False
    while i < len(text):
        char = text[i]
        if in_string:
            out.append(char)
            if char == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
            out.append(char)
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end == -1 else end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end == -1 else end + 2
            continue
        elif char in "}]":
            while out and out[-1].isspace():
                out.pop()
            if out and out[-1] == ",":
                out.pop()
            out.append(char)
        else:
            out.append(char)
        i += 1
    return "".join(out)


def write_config(ide: str, path: Path, entry: dict[str, Any]) -> tuple[Path, Path | None]:
    """Merge the Punie entry into the config at `path`. Returns (path, backup path if one was made)."""
    settings: dict[str, Any] = {}
    backup = None
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if text.strip():
            try:
                settings = json.loads(text)
            except json.JSONDecodeError:
                try:
                    settings = json.loads(strip_jsonc(text))
                except json.JSONDecodeError as exc:
                    raise ValueError(
                        f"{path} is not valid JSON (line {exc.lineno}): fix it or pass --config"
                    ) from exc
                # Comments cannot be kept by a JSON writer: keep the original next to it.
                backup = path.with_name(path.name + ".bak")
                shutil.copy2(path, backup)
        if not isinstance(settings, dict):
            raise ValueError(f"{path} does not hold a JSON object")
    servers = settings.setdefault("agent_servers", {})
    if not isinstance(servers, dict):
        raise ValueError(f"'agent_servers' in {path} is not an object")
    servers[AGENT_NAME] = entry
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return path, backup
