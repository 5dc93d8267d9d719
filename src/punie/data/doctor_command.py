"""`punie doctor`: check that a dataset, a chat template and the server's parser agree on tool-call text."""

from __future__ import annotations

from pathlib import Path

import typer

DOCTOR_HELP = """Render every example as the model sees it, parse each assistant turn back with the server's parser, and report every turn whose calls differ from the data, with file and line.

Also checks that the template's instructions show the call markers the parser reads, and how those markers tokenize under a GGUF vocabulary (default: the embedded model). Exit code 0 when aligned, 1 when not.

Examples:

    punie doctor data/train.jsonl

    punie doctor legacy.jsonl --data-dialect json_fence --json doctor.json

    punie doctor data/train.jsonl --template gguf --gguf model.gguf
"""  # noqa: E501


def doctor(
    data: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="Dataset JSONL (one record per line)."
    ),
    template: str = typer.Option(
        "punie",
        "--template",
        "-t",
        help="Chat template: 'punie', a .jinja/.json file, or 'gguf' (the GGUF's own).",
    ),
    dialect: str = typer.Option("qwen3_xml", "--dialect", "-d", help="The server's tool-call dialect."),
    data_dialect: str = typer.Option(
        "auto",
        "--data-dialect",
        help="How calls written as TEXT in assistant content look ('auto' tries all).",
    ),
    gguf: Path | None = typer.Option(None, "--gguf", help="GGUF whose vocabulary tokenizes the markers."),
    tokens: bool = typer.Option(True, "--tokens/--no-tokens", help="Show how the call markers tokenize."),
    json_out: Path | None = typer.Option(None, "--json", help="Also write the full report as JSON here."),
    show: int = typer.Option(20, "--show", help="How many differing turns to list."),
) -> None:
    from rich.console import Console
    from rich.progress import Progress

    from punie.data.doctor import print_report, run_doctor, write_json
    from punie.data.io import count_lines

    console = Console()
    try:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("checking examples", total=count_lines(data))
            report = run_doctor(
                data,
                template=template,
                dialect=dialect,
                data_dialect=data_dialect,
                gguf=gguf,
                tokenize=tokens,
                on_line=lambda: progress.advance(task),
            )
    except (ValueError, OSError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    print_report(report, console, show=show)
    if json_out:
        write_json(report, json_out)
        console.print(f"report written to {json_out}")
    raise typer.Exit(0 if report.aligned else 1)


def register(app: typer.Typer) -> None:
    app.command("doctor", help=DOCTOR_HELP)(doctor)
