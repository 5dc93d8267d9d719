"""`punie profile`: the whole agent on each query, with every millisecond of its wall time accounted for.

Measured, per query (nothing is estimated):
- prompt processing, generation, server overhead: from the Punie server's own timing of each request
  (`punie_timing` in the stream; `Server-Timing` for JSON answers); overhead = server total − prompt − gen
  (queue wait, prompt rendering, output parsing, response building);
- transport: each HTTP request's client-side duration (request sent to response body closed, timed in the
  httpx transport) minus the server's total;
- tool execution: the agent's own tool intervals;
- agent/framework overhead: the wall time covered by neither an HTTP request nor a tool (PydanticAI,
  the OpenAI client, event handling);
- residual: wall − the sum of all of the above; non-zero only if measured intervals overlap.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from punie.eval.runner import parse_server_timing

PARTS = ("prompt", "gen", "server_overhead", "transport", "tools", "framework")
PART_LABELS = {
    "prompt": "prompt processing",
    "gen": "generation",
    "server_overhead": "server overhead",
    "transport": "transport",
    "tools": "tool execution",
    "framework": "agent/framework",
}
PART_COLUMNS = {
    "prompt": "prompt",
    "gen": "gen",
    "server_overhead": "server",
    "transport": "transport",
    "tools": "tools",
    "framework": "agent",
}

SAMPLE_PROJECT = {
    "README.md": "# shop\n\nA small Django shop used by `punie profile`.\n",
    "manage.py": "import os\nimport sys\n\nif __name__ == '__main__':\n"
    "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
    "shop/views.py": "from django.views import View\n"
    "from django.views.generic import DetailView, ListView\n\n"
    "from shop.models import Product\n\n\nclass HomeView(View):\n    template_name = 'home.html'\n\n\n"
    "class ProductListView(ListView):\n    model = Product\n\n\nclass ProductDetailView(DetailView):\n"
    "    model = Product\n",
    "shop/serializers.py": "from rest_framework import serializers\n\nfrom shop.models import User\n\n\n"
    "class UserSerializer(serializers.ModelSerializer):\n    class Meta:\n        model = User\n"
    "        fields = ['id', 'username', 'email']\n",
    "shop/models.py": "from django.db import models\n\n\nclass Product(models.Model):\n"
    "    name = models.CharField(max_length=100)\n"
    "    price = models.DecimalField(max_digits=8, decimal_places=2)\n",
    "shop/tasks.py": "import asyncio\n\n\nasync def refresh_prices(client):\n"
    "    prices = await client.get('/prices')\n    await asyncio.sleep(0)\n    return prices\n",
}


def write_sample_project(root: Path) -> Path:
    """A few files of a small Django project, so the tools have something real to read and search."""
    for relative, text in SAMPLE_PROJECT.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@dataclass
class RequestTiming:
    """One HTTP request to the model server, as the client saw it, with the server's own numbers (ms)."""

    start: float
    end: float | None = None
    server_ms: dict[str, float] = field(default_factory=dict)
    prompt_tokens: int = 0
    completion_tokens: int = 0


class _TimedStream(httpx.AsyncByteStream):
    """Passes the body through; notes when it ends and picks the timing and usage out of SSE chunks."""

    def __init__(self, inner: Any, record: RequestTiming) -> None:
        self.inner = inner
        self.record = record
        self.pending = b""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.inner:
                self._scan(chunk)
                yield chunk
        finally:
            self._finish()

    async def aclose(self) -> None:
        self._finish()
        await self.inner.aclose()

    def _finish(self) -> None:
        if self.record.end is None:
            self.record.end = time.perf_counter()

    def _scan(self, chunk: bytes) -> None:
        self.pending += chunk
        *lines, self.pending = self.pending.split(b"\n")
        for line in lines:
            text = line.strip()
            if text.startswith(b"data:"):
                text = text[5:].strip()
            if b"punie_timing" not in text and b'"usage"' not in text:
                continue
            try:
                body = json.loads(text)
            except json.JSONDecodeError:
                continue
            self._absorb(body)

    def _absorb(self, body: Any) -> None:
        if not isinstance(body, dict):
            return
        usage = body.get("usage") if isinstance(body.get("usage"), dict) else {}
        for timing in (body.get("punie_timing"), usage.get("punie_timing")):
            if isinstance(timing, dict):
                self.record.server_ms = {k: float(v) for k, v in timing.items() if isinstance(v, int | float)}
        if usage:
            self.record.prompt_tokens += int(usage.get("prompt_tokens") or 0)
            self.record.completion_tokens += int(usage.get("completion_tokens") or 0)


