"""The `punie` command: one Typer app; each layer registers its thin commands from `<layer>/commands.py`.

Command modules import only typer at module level, so `punie --help` stays fast; heavy imports happen
inside the command bodies.
"""

from __future__ import annotations

import importlib

import typer

from punie import __version__

app = typer.Typer(
    name="punie",
    help="Punie: a local-first coding agent, and the toolkit that makes small local models call tools "
    "reliably.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

# Layers that contribute commands, in the order they appear in --help.
_COMMAND_MODULES = ("agent", "server", "data", "train", "eval")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"punie {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """Punie: a local-first coding agent for your own machine."""


for _layer in _COMMAND_MODULES:
    try:
        _module = importlib.import_module(f"punie.{_layer}.commands")
    except ModuleNotFoundError as exc:  # a layer without commands yet
        if exc.name != f"punie.{_layer}.commands":
            raise
        continue
    _module.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
