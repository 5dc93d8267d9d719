"""punie.server: an OpenAI-compatible chat completions server (Starlette) on a Punie engine, or a proxy.

    from punie.engine import load_engine
    from punie.server import create_app
    app = create_app(load_engine("embedded"))        # serve with: uvicorn.run(app, port=8000)

Prompts are rendered with punie.chat; output is parsed into `tool_calls` with punie.calls dialects.
See punie.server.timing for the timing fields every response carries.
"""

from punie.server.app import DEFAULT_DIALECT, create_app
from punie.server.errors import APIError
from punie.server.proxy import create_proxy_app
from punie.server.schemas import ChatRequest, parse_chat_request

__all__ = [
    "DEFAULT_DIALECT",
    "APIError",
    "ChatRequest",
    "create_app",
    "create_proxy_app",
    "parse_chat_request",
]
