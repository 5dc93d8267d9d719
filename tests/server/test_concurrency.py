"""One engine, many clients: requests are served one at a time, and a client that leaves stops its work."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import openai
from serving import serve

from punie.engine.testing import ScriptedEngine
from punie.server import create_app

USER = [{"role": "user", "content": "talk"}]
REPLY_A = " ".join(f"alpha{i}" for i in range(40))
REPLY_B = " ".join(f"beta{i}" for i in range(40))


def test_two_simultaneous_requests_are_serialized_and_not_mixed() -> None:
    engine = ScriptedEngine([REPLY_A, REPLY_B], seconds_per_token=0.005)

    async def both(base_url: str) -> list[tuple[str, str]]:
        client = openai.AsyncOpenAI(base_url=base_url, api_key="none")

        async def streamed() -> tuple[str, str]:
            text = ""
            async for chunk in await client.chat.completions.create(
                model="default", messages=USER, stream=True
            ):
                if chunk.choices:
                    text += chunk.choices[0].delta.content or ""
            return text, "stream"

        async def whole() -> tuple[str, str]:
            raw = await client.chat.completions.with_raw_response.create(model="default", messages=USER)
            return raw.parse().choices[0].message.content, raw.headers["server-timing"]

        return list(await asyncio.gather(streamed(), whole()))

    with serve(create_app(engine)) as base_url:
        results = asyncio.run(both(base_url))
    texts = sorted(text for text, _ in results)
    assert texts == sorted([REPLY_A, REPLY_B])  # each answer is one whole reply, never interleaved
    assert engine.max_active == 1  # the engine never ran two generations at once
    assert len(engine.prompts) == 2


def test_second_request_reports_its_queue_wait() -> None:
    gate = threading.Event()
    engine = ScriptedEngine([REPLY_A], gate=gate)

    def queue_ms(response: httpx.Response) -> float:
        return float(response.headers["server-timing"].split(",")[0].split("dur=")[1])

    with serve(create_app(engine)) as base_url, ThreadPoolExecutor(2) as pool:
        body = {"model": "default", "messages": USER}
        first = pool.submit(httpx.post, f"{base_url}/chat/completions", json=body, timeout=30)
        deadline = time.monotonic() + 10
        while engine.active == 0 and time.monotonic() < deadline:  # the first holds the engine
            time.sleep(0.01)
        second = pool.submit(httpx.post, f"{base_url}/chat/completions", json=body, timeout=30)
        while time.monotonic() < deadline and _workers() < 2:  # the second worker waits for the engine
            time.sleep(0.01)
        time.sleep(0.5)
        gate.set()
        waits = queue_ms(first.result()), queue_ms(second.result())
    assert engine.max_active == 1
    assert waits[1] >= 450  # the second waited while the first held the engine
    assert waits[0] < waits[1]


def _workers() -> int:
    return sum(thread.name == "punie-generate" for thread in threading.enumerate())


def _wait_for_finish(engine: ScriptedEngine, count: int) -> None:
    deadline = time.monotonic() + 10
    while len(engine.finish_reasons) < count and time.monotonic() < deadline:
        time.sleep(0.02)


def test_streaming_disconnect_stops_generation() -> None:
    long_reply = " ".join(f"w{i}" for i in range(400))
    engine = ScriptedEngine([long_reply], seconds_per_token=0.01)
    with serve(create_app(engine)) as base_url, httpx.Client(base_url=base_url, timeout=30) as client:
        body = {"model": "default", "messages": USER, "stream": True}
        with client.stream("POST", "/chat/completions", json=body) as response:
            lines = response.iter_lines()
            received = [next(lines) for _ in range(6)]
        assert any("w0" in line for line in received)
        _wait_for_finish(engine, 1)
        assert engine.finish_reasons == ["cancelled"]
        assert engine.generated_tokens[0] < 200  # stopped early (400 tokens take 4 s)
        # the engine is free again: a new request is answered right away
        engine.replies = ["next"]
        engine.seconds_per_token = 0
        reply = client.post("/chat/completions", json={"model": "default", "messages": USER}).json()
    assert reply["choices"][0]["message"]["content"] == "next"


def test_non_streaming_disconnect_stops_generation() -> None:
    long_reply = " ".join(f"w{i}" for i in range(400))
    engine = ScriptedEngine([long_reply], seconds_per_token=0.01)
    with serve(create_app(engine)) as base_url:
        with contextlib.suppress(httpx.ReadTimeout):
            httpx.post(
                f"{base_url}/chat/completions", json={"model": "default", "messages": USER}, timeout=0.5
            )
        _wait_for_finish(engine, 1)
    assert engine.finish_reasons == ["cancelled"]
    assert engine.generated_tokens[0] < 250


def test_two_apps_on_one_engine_share_its_lock() -> None:
    engine = ScriptedEngine([REPLY_A, REPLY_B], seconds_per_token=0.005)

    async def both(first_url: str, second_url: str) -> list[str]:
        async def ask(url: str) -> str:
            client = openai.AsyncOpenAI(base_url=url, api_key="none")
            response = await client.chat.completions.create(model="default", messages=USER)
            return response.choices[0].message.content

        return list(await asyncio.gather(ask(first_url), ask(second_url)))

    with serve(create_app(engine)) as first_url, serve(create_app(engine)) as second_url:
        texts = asyncio.run(both(first_url, second_url))
    assert sorted(texts) == sorted([REPLY_A, REPLY_B])
    assert engine.max_active == 1
