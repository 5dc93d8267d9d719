"""Benchmark: the cost of the decode-time call constraint (tool names, parameter names and values).

1. The logits processor alone, per sampled token, on the embedded model's real vocabulary (49k tokens):
   outside calls (plain text), right after a partial `<function` (the only outside state that checks
   tokens), inside a name (first visit of a state, and cached), inside a string value and an integer
   value, right after a partial `<parameter`, and inside a parameter name; for hermes_json (JSON keys),
   inside a string value (any token holding a quote may end it and open a key: decided once per place in
   the JSON, then cached), inside a key, right after `"arguments":` (only an object may open) and after
   the last declared key's value (no comma), the last two on their first visit; between qwen3_xml
   parameters (only whitespace and the tags allowed there), right after a name whose required parameter
   is missing and at a `<` after the last declared parameter; inside an enum value (only its spellings).
2. Whole requests through Punie's app (in-process, the official chat-completions path: render, generate,
   parse) with the constraint on and off, alternating every request so background load hits both alike:
   tool-call requests (the constraint works inside names) and a direct answer (it only watches).

    python benchmarks/constraint.py [--rounds 4] [--max-tokens 96] [--threads N]

Prints a table and writes benchmarks/results/constraint.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

RESULTS = Path(__file__).parent / "results" / "constraint.json"
REQUESTS = {
    "tool call": "What python files are there?",
    "tool call (edit a markdown file)": "Edit the blog post title in post.md",
    "tool call (edit request)": "Change max_retries from 3 to 5 in worker/sync.py",
    "direct answer": "What does HTTP stand for?",
}


def per_call_us(function: Any, repeat: int) -> float:
    """Median microseconds of one call, over `repeat` calls timed one by one."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def processor_costs(engine: Any, repeat: int) -> tuple[dict[str, float], float]:
    from punie.calls import Tool, get_dialect
    from punie.chat import WORKSPACE_TOOLS
    from punie.engine.constraint import NameConstraint, NameLogitsProcessor, ToolNameConstraint

    started = time.perf_counter()
    table = engine.token_table()
    table_ms = (time.perf_counter() - started) * 1000
    spec = ToolNameConstraint.for_tools(get_dialect("qwen3_xml").syntax, WORKSPACE_TOOLS)
    hermes = ToolNameConstraint.for_tools(get_dialect("hermes_json").syntax, WORKSPACE_TOOLS)
    unit = {"type": "string", "enum": ["celsius", "fahrenheit"]}
    weather = Tool(
        "get_weather", "", {"type": "object", "properties": {"unit": unit}, "additionalProperties": False}
    )
    enum = ToolNameConstraint.for_tools(get_dialect("qwen3_xml").syntax, [weather])
    assert spec is not None and hermes is not None and enum is not None
    scores = np.random.default_rng(0).standard_normal(table.size).astype(np.float32)

    def processor_after(text: str, cached: bool = True, dialect: Any = spec) -> Any:
        constraint = NameConstraint(dialect, table)
        constraint.feed(text)
        processor = NameLogitsProcessor(constraint)
        if cached:
            return lambda: processor(None, scores.copy())

        def uncached() -> Any:
            constraint._allowed_cache.clear()
            constraint._json_verdicts.clear()
            return processor(None, scores.copy())

        return uncached

    baseline = per_call_us(lambda: scores.copy(), repeat)  # the copy every case below makes
    head = "<tool_call>\n<function=read_file>\n<parameter=path>\na.py\n</parameter>\n"
    full_head = head + "<parameter=start_line>\n1\n</parameter>\n<parameter=end_line>\n9\n</parameter>\n"
    json_head = '<tool_call>\n{"name": "read_file", "arguments": {"path": "'
    cases = {
        "outside calls (plain text)": processor_after("I will look at the files in the project."),
        "outside, after '<function'": processor_after("<tool_call>\n<function"),
        "inside a name, cached": processor_after("<tool_call>\n<function=read_"),
        "inside a name, first visit": processor_after("<tool_call>\n<function=read_", cached=False),
        "inside a string value": processor_after(
            "<tool_call>\n<function=read_file>\n<parameter=path>\nsrc/a"
        ),
        "inside an integer value, cached": processor_after(f"{head}<parameter=start_line>\n1"),
        "inside an integer value, first": processor_after(f"{head}<parameter=start_line>\n1", False),
        "in a call, after '<parameter'": processor_after(f"{head}<parameter"),
        "inside a key, cached": processor_after(f"{head}<parameter=st"),
        "inside a key, first visit": processor_after(f"{head}<parameter=st", cached=False),
        "after a name, its required parameter missing": processor_after(
            "<tool_call>\n<function=read_file>\n"
        ),
        "after every declared parameter, then '<'": processor_after(f"{full_head}<"),
        "inside an enum value, first visit": processor_after(
            "<tool_call>\n<function=get_weather>\n<parameter=unit>\nc", False, enum
        ),
        "hermes: in a string value, cached": processor_after(f"{json_head}a.p", dialect=hermes),
        "hermes: in a string value, first": processor_after(f"{json_head}a.p", False, hermes),
        "hermes: inside a key, cached": processor_after(f'{json_head}a.py", "st', dialect=hermes),
        "hermes: after '\"arguments\":', first": processor_after(
            '<tool_call>\n{"name": "read_file", "arguments":', False, hermes
        ),
        "hermes: after the last key's value": processor_after(
            '<tool_call>\n{"name": "list_files", "arguments": {"pattern": "*.py"', False, hermes
        ),
    }
    costs = {label: max(0.0, per_call_us(call, repeat) - baseline) for label, call in cases.items()}
    return costs, table_ms


