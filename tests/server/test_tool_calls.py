"""Tool calls through a real HTTP server and the official openai client, with a scripted engine double."""

from __future__ import annotations

import json
import logging
from typing import Any

import openai
import pytest
from serving import serve

from punie.calls import get_dialect
from punie.calls.types import ToolCall
from punie.chat import WORKSPACE_TOOLS
from punie.engine.testing import ScriptedEngine
from punie.server import create_app

TOOLS = [tool.to_openai() for tool in WORKSPACE_TOOLS]
QWEN = get_dialect("qwen3_xml")
USER = [{"role": "user", "content": "Find the Django views"}]


def client_for(engine: ScriptedEngine, **app_options: Any) -> Any:
    return serve(create_app(engine, **app_options))


def test_single_call_non_streaming() -> None:
    reply = "I will search.\n" + QWEN.render_calls([ToolCall("search", {"pattern": "class .*View"})])
    engine = ScriptedEngine([reply])
    with client_for(engine) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        response = client.chat.completions.create(model="default", messages=USER, tools=TOOLS)
    choice = response.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content.strip() == "I will search."
    [call] = choice.message.tool_calls
    assert call.type == "function"
    assert call.id.startswith("call_")
    assert call.function.name == "search"
    assert json.loads(call.function.arguments) == {"pattern": "class .*View"}
    # the prompt the engine saw lists the tools (rendered by punie.chat)
    assert "<tools>" in engine.prompts[0] and "run_command" in engine.prompts[0]


def test_multiple_calls_and_schema_coercion() -> None:
    reply = QWEN.render_calls(
        [
            ToolCall("read_file", {"path": "a.py", "start_line": 3}),
            ToolCall("run_command", {"command": "ls -la"}),
        ]
    )
    engine = ScriptedEngine([reply])
    with client_for(engine) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        response = client.chat.completions.create(model="default", messages=USER, tools=TOOLS)
    calls = response.choices[0].message.tool_calls
    assert [c.function.name for c in calls] == ["read_file", "run_command"]
    assert json.loads(calls[0].function.arguments) == {"path": "a.py", "start_line": 3}
    assert json.loads(calls[1].function.arguments) == {"command": "ls -la"}
    assert len({c.id for c in calls}) == 2
    assert response.choices[0].finish_reason == "tool_calls"


def test_streaming_tool_call_deltas_reassemble() -> None:
    reply = "Looking.\n" + QWEN.render_calls(
        [
            ToolCall("read_file", {"path": "src/app/views.py"}),
            ToolCall("search", {"pattern": "def get\\(", "path": "src"}),
        ]
    )
    engine = ScriptedEngine([reply])
    with client_for(engine) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        stream = client.chat.completions.create(
            model="default", messages=USER, tools=TOOLS, stream=True, stream_options={"include_usage": True}
        )
        chunks = list(stream)
    first = chunks[0].choices[0].delta
    assert first.role == "assistant"
    names: dict[int, list[str]] = {}
    ids: dict[int, list[str]] = {}
    arguments: dict[int, str] = {}
    content = ""
    finish = []
    for chunk in chunks:
        for choice in chunk.choices:
            content += choice.delta.content or ""
            finish.append(choice.finish_reason)
            for delta in choice.delta.tool_calls or []:
                if delta.function and delta.function.name:
                    names.setdefault(delta.index, []).append(delta.function.name)
                if delta.id:
                    ids.setdefault(delta.index, []).append(delta.id)
                arguments[delta.index] = arguments.get(delta.index, "") + (delta.function.arguments or "")
    assert names == {0: ["read_file"], 1: ["search"]}  # the name is sent exactly once per call
    assert all(len(v) == 1 for v in ids.values())
    assert json.loads(arguments[0]) == {"path": "src/app/views.py"}
    assert json.loads(arguments[1]) == {"pattern": "def get\\(", "path": "src"}
    assert content.strip() == "Looking."
    assert [f for f in finish if f] == ["tool_calls"]
    usage_chunk = chunks[-1]
    assert usage_chunk.choices == []
    assert usage_chunk.usage.completion_tokens > 10
    assert usage_chunk.usage.prompt_tokens > 100
    timing = usage_chunk.usage.model_extra["punie_timing"]
    assert set(timing) == {"queue", "prompt", "gen", "parse", "total"}
    assert timing["total"] >= timing["gen"] >= 0


