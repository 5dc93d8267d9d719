"""The quality gate: every exported artifact answers the held-out test split through the real llama.cpp
engine; its decision accuracy (tool vs direct), tool-name accuracy and parse validity are reported next to
the unquantized model's, and an artifact that loses more than `margin` fails the gate.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from punie.calls.types import Tool
from punie.chat import SYSTEM_PROMPT, WORKSPACE_TOOLS, render_conversation
from punie.chat.seed import SEED_QUERIES, SEED_TOOLS
from punie.data.io import read_examples
from punie.data.records import Example, message_calls

REFERENCE = "fused-f16"  # the unquantized fine-tuned model every artifact is compared with
BASE = "base"  # the embedded model without the adapter (reported, never gated)
ADAPTER = "adapter"  # the runtime LoRA on the base GGUF: the shipped artifact
SERVED = "adapter+names"  # the same, as Punie serves it: tool and parameter names held to the declared ones


@dataclass(frozen=True)
class GateCase:
    """One decision point: the conversation up to a reply, and what the reply should be."""

    id: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    kind: str  # "tool" or "direct"
    name: str = ""  # expected first tool for kind == "tool"


def case_from_example(example: Example, index: int) -> GateCase:
    """The reply to the last user message: the conversation before it, and its kind and first tool."""
    last_user = max(i for i, m in enumerate(example.messages) if m.get("role") == "user")
    reply = example.messages[last_user + 1] if last_user + 1 < len(example.messages) else {}
    calls = message_calls(reply)
    return GateCase(
        id=f"test_{index}",
        messages=example.messages[: last_user + 1],
        tools=example.tools,
        kind="tool" if calls else "direct",
        name=calls[0].name if calls else "",
    )


def seed_cases() -> list[GateCase]:
    tools = [tool.to_openai() for tool in WORKSPACE_TOOLS]
    return [
        GateCase(
            f"seed_{i + 1}",
            [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": query}],
            tools,
            kind,
        )
        for i, (query, kind) in enumerate(_seed_kinds())
    ]


def _seed_kinds() -> list[tuple[str, str]]:
    return [(query, "direct" if names is None else "tool") for query, names in SEED_QUERIES]


@dataclass
class CaseResult:
    id: str
    expected: str
    expected_name: str
    predicted: str
    names: list[str]
    parse_errors: list[str]
    attempted_call: bool
    text: str


@dataclass
class Scores:
    cases: int = 0
    decision: float = 0.0
    tool_name: float = 0.0
    parse_valid: float = 1.0  # share of replies that tried to call a tool and parsed without error
    attempted_calls: int = 0
    seed_correct: int = 0
    seed_total: int = 0
    seconds: float = 0.0
    seed: list[str] = field(default_factory=list)  # per seed query: "tool:NAME" or "direct"
    seed_own_correct: int = 0  # the same queries with the seed's own two tools, names checked as it did
    seed_own: list[str] = field(default_factory=list)
    per_tool: dict[str, dict[str, Any]] = field(default_factory=dict)  # see `tool_breakdown`

    @classmethod
    def of(
        cls,
        results: Sequence[CaseResult],
        seed: Sequence[ServerSeedResult],
        seconds: float,
        seed_own: Sequence[ServerSeedResult] = (),
    ) -> Scores:
        attempted = [r for r in results if r.attempted_call]
        per_tool = tool_breakdown(results)
        correct = sum(row["correct"] for row in per_tool.values())
        tool_cases = sum(row["cases"] for row in per_tool.values())
        return cls(
            cases=len(results),
            decision=_share(r.predicted == r.expected for r in results),
            tool_name=round(correct / tool_cases, 4) if tool_cases else 0.0,
            parse_valid=_share(not r.parse_errors and bool(r.names) for r in attempted) if attempted else 1.0,
            attempted_calls=len(attempted),
            seed_correct=sum(r.correct for r in seed),
            seed_total=len(seed),
            seconds=round(seconds, 1),
            seed=[r.got for r in seed],
            seed_own_correct=sum(r.correct for r in seed_own),
            seed_own=[r.got for r in seed_own],
            per_tool=per_tool,
        )


def tool_breakdown(results: Sequence[CaseResult]) -> dict[str, dict[str, Any]]:
    """Per expected tool: its cases, how many called it first, and what came instead ("direct": no call)."""
    rows: dict[str, dict[str, Any]] = {}
    for result in results:
        if result.expected != "tool":
            continue
        row = rows.setdefault(result.expected_name, {"cases": 0, "correct": 0, "instead": {}})
        row["cases"] += 1
        got = result.names[0] if result.names else "direct"
        if got == result.expected_name:
            row["correct"] += 1
        else:
            row["instead"][got] = row["instead"].get(got, 0) + 1
    return dict(sorted(rows.items()))


def _share(values: Any) -> float:
    items = list(values)
    return round(sum(bool(v) for v in items) / len(items), 4) if items else 0.0


CALL_MARKERS = ("<tool_call", "<function=", "```json")


def judge(case: GateCase, text: str, dialect: str) -> CaseResult:
    """Parse a reply with the serving dialect and classify it."""
    from punie.calls import Tool, get_dialect

    tools = [Tool.from_openai(spec) for spec in case.tools]
    parsed = get_dialect(dialect).parse(text, tools)
    names = [call.name for call in parsed.calls]
    attempted = bool(names) or any(marker in text for marker in CALL_MARKERS)
    return CaseResult(
        id=case.id,
        expected=case.kind,
        expected_name=case.name,
        predicted="tool" if names else "direct",
        names=names,
        parse_errors=list(parsed.errors),
        attempted_call=attempted,
        text=text,
    )


CALL_END = ("</tool_call>", "\n```\n")


def name_constraint(case: GateCase, dialect: str) -> Any:
    """The decode-time name constraint the server applies to this case's tools (None if the dialect has no
    call syntax to constrain)."""
    from punie.calls import Tool, get_dialect
    from punie.engine.constraint import ToolNameConstraint

    tools = [Tool.from_openai(spec) for spec in case.tools]
    return ToolNameConstraint.for_tools(get_dialect(dialect).syntax, tools)


def engine_reply(
    engine: Any,
    case: GateCase,
    dialect: str,
    max_tokens: int,
    decide_tokens: int = 32,
    constrain_names: bool = False,
) -> str:
    """Greedy reply of a `punie.engine` engine to the rendered conversation (`constrain_names`: with the
    server's tool-name constraint).

    To keep the gate fast, generation ends after the first complete call, or after `decide_tokens` tokens
    when no call has started by then (the reply is then a direct answer: the template asks for calls
    "with nothing after" them, so a call does not follow prose).
    """
    from punie.engine import Delta

    prompt = render_conversation(case.messages, case.tools, dialect=dialect, add_generation_prompt=True)
    constraint = name_constraint(case, dialect) if constrain_names else None
    text, tokens = "", 0
    for item in engine.generate(
        prompt, max_tokens=max_tokens, temperature=0.0, seed=0, constraint=constraint
    ):
        if not isinstance(item, Delta):
            continue
        text += item.text
        tokens += item.tokens
        if any(marker in text for marker in CALL_MARKERS):
            if any(end in text for end in CALL_END):
                break
        elif tokens >= decide_tokens:
            break
    return text


def evaluate_engine(
    engine: Any,
    cases: Sequence[GateCase],
    dialect: str,
    max_tokens: int,
    advance: Callable[[], None] = lambda: None,
    constrain_names: bool = False,
) -> tuple[Scores, list[CaseResult]]:
    began = time.perf_counter()
    seed = seed_through_server(engine, constrain_names=constrain_names)
    seed_own = seed_through_server(engine, constrain_names=constrain_names, tools=SEED_TOOLS)
    results = []
    for case in cases:
        reply = engine_reply(engine, case, dialect, max_tokens, constrain_names=constrain_names)
        results.append(judge(case, reply, dialect))
        advance()
    return Scores.of(results, seed, time.perf_counter() - began, seed_own), results


@dataclass
class Artifact:
    name: str
    model: Path
    lora: Path | None = None
    size_bytes: int = 0
    constrain_names: bool = False  # evaluated with the server's decode-time tool-name constraint


@dataclass
class GateReport:
    scores: dict[str, Scores]
    margin: float
    reference: str
    failures: list[str]
    sizes: dict[str, int] = field(default_factory=dict)  # artifact file size in bytes (adapter: its own file)

    @property
    def refused(self) -> list[str]:
        """Artifacts that lost more than the margin."""
        return sorted({failure.split(" ", 1)[0] for failure in self.failures})

    def to_dict(self) -> dict[str, Any]:
        return {
            "margin": self.margin,
            "reference": self.reference,
            "failures": self.failures,
            "refused": self.refused,
            "sizes": self.sizes,
            "scores": {name: asdict(s) for name, s in self.scores.items()},
        }

    def table(self) -> str:
        """A Markdown table, one row per artifact."""
        lines = [
            "| artifact | decision | tool name | parse valid (calls) | seed 5 | seed, its tools | seconds |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, s in self.scores.items():
            lines.append(
                f"| {name} | {s.decision:.1%} | {s.tool_name:.1%} | {s.parse_valid:.1%} "
                f"({s.attempted_calls}) | {s.seed_correct}/{s.seed_total} "
                f"| {s.seed_own_correct}/{len(s.seed_own)} | {s.seconds:.0f} |"
            )
        return "\n".join(lines)


def gate_failures(
    scores: dict[str, Scores], reference: str, margin: float, exempt: Sequence[str]
) -> list[str]:
    """Artifacts whose decision or tool-name accuracy is more than `margin` below the reference's."""
    if reference not in scores:
        return []
    ref = scores[reference]
    failures = []
    for name, s in scores.items():
        if name == reference or name in exempt:
            continue
        for metric in ("decision", "tool_name"):
            lost = getattr(ref, metric) - getattr(s, metric)
            if lost > margin:
                label = metric.replace("_", "-")
                failures.append(f"{name} loses {lost:.1%} {label} accuracy against {reference}")
    return failures


def load_cases(path: Path, limit: int = 0) -> list[GateCase]:
    examples = read_examples(path)
    if limit:
        examples = examples[:limit]
    return [case_from_example(example, i) for i, example in enumerate(examples)]


def artifacts_of(output_dir: Path, base_gguf: Path, quantized: Sequence[str]) -> list[Artifact]:
    """The base model, the runtime adapter, the fused float16 model and each quantization that exists."""
    out = Path(output_dir)
    found = [Artifact(BASE, base_gguf)]
    if (out / "adapter.gguf").is_file():
        found.append(Artifact(ADAPTER, base_gguf, out / "adapter.gguf"))
        found.append(Artifact(SERVED, base_gguf, out / "adapter.gguf", constrain_names=True))
    for name in (REFERENCE, *[f"fused-{kind}" for kind in quantized]):
        path = out / f"{name}.gguf"
        if path.is_file():
            found.append(Artifact(name, path))
    for artifact in found:
        artifact.size_bytes = (artifact.lora or artifact.model).stat().st_size
    return found


SERVED_CONSTRAINT = "constraint=names+keys"  # in the served key: an older constraint's results are stale


def _artifact_key(artifact: Artifact, cases_file: Path, limit: int, dialect: str) -> str:
    """Identifies one evaluation: the artifact files (size, mtime), the test split's content (a split
    regenerated byte for byte keeps earlier results) and the settings."""
    parts = []
    for path in (artifact.model, artifact.lora):
        if path is not None:
            stat = Path(path).stat()
            parts.append(f"{Path(path).name}:{stat.st_size}:{stat.st_mtime_ns}")
    digest = hashlib.sha256(Path(cases_file).read_bytes()).hexdigest()[:16]
    served = [SERVED_CONSTRAINT] if artifact.constrain_names else []
    return "|".join(
        [*parts, f"{Path(cases_file).name}:sha256={digest}", f"limit={limit}", f"dialect={dialect}", *served]
    )


def evaluate_artifact(
    artifact: Artifact,
    cases: Sequence[GateCase],
    *,
    dialect: str,
    max_tokens: int,
    threads: int | None = None,
) -> tuple[Scores, list[CaseResult]]:
    from punie.engine import LlamaCppEngine

    engine = LlamaCppEngine(artifact.model, lora_path=artifact.lora, n_ctx=4096, n_threads=threads)
    try:
        return evaluate_engine(engine, cases, dialect, max_tokens, constrain_names=artifact.constrain_names)
    finally:
        engine.llama.close()


def gate_artifacts(
    config: Any, log: Callable[[str], None], *, only: Sequence[str] = (), threads: int | None = None
) -> GateReport:
    """Evaluate a run's artifacts on its test split and compare each with the unquantized model.

    Each artifact's scores are kept in OUTPUT_DIR/gate/NAME.json (replies in NAME.jsonl) and reused while
    the artifact file, the test file and the settings are unchanged; `only` evaluates just those names.
    """
    import json

    from punie.engine import embedded_model_path
    from punie.train.model import resolve_base

    folder, gguf_file = resolve_base(config.base)
    base_gguf = folder / gguf_file if gguf_file else embedded_model_path()
    cases_file = Path(config.data.test)
    cases = load_cases(cases_file, config.gate.limit)
    artifacts = artifacts_of(Path(config.output_dir), base_gguf, config.export.quantize)
    store = Path(config.output_dir) / "gate"
    store.mkdir(parents=True, exist_ok=True)
    scores: dict[str, Scores] = {}
    for artifact in artifacts:
        key = _artifact_key(artifact, cases_file, config.gate.limit, config.data.dialect)
        saved = store / f"{artifact.name}.json"
        if saved.is_file() and json.loads(saved.read_text()).get("key") == key:
            scores[artifact.name] = Scores(**json.loads(saved.read_text())["scores"])
            log(f"gate {artifact.name}: measured earlier on the same files (kept in {saved})")
            continue
        if only and artifact.name not in only:
            continue
        score, results = evaluate_artifact(
            artifact, cases, dialect=config.data.dialect, max_tokens=config.gate.max_tokens, threads=threads
        )
        saved.write_text(json.dumps({"key": key, "scores": asdict(score)}, indent=2) + "\n")
        with (store / f"{artifact.name}.jsonl").open("w", encoding="utf-8") as handle:
            for result in results:
                handle.write(json.dumps(asdict(result)) + "\n")
        scores[artifact.name] = score
        log(
            f"gate {artifact.name}: decision {score.decision:.1%}, tool name {score.tool_name:.1%}, "
            f"parse valid {score.parse_valid:.1%} of {score.attempted_calls}, seed {score.seed_correct}/5 "
            f"({score.seed}), with its two tools {score.seed_own_correct}/5 ({score.seed_own}), "
            f"{score.seconds:.0f}s"
        )
    failures = gate_failures(scores, REFERENCE, config.gate.margin, exempt=(BASE,))
    sizes = {a.name: a.size_bytes for a in artifacts if a.name in scores}
    return GateReport(scores, config.gate.margin, REFERENCE, failures, sizes)


@dataclass
class ServerSeedResult:
    query: str
    expected: str
    got: str  # "tool:NAME" or "direct"
    finish_reason: str
    arguments: str
    names: tuple[str, ...] = ()  # the tool names accepted; empty: any tool

    @property
    def correct(self) -> bool:
        kind, _, name = self.got.partition(":")
        return kind == self.expected and (not self.names or name in self.names)


def seed_through_server(
    engine: Any, max_tokens: int = 200, constrain_names: bool = False, tools: Sequence[Tool] = ()
) -> list[ServerSeedResult]:
    """The seed's five queries as OpenAI chat requests to the real Punie server (`create_app`) in-process,
    with or without its tool-name constraint (the model alone by default). With Punie's six workspace tools
    (the default) any call counts for a project query; with other `tools` (the seed's own two), only the
    names the seed accepted."""
    from starlette.testclient import TestClient

    from punie.server import create_app

    client = TestClient(create_app(engine, constrain_tool_names=constrain_names))
    offered = [tool.to_openai() for tool in (tools or WORKSPACE_TOOLS)]
    results = []
    for query, names in SEED_QUERIES:
        messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": query}]
        body = {"model": "default", "messages": messages, "tools": offered, "max_tokens": max_tokens}
        response = client.post("/v1/chat/completions", json=body)
        response.raise_for_status()
        choice = response.json()["choices"][0]
        calls = choice["message"].get("tool_calls") or []
        got = f"tool:{calls[0]['function']['name']}" if calls else "direct"
        content = (choice["message"].get("content") or "")[:80]
        arguments = calls[0]["function"]["arguments"] if calls else content
        kind = "direct" if names is None else "tool"
        accepted = tuple(names or ()) if tools else ()
        results.append(ServerSeedResult(query, kind, got, choice["finish_reason"], arguments, accepted))
    return results
