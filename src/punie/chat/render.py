"""Render a conversation to model text: the one function used for serving and for training."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from punie.calls.types import Dialect, Tool, ToolCall
from punie.chat.messages import normalize_messages, normalize_tools, to_tool_calls
from punie.chat.template import ChatTemplate, load_template

DEFAULT_DIALECT = "qwen3_xml"

TemplateLike = ChatTemplate | str | Path | None
ToolsLike = Sequence[Tool | Mapping[str, Any]] | None


def resolve_dialect(dialect: str | Dialect) -> Dialect:
    """A dialect object from its name (or the object itself)."""
    if isinstance(dialect, str):
        from punie.calls import get_dialect  # the dialect registry lives in punie.calls

        return get_dialect(dialect)
    return dialect


def dialect_helpers(dialect: Dialect) -> dict[str, Callable[..., str]]:
    """The template functions that turn calls and tool results into this dialect's text."""

    def render_calls(calls: Sequence[Mapping[str, Any] | ToolCall]) -> str:
        return dialect.render_calls(to_tool_calls(calls))

    def render_tool_response(text: Any) -> str:
        return dialect.render_tool_response("" if text is None else str(text))

    return {"render_calls": render_calls, "render_tool_response": render_tool_response}


def render_conversation(
    messages: Sequence[Mapping[str, Any]],
    tools: ToolsLike = None,
    *,
    dialect: str | Dialect = DEFAULT_DIALECT,
    add_generation_prompt: bool = True,
    template: TemplateLike = None,
) -> str:
    """Render OpenAI-style `messages` (and `tools`) as the text the model reads.

    Assistant `tool_calls` (arguments as dict or JSON string) and `tool` results are rendered by the
    dialect; consecutive tool results form one user turn. Raises ValueError on messages that cannot be
    rendered faithfully (unknown role, tool result before any call, malformed tool_calls).
    """
    chat_template = load_template(template)
    return _render(
        chat_template,
        normalize_messages(messages),
        normalize_tools(tools),
        resolve_dialect(dialect),
        add_generation_prompt,
    )


def _render(
    chat_template: ChatTemplate,
    messages: list[dict[str, Any]],
    tools: list[Tool],
    dialect: Dialect,
    add_generation_prompt: bool,
) -> str:
    return chat_template.render(
        messages=messages,
        tools=[tool.to_openai() for tool in tools] or None,
        add_generation_prompt=add_generation_prompt,
        bos_token="",
        eos_token=chat_template.end_of_turn,
        **dialect_helpers(dialect),
    )


def assistant_spans(
    messages: Sequence[Mapping[str, Any]],
    tools: ToolsLike = None,
    *,
    dialect: str | Dialect = DEFAULT_DIALECT,
    template: TemplateLike = None,
) -> tuple[str, list[tuple[int, int]]]:
    """The full conversation text and the `(start, end)` character span of each assistant turn.

    A span covers what the model generates for that turn: its content and tool calls up to and including
    the template's end-of-turn token (`<|im_end|>`). Spans come from rendering prefixes of the conversation
    with the same function, so they are consistent with the text by construction; a template whose
    earlier output changes when later messages are added is a ValueError.
    """
    chat_template = load_template(template)
    normalized = normalize_messages(messages)
    tool_list = normalize_tools(tools)
    chosen = resolve_dialect(dialect)
    text = _render(chat_template, normalized, tool_list, chosen, add_generation_prompt=False)
    spans: list[tuple[int, int]] = []
    for index, message in enumerate(normalized):
        if message["role"] != "assistant":
            continue
        before = _render(chat_template, normalized[:index], tool_list, chosen, add_generation_prompt=True)
        through = _render(
            chat_template, normalized[: index + 1], tool_list, chosen, add_generation_prompt=False
        )
        end = _turn_end(through, chat_template.end_of_turn)
        if not through.startswith(before) or not text.startswith(through[:end]) or end < len(before):
            raise ValueError(
                f"template {chat_template.name!r} renders message {index} differently depending on what "
                "follows it, so assistant spans cannot be computed from prefixes"
            )
        spans.append((len(before), end))
    return text, spans


def _turn_end(rendered: str, end_of_turn: str) -> int:
    """Index just after the last turn's end-of-turn token (trailing whitespace is not part of the turn)."""
    stripped = rendered.rstrip()
    if end_of_turn and stripped.endswith(end_of_turn):
        return len(stripped)
    return len(rendered.rstrip("\n"))
