"""`punie data ...`: generate, convert, validate, split, stats and render datasets.

Only typer and the standard library are imported here; the work happens in punie.data modules imported
inside each command.
"""

from __future__ import annotations

from pathlib import Path

import typer

data_app = typer.Typer(
    name="data",
    help="Datasets of tool-calling conversations: generate, convert, validate, split, inspect, render.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data")


@data_app.command("generate")
def generate(
    n: int = typer.Option(2000, "--n", "-n", min=0, help="Number of examples."),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same seed gives the same file."),
    tool_ratio: float = typer.Option(
        0.7, "--tool-ratio", min=0.0, max=1.0, help="Share of tool-calling examples."
    ),
    out: Path = typer.Option(Path("data/generated.jsonl"), "--out", "-o", help="Output JSONL file."),
) -> None:
    """Generate synthetic Python-development conversations (Django, FastAPI, Flask, pytest, SQLAlchemy,
    Celery, packaging, git) with structured tool calls and direct answers.

    Example: [bold]punie data generate --n 2000 --seed 0 --tool-ratio 0.7 --out data/gen.jsonl[/bold]
    """
    from punie.data.cli_support import progress_bar
    from punie.data.generator import example_kinds, generate_example
    from punie.data.io import write_examples

    kinds = example_kinds(n, seed, tool_ratio)

    def produce():
        with progress_bar("generating", total=n) as advance:
            for index, kind in enumerate(kinds):
                yield generate_example(index, kind, seed)
                advance()

    written = write_examples(out, produce())
    tools = kinds.count("tool")
    typer.echo(f"wrote {written} examples to {out} ({tools} tool, {written - tools} direct, seed {seed})")
