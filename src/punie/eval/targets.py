"""Model specs for evaluation: which OpenAI-compatible endpoint the cases go to.

- `embedded`: Punie's server in-process on the embedded model, with Punie's adapter when one ships.
- `embedded:base`: the same without the adapter (the base model), for base-vs-fine-tuned comparisons.
- `lora:PATH`: the embedded model with the LoRA adapter GGUF at PATH (e.g. a freshly trained one).
- `PATH.gguf` or `gguf:PATH`: Punie's server in-process on any GGUF file.
- `proxy:URL`: Punie's proxy in-process in front of an upstream OpenAI-compatible server that returns
  calls as raw text (the proxy parses them with Punie's dialects), e.g. `proxy:http://localhost:8080/v1`.
- `local:URL[/MODEL]`, `openai:NAME`: as for `punie ask` (see punie.agent.models).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Target:
    client: Any  # openai.AsyncOpenAI
    model: str
    label: str
    load_s: float = 0.0  # time to load an in-process model (0 for remote targets)


Wrap = Callable[[Any], Any]  # httpx transport -> httpx transport (e.g. one that times requests)


def _client(transport: Any, base_url: str, timeout: float, wrap: Wrap | None) -> Any:
    import httpx
    from openai import AsyncOpenAI

    http = httpx.AsyncClient(transport=wrap(transport) if wrap else transport, timeout=timeout)
    return AsyncOpenAI(base_url=base_url, api_key="punie", http_client=http, max_retries=0)


def _in_process(app: Any, label: str, load_s: float, timeout: float, wrap: Wrap | None) -> Target:
    from punie.agent.asgi import StreamingASGITransport

    client = _client(StreamingASGITransport(app), "http://punie.in-process/v1", timeout, wrap)
    return Target(client, "default", label, load_s)


def open_target(
    spec: str,
    *,
    timeout: float = 600.0,
    n_ctx: int = 8192,
    wrap: Wrap | None = None,
    constrain_tool_names: bool = True,
) -> Target:
    """Resolve a model spec to a client; in-process models are loaded here (and the load is timed).

    `wrap` wraps the HTTP transport of every target except `openai:` ones; `constrain_tool_names=False`
    serves in-process models without the server's decode-time name constraint."""
    from punie.engine import embedded_adapter_path, load_engine
    from punie.server import create_app, create_proxy_app

    def serve(engine: Any) -> Any:
        return create_app(engine, constrain_tool_names=constrain_tool_names)

    text = (spec or "embedded").strip()
    if text in ("embedded", "embedded:base"):
        base = text == "embedded:base"
        started = time.perf_counter()
        engine = load_engine("embedded", n_ctx=n_ctx, use_shipped_adapter=not base)
        adapter = None if base else embedded_adapter_path()
        label = f"{text} ({engine.name}" + (f" + {adapter.name})" if adapter else ", no adapter)")
        return _in_process(serve(engine), label, time.perf_counter() - started, timeout, wrap)
    if text.startswith("lora:"):
        adapter_path = Path(text.removeprefix("lora:"))
        if not adapter_path.is_file():
            raise ValueError(f"adapter file not found: {adapter_path}")
        started = time.perf_counter()
        engine = load_engine("embedded", n_ctx=n_ctx, lora=adapter_path)
        label = f"{engine.name} + {adapter_path}"
        return _in_process(serve(engine), label, time.perf_counter() - started, timeout, wrap)
    if text.startswith("gguf:") or text.endswith(".gguf"):
        path = Path(text.removeprefix("gguf:"))
        if not path.is_file():
            raise ValueError(f"model file not found: {path}")
        started = time.perf_counter()
        engine = load_engine(path, n_ctx=n_ctx)
        return _in_process(serve(engine), f"{path.name}", time.perf_counter() - started, timeout, wrap)
    if text.startswith("proxy:"):
        upstream = text.removeprefix("proxy:")
        return _in_process(create_proxy_app(upstream), f"punie proxy -> {upstream}", 0.0, timeout, wrap)
    from punie.agent.models import describe, openai_client, parse_spec

    parsed = parse_spec(text)
    if parsed.kind == "local":
        import httpx

        client = _client(httpx.AsyncHTTPTransport(), parsed.base_url, timeout, wrap)
        return Target(client, parsed.model_name, describe(text))
    client, model = openai_client(text, timeout=timeout)
    return Target(client, model, describe(text))
