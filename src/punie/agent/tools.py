"""The six workspace tools, independent of PydanticAI: `WorkspaceTools.call(name, arguments)` -> ToolResult.

Every path is confined to the workspace; writes and commands go through the approval gate; file access and
commands go through pluggable backends (local here, the IDE's over ACP).
"""

from __future__ import annotations

import asyncio
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from punie.agent.arguments import ToolArgumentError, check_arguments
from punie.agent.backends import CURRENT_CALL_ID, CommandBackend, FileBackend, LocalCommands, LocalFiles
from punie.agent.policy import ApprovalGate, ApprovalRequest, approve_all
from punie.agent.timing import Stopwatch
from punie.agent.walk import visible_files
from punie.agent.workspace import ToolError, Workspace
from punie.chat.prompts import WORKSPACE_TOOLS_BY_NAME
from punie.globs import glob_regex

_LOCAL = LocalFiles()

ToolKind = Literal["read", "edit", "execute", "search", "other"]

TOOL_KINDS: dict[str, ToolKind] = {
    "read_file": "read",
    "list_files": "search",
    "search": "search",
    "write_file": "edit",
    "edit_file": "edit",
    "run_command": "execute",
}


@dataclass
class Limits:
    read_lines: int = 400
    read_bytes: int = 40_000
    list_entries: int = 200
    search_matches: int = 100
    search_file_bytes: int = 1_000_000
    output_chars: int = 12_000
    command_timeout: int = 30
    max_command_timeout: int = 600
    diff_chars: int = 6_000


@dataclass
class ToolResult:
    """What a tool call produced: `text` goes to the model, `summary` is the one-line trace for people."""

    text: str
    ok: bool = True
    summary: str = ""
    locations: list[tuple[str, int | None]] = field(default_factory=list)
    diff: tuple[str, str | None, str] | None = None  # (path, old text or None for a new file, new text)
    rejected: bool = False
    terminal_id: str | None = None


def tool_title(name: str, arguments: dict[str, Any]) -> str:
    """A short human title for a call, e.g. `read_file app/main.py`."""
    main = arguments.get("path") or arguments.get("pattern") or arguments.get("command") or ""
    main = str(main).replace("\n", " ")
    if len(main) > 80:
        main = main[:77] + "..."
    return f"{name} {main}".strip()


def _cap(text: str, limit: int, what: str) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n[{what} truncated: showing {limit} of {len(text)} characters]"


