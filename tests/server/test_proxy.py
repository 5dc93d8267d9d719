"""Proxy mode: a local upstream prints tool calls as text; Punie returns structured tool_calls."""

from __future__ import annotations

import json
import socket
from typing import Any

import openai
import pytest
from serving import serve
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from punie.calls import get_dialect
from punie.calls.types import ToolCall
from punie.chat import WORKSPACE_TOOLS
from punie.engine.testing import scripted_tokens
from punie.server import create_proxy_app
from punie.server.proxy import chat_completions_url

TOOLS = [tool.to_openai() for tool in WORKSPACE_TOOLS]
USER = [{"role": "user", "content": "What is in a.py?"}]
CALL_TEXT = "Let me read it.\n" + get_dialect("qwen3_xml").render_calls(
    [ToolCall("read_file", {"path": "a.py"})]
)


class Upstream:
    """A scripted OpenAI-compatible server without a tool parser: it answers with raw text."""

    def __init__(
        self, text: str, *, structured: list[dict[str, Any]] | None = None, status: int = 200
    ) -> None:
        self.text = text
        self.structured = structured
        self.status = status
        self.bodies: list[dict[str, Any]] = []
        self.app = Starlette(routes=[Route("/v1/chat/completions", self.complete, methods=["POST"])])

    async def complete(self, request: Request) -> Response:
        body = await request.json()
        self.bodies.append(body)
        if self.status != 200:
            return JSONResponse({"error": {"message": "upstream exploded"}}, status_code=self.status)
        if not body.get("stream"):
            return JSONResponse(
                {
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": self.text},
                            "finish_reason": "stop",
                        }
                    ]
                }
            )
        return StreamingResponse(self.chunks(), media_type="text/event-stream")

    async def chunks(self):  # type: ignore[no-untyped-def]
        def line(payload: dict[str, Any]) -> str:
            return f"data: {json.dumps(payload)}\n\n"

        yield line({"choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]})
        for piece in scripted_tokens(self.text):
            yield line({"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]})
        for delta in self.structured or []:
            yield line({"choices": [{"index": 0, "delta": {"tool_calls": [delta]}, "finish_reason": None}]})
        yield line({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        yield line(
            {"choices": [], "usage": {"prompt_tokens": 42, "completion_tokens": 17, "total_tokens": 59}}
        )
        yield "data: [DONE]\n\n"


def test_upstream_url_forms() -> None:
    assert chat_completions_url("http://h:1") == "http://h:1/v1/chat/completions"
    assert chat_completions_url("http://h:1/v1/") == "http://h:1/v1/chat/completions"
    assert chat_completions_url("http://h:1/api/v1") == "http://h:1/api/v1/chat/completions"


def test_proxy_parses_text_calls_non_streaming() -> None:
    upstream = Upstream(CALL_TEXT)
    with serve(upstream.app) as upstream_url, serve(create_proxy_app(upstream_url)) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        response = client.chat.completions.create(model="default", messages=USER, tools=TOOLS)
    choice = response.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content.strip() == "Let me read it."
    [call] = choice.message.tool_calls
    assert call.function.name == "read_file"
    assert json.loads(call.function.arguments) == {"path": "a.py"}
    assert response.usage.prompt_tokens == 42 and response.usage.completion_tokens == 17
    [sent] = upstream.bodies
    assert sent["messages"] == USER  # forwarded, not rendered
    assert [t["function"]["name"] for t in sent["tools"]] == [t["function"]["name"] for t in TOOLS]
    assert sent["stream"] is True


def test_proxy_streams_tool_call_deltas() -> None:
    upstream = Upstream(CALL_TEXT)
    with serve(upstream.app) as upstream_url, serve(create_proxy_app(upstream_url + "/")) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        chunks = list(
            client.chat.completions.create(
                model="default",
                messages=USER,
                tools=TOOLS,
                stream=True,
                stream_options={"include_usage": True},
            )
        )
    content, arguments, names, finish = "", "", [], None
    for chunk in chunks:
        for choice in chunk.choices:
            content += choice.delta.content or ""
            finish = choice.finish_reason or finish
            for delta in choice.delta.tool_calls or []:
                names += [delta.function.name] if delta.function.name else []
                arguments += delta.function.arguments or ""
    assert content.strip() == "Let me read it."
    assert names == ["read_file"]
    assert json.loads(arguments) == {"path": "a.py"}
    assert finish == "tool_calls"
    assert chunks[-1].usage.completion_tokens == 17


def test_proxy_plain_text_and_tool_choice_none() -> None:
    upstream = Upstream(CALL_TEXT)
    with serve(upstream.app) as upstream_url, serve(create_proxy_app(upstream_url)) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        response = client.chat.completions.create(
            model="my-model", messages=USER, tools=TOOLS, tool_choice="none"
        )
    assert response.choices[0].message.content == CALL_TEXT
    assert not response.choices[0].message.tool_calls
    assert "tools" not in upstream.bodies[0]
    assert upstream.bodies[0]["model"] == "my-model"


def test_proxy_passes_structured_upstream_calls_on() -> None:
    structured = [
        {"index": 0, "id": "u1", "type": "function", "function": {"name": "run_command", "arguments": ""}},
        {"index": 0, "function": {"arguments": '{"command": '}},
        {"index": 0, "function": {"arguments": '"ls"}'}},
    ]
    upstream = Upstream("", structured=structured)
    with serve(upstream.app) as upstream_url, serve(create_proxy_app(upstream_url)) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        response = client.chat.completions.create(model="default", messages=USER, tools=TOOLS)
    [call] = response.choices[0].message.tool_calls
    assert call.function.name == "run_command"
    assert json.loads(call.function.arguments) == {"command": "ls"}


def test_proxy_upstream_error_is_reported() -> None:
    upstream = Upstream("", status=500)
    with serve(upstream.app) as upstream_url, serve(create_proxy_app(upstream_url)) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none", max_retries=0)
        with pytest.raises(openai.APIStatusError) as caught:
            client.chat.completions.create(model="default", messages=USER)
    assert caught.value.status_code == 502
    assert "upstream exploded" in caught.value.body["message"]


def test_proxy_unreachable_upstream_is_a_502() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with serve(create_proxy_app(f"http://127.0.0.1:{port}")) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none", max_retries=0)
        with pytest.raises(openai.APIStatusError) as caught:
            client.chat.completions.create(model="default", messages=USER, stream=True)
    assert caught.value.status_code == 502
    assert caught.value.body["code"] == "upstream_unreachable"


def test_proxy_still_validates_requests() -> None:
    upstream = Upstream("x")
    with serve(upstream.app) as upstream_url, serve(create_proxy_app(upstream_url)) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none", max_retries=0)
        with pytest.raises(openai.BadRequestError) as caught:
            client.chat.completions.create(model="default", messages=[{"role": "robot", "content": "x"}])
    assert caught.value.body["param"] == "messages[0].role"
    assert upstream.bodies == []
