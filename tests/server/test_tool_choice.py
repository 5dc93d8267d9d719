"""tool_choice enforcement and the tool-name constraint option, through the openai client (scripted engine).

The scripted engine continues a prompt that ends with a forced call start like a model would; these tests
check what the server asks of the engine and that streamed and whole answers agree.
"""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest
from serving import serve

from punie.calls import get_dialect
from punie.chat import WORKSPACE_TOOLS
from punie.engine.testing import ScriptedEngine
from punie.server import create_app, parse_chat_request
from punie.server.forcing import forcing_for

TOOLS = [tool.to_openai() for tool in WORKSPACE_TOOLS]
NAMES = tuple(tool.name for tool in WORKSPACE_TOOLS)
USER = [{"role": "user", "content": "What is the capital of France?"}]
QWEN = get_dialect("qwen3_xml")
NAMED = {"type": "function", "function": {"name": "read_file"}}


def request(**fields: Any) -> Any:
    return parse_chat_request({"messages": USER, **fields})


@pytest.mark.parametrize("dialect", ["qwen3_xml", "hermes_json", "json_fence"])
def test_forcing_per_tool_choice(dialect: str) -> None:
    syntax = get_dialect(dialect).syntax
    assert syntax is not None
    auto = forcing_for(request(tools=TOOLS), syntax, constrain_names=True)
    assert auto.start == "" and auto.constraint is not None
    assert auto.constraint.names == NAMES and auto.constraint.start == "text"
    required = forcing_for(request(tools=TOOLS, tool_choice="required"), syntax, constrain_names=True)
    assert required.start == syntax.prefix and required.constraint.start == "name"  # type: ignore[union-attr]
    named = forcing_for(request(tools=TOOLS, tool_choice=NAMED), syntax, constrain_names=True)
    assert named.start == syntax.prefix + "read_file" + syntax.name_end
    assert named.constraint.names == ("read_file",) and named.constraint.start == "call"  # type: ignore[union-attr]
    none = forcing_for(request(tools=TOOLS, tool_choice="none"), syntax, constrain_names=True)
    assert none.start == "" and none.constraint is None
    assert forcing_for(request(), syntax, constrain_names=True).constraint is None  # no tools, no constraint
    off = forcing_for(request(tools=TOOLS, tool_choice="required"), syntax, constrain_names=False)
    assert off.start == syntax.prefix and off.constraint is None  # tool_choice is enforced either way


def stream_result(client: openai.OpenAI, **options: Any) -> tuple[list[tuple[str, dict]], str, str | None]:
    """(calls as (name, arguments), content, finish_reason) assembled from SSE deltas."""
    names: dict[int, str] = {}
    arguments: dict[int, str] = {}
    content, finish = "", None
    for chunk in client.chat.completions.create(model="default", stream=True, **options):
        for choice in chunk.choices:
            content += choice.delta.content or ""
            for call in choice.delta.tool_calls or []:
                if call.function and call.function.name:
                    names[call.index] = call.function.name
                arguments[call.index] = arguments.get(call.index, "") + (call.function.arguments or "")
            finish = choice.finish_reason or finish
    calls = [(names[i], json.loads(arguments[i])) for i in sorted(names)]
    return calls, content, finish


def test_required_forces_a_call_start_and_streaming_agrees() -> None:
    tail = "read_file>\n<parameter=path>\nparis.txt\n</parameter>\n</function>\n</tool_call>"
    engine = ScriptedEngine([tail])
    options = {"messages": USER, "tools": TOOLS, "tool_choice": "required"}
    with serve(create_app(engine)) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        whole = client.chat.completions.create(model="default", **options)
        streamed = stream_result(client, **options)
    assert engine.prompts[0].endswith("<|im_start|>assistant\n<tool_call>\n<function=")
    constraint = engine.constraints[0]
    assert constraint is not None and constraint.start == "name" and constraint.names == NAMES
    choice = whole.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.content is None
    [call] = choice.message.tool_calls
    assert (call.function.name, json.loads(call.function.arguments)) == ("read_file", {"path": "paris.txt"})
    assert streamed == ([("read_file", {"path": "paris.txt"})], "", "tool_calls")


