"""Profile accounting: the real agent (PydanticAI + workspace tools) against a scripted server."""

from __future__ import annotations

from pathlib import Path

import pytest

from punie.agent.asgi import StreamingASGITransport
from punie.eval.profile import (
    PARTS,
    RequestTiming,
    TimedTransport,
    _profile_queries,
    _union_length,
    split_query,
    summarise,
    write_sample_project,
)

from .conftest import scripted_app


class _Progress:
    def update(self, task: object, advance: int) -> None:
        pass


def test_union_length_merges_overlaps_and_clips() -> None:
    assert _union_length([(0, 2), (1, 3), (5, 6)], 0, 10) == pytest.approx(4)
    assert _union_length([(-1, 2)], 0, 1) == pytest.approx(1)


def test_split_accounts_for_the_wall_time_and_shows_overlap_as_residual() -> None:
    requests = [RequestTiming(1.0, 2.0, {"prompt": 300.0, "gen": 500.0, "total": 900.0})]
    clean = split_query("q", (0.0, 4.0), requests, [(2.5, 3.0)], None)
    assert (clean.prompt, clean.gen) == pytest.approx((0.3, 0.5))
    assert clean.server_overhead == pytest.approx(0.1) and clean.transport == pytest.approx(0.1)
    assert clean.tools == pytest.approx(0.5) and clean.framework == pytest.approx(2.5)
    assert clean.residual == pytest.approx(0.0)
    overlapping = split_query("q", (0.0, 4.0), requests, [(1.5, 2.5)], None)  # a tool during a request
    assert overlapping.residual == pytest.approx(-0.5)


async def test_profiling_the_agent_measures_requests_and_tools(tmp_path: Path) -> None:
    import httpx
    from openai import AsyncOpenAI

    script = {
        "Show me the readme": {
            "calls": [("read_file", '{"path": "README.md"}')],
            "after_tool": {"content": "It describes a small Django shop."},
        },
        "What is a decorator?": {"content": "A function that wraps another."},
    }
    transport = TimedTransport(StreamingASGITransport(scripted_app(script)))
    client = AsyncOpenAI(
        base_url="http://scripted/v1",
        api_key="x",
        http_client=httpx.AsyncClient(transport=transport),
        max_retries=0,
    )
    workspace = write_sample_project(tmp_path)
    profiles = await _profile_queries(client, "m", transport, list(script), workspace, 64, _Progress(), None)
    tool_query, direct_query = profiles
    assert (tool_query.requests, tool_query.tool_calls, tool_query.stop_reason) == (2, 1, "end_turn")
    assert tool_query.answer == "It describes a small Django shop."
    assert tool_query.prompt == pytest.approx(2 * 0.005) and tool_query.gen == pytest.approx(2 * 0.0075)
    assert tool_query.tools > 0 and tool_query.framework > 0
    assert (direct_query.requests, direct_query.tool_calls) == (1, 0)
    for profile in profiles:
        parts = sum(getattr(profile, part) for part in PARTS)
        assert parts + profile.residual == pytest.approx(profile.wall)
        assert abs(profile.residual) < 1e-6  # requests and tools never overlap in one agent turn
        assert profile.prompt_tokens == 11 * profile.requests
    summary = summarise(profiles)
    assert summary["warm_up"]["query"] == "Show me the readme"
    assert summary["steady_mean"]["wall"] == pytest.approx(direct_query.wall)
    assert sum(summary["shares"].values()) == pytest.approx(1.0, abs=1e-6)
