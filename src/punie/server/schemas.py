"""Validation of `POST /v1/chat/completions` bodies into a typed ChatRequest (errors name the field)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from punie.calls.types import Tool
from punie.server.errors import APIError, invalid

ROLES = ("system", "developer", "user", "assistant", "tool")


@dataclass
class ChatRequest:
    """A validated chat completion request (messages are the client's own OpenAI-style dicts)."""

    model: str
    messages: list[dict[str, Any]]
    tools: list[Tool] = field(default_factory=list)
    tool_choice: str = "auto"  # "auto", "none", "required" or "function" (see named_function)
    named_function: str | None = None
    stream: bool = False
    include_usage: bool = False
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    seed: int | None = None
    stop: list[str] = field(default_factory=list)
    parallel_tool_calls: bool = True
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def offered_tools(self) -> list[Tool]:
        """The tools the model is shown and the parser accepts, after `tool_choice`."""
        if self.tool_choice == "none":
            return []
        if self.named_function:
            return [tool for tool in self.tools if tool.name == self.named_function]
        return self.tools


def parse_json_body(raw: bytes) -> dict[str, Any]:
    """The request body as a JSON object, or a 400 that says why not."""
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise invalid(f"the request body is not valid JSON: {exc}", code="invalid_json") from None
    if not isinstance(body, dict):
        raise invalid(
            f"the request body must be a JSON object, got {type(body).__name__}", code="invalid_json"
        )
    return body


def _type_error(param: str, expected: str, value: Any) -> APIError:
    got = "null" if value is None else type(value).__name__
    return invalid(
        f"'{param}' must be {expected}, got {got}: {json.dumps(value)[:80]}", param=param, code="invalid_type"
    )


def _optional_number(body: dict[str, Any], key: str, low: float, high: float) -> float | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _type_error(key, "a number", value)
    if not low <= value <= high:
        raise invalid(
            f"'{key}' must be between {low} and {high}, got {value}", param=key, code="invalid_value"
        )
    return float(value)


def _optional_int(body: dict[str, Any], key: str, minimum: int | None = None) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _type_error(key, "an integer", value)
    if minimum is not None and value < minimum:
        raise invalid(f"'{key}' must be at least {minimum}, got {value}", param=key, code="invalid_value")
    return value


def _optional_bool(body: dict[str, Any], key: str) -> bool:
    value = body.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _type_error(key, "a boolean", value)
    return value


def parse_chat_request(body: dict[str, Any]) -> ChatRequest:
    """Check every field the server uses; unknown extra fields are ignored like OpenAI's SDKs expect."""
    model = body.get("model", "default")
    if not isinstance(model, str):
        raise _type_error("model", "a string", model)
    messages = _messages(body.get("messages"))
    tools = _tools(body.get("tools"))
    tool_choice, named = _tool_choice(body.get("tool_choice"), tools)
    n = _optional_int(body, "n", 1)
    if n not in (None, 1):
        raise invalid("only n=1 is supported", param="n", code="unsupported_value")
    stream = _optional_bool(body, "stream")
    options = body.get("stream_options")
    if options is not None and not isinstance(options, dict):
        raise _type_error("stream_options", "an object", options)
    include_usage = bool(options) and _optional_bool(options, "include_usage")
    max_tokens = _optional_int(body, "max_completion_tokens", 1)
    if max_tokens is None:
        max_tokens = _optional_int(body, "max_tokens", 1)
    return ChatRequest(
        model=model,
        messages=messages,
        tools=tools,
        tool_choice=tool_choice,
        named_function=named,
        stream=stream,
        include_usage=include_usage,
        max_tokens=max_tokens,
        temperature=_optional_number(body, "temperature", 0.0, 2.0),
        top_p=_optional_number(body, "top_p", 0.0, 1.0),
        seed=_optional_int(body, "seed"),
        stop=_stop(body.get("stop")),
        parallel_tool_calls=body.get("parallel_tool_calls") is None
        or _optional_bool(body, "parallel_tool_calls"),
        raw=body,
    )


def _stop(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        if len(value) > 4:
            raise invalid("'stop' may hold at most 4 sequences", param="stop", code="invalid_value")
        return value
    raise _type_error("stop", "a string or a list of strings", value)


def _messages(value: Any) -> list[dict[str, Any]]:
    if value is None:
        raise invalid("'messages' is required", param="messages", code="missing_required_parameter")
    if not isinstance(value, list):
        raise _type_error("messages", "a list of message objects", value)
    if not value:
        raise invalid("'messages' must contain at least one message", param="messages", code="invalid_value")
    call_ids: set[str] = set()
    for index, message in enumerate(value):
        where = f"messages[{index}]"
        if not isinstance(message, dict):
            raise _type_error(where, "an object", message)
        role = message.get("role")
        if role not in ROLES:
            raise invalid(
                f"{where}.role: unknown role {json.dumps(role)}; expected one of {', '.join(ROLES)}",
                param=f"{where}.role",
                code="invalid_value",
            )
        _content(where, role, message)
        if role == "assistant":
            call_ids.update(_assistant_calls(where, message.get("tool_calls")))
        elif message.get("tool_calls") is not None:
            raise invalid(
                f"{where}: only assistant messages may carry tool_calls", param=f"{where}.tool_calls"
            )
        if role == "tool":
            _tool_result(where, message, call_ids)
    return value


def _content(where: str, role: str, message: dict[str, Any]) -> None:
    content = message.get("content")
    if content is None:
        if role == "assistant" or "content" in message:
            return
        raise invalid(
            f"{where}.content is required for a {role} message",
            param=f"{where}.content",
            code="missing_required_parameter",
        )
    if isinstance(content, str):
        return
    if isinstance(content, list):
        for j, part in enumerate(content):
            if not (
                isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str)
            ):
                raise invalid(
                    f'{where}.content[{j}]: only text parts are supported ({{"type": "text", "text": ...}})',
                    param=f"{where}.content[{j}]",
                    code="invalid_value",
                )
        return
    raise _type_error(f"{where}.content", "a string, null or a list of text parts", content)


def _assistant_calls(where: str, calls: Any) -> list[str]:
    if calls is None:
        return []
    if not isinstance(calls, list):
        raise _type_error(f"{where}.tool_calls", "a list", calls)
    ids = []
    for j, call in enumerate(calls):
        param = f"{where}.tool_calls[{j}]"
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            raise invalid(
                f'{param} must be {{"id", "type": "function", "function": {{"name", "arguments"}}}}',
                param=param,
                code="invalid_value",
            )
        arguments = function.get("arguments")
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments) if arguments.strip() else {}
            except json.JSONDecodeError as exc:
                raise invalid(
                    f"{param}.function.arguments is not valid JSON: {exc}",
                    param=f"{param}.function.arguments",
                    code="invalid_value",
                ) from None
        if arguments is not None and not isinstance(arguments, dict):
            raise _type_error(f"{param}.function.arguments", "a JSON object", arguments)
        if isinstance(call.get("id"), str):
            ids.append(call["id"])
    return ids


