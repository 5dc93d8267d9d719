"""`punie serve`: the OpenAI-compatible server on the embedded model, any GGUF file, or an upstream."""

from __future__ import annotations

import typer

SERVE_HELP = """Serve an OpenAI-compatible API (/v1/chat/completions, /v1/models, /health) with tool calls.

By default the embedded model (SmolLM2-135M-Instruct, plus Punie's adapter when it ships one) runs \
in-process on llama.cpp. With --upstream, Punie forwards requests to another OpenAI-compatible server \
and turns the tool calls it prints as text into structured tool_calls.

Examples:

  punie serve                      (embedded model on http://127.0.0.1:8000/v1)

  punie serve --model ~/models/qwen3-1.7b-q4.gguf --ctx 16384 --port 8080

  punie serve --upstream http://127.0.0.1:8080/v1 --dialect hermes_json

  punie serve --no-constrain-tool-names   (let the model write any tool or parameter name, e.g. to measure it)
"""


def serve(
    model: str = typer.Option("embedded", "--model", "-m", help="A GGUF file, or 'embedded'."),
    lora: str | None = typer.Option(None, "--lora", help="A LoRA adapter GGUF to apply to the model."),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", "-p", help="Port to listen on (0 picks a free one)."),
    ctx: int = typer.Option(8192, "--ctx", help="Context window in tokens."),
    threads: int | None = typer.Option(None, "--threads", help="CPU threads (default: all available cores)."),
    dialect: str = typer.Option("qwen3_xml", "--dialect", help="Tool-call dialect, e.g. hermes_json."),
    upstream: str | None = typer.Option(
        None, "--upstream", help="Proxy mode: base URL of another OpenAI-compatible server."
    ),
    upstream_model: str | None = typer.Option(
        None, "--upstream-model", help="Proxy mode: model sent upstream for 'default'."
    ),
    log_level: str = typer.Option("warning", "--log-level", help="uvicorn log level."),
    constrain_tool_names: bool = typer.Option(
        True,
        "--constrain-tool-names/--no-constrain-tool-names",
        help="While the model writes a tool name in a call, allow only the request's declared tools; while "
        "it writes a parameter name (or a key of a JSON call's arguments), only the called tool's declared "
        "parameters, each once.",
    ),
) -> None:
    import contextlib
    import logging

    import uvicorn

    from punie.calls import get_dialect

    try:
        get_dialect(dialect)
    except (KeyError, ValueError) as exc:
        raise typer.BadParameter(str(exc), param_hint="--dialect") from None
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if upstream:
        from punie.server.proxy import create_proxy_app

        app = create_proxy_app(upstream, dialect=dialect, model=upstream_model)
        what = f"proxy to {app.state.upstream}"
    else:
        from punie.engine import load_engine
        from punie.server import create_app

        try:
            engine = load_engine(model, lora=lora, n_ctx=ctx, n_threads=threads)
        except (FileNotFoundError, ValueError, RuntimeError) as exc:
            typer.echo(f"error: cannot load the model: {exc}", err=True)
            raise typer.Exit(2) from None
        app = create_app(engine, dialect=dialect, constrain_tool_names=constrain_tool_names)
        adapter = f" + LoRA {engine.lora_path.name}" if engine.lora_path else ""
        names = "constrained" if constrain_tool_names else "unconstrained"
        what = (
            f"{engine.name}{adapter} (ctx {engine.context_size}, {engine.n_threads} threads, "
            f"tool names {names})"
        )

    class AnnouncingServer(uvicorn.Server):
        async def startup(self, sockets=None):  # type: ignore[no-untyped-def]
            await super().startup(sockets)
            if self.started:
                bound = [s.getsockname() for server in self.servers for s in server.sockets]
                actual_port = bound[0][1] if bound else port
                typer.echo(f"punie serve: {what}, dialect {dialect}", err=False)
                typer.echo(f"listening on http://{host}:{actual_port}/v1  (Ctrl-C to stop)", err=False)

    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=5)
    # uvicorn shuts down gracefully on Ctrl-C, then re-raises the signal it captured
    with contextlib.suppress(KeyboardInterrupt):
        AnnouncingServer(config).run()
    typer.echo("punie serve: stopped")


def register(app: typer.Typer) -> None:
    app.command("serve", help=SERVE_HELP)(serve)
