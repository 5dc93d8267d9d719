"""An ACP client for tests, driven by the SDK's own client side: records updates, answers permission
requests with a chosen option, and serves fs/* from an in-memory editor buffer and terminal/* by running
the command for real."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from acp import RequestError, connect_to_agent, run_agent
from acp.schema import (
    AllowedOutcome,
    CreateTerminalResponse,
    DeniedOutcome,
    ReadTextFileResponse,
    RequestPermissionResponse,
    TerminalExitStatus,
    TerminalOutputResponse,
    WaitForTerminalExitResponse,
    WriteTextFileResponse,
)


class RecordingClient:
    def __init__(self, permission: str | None = "allow_once", buffers: dict[str, str] | None = None) -> None:
        self.permission = permission  # an option id, or None to answer "cancelled"
        self.buffers = dict(buffers or {})
        self.updates: list[Any] = []
        self.permission_requests: list[Any] = []
        self.reads: list[str] = []
        self.writes: list[tuple[str, str]] = []
        self.terminals: dict[str, dict[str, Any]] = {}
        self.first_chunk = asyncio.Event()

    # -- what the agent calls --
    async def session_update(self, session_id: str, update: Any, **kwargs: Any) -> None:
        self.updates.append(update)
        if update.session_update == "agent_message_chunk":
            self.first_chunk.set()

    async def request_permission(
        self, session_id: str, tool_call: Any, options: list[Any], **kwargs: Any
    ) -> Any:
        self.permission_requests.append((tool_call, options))
        if self.permission is None:
            return RequestPermissionResponse(outcome=DeniedOutcome(outcome="cancelled"))
        return RequestPermissionResponse(
            outcome=AllowedOutcome(outcome="selected", option_id=self.permission)
        )

    async def read_text_file(
        self, session_id: str, path: str, line: int | None = None, limit: int | None = None, **kwargs: Any
    ) -> ReadTextFileResponse:
        self.reads.append(path)
        if path in self.buffers:
            return ReadTextFileResponse(content=self.buffers[path])
        try:
            return ReadTextFileResponse(content=Path(path).read_text())
        except OSError as exc:
            raise RequestError.resource_not_found(path) from exc

    async def write_text_file(
        self, session_id: str, path: str, content: str, **kwargs: Any
    ) -> WriteTextFileResponse:
        self.writes.append((path, content))
        self.buffers[path] = content
        return WriteTextFileResponse()

    async def create_terminal(
        self,
        session_id: str,
        command: str,
        args: list[str] | None = None,
        env: Any = None,
        cwd: str | None = None,
        output_byte_limit: int | None = None,
        **kwargs: Any,
    ) -> CreateTerminalResponse:
        process = await asyncio.create_subprocess_exec(
            command,
            *(args or []),
            cwd=cwd,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )
        terminal_id = f"term-{len(self.terminals) + 1}"
        self.terminals[terminal_id] = {
            "command": command,
            "args": args,
            "cwd": cwd,
            "process": process,
            "released": False,
            "killed": False,
        }
        return CreateTerminalResponse(terminal_id=terminal_id)

    async def wait_for_terminal_exit(self, session_id: str, terminal_id: str, **kwargs: Any) -> Any:
        process = self.terminals[terminal_id]["process"]
        await process.wait()
        return WaitForTerminalExitResponse(exit_code=process.returncode)

    async def terminal_output(
        self, session_id: str, terminal_id: str, **kwargs: Any
    ) -> TerminalOutputResponse:
        terminal = self.terminals[terminal_id]
        process = terminal["process"]
        if process.returncode is None:
            return TerminalOutputResponse(output="", truncated=False)
        output = (await process.stdout.read()).decode()
        terminal["output"] = output
        return TerminalOutputResponse(
            output=output, truncated=False, exit_status=TerminalExitStatus(exit_code=process.returncode)
        )

    async def kill_terminal(self, session_id: str, terminal_id: str, **kwargs: Any) -> None:
        self.terminals[terminal_id]["killed"] = True
        os.killpg(self.terminals[terminal_id]["process"].pid, signal.SIGKILL)  # the whole process group
        await self.terminals[terminal_id]["process"].wait()

    async def release_terminal(self, session_id: str, terminal_id: str, **kwargs: Any) -> None:
        self.terminals[terminal_id]["released"] = True

    # -- helpers for assertions --
    def message_text(self) -> str:
        return "".join(u.content.text for u in self.updates if u.session_update == "agent_message_chunk")

    def tool_updates(self, kind: str) -> list[Any]:
        return [u for u in self.updates if u.session_update == kind]


@asynccontextmanager
async def loopback(agent: Any, client: Any) -> AsyncIterator[Any]:
    """Agent and client connected over a real socket pair (newline-delimited JSON-RPC, as on stdio)."""
    left, right = socket.socketpair()
    agent_reader, agent_writer = await asyncio.open_connection(sock=left)
    client_reader, client_writer = await asyncio.open_connection(sock=right)
    server = asyncio.create_task(run_agent(agent, agent_writer, agent_reader))
    conn = connect_to_agent(client, client_writer, client_reader)
    try:
        yield conn
    finally:
        await conn.close()
        server.cancel()
        await asyncio.gather(server, return_exceptions=True)
        client_writer.close()
        agent_writer.close()