def unified_diff(relative: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{relative}", f"b/{relative}"
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


class WorkspaceTools:
    """The tool implementations for one workspace, one approval gate and one pair of backends."""

    def __init__(
        self,
        workspace: Workspace,
        gate: ApprovalGate | None = None,
        *,
        files: FileBackend | None = None,
        commands: CommandBackend | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.workspace = workspace
        self.gate = gate or ApprovalGate(approve_all)
        self.files: FileBackend = files or LocalFiles()
        self.commands: CommandBackend = commands or LocalCommands()
        self.limits = limits or Limits()
        self.stopwatch: Stopwatch | None = None

    async def call(self, name: str, arguments: Any, call_id: str = "") -> ToolResult:
        """Run one tool call. Raises ToolArgumentError for a malformed call; other problems become results."""
        tool = WORKSPACE_TOOLS_BY_NAME.get(name)
        if tool is None:
            raise ToolArgumentError(f"unknown tool {name!r}; available: {', '.join(WORKSPACE_TOOLS_BY_NAME)}")
        args = check_arguments(tool, arguments)
        method = getattr(self, f"_{name}")
        token = CURRENT_CALL_ID.set(call_id)
        try:
            return await method(call_id=call_id, **args)
        except ToolError as exc:
            return ToolResult(f"Error: {exc}", ok=False, summary=f"error: {exc}")
        finally:
            CURRENT_CALL_ID.reset(token)

    async def _approve(self, request: ApprovalRequest) -> bool:
        if self.stopwatch is None:
            return await self.gate.allowed(request)
        with self.stopwatch.measure("approval"):
            return await self.gate.allowed(request)

    # -- reads ---------------------------------------------------------------------------------------------

    async def _read(self, real: Path) -> str:
        if not real.exists():
            raise ToolError(f"no such file: {self.workspace.relative(real)}")
        if real.is_dir():
            raise ToolError(f"{self.workspace.relative(real)} is a directory; use list_files")
        try:
            return await self.files.read_text(real)
        except UnicodeDecodeError as exc:
            raise ToolError(f"{self.workspace.relative(real)} is not a text file") from exc
        except OSError as exc:
            raise ToolError(f"cannot read {self.workspace.relative(real)}: {exc.strerror or exc}") from exc

    async def _read_file(
        self, *, call_id: str, path: str, start_line: int | None = None, end_line: int | None = None
    ) -> ToolResult:
        real = self.workspace.resolve(path)
        relative = self.workspace.relative(real)
        lines = (await self._read(real)).splitlines()
        first = max(1, start_line or 1)
        last = min(len(lines), end_line if end_line is not None else len(lines))
        if lines and first > len(lines):
            raise ToolError(f"{relative} has only {len(lines)} lines; start_line {first} is past the end")
        if end_line is not None and end_line < first:
            raise ToolError(f"end_line {end_line} is before start_line {first}")
        shown: list[str] = []
        size = 0
        note = ""
        for number in range(first, last + 1):
            line = f"{number:>6}\t{lines[number - 1]}"
            if not shown and len(line) > self.limits.read_bytes:  # one huge line (minified file): cut it
                line = (
                    line[: self.limits.read_bytes]
                    + f" [line {number} cut at {self.limits.read_bytes} characters]"
                )
            if shown and (len(shown) >= self.limits.read_lines or size + len(line) > self.limits.read_bytes):
                note = (
                    f"\n[truncated: showing lines {first}-{number - 1} of {len(lines)}; "
                    f"use start_line={number} to read on]"
                )
                last = number - 1
                break
            shown.append(line)
            size += len(line) + 1
        text = "\n".join(shown) + note if shown else f"({relative} is empty)"
        span = f"lines {first}-{last} of {len(lines)}" if lines else "empty"
        return ToolResult(text, summary=f"{relative} ({span})", locations=[(str(real), first)])

    async def _list_files(self, *, call_id: str, pattern: str = "**/*") -> ToolResult:
        pattern = pattern.strip() or "**/*"
        if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
            raise ToolError(f"refused: pattern {pattern!r} must be relative to the workspace, without '..'")
        root = self.workspace.root
        matcher = glob_regex(pattern)
        matches = [
            path.relative_to(root).as_posix()
            for path in await asyncio.to_thread(visible_files, root)
            if matcher.fullmatch(path.relative_to(root).as_posix())
        ]
        if not matches:
            return ToolResult(f"No files match {pattern!r}.", summary=f"no files match {pattern}")
        shown = matches[: self.limits.list_entries]
        text = "\n".join(shown)
        if len(matches) > len(shown):
            text += f"\n[truncated: showing {len(shown)} of {len(matches)} files; use a narrower pattern]"
        return ToolResult(text, summary=f"{len(matches)} files match {pattern}")

    async def _search(self, *, call_id: str, pattern: str, path: str | None = None) -> ToolResult:
        if not pattern.strip():
            raise ToolArgumentError("pattern must not be empty")
        try:
            regex = re.compile(pattern)
        except re.error as exc:
            raise ToolArgumentError(f"invalid regular expression {pattern!r}: {exc}") from exc
        start = self.workspace.resolve(path) if path else self.workspace.root
        if not start.exists():
            raise ToolError(f"no such file or directory: {path}")
        hits: list[str] = []
        locations: list[tuple[str, int | None]] = []
        total = 0
        for file in await asyncio.to_thread(visible_files, self.workspace.root, start):
            if file.stat().st_size > self.limits.search_file_bytes:
                continue
            try:
                # Searching reads the disk directly, even over ACP: one round trip per file would be too slow.
                content = await _LOCAL.read_text(file)
            except (UnicodeDecodeError, OSError):
                continue
            relative = self.workspace.relative(file)
            for number, line in enumerate(content.splitlines(), 1):
                if regex.search(line):
                    total += 1
                    if len(hits) < self.limits.search_matches:
                        hits.append(f"{relative}:{number}: {line.strip()[:200]}")
                        if len(locations) < 20:
                            locations.append((str(file), number))
        if not hits:
            return ToolResult(f"No matches for {pattern!r}.", summary=f"no matches for {pattern}")
        text = "\n".join(hits)
        if total > len(hits):
            text += f"\n[truncated: showing {len(hits)} of {total} matches; narrow the pattern or path]"
        text = _cap(text, self.limits.output_chars, "output")
        return ToolResult(text, summary=f"{total} matches for {pattern}", locations=locations)

    # -- writes and commands ------------------------------------------------------------------------------

    def _rejected(self, name: str, what: str) -> ToolResult:
        return ToolResult(
            f"The user rejected this {name} call; {what}. Do not retry it; ask the user how to proceed.",
            ok=False,
            summary="rejected by the user",
            rejected=True,
        )

    async def _write_file(self, *, call_id: str, path: str, content: str) -> ToolResult:
        real = self.workspace.resolve(path)
        relative = self.workspace.relative(real)
        if real.is_dir():
            raise ToolError(f"{relative} is a directory")
        old = await self._read(real) if real.exists() else None
        diff = unified_diff(relative, old or "", content)
        detail = diff if old is not None else f"new file {relative} ({len(content.splitlines())} lines)"
        request = ApprovalRequest(
            "write_file",
            f"Write {relative}",
            {"path": path, "content": content},
            detail=_cap(detail, self.limits.diff_chars, "diff"),
            call_id=call_id,
            path=str(real),
            extra={"old": old, "new": content},
        )
        if not await self._approve(request):
            return self._rejected("write_file", f"{relative} was not written")
        try:
            await self.files.write_text(real, content)
        except OSError as exc:
            raise ToolError(f"cannot write {relative}: {exc.strerror or exc}") from exc
        verb = "Created" if old is None else "Overwrote"
        text = f"{verb} {relative} ({len(content.splitlines())} lines)."
        if old is not None and diff:
            text += "\n" + _cap(diff, self.limits.diff_chars, "diff")
        return ToolResult(
            text,
            summary=f"{verb.lower()} {relative}",
            locations=[(str(real), None)],
            diff=(str(real), old, content),
        )

    async def _edit_file(self, *, call_id: str, path: str, old: str, new: str) -> ToolResult:
        real = self.workspace.resolve(path)
        relative = self.workspace.relative(real)
        before = await self._read(real)
        if not old:
            raise ToolError("old text must not be empty")
        count = before.count(old)
        if count == 0:
            raise ToolError(f"the old text was not found in {relative}; read the file and copy it exactly")
        if count > 1:
            raise ToolError(
                f"the old text occurs {count} times in {relative}; include more context to make it unique"
            )
        after = before.replace(old, new, 1)
        line = before[: before.index(old)].count("\n") + 1
        diff = unified_diff(relative, before, after)
        request = ApprovalRequest(
            "edit_file",
            f"Edit {relative}",
            {"path": path, "old": old, "new": new},
            detail=_cap(diff, self.limits.diff_chars, "diff"),
            call_id=call_id,
            path=str(real),
            extra={"old": before, "new": after, "line": line},
        )
        if not await self._approve(request):
            return self._rejected("edit_file", f"{relative} was not changed")
        try:
            await self.files.write_text(real, after)
        except OSError as exc:
            raise ToolError(f"cannot write {relative}: {exc.strerror or exc}") from exc
        return ToolResult(
            f"Edited {relative} at line {line}.\n" + _cap(diff, self.limits.diff_chars, "diff").rstrip(),
            summary=f"edited {relative}:{line}",
            locations=[(str(real), line)],
            diff=(str(real), before, after),
        )

    async def _run_command(self, *, call_id: str, command: str, timeout: int | None = None) -> ToolResult:
        if not command.strip():
            raise ToolArgumentError("command must not be empty")
        seconds = min(max(1, timeout or self.limits.command_timeout), self.limits.max_command_timeout)
        request = ApprovalRequest(
            "run_command",
            f"Run `{command}`",
            {"command": command, "timeout": seconds},
            detail=command,
            call_id=call_id,
        )
        if not await self._approve(request):
            return self._rejected("run_command", "the command was not run")
        result = await self.commands.run(command, self.workspace.root, seconds, self.limits.output_chars)
        if result.timed_out:
            status = f"timed out after {seconds}s (stopped)"
        else:
            status = f"exit code: {result.exit_code}"
        text = status + "\n" + (result.output.rstrip() or "(no output)")
        if result.truncated:
            text += f"\n[output truncated to the first {self.limits.output_chars} characters]"
        ok = not result.timed_out and result.exit_code == 0
        return ToolResult(text, ok=ok, summary=status, terminal_id=result.terminal_id)
