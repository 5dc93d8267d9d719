"""Where file reads, writes and commands actually happen: locally here; ACP supplies client-side versions."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# Only these variables reach a command: no API keys, tokens or other secrets from the parent environment.
SAFE_ENV_KEYS = (
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TERM",
    "USER",
    "LOGNAME",
    "SHELL",
    "TMPDIR",
    "TZ",
)


def scrubbed_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """A minimal environment for commands the model runs."""
    env = {key: os.environ[key] for key in SAFE_ENV_KEYS if key in os.environ}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra or {})
    return env


# The id of the tool call being executed, for backends that report progress on it (ACP terminals).
CURRENT_CALL_ID: ContextVar[str] = ContextVar("punie_current_call_id", default="")


@dataclass
class CommandResult:
    exit_code: int | None
    output: str
    timed_out: bool = False
    truncated: bool = False
    terminal_id: str | None = None  # set when the command ran in an ACP client terminal


class FileBackend(Protocol):
    async def read_text(self, path: Path) -> str: ...

    async def write_text(self, path: Path, content: str) -> None: ...


class CommandBackend(Protocol):
    async def run(self, command: str, cwd: Path, timeout: float, output_limit: int) -> CommandResult: ...


class LocalFiles:
    """Plain local file access (paths are already confined by the caller)."""

    async def read_text(self, path: Path) -> str:
        data = path.read_bytes()
        if b"\x00" in data[:8192]:
            raise UnicodeDecodeError("utf-8", data[:1], 0, 1, "binary file")
        return data.decode("utf-8", errors="replace")

    async def write_text(self, path: Path, content: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


class LocalCommands:
    """Runs a shell command in its own process group, with a scrubbed environment, timeout and output cap."""

    async def run(self, command: str, cwd: Path, timeout: float, output_limit: int) -> CommandResult:
        process = await asyncio.create_subprocess_shell(
            command,
            cwd=cwd,
            env=scrubbed_environment(),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )
        chunks: list[bytes] = []
        size = 0
        truncated = False

        async def collect() -> None:
            nonlocal size, truncated
            assert process.stdout is not None
            while chunk := await process.stdout.read(65536):
                if size < output_limit:
                    chunks.append(chunk[: output_limit - size])
                truncated = truncated or size + len(chunk) > output_limit
                size += len(chunk)
            await process.wait()

        timed_out = False
        try:
            await asyncio.wait_for(collect(), timeout)
        except (TimeoutError, asyncio.CancelledError) as exc:
            timed_out = isinstance(exc, TimeoutError)
            _kill_group(process)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(process.wait(), 5)
            if not timed_out:
                raise
        output = b"".join(chunks).decode("utf-8", errors="replace")
        return CommandResult(process.returncode, output, timed_out=timed_out, truncated=truncated)


def _kill_group(process: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
