"""Text forms shared by the dialects: tool responses and argument values."""

from __future__ import annotations

import json
from typing import Any

TOOL_RESPONSE_OPEN = "<tool_response>"
TOOL_RESPONSE_CLOSE = "</tool_response>"


def render_tool_response(text: str) -> str:
    """A tool's result as the model sees it: `<tool_response>\\nTEXT\\n</tool_response>`."""
    return f"{TOOL_RESPONSE_OPEN}\n{text}\n{TOOL_RESPONSE_CLOSE}"


def dumps(value: Any) -> str:
    """JSON text with unicode kept as is (the form used everywhere in Punie)."""
    return json.dumps(value, ensure_ascii=False)


def xml_value(value: Any) -> str:
    """A parameter value in Qwen3 XML: strings verbatim, anything else as JSON."""
    return value if isinstance(value, str) else dumps(value)