def test_the_forced_start_counts_as_completion_tokens_not_prompt_tokens() -> None:
    tail = "read_file>\n<parameter=path>\nparis.txt\n</parameter>\n</function>\n</tool_call>"
    engine = ScriptedEngine([tail])
    with serve(create_app(engine)) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        auto = client.chat.completions.create(model="default", messages=USER, tools=TOOLS)
        required = client.chat.completions.create(
            model="default", messages=USER, tools=TOOLS, tool_choice="required"
        )
    forced = len(engine.tokenize(engine.prompts[1])) - len(engine.tokenize(engine.prompts[0]))
    assert forced > 0 and required.usage is not None and auto.usage is not None
    assert required.usage.prompt_tokens == auto.usage.prompt_tokens
    assert required.usage.completion_tokens == len(engine.tokenize(tail)) + forced


def test_named_tool_choice_forces_that_call_head() -> None:
    engine = ScriptedEngine(["\n<parameter=path>\nREADME.md\n</parameter>\n</function>\n</tool_call>"])
    options = {"messages": USER, "tools": TOOLS, "tool_choice": NAMED}
    with serve(create_app(engine)) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        whole = client.chat.completions.create(model="default", **options)
        streamed = stream_result(client, **options)
    assert engine.prompts[0].endswith("<tool_call>\n<function=read_file>")
    [call] = whole.choices[0].message.tool_calls
    assert (call.function.name, json.loads(call.function.arguments)) == ("read_file", {"path": "README.md"})
    assert streamed == ([("read_file", {"path": "README.md"})], "", "tool_calls")


def test_hermes_required_call() -> None:
    engine = ScriptedEngine(['list_files", "arguments": {"pattern": "*.md"}}\n</tool_call>'])
    with serve(create_app(engine, dialect="hermes_json")) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        whole = client.chat.completions.create(
            model="default", messages=USER, tools=TOOLS, tool_choice="required"
        )
    assert engine.prompts[0].endswith('<tool_call>\n{"name": "')
    [call] = whole.choices[0].message.tool_calls
    assert (call.function.name, json.loads(call.function.arguments)) == ("list_files", {"pattern": "*.md"})


def test_auto_sends_the_constraint_unless_turned_off_and_none_sends_nothing() -> None:
    reply = "Paris."
    on, off = ScriptedEngine([reply]), ScriptedEngine([reply])
    for engine, options in ((on, {}), (off, {"constrain_tool_names": False})):
        with serve(create_app(engine, **options)) as base_url:
            client = openai.OpenAI(base_url=base_url, api_key="none")
            answer = client.chat.completions.create(model="default", messages=USER, tools=TOOLS)
            plain = client.chat.completions.create(
                model="default", messages=USER, tools=TOOLS, tool_choice="none"
            )
        assert answer.choices[0].message.content == plain.choices[0].message.content == "Paris."
        assert engine.prompts[0].endswith("<|im_start|>assistant\n")  # auto forces nothing
        assert engine.constraints[1] is None  # tool_choice "none": no tools, no constraint
    assert on.constraints[0] is not None and on.constraints[0].names == NAMES
    assert off.constraints[0] is None


def test_required_is_still_forced_without_the_name_constraint() -> None:
    engine = ScriptedEngine(["list_of_files>\n</function>\n</tool_call>"])  # an invented name
    with serve(create_app(engine, constrain_tool_names=False)) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="none")
        whole = client.chat.completions.create(
            model="default", messages=USER, tools=TOOLS, tool_choice="required"
        )
    assert engine.constraints == [None]
    choice = whole.choices[0]
    assert not choice.message.tool_calls and choice.finish_reason == "stop"
    assert choice.message.content.startswith("<tool_call>\n<function=list_of_files>")  # kept, not lost
