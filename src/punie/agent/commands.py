"""CLI commands of the agent layer: `punie ask`, `punie acp`, `punie init`."""

from __future__ import annotations

from pathlib import Path

import typer

MODEL_HELP = (
    "Model spec: 'embedded' (the built-in model + shipped adapter, in-process; 'embedded:base' without it), "
    "'gguf:PATH' (any GGUF file, in-process), 'local:http://HOST:PORT/v1\\[/MODEL]' (any OpenAI-compatible "
    "server), or a PydanticAI model such as 'openai:gpt-4.1-mini'."
)


def ask(
    question: str = typer.Argument(..., help="What to ask about the project."),
    model: str = typer.Option("embedded", "--model", "-m", help=MODEL_HELP),
    workspace: Path = typer.Option(
        Path("."), "--workspace", "-w", help="Project directory the tools may use."
    ),
    yes: bool = typer.Option(
        False, "--yes", "-y", help="Approve every file write and command without asking."
    ),
    max_tokens: int | None = typer.Option(None, "--max-tokens", min=1, help="Cap on tokens per model reply."),
) -> None:
    """Ask the agent a question about a project; it may read files, search and (with approval) edit or run.

    Example: [bold]punie ask "Where are the routes defined?" --workspace examples/sample_project[/]
    """
    import asyncio

    from punie.agent.ask import run_ask

    raise typer.Exit(asyncio.run(run_ask(question, model, workspace, yes, max_tokens=max_tokens)))


def acp(
    model: str = typer.Option("embedded", "--model", "-m", help=MODEL_HELP),
    log_file: Path | None = typer.Option(None, "--log-file", help="Write logs here instead of stderr."),
    max_tokens: int | None = typer.Option(None, "--max-tokens", min=1, help="Cap on tokens per model reply."),
) -> None:
    """Run Punie as an Agent Client Protocol agent on stdin/stdout (for Zed, PyCharm and other ACP clients).

    Example: [bold]punie init --ide zed[/] writes the entry that makes Zed start [bold]punie acp[/].
    """
    import asyncio

    from punie.agent.acp_main import serve_stdio

    asyncio.run(serve_stdio(model, log_file, max_tokens=max_tokens))


def init(
    ide: str = typer.Option(..., "--ide", help="zed or pycharm."),
    config: Path | None = typer.Option(
        None,
        "--config",
        help="Config file to update (default: Zed's settings.json or ~/.jetbrains/acp.json).",
    ),
    model: str | None = typer.Option(
        None, "--model", "-m", help="Model spec for `punie acp` (default: embedded)."
    ),
) -> None:
    """Register `punie acp` as an agent in Zed or PyCharm, keeping the rest of the config file.

    Example: [bold]punie init --ide pycharm[/]
    """
    import json

    from punie.agent.ide import agent_entry, default_config_path, write_config

    ide = ide.lower()
    if ide not in ("zed", "pycharm"):
        raise typer.BadParameter("use zed or pycharm", param_hint="--ide")
    path = config or default_config_path(ide)
    entry = agent_entry(ide, model)
    try:
        written, backup = write_config(ide, path, entry)
    except ValueError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Added agent 'Punie' to {written}:")
    typer.echo(json.dumps({"agent_servers": {"Punie": entry}}, indent=2))
    if backup:
        typer.echo(f"(the file had comments; the original is kept as {backup})")


def register(app: typer.Typer) -> None:
    app.command()(ask)
    app.command()(acp)
    app.command()(init)
