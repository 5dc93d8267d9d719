"""The dataset record: one conversation with structured tool calls, its declared tools and flat metadata.

A record is one JSONL line::

    {"messages": [...], "tools": [{"type": "function", "function": {...}}],
     "meta": {"source": "...", "kind": "tool"}}

Assistant turns hold calls as data (`tool_calls` with `arguments` as a dict); results are `tool` messages.
Text forms of calls only ever come from a dialect (`punie.calls`) when rendering.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal

from punie.calls.types import Tool, ToolCall

Kind = Literal["tool", "direct"]
MetaValue = str | int | float | bool
Message = dict[str, Any]


def user_message(text: str) -> Message:
    """A user turn."""
    return {"role": "user", "content": text}


def answer_message(text: str) -> Message:
    """An assistant turn that answers in text, calling nothing."""
    return {"role": "assistant", "content": text}


def assistant_call_message(calls: list[ToolCall], content: str = "") -> Message:
    """An assistant turn that calls tools; arguments stay dicts."""
    return {
        "role": "assistant",
        "content": content,
        "tool_calls": [
            {"type": "function", "function": {"name": call.name, "arguments": dict(call.arguments)}}
            for call in calls
        ],
    }


def tool_message(name: str, content: str) -> Message:
    """A tool result answering the call to `name`."""
    return {"role": "tool", "name": name, "content": content}


def message_calls(message: Message) -> list[ToolCall]:
    """The structured calls of one assistant message (empty for any other message)."""
    return [ToolCall.from_openai(entry) for entry in message.get("tool_calls") or []]


@dataclass
class Example:
    """One training conversation: OpenAI-style messages, the tools it may call, and flat metadata."""

    messages: list[Message]
    tools: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, MetaValue] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Example:
        """Build from a parsed JSONL object (no validation beyond the top-level shape)."""
        if not isinstance(data, dict):
            raise TypeError(f"a record must be a JSON object, got {type(data).__name__}")
        messages = data.get("messages")
        if not isinstance(messages, list):
            raise TypeError("'messages' must be a list")
        tools = data.get("tools") or []
        meta = data.get("meta") or {}
        if not isinstance(tools, list):
            raise TypeError("'tools' must be a list")
        if not isinstance(meta, dict):
            raise TypeError("'meta' must be an object")
        return cls(messages=copy.deepcopy(messages), tools=copy.deepcopy(tools), meta=dict(meta))

    def to_dict(self) -> dict[str, Any]:
        return {"messages": self.messages, "tools": self.tools, "meta": self.meta}

    @property
    def tool_objects(self) -> list[Tool]:
        return [Tool.from_openai(spec) for spec in self.tools]

    @property
    def calls(self) -> list[ToolCall]:
        """Every structured call in the conversation, in order."""
        return [call for message in self.messages for call in message_calls(message)]

    def _last_user_index(self) -> int:
        indexes = [i for i, m in enumerate(self.messages) if m.get("role") == "user"]
        return indexes[-1] if indexes else -1

    @property
    def final_calls(self) -> list[ToolCall]:
        """The calls made in answer to the last user message (earlier context turns are ignored)."""
        return [
            call
            for message in self.messages[self._last_user_index() + 1 :]
            for call in message_calls(message)
        ]

    @property
    def kind(self) -> Kind:
        """`tool` when the reply to the last user message calls a tool, else `direct`."""
        return "tool" if self.final_calls else "direct"

    @property
    def first_tool(self) -> str:
        """The first tool called in reply to the last user message, or '' for a direct answer."""
        calls = self.final_calls
        return calls[0].name if calls else ""

    @property
    def user_prompt(self) -> str:
        """The last user message's text: the request this example teaches a reply to."""
        index = self._last_user_index()
        return str(self.messages[index].get("content") or "") if index >= 0 else ""


def tools_to_openai(tools: list[Tool]) -> list[dict[str, Any]]:
    return [tool.to_openai() for tool in tools]
