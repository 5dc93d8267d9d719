"""The real server on loopback with the real embedded model, driven by the openai client and PydanticAI."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import openai
import pytest
from serving import serve

from punie.chat import WORKSPACE_TOOLS
from punie.engine import LlamaCppEngine, load_engine
from punie.server import create_app

pytestmark = pytest.mark.slow

TOOLS = [tool.to_openai() for tool in WORKSPACE_TOOLS]
QUESTION = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "What is the capital of France?"},
]


@pytest.fixture(scope="module")
def engine() -> LlamaCppEngine:
    # the bare model, so these checks do not depend on what the shipped adapter learned
    return load_engine("embedded", n_ctx=2048, use_shipped_adapter=False)


@pytest.fixture(scope="module")
def base_url(engine: LlamaCppEngine) -> Iterator[str]:
    with serve(create_app(engine)) as url:
        yield url


def test_sync_client_answers_deterministically(base_url: str) -> None:
    client = openai.OpenAI(base_url=base_url, api_key="none")
    raw = client.chat.completions.with_raw_response.create(model="embedded", messages=QUESTION, max_tokens=16)
    first = raw.parse()
    second = client.chat.completions.create(model="default", messages=QUESTION, max_tokens=16)
    answer = first.choices[0].message.content
    assert isinstance(answer, str) and answer.strip()
    assert second.choices[0].message.content == answer  # greedy decoding by default
    assert first.choices[0].finish_reason in ("stop", "length")
    assert first.usage.prompt_tokens > 10
    assert 0 < first.usage.completion_tokens <= 16
    assert first.usage.total_tokens == first.usage.prompt_tokens + first.usage.completion_tokens
    assert second.usage.prompt_tokens_details.cached_tokens >= first.usage.prompt_tokens - 1  # KV reuse
    assert "prompt;dur=" in raw.headers["server-timing"]


def test_async_streaming_matches_the_non_streamed_answer(base_url: str) -> None:
    async def both() -> tuple[str, str, list[str | None], int]:
        client = openai.AsyncOpenAI(base_url=base_url, api_key="none")
        whole = await client.chat.completions.create(model="default", messages=QUESTION, max_tokens=20)
        stream = await client.chat.completions.create(
            model="default",
            messages=QUESTION,
            max_tokens=20,
            stream=True,
            stream_options={"include_usage": True},
        )
        text, finishes, pieces, usage = "", [], 0, None
        async for chunk in stream:
            usage = chunk.usage or usage
            for choice in chunk.choices:
                if choice.delta.content:
                    pieces += 1
                    text += choice.delta.content
                finishes.append(choice.finish_reason)
        assert usage is not None and usage.completion_tokens == whole.usage.completion_tokens
        return whole.choices[0].message.content, text, finishes, pieces

    whole, streamed, finishes, pieces = asyncio.run(both())
    assert streamed == whole
    assert pieces > 2
    assert [f for f in finishes if f] in (["stop"], ["length"])


def test_tool_call_shaped_conversation_through_llama_cpp(base_url: str, engine: LlamaCppEngine) -> None:
    messages = [
        {"role": "system", "content": "You are a coding agent. Use the tools."},
        {"role": "user", "content": "Show me a.py"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "read_file", "arguments": json.dumps({"path": "a.py"})},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "1: print('hello')"},
        {"role": "user", "content": "Now list the python files."},
    ]
    client = openai.OpenAI(base_url=base_url, api_key="none")
    response = client.chat.completions.create(model="default", messages=messages, tools=TOOLS, max_tokens=48)
    choice = response.choices[0]
    assert choice.finish_reason in ("stop", "length", "tool_calls")
    names = {tool["function"]["name"] for tool in TOOLS}
    for call in choice.message.tool_calls or []:
        assert call.function.name in names
        assert isinstance(json.loads(call.function.arguments), dict)
    if choice.finish_reason != "tool_calls":
        assert isinstance(choice.message.content, str)
    assert response.usage.prompt_tokens > 300  # tools, the call and its result were all rendered


def agent_history(turns: int = 3) -> list[dict[str, object]]:
    """A conversation in which the agent answered the same request with the same call several times."""
    messages: list[dict[str, object]] = [{"role": "system", "content": "You are a coding agent."}]
    for i in range(turns):
        call = {
            "id": f"c{i}",
            "type": "function",
            "function": {"name": "list_files", "arguments": json.dumps({"pattern": "*.py"})},
        }
        messages += [
            {"role": "user", "content": "List the Python files."},
            {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "tool_call_id": f"c{i}", "content": "a.py\nb.py"},
            {"role": "assistant", "content": "There are two files: a.py and b.py."},
        ]
    return [*messages, {"role": "user", "content": "List the Python files."}]


def test_generated_call_becomes_tool_calls_through_llama_cpp(base_url: str) -> None:
    """Greedy SmolLM2 repeats the call pattern of the history; the server parses the generated text."""
    client = openai.OpenAI(base_url=base_url, api_key="none")
    response = client.chat.completions.create(
        model="default", messages=agent_history(), tools=TOOLS, max_tokens=48
    )
    choice = response.choices[0]
    assert choice.finish_reason == "tool_calls", choice.message.content
    [call] = choice.message.tool_calls
    assert call.function.name == "list_files"
    assert json.loads(call.function.arguments) == {"pattern": "*.py"}
    assert not (choice.message.content or "").strip()

    arguments, names, finish = "", [], None
    stream = client.chat.completions.create(
        model="default", messages=agent_history(), tools=TOOLS, max_tokens=48, stream=True
    )
    for chunk in stream:
        for delta_choice in chunk.choices:
            finish = delta_choice.finish_reason or finish
            for delta in delta_choice.delta.tool_calls or []:
                names += [delta.function.name] if delta.function.name else []
                arguments += delta.function.arguments or ""
    assert (names, json.loads(arguments), finish) == (["list_files"], {"pattern": "*.py"}, "tool_calls")


def test_prompt_over_the_real_context_is_a_400(base_url: str) -> None:
    client = openai.OpenAI(base_url=base_url, api_key="none", max_retries=0)
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="default", messages=[{"role": "user", "content": "data " * 3000}]
        )
    assert caught.value.body["code"] == "context_length_exceeded"
    assert "2048" in caught.value.body["message"]


def test_pydantic_ai_openai_chat_model(base_url: str) -> None:
    from pydantic_ai import Agent
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai import OpenAIProvider

    model = OpenAIChatModel("default", provider=OpenAIProvider(base_url=base_url, api_key="none"))
    agent = Agent(model, instructions="Answer in one short sentence.", model_settings={"max_tokens": 16})
    result = agent.run_sync("What is 2 + 2?")
    assert isinstance(result.output, str) and result.output.strip()
    assert result.usage.output_tokens > 0

    async def streamed() -> str:
        async with agent.run_stream("What is 2 + 2?") as run:
            return "".join([piece async for piece in run.stream_text(delta=True)])

    assert asyncio.run(streamed()) == result.output
