"""Starting the ACP agent on stdio, keeping stdout for protocol messages only."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

from acp import run_agent
from pydantic_ai.settings import ModelSettings

STDIO_LIMIT = 50 * 1024 * 1024


async def _protocol_streams() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """stdin/stdout as asyncio streams; fd 1 then points at stderr, so stray prints cannot corrupt ACP."""
    loop = asyncio.get_running_loop()
    protocol_out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    reader = asyncio.StreamReader(limit=STDIO_LIMIT)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, protocol_out)
    writer = asyncio.StreamWriter(transport, protocol, None, loop)
    return reader, writer


def configure_logging(log_file: Path | None) -> None:
    handler: logging.Handler = (
        logging.FileHandler(log_file) if log_file else logging.StreamHandler(sys.stderr)
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


async def serve_stdio(
    model_spec: str, log_file: Path | None = None, *, max_tokens: int | None = None
) -> None:
    """Serve one ACP client on stdin/stdout until it disconnects."""
    from punie.agent.acp_agent import PunieAcpAgent
    from punie.agent.models import describe, resolve_model

    configure_logging(log_file)
    settings = ModelSettings(max_tokens=max_tokens) if max_tokens else None
    agent = PunieAcpAgent(
        lambda: resolve_model(model_spec), model_label=describe(model_spec), model_settings=settings
    )
    reader, writer = await _protocol_streams()
    logging.getLogger(__name__).info("punie acp ready (model %s)", model_spec)
    await run_agent(agent, writer, reader)
