"""Model specs for evaluation: which OpenAI-compatible endpoint the cases go to.

- `embedded`: Punie's server in-process on the embedded model, with Punie's adapter when one ships.
- `embedded:base`: the same without the adapter (the base model), for base-vs-fine-tuned comparisons.
- `PATH.gguf` or `gguf:PATH`: Punie's server in-process on any GGUF file.
- `local:URL[/MODEL]`, `openai:NAME`: as for `punie ask` (see punie.agent.models).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Target:
    client: Any  # openai.AsyncOpenAI
    model: str
    label: str
    load_s: float = 0.0  # time to load an in-process model (0 for remote targets)


def _in_process(engine: Any, label: str, load_s: float, timeout: float) -> Target:
    import httpx
    from openai import AsyncOpenAI

    from punie.agent.asgi import StreamingASGITransport
    from punie.server import create_app

    http = httpx.AsyncClient(transport=StreamingASGITransport(create_app(engine)), timeout=timeout)
    client = AsyncOpenAI(base_url="http://punie.eval/v1", api_key="embedded", http_client=http)
    return Target(client, "default", label, load_s)


def open_target(spec: str, *, timeout: float = 600.0, n_ctx: int = 8192) -> Target:
    """Resolve a model spec to a client; in-process models are loaded here (and the load is timed)."""
    from punie.engine import embedded_adapter_path, load_engine

    text = (spec or "embedded").strip()
    if text in ("embedded", "embedded:base"):
        base = text == "embedded:base"
        started = time.perf_counter()
        engine = load_engine("embedded", n_ctx=n_ctx, use_shipped_adapter=not base)
        adapter = None if base else embedded_adapter_path()
        label = f"{text} ({engine.name}" + (f" + {adapter.name})" if adapter else ", no adapter)")
        return _in_process(engine, label, time.perf_counter() - started, timeout)
    if text.startswith("gguf:") or text.endswith(".gguf"):
        path = Path(text.removeprefix("gguf:"))
        if not path.is_file():
            raise ValueError(f"model file not found: {path}")
        started = time.perf_counter()
        engine = load_engine(path, n_ctx=n_ctx)
        return _in_process(engine, f"{path.name}", time.perf_counter() - started, timeout)
    from punie.agent.models import describe, openai_client

    client, model = openai_client(text, timeout=timeout)
    return Target(client, model, describe(text))
