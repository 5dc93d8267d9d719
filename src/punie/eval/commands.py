"""`punie eval` (run a suite, `compare` two runs) and `punie profile` (where an agent turn's time goes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

EVAL_HELP = """Evaluate a model's tool-calling decisions, names and arguments on a suite of cases.

Suites: `seed` (the seed's five queries), `held-out` (the test split of a generated dataset, or
`held-out:PATH`), or any JSONL file of cases, e.g. `../shared/eval/bfcl_decision.jsonl`.

Example: [bold]punie eval --suite seed --json runs/seed.json --html runs/seed.html[/]

Compare two runs: [bold]punie eval compare runs/base.json runs/tuned.json[/]
"""

PROFILE_HELP = """Run the whole agent (PydanticAI -> server -> engine, with tools) on each query of a suite
and report the measured split of the time: prompt processing, generation, server overhead, agent/framework
overhead and tool execution; the first query (warm-up) apart from the rest; the sum checked against the
wall clock.

Example: [bold]punie profile --model embedded --suite seed[/]
"""


def _console() -> Any:
    """A rich console; wide when the output is not a terminal (logs, pasted reports)."""
    import sys

    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=160)


def register(app: typer.Typer) -> None:
    eval_app = typer.Typer(name="eval", help=EVAL_HELP, rich_markup_mode="rich", add_completion=False)

    @eval_app.callback(invoke_without_command=True)
    def eval_command(
        ctx: typer.Context,
        suite: str = typer.Option(
            "seed",
            "--suite",
            "-s",
            help="seed, held-out, held-out:PATH, features (Python features the generator never names), "
            "or a JSONL file of cases.",
        ),
        model: str = typer.Option(
            "embedded",
            "--model",
            "-m",
            help="embedded, embedded:base, lora:ADAPTER.gguf, PATH.gguf, proxy:URL, "
            "local:URL (or local:URL/MODEL), openai:NAME.",
        ),
        limit: int | None = typer.Option(None, "--limit", "-n", help="Only the first N cases."),
        json_out: Path | None = typer.Option(None, "--json", help="Write the JSON report here."),
        html_out: Path | None = typer.Option(None, "--html", help="Write the HTML report here."),
        concurrency: int = typer.Option(1, "--concurrency", min=1, help="Requests in flight at once."),
        max_tokens: int = typer.Option(256, "--max-tokens", min=1, help="Token limit per answer."),
        temperature: float = typer.Option(0.0, "--temperature", help="Sampling temperature."),
        dialect: str = typer.Option("qwen3_xml", "--dialect", help="Call dialect used to check raw text."),
        constrain_tool_names: bool = typer.Option(
            True,
            "--constrain-tool-names/--no-constrain-tool-names",
            help="In-process models: restrict tool and parameter names to the declared ones while decoding "
            "(the server's default). --no-constrain-tool-names measures the model alone.",
        ),
    ) -> None:
        if ctx.invoked_subcommand is not None:
            return
        from punie.eval.cases import CaseError
        from punie.eval.evaluate import evaluate, write_reports
        from punie.eval.runner import RunSettings

        console = _console()
        settings = RunSettings(
            temperature=temperature, max_tokens=max_tokens, concurrency=concurrency, dialect=dialect
        )
        try:
            report = evaluate(
                suite,
                model,
                settings,
                limit=limit,
                console=console,
                constrain_tool_names=constrain_tool_names,
            )
        except (CaseError, ValueError, FileNotFoundError) as exc:
            console.print(f"[red]error:[/] {exc}")
            raise typer.Exit(2) from exc
        write_reports(report, json_out, html_out, console)

    @eval_app.command("compare")
    def compare_command(
        first: Path = typer.Argument(..., help="JSON report A (e.g. the base model)."),
        second: Path = typer.Argument(..., help="JSON report B (e.g. the fine-tuned model)."),
    ) -> None:
        """Show two JSON reports side by side with deltas (B − A).

        Example: [bold]punie eval compare runs/base.json runs/tuned.json[/]
        """
        from punie.eval.compare import print_compare
        from punie.eval.report import load_report

        console = _console()
        try:
            a, b = load_report(first), load_report(second)
        except ValueError as exc:
            console.print(f"[red]error:[/] {exc}")
            raise typer.Exit(2) from exc
        print_compare(a, b, (first.name, second.name), console)

    app.add_typer(eval_app, name="eval")

    @app.command("profile", help=PROFILE_HELP)
    def profile_command(
        model: str = typer.Option(
            "embedded", "--model", "-m", help="embedded, embedded:base, local:URL, ..."
        ),
        suite: str = typer.Option("seed", "--suite", "-s", help="Suite whose user prompts are asked."),
        limit: int | None = typer.Option(None, "--limit", "-n", help="Only the first N queries."),
        workspace: Path | None = typer.Option(
            None, "--workspace", "-w", help="Project the tools work in (default: a temporary sample)."
        ),
        max_tokens: int = typer.Option(256, "--max-tokens", min=1, help="Token limit per model request."),
        json_out: Path | None = typer.Option(None, "--json", help="Write the measurements here."),
    ) -> None:
        from punie.eval.profile import print_profile, profile_suite

        console = _console()
        try:
            result = profile_suite(
                model, suite, limit=limit, workspace=workspace, console=console, max_tokens=max_tokens
            )
        except (ValueError, FileNotFoundError) as exc:
            console.print(f"[red]error:[/] {exc}")
            raise typer.Exit(2) from exc
        print_profile(result, console)
        if json_out is not None:
            import json

            json_out.parent.mkdir(parents=True, exist_ok=True)
            json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
            console.print(f"JSON: {json_out}")
