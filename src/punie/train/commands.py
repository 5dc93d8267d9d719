"""`punie train`: LoRA fine-tuning from a TOML recipe, GGUF export, quantization and the quality gate.

Only typer and the standard library are imported here; torch and friends load inside the commands
(they come with the optional extra: pip install 'punie[train]').
"""

from __future__ import annotations

from pathlib import Path

import typer

train_app = typer.Typer(
    name="train",
    help=(
        "Fine-tune a model to call tools (LoRA, CPU or GPU), export GGUF, quantize, gate on held-out data. "
        "Example: punie train --config configs/embedded_adapter.toml"
    ),
    invoke_without_command=True,
    rich_markup_mode="rich",
)

CONFIG_HELP = "Training recipe (TOML), e.g. configs/embedded_adapter.toml."


def register(app: typer.Typer) -> None:
    app.add_typer(train_app, name="train")


def _load(config_path: Path):
    from punie.train.pipeline import quiet_threads

    quiet_threads()  # before torch starts its thread pool
    from punie.train.config import ConfigError, load_config

    try:
        return load_config(config_path)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


def _log(config):
    from punie.train.trainer import RunLog

    file_log = RunLog(Path(config.output_dir) / "train.log")

    def log(message: str) -> None:
        file_log(message)
        if not message.startswith("step ") or "valid_loss" in message:
            typer.echo(message, err=True)

    return log


@train_app.callback()
def train(
    ctx: typer.Context,
    config: Path = typer.Option(None, "--config", "-c", help=CONFIG_HELP),
    resume: bool = typer.Option(True, "--resume/--restart", help="Continue from the run's last checkpoint."),
    gate: bool = typer.Option(
        True, "--gate/--no-gate", help="Evaluate every exported artifact on held-out data."
    ),
) -> None:
    """Run the whole recipe: data, LoRA training, export (adapter + fused + quantized GGUF), quality gate.

    Example: [bold]punie train --config configs/embedded_adapter.toml[/bold]
    (progress and validation loss on screen; everything is logged to OUTPUT_DIR/train.log;
    an interrupted run resumes from its last checkpoint).
    """
    if ctx.invoked_subcommand is not None:
        return
    if config is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(2)
    recipe = _load(config)
    log = _log(recipe)
    from punie.train.pipeline import run_training, write_summary

    run = run_training(recipe, log, resume=resume)
    write_summary(recipe, run.summary)
    _export_gate_ship(recipe, run, log, gate)


def _export_gate_ship(recipe, run, log, gate: bool) -> None:
    """Export and check, gate, then ship the adapter (and its card) unless the gate refused it."""
    from punie.train.pipeline import export_run, ship_adapter, write_summary

    exported = export_run(recipe, run, log)
    write_summary(recipe, {"export": {"checks": exported.checks}})
    if not exported.passed:
        typer.echo(
            "error: an exported artifact does not match the trained model (see checks above)", err=True
        )
        raise typer.Exit(1)
    verdict = _run_gate(recipe, log) if gate and recipe.gate.enabled else "passed"
    if verdict != "required-refused":
        shipped = ship_adapter(recipe, exported.adapter, log)
        if shipped is not None:
            _write_card(recipe, shipped.parent / "MODEL_CARD.md", log)
    if verdict == "required-refused" or (verdict == "refused" and recipe.gate.fail):
        raise typer.Exit(1)


def _run_gate(recipe, log, only: tuple[str, ...] = (), threads: int | None = None) -> str:
    """Evaluate the run's artifacts and print the table; returns "passed", "refused" (some artifact lost
    more than the margin), "required-refused" (one in gate.required did) or "incomplete"."""
    from punie.train.gate import gate_artifacts
    from punie.train.pipeline import write_summary

    report = gate_artifacts(recipe, log, only=only, threads=threads)
    write_summary(recipe, {"gate": report.to_dict()})
    typer.echo(report.table(), err=True)
    if report.reference not in report.scores:
        typer.echo(f"no gate verdict: {report.reference} has not been evaluated", err=True)
        return "incomplete"
    if not report.failures:
        typer.echo(f"quality gate passed (margin {report.margin:.0%} against {report.reference})", err=True)
        return "passed"
    banner = "!" * 72
    typer.echo(f"{banner}\nREFUSED by the quality gate: {', '.join(report.refused)}", err=True)
    for failure in report.failures:
        typer.echo(f"  - {failure}", err=True)
    typer.echo(banner, err=True)
    required = [name for name in report.refused if name in recipe.gate.required]
    return "required-refused" if required else "refused"


