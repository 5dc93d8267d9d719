"""A scripted OpenAI-compatible app (unit tests of the runner and reports; not a model)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route


def _chunk(delta: dict[str, Any] | None, finish: str | None = None, **extra: Any) -> bytes:
    body: dict[str, Any] = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "m",
    }
    body["choices"] = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
    body.update(extra)
    return b"data: " + json.dumps(body).encode() + b"\n\n"


def scripted_app(script: dict[str, dict[str, Any]]) -> Starlette:
    """Answers keyed by the last user message: {"content": str} or {"calls": [(name, arguments_text)]};
    `{"status": 400}` answers with an OpenAI-style error. Requests are recorded in `app.state.requests`."""

    async def completions(request: Request) -> Any:
        body = await request.json()
        app.state.requests.append(body)
        prompt = [m for m in body["messages"] if m["role"] == "user"][-1]["content"]
        answer = script[prompt]
        if body["messages"][-1]["role"] == "tool":  # the second step of an agent turn
            answer = answer.get("after_tool", {"content": "done"})
        if "status" in answer:
            error = {"error": {"message": "scripted failure", "type": "invalid_request_error"}}
            return JSONResponse(error, status_code=answer["status"])

        async def stream():
            yield _chunk({"role": "assistant", "content": ""})
            for piece in answer.get("content_pieces", [answer.get("content", "")]):
                if piece:
                    yield _chunk({"content": piece})
            for index, (name, arguments) in enumerate(answer.get("calls", [])):
                start = {
                    "index": index,
                    "id": f"call_{index}",
                    "type": "function",
                    "function": {"name": name, "arguments": ""},
                }
                yield _chunk({"tool_calls": [start]})
                yield _chunk({"tool_calls": [{"index": index, "function": {"arguments": arguments}}]})
            finish = "tool_calls" if answer.get("calls") else "stop"
            timing = {"queue": 0.1, "prompt": 5.0, "gen": 7.5, "parse": 0.2, "total": 13.0}
            yield _chunk({}, finish, punie_timing=timing)
            usage = {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18, "punie_timing": timing}
            yield _chunk(None, usage=usage)
            yield b"data: [DONE]\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream")

    app = Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])
    app.state.requests = []
    return app


def scripted_client(app: Starlette) -> Any:
    import httpx
    from openai import AsyncOpenAI

    from punie.agent.asgi import StreamingASGITransport

    http = httpx.AsyncClient(transport=StreamingASGITransport(app))
    return AsyncOpenAI(base_url="http://scripted/v1", api_key="x", http_client=http, max_retries=0)


@pytest.fixture
def make_scripted():
    def make(script: dict[str, dict[str, Any]]) -> tuple[Starlette, Any]:
        app = scripted_app(script)
        return app, scripted_client(app)

    return make
