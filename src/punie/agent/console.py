"""`punie ask` on a terminal: streamed answer, one line per tool call, approval prompts, timing line."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.syntax import Syntax

from punie.agent.policy import ApprovalRequest, Decision
from punie.agent.tools import ToolResult


class ConsoleSink:
    """Prints the answer as it streams and a trace line for each tool call."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.mid_line = False

    def _break_line(self) -> None:
        if self.mid_line:
            self.console.file.write("\n")
            self.mid_line = False

    async def text(self, delta: str) -> None:
        self.console.file.write(delta)
        self.console.file.flush()
        self.mid_line = not delta.endswith("\n")

    async def tool_started(
        self, call_id: str, name: str, arguments: dict[str, Any], title: str, kind: str
    ) -> None:
        self._break_line()
        self.console.print(f"[cyan]→ {escape(title)}[/]", highlight=False)

    async def tool_finished(self, call_id: str, name: str, result: ToolResult) -> None:
        mark = "[green]✓[/]" if result.ok else ("[yellow]✗[/]" if result.rejected else "[red]✗[/]")
        self.console.print(f"  {mark} [dim]{escape(result.summary)}[/]", highlight=False)

    async def tool_retry(self, call_id: str, name: str, message: str) -> None:
        self.console.print(f"  [red]✗ malformed call, sent back to the model:[/] [dim]{escape(message)}[/]")

    def finish(self) -> None:
        self._break_line()


class TerminalApprover:
    """Asks on the terminal before a write or command; without a terminal it rejects and says why."""

    def __init__(self, console: Console, interactive: bool | None = None) -> None:
        self.console = console
        self.interactive = sys.stdin.isatty() if interactive is None else interactive

    async def __call__(self, request: ApprovalRequest) -> Decision:
        self.console.print(f"\n[bold yellow]Approve:[/] {escape(request.title)}")
        if request.detail:
            lexer = "diff" if request.detail.startswith("---") else "bash"
            self.console.print(Syntax(request.detail, lexer, theme="ansi_dark", word_wrap=True))
        if not self.interactive:
            self.console.print(
                "[yellow]No terminal to ask on: rejected. Pass --yes to approve writes and commands.[/]"
            )
            return Decision.REJECT
        answer = await asyncio.to_thread(input, "Allow? [y]es / [a]lways for this tool / [N]o: ")
        choice = answer.strip().lower()
        if choice in ("a", "always"):
            return Decision.ALLOW_ALWAYS
        if choice in ("y", "yes"):
            return Decision.ALLOW_ONCE
        return Decision.REJECT
