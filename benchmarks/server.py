"""Benchmark: raw llama_cpp.Llama (the floor) vs `punie serve` vs `python -m llama_cpp.server`.

One run, the same GGUF (the embedded SmolLM2-135M-Instruct Q4_1, no adapter), the same chat requests
(identical prompt tokens: both servers render ChatML the same way for these messages), greedy decoding,
the same thread count and OpenMP wait policy. Each request goes to all systems in turn (the order rotates
every round) so background load hits them alike. A fourth row, Punie's engine in-process without HTTP,
separates engine cost from server cost. Servers stream over HTTP on loopback: TTFT is the time to the
first content delta, latency the time to `[DONE]`; Punie's own per-token HTTP/SSE cost is also measured
with a scripted engine (no model). "vs raw (paired)" is the median over requests of each system's latency
relative to the raw call for the same question in the same round. Then a two-turn agent-style
conversation (tools listed, a tool call and its result) shows the second turn's prompt processing
against the first (KV-cache prefix reuse), from Punie's Server-Timing.

    python benchmarks/server.py [--rounds 5] [--max-tokens 64] [--threads N]

Prints a table and writes benchmarks/results/server.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

RESULTS = Path(__file__).parent / "results" / "server.json"
SYSTEM = "You are a helpful assistant. Answer clearly and briefly."
QUESTIONS = [
    "What is a Python list comprehension?",
    "Explain what a HTTP status code 404 means.",
    "How do I reverse a string in Python?",
    "What does the git rebase command do?",
    "Name three uses of a hash map.",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {url}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"server did not become ready: {url}")


def start(command: list[str], ready_url: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(ready_url, process)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


class RawLlama:
    """The floor: the same prompt through llama_cpp.Llama.generate in this process, no HTTP, no parsing."""

    def __init__(self, model: Path, threads: int, n_ctx: int) -> None:
        import llama_cpp

        self.llama_cpp = llama_cpp
        self.llama = llama_cpp.Llama(
            str(model), n_ctx=n_ctx, n_threads=threads, n_threads_batch=threads, verbose=False
        )

    def run(self, messages: list[dict[str, Any]], max_tokens: int) -> dict[str, float]:
        from punie.chat import render_conversation

        start = time.perf_counter()
        prompt = render_conversation(messages)
        tokens = self.llama.tokenize(prompt.encode(), add_bos=False, special=True)
        first = None
        count = 0
        text = b""
        for token in self.llama.generate(tokens, temp=0.0, repeat_penalty=1.0):
            if first is None:
                first = time.perf_counter()
            if self.llama_cpp.llama_vocab_is_eog(self.llama._model.vocab, token):
                break
            text += self.llama.detokenize([token])
            count += 1
            if count >= max_tokens:
                break
        end = time.perf_counter()
        return {
            "ttft": (first or end) - start,
            "total": end - start,
            "tokens": count,
            "prompt_tokens": len(tokens),
            "text": text.decode("utf-8", errors="replace"),
        }


def http_stream(
    base_url: str,
    model: str,
    messages: list[dict[str, Any]],
    max_tokens: int,
    client: httpx.Client,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body = {
        "model": model,
        "messages": messages,
        "max_tokens": max_tokens,
        "temperature": 0.0,
        "stream": True,
        "stream_options": {"include_usage": True},
        **(extra or {}),
    }
    start = time.perf_counter()
    first = None
    pieces = 0
    text = ""
    usage: dict[str, Any] = {}
    with client.stream("POST", f"{base_url}/chat/completions", json=body) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if not line.startswith("data: "):
                continue
            data = line[6:]
            if data == "[DONE]":
                break
            chunk = json.loads(data)
            usage = chunk.get("usage") or usage
            for choice in chunk.get("choices") or []:
                content = (choice.get("delta") or {}).get("content")
                if content:
                    first = first or time.perf_counter()
                    pieces += 1
                    text += content
    end = time.perf_counter()
    return {
        "ttft": (first or end) - start,
        "total": end - start,
        "tokens": int(usage.get("completion_tokens") or pieces),
        "prompt_tokens": usage.get("prompt_tokens"),
        "text": text,
        "server_timing": usage.get("punie_timing"),
    }


def engine_run(engine: Any, messages: list[dict[str, Any]], max_tokens: int) -> dict[str, Any]:
    """Punie's engine in-process: render with punie.chat, stream from LlamaCppEngine (no HTTP)."""
    from punie.chat import render_conversation
    from punie.engine import Delta

    start = time.perf_counter()
    first = None
    text = ""
    done = None
    for item in engine.generate(render_conversation(messages), max_tokens=max_tokens, temperature=0.0):
        if isinstance(item, Delta):
            first = first or time.perf_counter()
            text += item.text
        else:
            done = item
    end = time.perf_counter()
    return {
        "ttft": (first or end) - start,
        "total": end - start,
        "tokens": done.completion_tokens,
        "prompt_tokens": done.prompt_tokens,
        "text": text,
    }