def _write_card(recipe, path: Path, log) -> None:
    import json

    from punie.train.model_card import write_model_card
    from punie.train.pipeline import SUMMARY

    summary = json.loads((Path(recipe.output_dir) / SUMMARY).read_text())
    notes = recipe.export.card_notes.read_text() if recipe.export.card_notes else ""
    write_model_card(recipe, summary, path, notes)
    log(f"export: wrote {path}")


@train_app.command("export")
def export(
    config: Path = typer.Option(..., "--config", "-c", help=CONFIG_HELP),
    gate: bool = typer.Option(True, "--gate/--no-gate", help="Evaluate the exported artifacts afterwards."),
) -> None:
    """Export a finished run again: adapter GGUF, fused float16 GGUF and the configured quantizations.

    Example: [bold]punie train export --config configs/embedded_adapter.toml[/bold]
    """
    recipe = _load(config)
    log = _log(recipe)
    from punie.train.pipeline import load_trained

    _export_gate_ship(recipe, load_trained(recipe), log, gate)


@train_app.command("quantize")
def quantize(
    source: Path = typer.Argument(..., help="A float16/float32 GGUF model."),
    kind: str = typer.Option("Q8_0", "--type", "-t", help="Q8_0, Q6_K, Q5_0, Q5_K_M, Q4_K_M, Q4_0 or Q4_1."),
    out: Path = typer.Option(
        None, "--out", "-o", help="Output file (default: SOURCE with the type appended)."
    ),
) -> None:
    """Quantize a GGUF model with llama.cpp's quantizer.

    Example: [bold]punie train quantize runs/embedded_adapter/fused-f16.gguf --type Q8_0[/bold]
    """
    from punie.train.export import quantize_gguf

    target = out or source.with_name(f"{source.stem.removesuffix('-f16')}-{kind}.gguf")
    try:
        quantize_gguf(source, target, kind)
    except (ValueError, RuntimeError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB)")


@train_app.command("card")
def card(config: Path = typer.Option(..., "--config", "-c", help=CONFIG_HELP)) -> None:
    """Write MODEL_CARD.md next to the shipped adapter from the run's summary.json (nothing is re-measured).

    Example: [bold]punie train card --config configs/embedded_adapter.toml[/bold]
    """
    recipe = _load(config)
    if recipe.export.adapter is None:
        typer.echo("error: the recipe has no [export] adapter path to write the card next to", err=True)
        raise typer.Exit(2)
    _write_card(recipe, recipe.export.adapter.parent / "MODEL_CARD.md", _log(recipe))


@train_app.command("gate")
def gate_command(
    config: Path = typer.Option(..., "--config", "-c", help=CONFIG_HELP),
    limit: int = typer.Option(None, "--limit", help="Evaluate only the first N test examples."),
    only: list[str] = typer.Option(
        [], "--only", help="Evaluate only these artifacts (base, adapter, fused-f16, fused-Q8_0, ...)."
    ),
    threads: int = typer.Option(None, "--threads", help="llama.cpp threads (default: every core)."),
) -> None:
    """Evaluate a run's exported artifacts (base, runtime adapter, fused, quantized) on its test split
    through the llama.cpp engine, and fail if one loses more than the configured margin.

    Example: [bold]punie train gate --config configs/embedded_adapter.toml --limit 50[/bold]
    """
    recipe = _load(config)
    if limit is not None:
        recipe.gate.limit = limit
    verdict = _run_gate(recipe, _log(recipe), tuple(only), threads)
    if verdict == "required-refused" or (verdict == "refused" and recipe.gate.fail):
        raise typer.Exit(1)
