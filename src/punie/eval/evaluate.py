"""One evaluation from the command line: suite + model -> runs -> report (terminal, JSON, HTML)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from punie.eval.cases import EvalCase
from punie.eval.report import build_report, print_report, write_json
from punie.eval.results import CaseRun
from punie.eval.runner import RunSettings, run_cases
from punie.eval.suites import resolve_suite


async def _run_all(
    target: Any, cases: list[EvalCase], settings: RunSettings, done: list[CaseRun], progress: Any, task: Any
) -> bool:
    """Run the cases; the first Ctrl-C cancels what is in flight and returns True (finished runs stay
    in `done`)."""

    def advance(run: CaseRun) -> None:
        progress.update(task, advance=1, description=f"{run.id[:24]:<24}")

    loop = asyncio.get_running_loop()
    work = asyncio.ensure_future(run_cases(target.client, cases, settings, done, on_result=advance))
    interrupted = False

    def stop() -> None:
        nonlocal interrupted
        interrupted = True
        work.cancel()

    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # no signals here: Ctrl-C
        loop.add_signal_handler(signal.SIGINT, stop)  # then arrives as KeyboardInterrupt instead
    try:
        await work
    except asyncio.CancelledError:
        if not interrupted:
            raise
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(signal.SIGINT)
        await target.client.close()
    return interrupted


def evaluate(
    suite: str,
    model: str,
    settings: RunSettings,
    *,
    limit: int | None = None,
    console: Any = None,
    target: Any = None,
    constrain_tool_names: bool = True,
) -> dict[str, Any]:
    """Run a suite against a model and return the report; Ctrl-C stops early and keeps finished cases."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from punie.eval.targets import open_target

    console = console or Console()
    suite_name, cases = resolve_suite(suite)
    if limit is not None:
        cases = cases[: max(0, limit)]
    if target is None:
        with console.status(f"loading {model} ..."):
            target = open_target(model, constrain_tool_names=constrain_tool_names)
    settings = RunSettings(**{**asdict(settings), "model": target.model})
    done: list[CaseRun] = []
    interrupted = False
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    started = time.perf_counter()
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(f"{suite_name} on {target.label}", total=len(cases))
        try:
            interrupted = asyncio.run(_run_all(target, cases, settings, done, progress, task))
        except KeyboardInterrupt:
            interrupted = True
    if interrupted:
        console.print(f"[yellow]interrupted: keeping {len(done)} finished cases of {len(cases)}[/]")
    meta = {
        "started_at": started_at,
        "duration_s": time.perf_counter() - started,
        "model_load_s": target.load_s,
        "interrupted": interrupted,
        "constrain_tool_names": constrain_tool_names,
    }
    return build_report(suite_name, target.label, cases, done, settings=asdict(settings), meta=meta)


def write_reports(report: dict[str, Any], json_out: Path | None, html_out: Path | None, console: Any) -> None:
    print_report(report, console)
    if json_out is not None:
        write_json(report, json_out)
        console.print(f"JSON report: {json_out}")
    if html_out is not None:
        from punie.eval.html import render_html

        html_out.parent.mkdir(parents=True, exist_ok=True)
        html_out.write_text(render_html(report), encoding="utf-8")
        console.print(f"HTML report: {html_out}")