def request_latencies(engine: Any, rounds: int, max_tokens: int) -> dict[str, dict[str, Any]]:
    from starlette.testclient import TestClient

    from punie.chat import SYSTEM_PROMPT, WORKSPACE_TOOLS
    from punie.server import create_app

    tools = [tool.to_openai() for tool in WORKSPACE_TOOLS]
    clients = {
        "on": TestClient(create_app(engine)),
        "off": TestClient(create_app(engine, constrain_tool_names=False)),
    }
    samples: dict[str, dict[str, list[float]]] = {kind: {"on": [], "off": []} for kind in REQUESTS}
    tokens: dict[str, dict[str, int]] = {kind: {} for kind in REQUESTS}
    calls: dict[str, dict[str, list[str]]] = {kind: {} for kind in REQUESTS}
    for round_index in range(rounds + 1):  # round 0 warms the KV cache and is not counted
        for kind, question in REQUESTS.items():
            body = {
                "model": "default",
                "messages": [
                    {"role": "system", "content": SYSTEM_PROMPT},
                    {"role": "user", "content": question},
                ],
                "tools": tools,
                "max_tokens": max_tokens,
            }
            order = ("on", "off") if round_index % 2 else ("off", "on")
            for mode in order:
                started = time.perf_counter()
                response = clients[mode].post("/v1/chat/completions", json=body)
                elapsed = time.perf_counter() - started
                response.raise_for_status()
                answer = response.json()
                if round_index:
                    samples[kind][mode].append(elapsed * 1000)
                tokens[kind][mode] = answer["usage"]["completion_tokens"]
                message = answer["choices"][0]["message"]
                calls[kind][mode] = [call["function"]["name"] for call in message.get("tool_calls") or []]
    summary = {}
    for kind in REQUESTS:
        on, off = samples[kind]["on"], samples[kind]["off"]
        summary[kind] = {
            "median_ms_on": statistics.median(on),
            "median_ms_off": statistics.median(off),
            "ratio_on_off": statistics.median(on) / statistics.median(off),
            "completion_tokens_on": tokens[kind]["on"],
            "completion_tokens_off": tokens[kind]["off"],
            "tool_calls_on": calls[kind]["on"],
            "tool_calls_off": calls[kind]["off"],
            "samples_ms_on": on,
            "samples_ms_off": off,
        }
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=2000, help="processor calls timed per case")
    args = parser.parse_args()

    from punie.engine import load_engine

    logging.getLogger("punie.server").setLevel(logging.ERROR)  # unparsed model output is expected here
    began = time.perf_counter()
    engine = load_engine("embedded", n_ctx=2048, n_threads=args.threads)
    costs, table_ms = processor_costs(engine, args.repeat)
    latencies = request_latencies(engine, args.rounds, args.max_tokens)

    vocab = engine.llama.n_vocab()
    print(f"\nlogits processor, per sampled token (vocab {vocab}, token table built in {table_ms:.0f} ms)")
    print(f"{'state':34} {'us/token':>10}")
    for label, cost in costs.items():
        print(f"{label:34} {cost:10.1f}")
    print(f"\nrequests through the app, median of {args.rounds} (max_tokens {args.max_tokens})")
    print(f"{'request':30} {'on ms':>7} {'off ms':>7} {'on/off':>7} {'tokens on/off':>14}  calls on / off")
    for kind, row in latencies.items():
        counts = f"{row['completion_tokens_on']}/{row['completion_tokens_off']}"
        print(
            f"{kind:30} {row['median_ms_on']:7.0f} {row['median_ms_off']:7.0f} {row['ratio_on_off']:7.3f} "
            f"{counts:>14}  {row['tool_calls_on']} / {row['tool_calls_off']}"
        )
    result = {
        "command": "python benchmarks/constraint.py " + " ".join(sys.argv[1:]),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "cpu": platform.machine(),
            "cores": os.cpu_count(),
            "threads": engine.n_threads,
            "python": platform.python_version(),
            "load_average_1m_at_end": os.getloadavg()[0],
        },
        "model": engine.name,
        "adapter": engine.lora_path.name if engine.lora_path else None,
        "vocab": engine.llama.n_vocab(),
        "token_table_build_ms": table_ms,
        "processor_us_per_token": costs,
        "processor_note": "median per call minus the median of copying the scores array (done by every case)",
        "requests": latencies,
        "rounds": args.rounds,
        "max_tokens": args.max_tokens,
        "seconds": time.perf_counter() - began,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwrote {RESULTS} ({result['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
