"""File and command backends that go through the ACP client (the IDE): `fs/*` and `terminal/*`."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from acp import RequestError, tool_terminal_ref, update_tool_call

from punie.agent.backends import CURRENT_CALL_ID, CommandResult, LocalCommands, LocalFiles


class ClientFiles:
    """Reads and writes through the client when it advertises `fs.readTextFile` / `fs.writeTextFile`.

    The IDE then sees unsaved editor buffers and records edits in its undo history; without the capability
    the local disk is used.
    """

    def __init__(self, conn: Any, session_id: str, *, can_read: bool, can_write: bool) -> None:
        self.conn = conn
        self.session_id = session_id
        self.can_read = can_read
        self.can_write = can_write
        self.local = LocalFiles()

    async def read_text(self, path: Path) -> str:
        if not self.can_read:
            return await self.local.read_text(path)
        try:
            response = await self.conn.read_text_file(session_id=self.session_id, path=str(path))
        except RequestError as exc:
            raise OSError(f"the editor could not read {path.name}: {exc}") from exc
        return response.content

    async def write_text(self, path: Path, content: str) -> None:
        if not self.can_write:
            await self.local.write_text(path, content)
            return
        try:
            await self.conn.write_text_file(session_id=self.session_id, path=str(path), content=content)
        except RequestError as exc:
            raise OSError(f"the editor could not write {path.name}: {exc}") from exc


class ClientTerminal:
    """Runs commands in a client terminal (`terminal/create` ... `terminal/release`) with a timeout."""

    def __init__(self, conn: Any, session_id: str) -> None:
        self.conn = conn
        self.session_id = session_id

    async def run(self, command: str, cwd: Path, timeout: float, output_limit: int) -> CommandResult:
        created = await self.conn.create_terminal(
            session_id=self.session_id,
            command="/bin/sh",
            args=["-c", command],
            cwd=str(cwd),
            output_byte_limit=output_limit,
        )
        terminal_id = created.terminal_id
        if call_id := CURRENT_CALL_ID.get():  # let the IDE show the live terminal in the tool call
            update = update_tool_call(call_id, status="in_progress", content=[tool_terminal_ref(terminal_id)])
            await self.conn.session_update(session_id=self.session_id, update=update)
        timed_out = False
        try:
            try:
                await asyncio.wait_for(
                    self.conn.wait_for_terminal_exit(session_id=self.session_id, terminal_id=terminal_id),
                    timeout,
                )
            except TimeoutError:
                timed_out = True
                await self.conn.kill_terminal(session_id=self.session_id, terminal_id=terminal_id)
            output = await self.conn.terminal_output(session_id=self.session_id, terminal_id=terminal_id)
        finally:
            with contextlib.suppress(Exception):
                await self.conn.release_terminal(session_id=self.session_id, terminal_id=terminal_id)
        exit_code = output.exit_status.exit_code if output.exit_status else None
        return CommandResult(
            exit_code, output.output, timed_out=timed_out, truncated=output.truncated, terminal_id=terminal_id
        )


def backends_for(conn: Any, session_id: str, capabilities: Any) -> tuple[Any, Any]:
    """(files, commands) backends matching what the client advertised at initialize."""
    fs = getattr(capabilities, "fs", None)
    can_read = bool(fs and fs.read_text_file)
    can_write = bool(fs and fs.write_text_file)
    files = (
        ClientFiles(conn, session_id, can_read=can_read, can_write=can_write)
        if (can_read or can_write)
        else (LocalFiles())
    )
    has_terminal = bool(capabilities and getattr(capabilities, "terminal", False))
    commands = ClientTerminal(conn, session_id) if has_terminal else LocalCommands()
    return files, commands
