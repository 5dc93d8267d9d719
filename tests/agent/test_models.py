"""Model specs and the streaming in-process ASGI transport."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from pydantic_ai.models.function import FunctionModel
from pydantic_ai.models.openai import OpenAIChatModel
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from punie.agent.asgi import StreamingASGITransport
from punie.agent.models import ModelSpecError, openai_client, parse_spec, resolve_model, split_local_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://localhost:8080/v1", ("http://localhost:8080/v1", "default")),
        ("http://localhost:8080/v1/", ("http://localhost:8080/v1", "default")),
        ("http://localhost:8080/v1/default", ("http://localhost:8080/v1", "default")),
        ("http://localhost:8080/v1/qwen/qwen3-coder", ("http://localhost:8080/v1", "qwen/qwen3-coder")),
        ("https://box.lan/llm/v1/m", ("https://box.lan/llm/v1", "m")),
        ("http://localhost:11434", ("http://localhost:11434", "default")),
    ],
)
def test_local_urls_split_into_base_and_model(url: str, expected: tuple[str, str]) -> None:
    assert split_local_url(url) == expected


@pytest.mark.parametrize("spec", ["local:localhost:8080", "local:ftp://x/v1", "gpt4", "local:"])
def test_bad_specs_are_refused_clearly(spec: str) -> None:
    with pytest.raises(ModelSpecError):
        parse_spec(spec)


def test_spec_kinds() -> None:
    assert parse_spec("").kind == "embedded"
    assert parse_spec("embedded").source == "embedded"
    assert parse_spec("embedded:base").source == "embedded:base"
    assert parse_spec("gguf:/m/x.bin").source == "/m/x.bin"
    assert parse_spec("runs/fused.gguf") == parse_spec("runs/fused.gguf")
    assert (
        parse_spec("runs/fused.gguf").kind == "embedded"
        and parse_spec("runs/fused.gguf").source == "runs/fused.gguf"
    )
    assert parse_spec("openai:gpt-4.1-mini").kind == "pydantic"
    assert parse_spec("test:echo").kind == "test"


async def test_local_spec_gives_an_openai_chat_model_and_client_for_the_same_target() -> None:
    model = resolve_model("local:http://localhost:8080/v1/default")
    assert isinstance(model, OpenAIChatModel) and model.model_name == "default"
    client, name = openai_client("local:http://localhost:8080/v1")
    assert str(client.base_url).rstrip("/") == "http://localhost:8080/v1" and name == "default"


def test_a_missing_gguf_file_is_a_clear_error(tmp_path: object) -> None:
    with pytest.raises(ModelSpecError, match="model file not found"):
        resolve_model("gguf:/nonexistent/model.gguf")


def test_the_test_hook_spec_gives_a_function_model() -> None:
    assert isinstance(resolve_model("test:echo"), FunctionModel)


def test_openai_client_refuses_non_openai_targets() -> None:
    with pytest.raises(ModelSpecError):
        openai_client("test:echo")


async def test_streaming_transport_delivers_chunks_before_the_app_finishes() -> None:
    release = asyncio.Event()

    async def stream(request: Request) -> StreamingResponse:
        async def body():  # type: ignore[no-untyped-def]
            yield b"first\n"
            await release.wait()
            yield b"second\n"

        return StreamingResponse(body(), media_type="text/plain")

    async def echo(request: Request) -> JSONResponse:
        return JSONResponse({"got": await request.json(), "query": request.url.query})

    app = Starlette(routes=[Route("/stream", stream), Route("/echo", echo, methods=["POST"])])
    async with httpx.AsyncClient(transport=StreamingASGITransport(app), base_url="http://app") as client:
        async with client.stream("GET", "/stream") as response:
            lines = response.aiter_lines()
            assert await asyncio.wait_for(anext(lines), 2) == "first"  # arrives while the app still waits
            release.set()
            assert await asyncio.wait_for(anext(lines), 2) == "second"
        posted = await client.post("/echo?x=1", json={"a": 1})
        assert posted.status_code == 200 and json.loads(posted.content) == {"got": {"a": 1}, "query": "x=1"}


async def test_streaming_transport_surfaces_app_errors() -> None:
    async def broken(scope, receive, send):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    async with httpx.AsyncClient(transport=StreamingASGITransport(broken), base_url="http://app") as client:
        with pytest.raises(RuntimeError, match="boom"):
            await client.get("/")