class TimedTransport(httpx.AsyncBaseTransport):
    """Wraps another transport and records every request's interval and server timing."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[RequestTiming] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        record = RequestTiming(time.perf_counter())
        self.requests.append(record)
        response = await self.inner.handle_async_request(request)
        record.server_ms = parse_server_timing(response.headers.get("server-timing"))
        stream = _TimedStream(response.stream, record)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=stream,
            request=request,
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self.inner.aclose()


def _union_length(intervals: list[tuple[float, float]], low: float, high: float) -> float:
    total, reach = 0.0, low
    for start, end in sorted((max(a, low), min(b, high)) for a, b in intervals):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total


@dataclass
class QueryProfile:
    query: str
    wall: float
    prompt: float
    gen: float
    server_overhead: float
    transport: float
    tools: float
    framework: float
    residual: float
    requests: int
    tool_calls: int
    prompt_tokens: int
    completion_tokens: int
    stop_reason: str
    answer: str
    unsplit_requests: int = 0  # requests without server timing (their whole time counts as transport)
    # The agent's own stopwatch (punie.agent.timing), an independent cross-check of the split above.
    agent_stopwatch_total: float | None = None
    agent_stopwatch_model: float | None = None


def split_query(
    query: str,
    wall: tuple[float, float],
    requests: list[RequestTiming],
    tool_intervals: list[tuple[float, float]],
    outcome: Any,
) -> QueryProfile:
    """Account for one query's wall time from the measured intervals."""
    start, end = wall
    timed = [r for r in requests if r.server_ms]
    prompt = sum(r.server_ms.get("prompt", 0.0) for r in timed) / 1000
    gen = sum(r.server_ms.get("gen", 0.0) for r in timed) / 1000
    server_total = sum(r.server_ms.get("total", 0.0) for r in timed) / 1000
    closed = [(r.start, r.end if r.end is not None else end) for r in requests]
    request_time = sum(b - a for a, b in closed)
    tools = sum(b - a for a, b in tool_intervals)
    busy = _union_length(closed + list(tool_intervals), start, end)
    parts = {
        "prompt": prompt,
        "gen": gen,
        "server_overhead": server_total - prompt - gen,
        "transport": request_time - server_total,
        "tools": tools,
        "framework": (end - start) - busy,
    }
    return QueryProfile(
        query=query,
        wall=end - start,
        **parts,
        residual=(end - start) - sum(parts.values()),
        requests=len(requests),
        tool_calls=len(tool_intervals),
        prompt_tokens=sum(r.prompt_tokens for r in requests),
        completion_tokens=sum(r.completion_tokens for r in requests),
        stop_reason=str(getattr(outcome, "stop_reason", "")),
        answer=(getattr(outcome, "error", None) or getattr(outcome, "text", "") or "")[:200],
        unsplit_requests=len(requests) - len(timed),
        agent_stopwatch_total=getattr(getattr(outcome, "timing", None), "total", None),
        agent_stopwatch_model=getattr(getattr(outcome, "timing", None), "model", None),
    )


def _pydantic_model(client: Any, model_name: str) -> Any:
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai_compatible import OpenAICompatibleProvider

    from punie.agent.models import local_profile

    provider = OpenAICompatibleProvider("punie-profile", openai_client=client, profile=local_profile())
    return OpenAIChatModel(model_name, provider=provider)


def _open_timed_target(spec: str, timeout: float) -> tuple[Any, TimedTransport]:
    """The target (see punie.eval.targets) with a transport that times every request."""
    from punie.eval.targets import open_target

    if (spec or "").strip().startswith(("openai:", "openai-chat:")):
        raise ValueError("punie profile needs a Punie server (embedded, a .gguf, proxy:URL or local:URL)")
    transports: list[TimedTransport] = []

    def wrap(inner: Any) -> TimedTransport:
        transports.append(TimedTransport(inner))
        return transports[-1]

    target = open_target(spec, timeout=timeout, wrap=wrap)
    return target, transports[0]


async def _profile_queries(
    client: Any,
    model_name: str,
    transport: TimedTransport,
    queries: list[str],
    workspace: Path,
    max_tokens: int,
    progress: Any,
    task: Any,
) -> list[QueryProfile]:
    from punie.agent.policy import ApprovalGate, approve_all
    from punie.agent.session import AgentSession, NullSink
    from punie.agent.tools import WorkspaceTools
    from punie.agent.workspace import Workspace

    model = _pydantic_model(client, model_name)
    tools = WorkspaceTools(Workspace(workspace), ApprovalGate(approve_all))
    settings = {"temperature": 0.0, "max_tokens": max_tokens}
    profiles = []
    try:
        for query in queries:
            session = AgentSession(model, tools, model_settings=settings)  # a fresh conversation per query
            first_request = len(transport.requests)
            start = time.perf_counter()
            outcome = await session.run_turn(query, NullSink())
            end = time.perf_counter()
            tool_intervals = [(a, b) for kind, a, b in session.model.stopwatch.intervals if kind == "tool"]
            profiles.append(
                split_query(query, (start, end), transport.requests[first_request:], tool_intervals, outcome)
            )
            progress.update(task, advance=1)
    finally:
        await client.close()
    return profiles


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def summarise(profiles: list[QueryProfile]) -> dict[str, Any]:
    """Warm-up (the first query) against steady state (the mean of the others), with shares of wall time."""
    steady = profiles[1:]
    result: dict[str, Any] = {"warm_up": asdict(profiles[0]) if profiles else None}
    result["steady_mean"] = (
        {key: _mean([getattr(p, key) for p in steady]) for key in ("wall", *PARTS, "residual")}
        if steady
        else None
    )
    totals = {key: sum(getattr(p, key) for p in profiles) for key in ("wall", *PARTS, "residual")}
    result["totals"] = totals
    result["shares"] = {key: totals[key] / totals["wall"] for key in PARTS} if totals["wall"] else {}
    return result


