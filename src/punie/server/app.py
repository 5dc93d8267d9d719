"""The OpenAI-compatible Starlette app: /v1/models, /health, /v1/chat/completions (JSON and SSE)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from punie.engine.base import Engine
from punie.server.completion import DONE_LINE, Outcome, complete_json, complete_sse, parsed_events, sse
from punie.server.errors import (
    APIError,
    handle_api_error,
    handle_http_exception,
    handle_unexpected,
)
from punie.server.schemas import parse_chat_request, parse_json_body
from punie.server.sources import EngineSource, TextSource
from punie.server.timing import Timing

log = logging.getLogger("punie.server")

DEFAULT_DIALECT = "qwen3_xml"


class ChatService:
    """Request handling shared by engine mode and proxy mode; only the text source differs."""

    def __init__(self, source: TextSource, *, dialect: str, model_name: str, model_names: list[str]) -> None:
        self.source = source
        self.dialect = dialect
        self.model_name = model_name
        self.model_names = model_names
        self.created = int(time.time())

    async def models(self, request: Request) -> JSONResponse:
        data = [
            {"id": name, "object": "model", "created": self.created, "owned_by": "punie"}
            for name in self.model_names
        ]
        return JSONResponse({"object": "list", "data": data})

    async def health(self, request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "model": self.model_name, "dialect": self.dialect})

    async def chat_completions(self, request: Request) -> Response:
        timing = Timing()
        chat = parse_chat_request(parse_json_body(await request.body()))
        if not self.source.accepts_model(chat.model):
            raise APIError(
                f"The model {chat.model!r} does not exist on this server; use 'default' or one of "
                f"{', '.join(repr(n) for n in self.model_names)}.",
                status=404,
                param="model",
                code="model_not_found",
            )
        prepared = await self.source.prepare(chat)
        outcome = Outcome(max_calls=None if chat.parallel_tool_calls else 1)
        text = self.source.stream(prepared, chat, timing)
        events = parsed_events(text, chat, self.dialect, timing, outcome)
        if chat.stream:
            body = self._guarded_sse(complete_sse(events, outcome, chat, self.model_name, timing))
            return StreamingResponse(
                body,
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        answer = await self._until_disconnect(
            request, complete_json(events, outcome, self.model_name, timing)
        )
        if answer is None:  # the client left; nobody is listening
            return Response(status_code=499)
        return JSONResponse(answer, headers={"Server-Timing": timing.header()})

    @staticmethod
    async def _until_disconnect(request: Request, work: Any) -> dict[str, Any] | None:
        """Await `work`, cancelling it (which stops generation) if the client disconnects first."""
        task = asyncio.ensure_future(work)
        try:
            while not task.done():
                await asyncio.wait({task}, timeout=0.25)
                if not task.done() and await request.is_disconnected():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                    log.info("client disconnected; generation stopped")
                    return None
            return task.result()
        finally:
            if not task.done():
                task.cancel()

    @staticmethod
    async def _guarded_sse(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        """Errors after the response has started become an SSE error object instead of a broken stream."""
        try:
            async for chunk in chunks:
                yield chunk
        except APIError as exc:
            yield sse(exc.body())
            yield DONE_LINE
        except Exception as exc:
            log.exception("error while streaming a completion")
            yield sse(
                APIError(
                    f"internal server error: {type(exc).__name__}: {exc}", status=500, type="server_error"
                ).body()
            )
            yield DONE_LINE
        finally:
            aclose = getattr(chunks, "aclose", None)
            if aclose is not None:
                await aclose()


def build_app(service: ChatService) -> Starlette:
    routes = [
        Route("/v1/models", service.models, methods=["GET"]),
        Route("/models", service.models, methods=["GET"]),
        Route("/health", service.health, methods=["GET"]),
        Route("/v1/chat/completions", service.chat_completions, methods=["POST"]),
        Route("/chat/completions", service.chat_completions, methods=["POST"]),
    ]
    handlers: dict[Any, Any] = {
        APIError: handle_api_error,
        HTTPException: handle_http_exception,
        Exception: handle_unexpected,
    }
    app = Starlette(routes=routes, exception_handlers=handlers)
    app.state.service = service
    return app


def create_app(
    engine: Engine,
    *,
    dialect: str = DEFAULT_DIALECT,
    model_name: str | None = None,
    default_temperature: float = 0.0,
    constrain_tool_names: bool = True,
) -> Starlette:
    """An OpenAI-compatible app serving `engine`.

    Accepted model names: "default", `model_name` (default: the engine's name) and the engine's aliases
    (e.g. "embedded"). Requests without a temperature decode greedily (`default_temperature`).
    When a request declares tools, tool names inside calls are restricted to them while they are sampled
    (`constrain_tool_names=False` turns that off); tool_choice "required" or a named function is enforced.
    """
    name = model_name or engine.name
    source = EngineSource(
        engine,
        dialect=dialect,
        model_name=name,
        default_temperature=default_temperature,
        constrain_tool_names=constrain_tool_names,
    )
    service = ChatService(source, dialect=dialect, model_name=name, model_names=source.model_names)
    app = build_app(service)
    app.state.engine = engine
    return app