def test_streamed_and_non_streamed_calls_agree() -> None:
    reply = QWEN.render_calls([ToolCall("write_file", {"path": "n.txt", "content": 'line 1\nline "2"\n'})])
    engine = ScriptedEngine([reply])
    with client_for(engine) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        whole = client.chat.completions.create(model="default", messages=USER, tools=TOOLS)
        streamed_args = ""
        for chunk in client.chat.completions.create(model="default", messages=USER, tools=TOOLS, stream=True):
            for delta in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
                streamed_args += delta.function.arguments or ""
    assert json.loads(whole.choices[0].message.tool_calls[0].function.arguments) == json.loads(streamed_args)
    assert json.loads(streamed_args) == {"path": "n.txt", "content": 'line 1\nline "2"\n'}


@pytest.mark.parametrize("stream", [False, True])
def test_malformed_call_is_returned_as_content(stream: bool, caplog: pytest.LogCaptureFixture) -> None:
    reply = "Sure.\n<tool_call>\n<function=read_file>\n<parameter=path>\na.py\n"  # never closed
    engine = ScriptedEngine([reply])
    caplog.set_level(logging.WARNING, logger="punie.server")
    with client_for(engine) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        if stream:
            content, calls, finish = "", 0, None
            for chunk in client.chat.completions.create(
                model="default", messages=USER, tools=TOOLS, stream=True
            ):
                for choice in chunk.choices:
                    content += choice.delta.content or ""
                    calls += len(choice.delta.tool_calls or [])
                    finish = choice.finish_reason or finish
        else:
            response = client.chat.completions.create(model="default", messages=USER, tools=TOOLS)
            content = response.choices[0].message.content
            calls = len(response.choices[0].message.tool_calls or [])
            finish = response.choices[0].finish_reason
    assert calls == 0
    assert finish == "stop"
    assert "<function=read_file>" in content and "a.py" in content
    assert any("did not parse cleanly" in record.getMessage() for record in caplog.records)


def test_unknown_tool_name_is_not_a_call() -> None:
    reply = QWEN.render_calls([ToolCall("delete_everything", {"path": "/"})])
    engine = ScriptedEngine([reply])
    with client_for(engine) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        response = client.chat.completions.create(model="default", messages=USER, tools=TOOLS)
    assert not response.choices[0].message.tool_calls
    assert "delete_everything" in response.choices[0].message.content


def test_tool_choice_none_hides_tools_and_skips_parsing() -> None:
    reply = QWEN.render_calls([ToolCall("read_file", {"path": "a.py"})])
    engine = ScriptedEngine([reply])
    with client_for(engine) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        response = client.chat.completions.create(
            model="default", messages=USER, tools=TOOLS, tool_choice="none"
        )
    assert response.choices[0].finish_reason == "stop"
    assert not response.choices[0].message.tool_calls
    assert "<tool_call>" in response.choices[0].message.content
    assert "<tools>" not in engine.prompts[0]


def test_named_tool_choice_offers_only_that_tool() -> None:
    reply = QWEN.render_calls([ToolCall("run_command", {"command": "ls"}), ToolCall("list_files", {})])
    engine = ScriptedEngine([reply])
    with client_for(engine) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        response = client.chat.completions.create(
            model="default",
            messages=USER,
            tools=TOOLS,
            tool_choice={"type": "function", "function": {"name": "run_command"}},
        )
    calls = response.choices[0].message.tool_calls
    assert [c.function.name for c in calls] == ["run_command"]
    assert "run_command" in engine.prompts[0] and "list_files" not in engine.prompts[0]


