"""Shared test conversations for punie.chat."""

from __future__ import annotations

import json

from punie.calls.types import Tool

DIALECTS = ("qwen3_xml", "hermes_json", "json_fence")

READ = Tool(
    "read_file",
    "Read a file.",
    {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]},
)
GREP = Tool(
    "search",
    "Search files.",
    {"type": "object", "properties": {"pattern": {"type": "string"}, "max": {"type": "integer"}}},
)


def call(name: str, arguments: dict | str, call_id: str = "") -> dict:
    entry = {"type": "function", "function": {"name": name, "arguments": arguments}}
    if call_id:
        entry["id"] = call_id
    return entry


def conversation(arguments_as_json: bool = False) -> list[dict]:
    first = {"path": "app/views.py"}
    second = {"pattern": "class .*View", "max": 5}
    if arguments_as_json:
        first, second = json.dumps(first), json.dumps(second)
    return [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Find the views."},
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [call("read_file", first), call("search", second)],
        },
        {"role": "tool", "name": "read_file", "content": "1: class HomeView(View): ..."},
        {"role": "tool", "name": "search", "content": "app/views.py:1:class HomeView(View):"},
        {"role": "assistant", "content": "One view: HomeView."},
    ]