def profile_suite(
    model: str,
    suite: str,
    *,
    limit: int | None = None,
    workspace: Path | None = None,
    console: Any = None,
    max_tokens: int = 256,
    timeout: float = 600.0,
) -> dict[str, Any]:
    """Run the agent on each user prompt of the suite and return the measured split per query."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from punie.eval.suites import resolve_suite

    console = console or Console()
    suite_name, cases = resolve_suite(suite)
    queries = [case.prompt for case in cases][: limit if limit is not None else None]
    with console.status(f"loading {model} ..."):
        target, transport = _open_timed_target(model, timeout)
    with tempfile.TemporaryDirectory(prefix="punie-profile-") as scratch:
        root = workspace or write_sample_project(Path(scratch))
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(f"profile {suite_name} on {target.label}", total=len(queries))
            profiles = asyncio.run(
                _profile_queries(
                    target.client, target.model, transport, queries, root, max_tokens, progress, task
                )
            )
    return {
        "suite": suite_name,
        "model": target.label,
        "model_load_s": target.load_s,
        "workspace": str(workspace) if workspace else "temporary sample project",
        "max_tokens": max_tokens,
        "queries": [asdict(p) for p in profiles],
        "summary": summarise(profiles),
    }


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{1000 * value:,.0f}"


def print_profile(result: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    table = Table(
        title=f"profile: {result['suite']} on {result['model']} "
        f"(ms; model load {_ms(result['model_load_s'])})"
    )
    columns = (
        "#",
        "query",
        "wall",
        *(PART_COLUMNS[p] for p in PARTS),
        "residual",
        "req",
        "calls",
        "tokens in/out",
    )
    for column in columns:
        table.add_column(column, justify="left" if column in ("#", "query") else "right", no_wrap=True)
    for index, q in enumerate(result["queries"], start=1):
        table.add_row(
            str(index) + (" warm-up" if index == 1 else ""),
            q["query"][:30],
            _ms(q["wall"]),
            *(_ms(q[p]) for p in PARTS),
            _ms(q["residual"]),
            str(q["requests"]),
            str(q["tool_calls"]),
            f"{q['prompt_tokens']}/{q['completion_tokens']}",
        )
    summary = result["summary"]
    if summary.get("steady_mean"):
        mean = summary["steady_mean"]
        table.add_section()
        table.add_row(
            "steady",
            "mean of queries 2..n",
            _ms(mean["wall"]),
            *(_ms(mean[p]) for p in PARTS),
            _ms(mean["residual"]),
            "",
            "",
            "",
        )
    console.print(table)
    console.print(
        "columns: "
        + ", ".join(f"{PART_COLUMNS[p]} = {PART_LABELS[p]}" for p in PARTS)
        + "; calls = tool calls run; steady = mean of queries 2..n"
    )
    shares = ", ".join(f"{PART_LABELS[p]} {100 * s:.1f}%" for p, s in summary.get("shares", {}).items())
    totals = summary["totals"]
    console.print(f"share of wall time: {shares}")
    console.print(
        f"check: wall {_ms(totals['wall'])} ms = sum of parts {_ms(totals['wall'] - totals['residual'])} ms "
        f"+ residual {1000 * totals['residual']:.3f} ms"
    )
    queries = result["queries"]
    if queries and all(q.get("agent_stopwatch_total") is not None for q in queries):
        agent_total = sum(q["agent_stopwatch_total"] for q in queries)
        agent_model = sum(q["agent_stopwatch_model"] for q in queries)
        http = sum(q[p] for q in queries for p in ("prompt", "gen", "server_overhead", "transport"))
        console.print(
            f"cross-check with the agent's own stopwatch: turn time {_ms(agent_total)} ms "
            f"(wall {_ms(totals['wall'])}), model requests {_ms(agent_model)} ms "
            f"(HTTP requests timed in the transport {_ms(http)})"
        )
