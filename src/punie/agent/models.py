"""Model specs: which model the agent talks to.

- `embedded` (default): Punie's own OpenAI-compatible server, in-process over an ASGI transport (no port),
  on the embedded model plus the shipped adapter when present; `embedded:base` without the adapter;
  `gguf:PATH` or `PATH.gguf`: the same in-process server on any GGUF file.
- `local:URL` or `local:URL/MODEL`: any OpenAI-compatible server, e.g. `local:http://localhost:8080/v1`
  (model name `default`) or `local:http://localhost:8080/v1/qwen3-coder`.
- anything PydanticAI understands, e.g. `openai:gpt-4.1-mini`.
- `test:NAME` is a test hook (a deterministic scripted model, see `punie.agent.scripted`), not for users.

`resolve_model(spec)` gives a PydanticAI model; `openai_client(spec)` gives an `openai.AsyncOpenAI` client
and model name for sending raw requests to the same target.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from openai import AsyncOpenAI
    from pydantic_ai.models import Model

DEFAULT_SPEC = "embedded"
DEFAULT_MODEL_NAME = "default"
EMBEDDED_BASE_URL = "http://punie.embedded/v1"


class ModelSpecError(ValueError):
    """A model spec that cannot be understood."""


@dataclass(frozen=True)
class ModelSpec:
    kind: Literal["embedded", "local", "test", "pydantic"]
    text: str
    base_url: str = ""
    model_name: str = DEFAULT_MODEL_NAME
    source: str = ""  # for in-process kinds: "embedded", "embedded:base" or a GGUF path


def parse_spec(spec: str) -> ModelSpec:
    """Parse a model spec string (see the module docstring)."""
    text = (spec or "").strip()
    if not text or text in ("embedded", "embedded:base"):
        return ModelSpec("embedded", text or "embedded", EMBEDDED_BASE_URL, source=text or "embedded")
    if text.startswith("gguf:") or text.endswith(".gguf"):
        return ModelSpec("embedded", text, EMBEDDED_BASE_URL, source=text.removeprefix("gguf:"))
    if text.startswith("local:"):
        base_url, model_name = split_local_url(text.removeprefix("local:"))
        return ModelSpec("local", text, base_url, model_name)
    if text.startswith("test:"):
        return ModelSpec("test", text, model_name=text.removeprefix("test:") or "echo")
    if ":" not in text:
        raise ModelSpecError(
            f"unknown model spec {spec!r}: use 'embedded', 'gguf:PATH', 'local:http://HOST:PORT/v1[/MODEL]', "
            "or a PydanticAI model name such as 'openai:gpt-4.1-mini'"
        )
    return ModelSpec("pydantic", text)


def split_local_url(url: str) -> tuple[str, str]:
    """`http://h:p/v1` -> (`http://h:p/v1`, `default`); `http://h:p/v1/NAME` -> (`http://h:p/v1`, `NAME`)."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ModelSpecError(f"local model URL must be http(s)://HOST[:PORT]/v1[/MODEL], got {url!r}")
    segments = parts.path.split("/")
    if "v1" in segments:
        index = len(segments) - 1 - segments[::-1].index("v1")
        base_path = "/".join(segments[: index + 1])
        model_name = "/".join(segments[index + 1 :]) or DEFAULT_MODEL_NAME
    else:
        base_path, model_name = parts.path, DEFAULT_MODEL_NAME
    return f"{parts.scheme}://{parts.netloc}{base_path}", model_name


def local_profile() -> Any:
    """Profile for local OpenAI-compatible servers: tool schemas sent as written, strict mode off."""
    from pydantic_ai.profiles.openai import OpenAIModelProfile

    return OpenAIModelProfile(openai_supports_strict_tool_definition=False, json_schema_transformer=None)


@functools.cache
def embedded_app(source: str = "embedded") -> Any:
    """The in-process Punie server on the embedded model or a GGUF file (each loaded once per process)."""
    from pathlib import Path

    from punie.engine import load_engine
    from punie.server import create_app

    if source == "embedded:base":
        return create_app(load_engine("embedded", use_shipped_adapter=False))
    if source == "embedded":
        return create_app(load_engine("embedded"))
    path = Path(source).expanduser()
    if not path.is_file():
        raise ModelSpecError(f"model file not found: {path}")
    return create_app(load_engine(path))


def openai_client(spec: str, *, timeout: float = 600.0) -> tuple[AsyncOpenAI, str]:
    """An `openai.AsyncOpenAI` client and the model name for an OpenAI-compatible spec."""
    import httpx
    from openai import AsyncOpenAI

    parsed = parse_spec(spec)
    if parsed.kind == "embedded":
        from punie.agent.asgi import StreamingASGITransport

        http = httpx.AsyncClient(
            transport=StreamingASGITransport(embedded_app(parsed.source)), timeout=timeout
        )
        return AsyncOpenAI(base_url=parsed.base_url, api_key="embedded", http_client=http), parsed.model_name
    if parsed.kind == "local":
        return AsyncOpenAI(base_url=parsed.base_url, api_key="local", timeout=timeout), parsed.model_name
    if parsed.kind == "pydantic" and parsed.text.startswith(("openai:", "openai-chat:")):
        return AsyncOpenAI(timeout=timeout), parsed.text.split(":", 1)[1]
    raise ModelSpecError(
        f"{spec!r} is not an OpenAI-compatible target (use embedded, local:URL or openai:NAME)"
    )


def model_for_app(app: Any, model_name: str = DEFAULT_MODEL_NAME, *, label: str = "punie-embedded") -> Model:
    """A PydanticAI model talking to an OpenAI-compatible ASGI app in-process (streamed, no port)."""
    import httpx
    from openai import AsyncOpenAI
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai_compatible import OpenAICompatibleProvider

    from punie.agent.asgi import StreamingASGITransport

    http = httpx.AsyncClient(transport=StreamingASGITransport(app), timeout=600.0)
    client = AsyncOpenAI(base_url=EMBEDDED_BASE_URL, api_key="embedded", http_client=http)
    provider = OpenAICompatibleProvider(label, openai_client=client, profile=local_profile())
    return OpenAIChatModel(model_name, provider=provider)


def resolve_model(spec: str) -> Model:
    """A PydanticAI model for the spec."""
    parsed = parse_spec(spec)
    if parsed.kind == "embedded":
        return model_for_app(embedded_app(parsed.source), parsed.model_name)
    if parsed.kind == "local":
        from pydantic_ai.models.openai import OpenAIChatModel
        from pydantic_ai.providers.openai_compatible import OpenAICompatibleProvider

        client, name = openai_client(spec)
        provider = OpenAICompatibleProvider(
            f"punie-{parsed.kind}", openai_client=client, profile=local_profile()
        )
        return OpenAIChatModel(name, provider=provider)
    if parsed.kind == "test":
        from punie.agent.scripted import scripted_model

        return scripted_model(parsed.model_name)
    from pydantic_ai.models import infer_model

    try:
        return infer_model(parsed.text)
    except Exception as exc:
        raise ModelSpecError(f"cannot use model {spec!r}: {exc}") from exc


def describe(spec: str) -> str:
    """A short label for timing lines."""
    parsed = parse_spec(spec)
    if parsed.kind == "local":
        return f"local {parsed.base_url} ({parsed.model_name})"
    if parsed.source == "embedded":
        from punie.engine import embedded_adapter_path

        return "embedded+adapter" if embedded_adapter_path() else "embedded"
    return parsed.text