def _tool_result(where: str, message: dict[str, Any], call_ids: set[str]) -> None:
    call_id = message.get("tool_call_id")
    if not isinstance(call_id, str):
        raise invalid(
            f"{where}: a tool message needs 'tool_call_id' (a string)",
            param=f"{where}.tool_call_id",
            code="missing_required_parameter",
        )
    if call_id not in call_ids:
        raise invalid(
            f"{where}: tool_call_id {call_id!r} does not match any tool call of an earlier assistant message",
            param=f"{where}.tool_call_id",
            code="invalid_value",
        )


def _tools(value: Any) -> list[Tool]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _type_error("tools", "a list of tool objects", value)
    tools = []
    for index, spec in enumerate(value):
        param = f"tools[{index}]"
        if not isinstance(spec, dict) or spec.get("type", "function") != "function":
            raise invalid(
                f'{param} must be {{"type": "function", "function": {{...}}}}',
                param=param,
                code="invalid_value",
            )
        function = spec.get("function")
        if (
            not isinstance(function, dict)
            or not isinstance(function.get("name"), str)
            or not function["name"]
        ):
            raise invalid(
                f"{param}.function.name is required (a string)",
                param=f"{param}.function.name",
                code="missing_required_parameter",
            )
        parameters = function.get("parameters")
        if parameters is not None and not isinstance(parameters, dict):
            raise _type_error(f"{param}.function.parameters", "a JSON Schema object", parameters)
        tools.append(Tool.from_openai(spec))
    return tools


def _tool_choice(value: Any, tools: list[Tool]) -> tuple[str, str | None]:
    if value is None:
        return "auto", None
    if value in ("auto", "none", "required"):
        if value == "required" and not tools:
            raise invalid("tool_choice 'required' needs at least one tool", param="tool_choice")
        return value, None
    function = value.get("function") if isinstance(value, dict) else None
    if isinstance(function, dict) and isinstance(function.get("name"), str):
        name = function["name"]
        if name not in {tool.name for tool in tools}:
            raise invalid(
                f"tool_choice names function {name!r}, which is not in 'tools'",
                param="tool_choice",
                code="invalid_value",
            )
        return "function", name
    raise invalid(
        "tool_choice must be 'auto', 'none', 'required' or {\"type\": \"function\", \"function\": "
        '{"name": ...}}',
        param="tool_choice",
        code="invalid_value",
    )
