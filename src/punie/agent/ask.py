"""The `punie ask` flow: load the model, run one turn on the console, print the timing line."""

from __future__ import annotations

import time
from pathlib import Path

from pydantic_ai.settings import ModelSettings
from rich.console import Console
from rich.markup import escape

from punie.agent.console import ConsoleSink, TerminalApprover
from punie.agent.policy import ApprovalGate, approve_all


async def run_ask(
    question: str, model_spec: str, workspace_dir: Path, yes: bool, *, max_tokens: int | None = None
) -> int:
    """Run the question; returns the process exit code (0 answered, 1 failed)."""
    from punie.agent.models import ModelSpecError, describe, resolve_model
    from punie.agent.session import AgentSession
    from punie.agent.tools import WorkspaceTools
    from punie.agent.workspace import Workspace

    out = Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    try:
        workspace = Workspace(workspace_dir)
    except ValueError as exc:
        err.print(f"[red]Error:[/] {escape(str(exc))}")
        return 2
    try:
        label = describe(model_spec)
        started = time.perf_counter()
        with err.status(f"Loading model {escape(label)}…"):
            model = resolve_model(model_spec)
        load_seconds = time.perf_counter() - started
    except (ModelSpecError, FileNotFoundError, ImportError, RuntimeError, ValueError) as exc:
        err.print(f"[red]Error:[/] cannot load model {escape(repr(model_spec))}: {escape(str(exc))}")
        return 2
    approver = approve_all if yes else TerminalApprover(err)
    tools = WorkspaceTools(workspace, ApprovalGate(approver))
    settings = ModelSettings(max_tokens=max_tokens) if max_tokens else None
    session = AgentSession(model, tools, model_label=label, model_settings=settings)
    err.print(
        f"[dim]punie · {escape(label)} (ready in {load_seconds:.1f}s) · {escape(str(workspace.root))}[/]"
    )
    sink = ConsoleSink(out)
    outcome = await session.run_turn(question, sink)
    sink.finish()
    if outcome.error:
        err.print(f"[red]{escape(outcome.error)}[/]")
    err.print(f"[dim]⏱ {escape(outcome.timing.line(label))}[/]")
    return 0 if outcome.stop_reason == "end_turn" else 1
