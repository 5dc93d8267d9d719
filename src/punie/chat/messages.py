"""Check and normalise OpenAI-style messages and tools before a template sees them.

Templates receive plain dicts in the shape Hugging Face chat templates expect: `content` is always a
string, assistant `tool_calls` are `{"id", "type": "function", "function": {"name", "arguments": dict}}`
and tools are OpenAI tool dicts. Anything that cannot be rendered faithfully is a ValueError that says
which message and field is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from punie.calls.types import Tool, ToolCall

ROLES = ("system", "user", "assistant", "tool")
ROLE_ALIASES = {"developer": "system"}

Message = dict[str, Any]


def normalize_messages(messages: Sequence[Mapping[str, Any]]) -> list[Message]:
    """Validate `messages` and return template-ready copies (the input is not modified)."""
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Sequence):
        raise ValueError("messages must be a list of message objects")
    normalized: list[Message] = []
    seen_call = False
    for index, message in enumerate(messages):
        item = _normalize_message(index, message)
        if item["role"] == "tool" and not seen_call:
            raise ValueError(
                f"message {index}: a 'tool' message must answer an earlier assistant tool call, "
                "but no assistant message before it has tool_calls"
            )
        seen_call = seen_call or bool(item.get("tool_calls"))
        normalized.append(item)
    return normalized


def _normalize_message(index: int, message: Any) -> Message:
    if not isinstance(message, Mapping):
        raise ValueError(f"message {index}: expected an object with 'role' and 'content', got {message!r}")
    role = message.get("role")
    role = ROLE_ALIASES.get(role, role) if isinstance(role, str) else role
    if role not in ROLES:
        raise ValueError(f"message {index}: unknown role {message.get('role')!r}; expected one of {ROLES}")
    item: Message = {"role": role, "content": _content_text(index, message.get("content"))}
    if role == "assistant":
        raw_calls = message.get("tool_calls")
        if raw_calls:
            item["tool_calls"] = normalize_tool_calls(raw_calls, where=f"message {index}")
    elif message.get("tool_calls"):
        raise ValueError(f"message {index}: only assistant messages may have tool_calls (role is {role!r})")
    if role == "tool":
        for key in ("tool_call_id", "name"):
            if message.get(key) is not None:
                item[key] = str(message[key])
    return item


def _content_text(index: int, content: Any) -> str:
    """Content as text: a string, None (empty) or a list of OpenAI text parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for part in content:
            if isinstance(part, Mapping) and part.get("type") in ("text", "input_text", "output_text"):
                texts.append(str(part.get("text", "")))
            else:
                raise ValueError(f"message {index}: only text content parts can be rendered, got {part!r}")
        return "".join(texts)
    raise ValueError(f"message {index}: content must be a string, null or a list of text parts")


def normalize_tool_calls(raw_calls: Any, *, where: str = "tool_calls") -> list[Message]:
    """OpenAI `tool_calls` (or ToolCall objects) as dicts whose arguments are always a dict."""
    if not isinstance(raw_calls, list):
        raise ValueError(f"{where}: tool_calls must be a list, got {type(raw_calls).__name__}")
    return [_normalize_call(f"{where} tool_calls[{j}]", entry, j) for j, entry in enumerate(raw_calls)]


def _normalize_call(where: str, entry: Any, position: int) -> Message:
    if isinstance(entry, ToolCall):
        return {
            "id": entry.id,
            "type": "function",
            "function": {"name": entry.name, "arguments": entry.arguments},
        }
    if not isinstance(entry, Mapping):
        raise ValueError(f"{where}: expected an object, got {entry!r}")
    function = entry.get("function", entry)
    if not isinstance(function, Mapping):
        raise ValueError(f"{where}: 'function' must be an object with 'name' and 'arguments'")
    name = function.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{where}: missing function name")
    arguments = function.get("arguments", {})
    if arguments is None:
        arguments = {}
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments) if arguments.strip() else {}
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where} ({name}): arguments are not valid JSON: {exc}") from None
    if not isinstance(arguments, Mapping):
        raise ValueError(f"{where} ({name}): arguments must be a JSON object, got {type(arguments).__name__}")
    call_id = entry.get("id") or f"call_{position}"
    return {"id": str(call_id), "type": "function", "function": {"name": name, "arguments": dict(arguments)}}


def to_tool_calls(calls: Iterable[Mapping[str, Any] | ToolCall]) -> list[ToolCall]:
    """Normalised call dicts (or ToolCalls) as ToolCall objects."""
    result = []
    for entry in normalize_tool_calls(list(calls)):
        function = entry["function"]
        result.append(ToolCall(name=function["name"], arguments=function["arguments"], id=entry["id"]))
    return result


def normalize_tools(tools: Iterable[Tool | Mapping[str, Any]] | None) -> list[Tool]:
    """Tool objects from Tool instances or OpenAI tool dicts."""
    if not tools:
        return []
    result = []
    for index, tool in enumerate(tools):
        if isinstance(tool, Tool):
            result.append(tool)
        elif isinstance(tool, Mapping):
            try:
                result.append(Tool.from_openai(dict(tool)))
            except ValueError as exc:
                raise ValueError(f"tools[{index}]: {exc}") from None
        else:
            raise ValueError(f"tools[{index}]: expected a Tool or an OpenAI tool dict, got {tool!r}")
    return result