def http_path_overhead_per_token(tokens: int = 2000) -> float:
    """Milliseconds per streamed token that punie serve's own code adds (uvicorn + SSE, a scripted engine)."""
    import threading

    import uvicorn

    from punie.engine.testing import ScriptedEngine
    from punie.server import create_app

    engine = ScriptedEngine([" ".join(f"w{i}" for i in range(tokens // 2))])
    server = uvicorn.Server(uvicorn.Config(create_app(engine), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    url = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}/v1"
    best = float("inf")
    with httpx.Client(timeout=60) as client:
        for _ in range(3):
            result = http_stream(url, "default", [{"role": "user", "content": "x"}], tokens, client)
            best = min(best, result["total"] * 1000 / result["tokens"])
    server.should_exit = True
    thread.join(10)
    return best


def summarize(samples: list[dict[str, Any]]) -> dict[str, float]:
    ttft = statistics.median(s["ttft"] for s in samples)
    total = statistics.median(s["total"] for s in samples)
    tokens = sum(s["tokens"] for s in samples)
    seconds = sum(s["total"] for s in samples)
    decode = [(s["tokens"] - 1) / (s["total"] - s["ttft"]) for s in samples if s["tokens"] > 1]
    return {
        "median_ttft_ms": ttft * 1000,
        "median_latency_ms": total * 1000,
        "tokens_per_s": tokens / seconds,
        "decode_tokens_per_s": statistics.median(decode) if decode else 0.0,
        "completion_tokens": tokens,
        "requests": len(samples),
    }


def two_turn(base_url: str, client: httpx.Client, max_tokens: int) -> dict[str, Any]:
    """An agent-style exchange: turn 2 resends turn 1 plus the call, its result and a new question."""
    from punie.chat import SYSTEM_PROMPT, WORKSPACE_TOOLS

    tools = [tool.to_openai() for tool in WORKSPACE_TOOLS]
    warm = {
        "model": "default",
        "max_tokens": 2,
        "messages": [{"role": "user", "content": "unrelated warm-up"}],
    }
    client.post(f"{base_url}/chat/completions", json=warm).raise_for_status()
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "Which files define Django views?"},
    ]
    turns = []
    for turn in range(2):
        body = {"model": "default", "messages": messages, "tools": tools, "max_tokens": max_tokens}
        response = client.post(f"{base_url}/chat/completions", json=body)
        response.raise_for_status()
        answer = response.json()
        timing = dict(part.strip().split(";dur=") for part in response.headers["server-timing"].split(","))
        turns.append(
            {
                "prompt_ms": float(timing["prompt"]),
                "total_ms": float(timing["total"]),
                "prompt_tokens": answer["usage"]["prompt_tokens"],
                "cached_tokens": answer["usage"]["prompt_tokens_details"]["cached_tokens"],
            }
        )
        if turn == 0:
            messages += [
                {
                    "role": "assistant",
                    "content": answer["choices"][0]["message"]["content"] or "",
                    "tool_calls": [
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {
                                "name": "search",
                                "arguments": json.dumps({"pattern": "class .*View"}),
                            },
                        }
                    ],
                },
                {
                    "role": "tool",
                    "tool_call_id": "call_1",
                    "content": "app/views.py:3:class HomeView(View):\n"
                    "app/views.py:9:class AboutView(TemplateView):",
                },
                {"role": "user", "content": "Open the first one."},
            ]
    ratio = turns[1]["prompt_ms"] / turns[0]["prompt_ms"] if turns[0]["prompt_ms"] else float("nan")
    return {"turns": turns, "second_over_first_prompt": ratio}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--ctx", type=int, default=4096)
    args = parser.parse_args()
    # the same OpenMP wait policy for all three (punie.engine sets PASSIVE; see engine/llama.py)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

    from punie.engine import available_cores, embedded_model_path, load_engine

    model = embedded_model_path()
    threads = args.threads or available_cores()
    punie_port, llama_port = free_port(), free_port()
    punie_url, llama_url = f"http://127.0.0.1:{punie_port}/v1", f"http://127.0.0.1:{llama_port}/v1"
    print(
        f"model {model.name}, {threads} threads, ctx {args.ctx}, {args.rounds} rounds x {len(QUESTIONS)} "
        f"requests, max_tokens {args.max_tokens}, greedy",
        flush=True,
    )

    punie = start(
        [
            sys.executable,
            "-m",
            "punie.cli",
            "serve",
            "--model",
            str(model),
            "--port",
            str(punie_port),
            "--ctx",
            str(args.ctx),
            "--threads",
            str(threads),
        ],
        f"{punie_url}/models",
    )
    llama_server = start(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--port",
            str(llama_port),
            "--n_ctx",
            str(args.ctx),
            "--n_threads",
            str(threads),
            "--n_threads_batch",
            str(threads),
            "--verbose",
            "False",
        ],
        f"{llama_url}/models",
    )
    raw = RawLlama(model, threads, args.ctx)
    engine = load_engine(str(model), n_ctx=args.ctx, n_threads=threads)
    client = httpx.Client(timeout=300)
    runners: dict[str, Callable[[list[dict[str, Any]]], dict[str, Any]]] = {
        "raw llama_cpp.Llama": lambda m: raw.run(m, args.max_tokens),
        "punie engine (in-proc)": lambda m: engine_run(engine, m, args.max_tokens),
        "punie serve": lambda m: http_stream(punie_url, "default", m, args.max_tokens, client),
        "llama_cpp.server": lambda m: http_stream(
            llama_url, "default", m, args.max_tokens, client, {"repeat_penalty": 1.0}
        ),
    }
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in runners}
    texts: dict[str, list[str]] = {name: [] for name in runners}
    try:
        for run in runners.values():
            run([{"role": "system", "content": SYSTEM}, {"role": "user", "content": "warm up"}])
        order = list(runners)
        for round_index in range(args.rounds):
            for question in QUESTIONS:
                messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}]
                for name in order[round_index % len(order) :] + order[: round_index % len(order)]:
                    result = runners[name](messages)
                    samples[name].append(result)
                    texts[name].append(result["text"])
            print(f"round {round_index + 1}/{args.rounds} done", flush=True)
        conversation = two_turn(punie_url, client, args.max_tokens)
    finally:
        client.close()
        stop(punie)
        stop(llama_server)
    per_token_ms = http_path_overhead_per_token()
    inside = [
        s["server_timing"]["total"] - s["server_timing"]["prompt"] - s["server_timing"]["gen"]
        for s in samples["punie serve"]
    ]
    inside_pct = [
        ms / (s["total"] * 1000) * 100 for ms, s in zip(inside, samples["punie serve"], strict=True)
    ]
    punie_inside = {
        "median_ms": statistics.median(inside),
        "median_pct_of_latency": statistics.median(inside_pct),
    }

    summary = {name: summarize(runs) for name, runs in samples.items()}
    floor = summary["raw llama_cpp.Llama"]["median_latency_ms"]
    raw_runs = samples["raw llama_cpp.Llama"]
    for name, row in summary.items():
        row["overhead_vs_raw_pct"] = (row["median_latency_ms"] - floor) / floor * 100
        # paired: the same question in the same round, so question length and slow phases cancel out
        paired = [s["total"] / r["total"] - 1 for s, r in zip(samples[name], raw_runs, strict=True)]
        row["paired_overhead_vs_raw_pct"] = statistics.median(paired) * 100
    same_text = {
        name: sum(a == b for a, b in zip(texts[name], texts["raw llama_cpp.Llama"], strict=True))
        for name in texts
    }

    print()
    print(
        f"{'':24} {'median TTFT ms':>15} {'median latency ms':>18} {'tokens/s':>9} {'decode tok/s':>13} "
        f"{'vs raw (medians)':>17} {'vs raw (paired)':>16} {'same text as raw':>17}"
    )
    for name, row in summary.items():
        print(
            f"{name:24} {row['median_ttft_ms']:15.1f} {row['median_latency_ms']:18.1f} "
            f"{row['tokens_per_s']:9.1f} "
            f"{row['decode_tokens_per_s']:13.1f} {row['overhead_vs_raw_pct']:+16.2f}% "
            f"{row['paired_overhead_vs_raw_pct']:+15.2f}% "
            f"{same_text[name]:>8}/{len(texts[name])}"
        )
    print(
        f"\npunie's own HTTP/SSE path, measured with a scripted engine (no model): {per_token_ms:.3f} ms per "
        f"streamed token; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"punie serve's time outside the engine, from its own timing (total - prompt - gen: render, "
        f"tokenize, "
        f"queue, parse, SSE framing): median {punie_inside['median_ms']:.2f} ms = "
        f"{punie_inside['median_pct_of_latency']:.2f}% of request latency"
    )
    turns = conversation["turns"]
    print()
    print(
        "two-turn agent conversation through punie serve "
        "(tools listed; turn 2 adds a call, its result and a question)"
    )
    for index, turn in enumerate(turns, 1):
        print(
            f"  turn {index}: prompt {turn['prompt_tokens']} tokens, {turn['cached_tokens']} reused from the "
            f"KV cache, prompt processing {turn['prompt_ms']:.1f} ms, total {turn['total_ms']:.1f} ms"
        )
    print(
        f"  second turn's prompt processing = "
        f"{conversation['second_over_first_prompt'] * 100:.1f}% of the first"
    )

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "command": " ".join(["python", "benchmarks/server.py", *sys.argv[1:]]),
                "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "machine": {
                    "cpu": platform.processor() or platform.machine(),
                    "cores": os.cpu_count(),
                    "threads": threads,
                    "python": platform.python_version(),
                    "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
                    "load_average_1m_at_end": os.getloadavg()[0],
                },
                "model": model.name,
                "ctx": args.ctx,
                "max_tokens": args.max_tokens,
                "rounds": args.rounds,
                "requests_per_system": len(samples["punie serve"]),
                "summary": summary,
                "same_text_as_raw": same_text,
                "two_turn": conversation,
                "punie_http_path_ms_per_token_scripted_engine": per_token_ms,
                "punie_serve_time_outside_engine": punie_inside,
                "targets": {"overhead_pct_max": 3.0, "second_turn_prompt_ratio_max": 0.25},
                "samples": {
                    name: [{k: v for k, v in s.items() if k != "text"} for s in runs]
                    for name, runs in samples.items()
                },
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nwrote {RESULTS}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