def test_conversation_with_tool_results_is_rendered() -> None:
    engine = ScriptedEngine(["There is one view class, HomeView."])
    messages = [
        *USER,
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_a",
                    "type": "function",
                    "function": {
                        "name": "run_command",
                        "arguments": json.dumps({"command": "grep -rn View ."}),
                    },
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_a", "content": "app/views.py:3:class HomeView(View):"},
    ]
    with client_for(engine) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        response = client.chat.completions.create(model="default", messages=messages, tools=TOOLS)
    assert response.choices[0].message.content == "There is one view class, HomeView."
    prompt = engine.prompts[0]
    assert "<tool_response>" in prompt and "class HomeView(View):" in prompt
    assert "<function=run_command>" in prompt


def test_hermes_dialect_server() -> None:
    hermes = get_dialect("hermes_json")
    engine = ScriptedEngine([hermes.render_calls([ToolCall("list_files", {"pattern": "**/*.py"})])])
    with client_for(engine, dialect="hermes_json") as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        response = client.chat.completions.create(model="default", messages=USER, tools=TOOLS)
    [call] = response.choices[0].message.tool_calls
    assert call.function.name == "list_files"
    assert json.loads(call.function.arguments) == {"pattern": "**/*.py"}


def test_length_finish_and_stop_sequences() -> None:
    engine = ScriptedEngine(["one two three four five six seven"])
    with client_for(engine) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        cut = client.chat.completions.create(model="default", messages=USER, max_tokens=3)
        stopped = client.chat.completions.create(model="default", messages=USER, stop=[" four"])
        stopped_stream = "".join(
            c.choices[0].delta.content or ""
            for c in client.chat.completions.create(model="default", messages=USER, stop=" fo", stream=True)
            if c.choices
        )
    assert cut.choices[0].finish_reason == "length"
    assert cut.choices[0].message.content == "one two three"
    assert cut.usage.completion_tokens == 3
    assert stopped.choices[0].finish_reason == "stop"
    assert stopped.choices[0].message.content == "one two three"
    assert stopped_stream == "one two three"


def test_server_timing_header_on_json_responses() -> None:
    engine = ScriptedEngine(["hello"])
    with client_for(engine) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        raw = client.chat.completions.with_raw_response.create(model="default", messages=USER)
    header = raw.headers["server-timing"]
    names = [part.strip().split(";")[0] for part in header.split(",")]
    assert names == ["queue", "prompt", "gen", "parse", "total"]
    assert all(";dur=" in part for part in header.split(","))
    usage = raw.parse().usage
    assert usage.model_extra["punie_timing"]["total"] > 0


def test_a_crashing_parser_is_not_a_500(monkeypatch: pytest.MonkeyPatch) -> None:
    class Exploding:
        def feed(self, chunk: str) -> list[Any]:
            raise RuntimeError("parser bug")

        def close(self) -> list[Any]:
            raise RuntimeError("parser bug")

    dialect = get_dialect("qwen3_xml")
    monkeypatch.setattr(type(dialect), "stream_parser", lambda self, tools=None: Exploding())
    engine = ScriptedEngine(["plain words here"])
    with client_for(engine) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none", max_retries=0)
        response = client.chat.completions.create(model="default", messages=USER, tools=TOOLS)
    assert response.choices[0].message.content == "plain words here"
    assert response.choices[0].finish_reason == "stop"


@pytest.mark.parametrize("stream", [False, True])
def test_parallel_tool_calls_false_returns_one_call(stream: bool) -> None:
    reply = QWEN.render_calls([ToolCall("run_command", {"command": "ls"}), ToolCall("list_files", {})])
    engine = ScriptedEngine([reply])
    with client_for(engine) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        options: dict[str, Any] = {
            "model": "default",
            "messages": USER,
            "tools": TOOLS,
            "parallel_tool_calls": False,
        }
        if stream:
            names = [
                delta.function.name
                for chunk in client.chat.completions.create(**options, stream=True)
                for choice in chunk.choices
                for delta in choice.delta.tool_calls or []
                if delta.function.name
            ]
        else:
            names = [
                c.function.name
                for c in client.chat.completions.create(**options).choices[0].message.tool_calls
            ]
    assert names == ["run_command"]
