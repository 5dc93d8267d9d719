"""Proxy mode: forward chat requests to another OpenAI-compatible server and parse its raw text into calls.

For upstreams that print tool calls as text (llama.cpp without a tool parser, mlx_lm.server, LM Studio):
Punie forwards the messages and tools unchanged (the upstream renders its own prompt), always streams from
the upstream, and runs the upstream's text through Punie's dialect parser, streaming included. If the
upstream does return structured tool_calls, they are passed on as calls too.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette

from punie.engine.base import Finished
from punie.server.app import DEFAULT_DIALECT, ChatService, build_app
from punie.server.errors import APIError
from punie.server.schemas import ChatRequest
from punie.server.timing import Timing

log = logging.getLogger("punie.server")


def chat_completions_url(upstream: str) -> str:
    """`http://host:port` or `http://host:port/v1` -> the upstream's chat completions URL."""
    base = upstream.rstrip("/")
    if base.endswith("/chat/completions"):
        return base
    if httpx.URL(base).path in ("", "/"):
        base += "/v1"
    return base + "/chat/completions"


@dataclass
class UpstreamCall:
    """An open streaming response from the upstream."""

    response: httpx.Response
    sent_at: float
    structured: dict[int, dict[str, str]] = field(default_factory=dict)


class UpstreamSource:
    """A TextSource that asks another OpenAI-compatible server."""

    def __init__(
        self,
        upstream: str,
        *,
        dialect: str,
        model: str | None = None,
        api_key: str | None = None,
        timeout: float = 600.0,
    ) -> None:
        self.url = chat_completions_url(upstream)
        self.dialect = dialect
        self.model = model
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = httpx.AsyncClient(headers=headers, timeout=httpx.Timeout(timeout, connect=10.0))

    def accepts_model(self, model: str) -> bool:
        return True  # the upstream decides which models exist

    def upstream_body(self, request: ChatRequest) -> dict[str, Any]:
        body = dict(request.raw)
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
        if request.model == "default":
            body.pop("model", None)
            if self.model:
                body["model"] = self.model
        tools = request.offered_tools
        body.pop("tool_choice", None)
        body.pop("tools", None)
        if tools:
            body["tools"] = [tool.to_openai() for tool in tools]
            body["tool_choice"] = "required" if request.tool_choice == "required" else "auto"
        return body

    async def prepare(self, request: ChatRequest) -> UpstreamCall:
        """Send the request; upstream errors become 4xx/502 responses before any output is sent."""
        sent = time.perf_counter()
        try:
            upstream_request = self.client.build_request("POST", self.url, json=self.upstream_body(request))
            response = await self.client.send(upstream_request, stream=True)
        except httpx.HTTPError as exc:
            raise APIError(
                f"the upstream server {self.url} is unreachable: {exc}",
                status=502,
                type="upstream_error",
                code="upstream_unreachable",
            ) from None
        if response.status_code != 200:
            detail = (await response.aread()).decode("utf-8", errors="replace")[:500]
            await response.aclose()
            status = response.status_code if 400 <= response.status_code < 500 else 502
            raise APIError(
                f"the upstream server answered {response.status_code}: {detail}",
                status=status,
                type="upstream_error",
                code="upstream_error",
            )
        return UpstreamCall(response, sent)

    async def stream(
        self, call: UpstreamCall, request: ChatRequest, timing: Timing
    ) -> AsyncIterator[str | Finished]:
        first: float | None = None
        usage: dict[str, Any] = {}
        finish = "stop"
        pieces = 0
        try:
            async for data in _sse_data(call.response):
                chunk = json.loads(data)
                if chunk.get("error"):
                    raise APIError(
                        f"the upstream server reported: {chunk['error']}", status=502, type="upstream_error"
                    )
                usage = chunk.get("usage") or usage
                for choice in chunk.get("choices") or []:
                    delta = choice.get("delta") or {}
                    finish = choice.get("finish_reason") or finish
                    _collect_structured(call.structured, delta.get("tool_calls"))
                    text = delta.get("content")
                    if text:
                        first = first or time.perf_counter()
                        pieces += 1
                        yield text
        finally:
            await call.response.aclose()
        if call.structured:
            yield self._render_structured(call.structured)
        end = time.perf_counter()
        first = first or end
        timing.prompt, timing.gen = first - call.sent_at, end - first
        prompt_tokens = int(usage.get("prompt_tokens") or 0)
        details = usage.get("prompt_tokens_details") or {}
        yield Finished(
            finish_reason="length" if finish == "length" else "stop",
            prompt_tokens=prompt_tokens,
            completion_tokens=int(usage.get("completion_tokens") or pieces),
            cached_tokens=int(details.get("cached_tokens") or 0),
            prompt_seconds=timing.prompt,
            generation_seconds=timing.gen,
        )

    def _render_structured(self, structured: dict[int, dict[str, str]]) -> str:
        """Calls the upstream already structured, as dialect text, so they pass through the same parser."""
        from punie.calls import ToolCall, get_dialect

        calls = []
        for index in sorted(structured):
            entry = structured[index]
            try:
                arguments = json.loads(entry["arguments"] or "{}")
            except json.JSONDecodeError:
                log.warning(
                    "upstream tool call %s has invalid JSON arguments: %r", entry["name"], entry["arguments"]
                )
                arguments = {}
            calls.append(ToolCall(entry["name"], arguments if isinstance(arguments, dict) else {}))
        return get_dialect(self.dialect).render_calls(calls)


def _collect_structured(structured: dict[int, dict[str, str]], deltas: Any) -> None:
    for delta in deltas or []:
        entry = structured.setdefault(int(delta.get("index", 0)), {"name": "", "arguments": ""})
        function = delta.get("function") or {}
        entry["name"] += function.get("name") or ""
        entry["arguments"] += function.get("arguments") or ""


async def _sse_data(response: httpx.Response) -> AsyncIterator[str]:
    """The `data:` payloads of an SSE stream, up to `[DONE]`."""
    async for line in response.aiter_lines():
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return
        if data:
            yield data


def create_proxy_app(
    upstream: str,
    *,
    dialect: str = DEFAULT_DIALECT,
    model: str | None = None,
    api_key: str | None = None,
) -> Starlette:
    """An OpenAI-compatible app that forwards to `upstream` and parses its text into tool calls."""
    source = UpstreamSource(upstream, dialect=dialect, model=model, api_key=api_key)
    name = model or "default"
    service = ChatService(source, dialect=dialect, model_name=name, model_names=[name])
    app = build_app(service)
    app.state.upstream = source.url
    return app
