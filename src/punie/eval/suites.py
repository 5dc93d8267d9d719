"""Evaluation suites: the seed's five queries, a dataset's held-out split, requests about Python features the
data generator never names, and JSONL case files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from punie.calls.types import Tool
from punie.chat.prompts import SYSTEM_PROMPT, WORKSPACE_TOOLS
from punie.chat.seed import SEED_QUERIES, SEED_TOOLS
from punie.eval.cases import CaseError, EvalCase, case_from_dict, load_cases, read_jsonl

# Python features named by compound names the data generator never uses (tests/data guard that), asked both
# ways: "find the X uses" needs the project (search or grep), "how do I use X" does not. Measures whether the
# seed's "Find async/await uses" failure is one query or a pattern: unseen compound names in search requests.
OUTSIDE_FEATURES = (
    "map/filter",
    "getattr/setattr",
    "break/continue",
    "open/close",
    "__str__/__repr__",
    "pickle.load/pickle.dump",
    "os.path.join/os.path.exists",
    "hasattr/getattr",
    "heapq.heappush/heapq.heappop",
    "tempfile.mkdtemp",
    "with/as",
    "yield/return",
    "sorted/sort",
    "min/max",
    "any/all",
    "import/from",
    "print/input",
    "struct.pack/struct.unpack",
    "namedtuple",
    "for/else",
)
FEATURE_SEARCHES = ("Where do we use {c}?", "Show me every {c} call in the code", "grep for {c}")
FEATURE_QUESTIONS = ("How do I use {c}?", "When should I use {c}", "Explain {c} with an example")

BUILTIN_SUITES = ("seed", "held-out", "features")


def _question_case(
    case_id: str, source: str, query: str, tools: list[dict[str, Any]], expected: dict[str, Any], where: str
) -> EvalCase:
    """A one-question case: the system prompt, `query`, the offered `tools` and what the reply should be."""
    messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": query}]
    data = {"id": case_id, "source": source, "messages": messages, "tools": tools, "expected": expected}
    return case_from_dict(data, where)


def seed_cases() -> list[EvalCase]:
    """The seed's five queries with its two tools and its expectations."""
    tools = [tool.to_openai() for tool in SEED_TOOLS]
    cases = []
    for number, (query, names) in enumerate(SEED_QUERIES, start=1):
        expected: dict[str, Any] = (
            {"kind": "direct"} if names is None else {"kind": "tool_call", "name": list(names)}
        )
        cases.append(_question_case(f"seed_{number}", "seed", query, tools, expected, f"seed:{number}"))
    return cases


def feature_cases() -> list[EvalCase]:
    """Three cases per outside feature name: "Find X uses" (the seed's shape) and another search request,
    both expecting `search` or `run_command`, and a how-to question expecting a direct answer."""
    tools = [tool.to_openai() for tool in WORKSPACE_TOOLS]
    search: dict[str, Any] = {"kind": "tool_call", "name": ["search", "run_command"]}
    cases = []
    for number, name in enumerate(OUTSIDE_FEATURES):
        asks = (
            ("find", f"Find {name} uses", search),
            ("search", FEATURE_SEARCHES[number % 3].format(c=name), search),
            ("howto", FEATURE_QUESTIONS[number % 3].format(c=name), {"kind": "direct"}),
        )
        for kind, query, expected in asks:
            case_id, where = f"features_{number + 1}_{kind}", f"features:{number + 1}:{kind}"
            cases.append(_question_case(case_id, "features", query, tools, expected, where))
    return cases


def record_to_case(record: Any, where: str) -> EvalCase:
    """A dataset record (design.md) as a case: the conversation up to the first assistant turn after the
    last user message (earlier turns are context, as in `punie.data`'s Example.kind), and that turn as the
    expectation: its first call, each argument's recorded value (parameters the schema does not require
    may be left out), or a direct answer."""
    if not isinstance(record, dict) or not isinstance(record.get("messages"), list):
        raise CaseError(f"{where}: a dataset record needs a 'messages' list")
    messages = record["messages"]
    users = [i for i, m in enumerate(messages) if isinstance(m, dict) and m.get("role") == "user"]
    first = next(
        (
            i
            for i, m in enumerate(messages)
            if users and i > users[-1] and isinstance(m, dict) and m.get("role") == "assistant"
        ),
        None,
    )
    if first is None:
        raise CaseError(f"{where}: the record has no assistant turn after its last user message")
    tools = record.get("tools") or [tool.to_openai() for tool in WORKSPACE_TOOLS]
    turn = messages[first]
    calls = turn.get("tool_calls") or []
    expected: dict[str, Any]
    if not calls:
        expected = {"kind": "direct"}
    else:
        function = calls[0].get("function", calls[0]) if isinstance(calls[0], dict) else {}
        arguments = function.get("arguments") or {}
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments) if arguments.strip() else {}
            except json.JSONDecodeError as exc:
                raise CaseError(f"{where}: first call's arguments are not JSON ({exc.msg})") from exc
        if not isinstance(arguments, dict):
            raise CaseError(f"{where}: first call's arguments must be an object")
        name = function.get("name")
        tool = next((Tool.from_openai(t) for t in tools if Tool.from_openai(t).name == name), None)
        required = set(tool.required) if tool else set()
        expected = {
            "kind": "tool_call",
            "name": name,
            "arguments": {key: [value] for key, value in arguments.items()},
            "optional": sorted(key for key in arguments if key not in required),
        }
    meta = record.get("meta") or {}
    data = {
        "id": record.get("id") or where.rsplit("/", 1)[-1],
        "source": str(meta.get("source", "")) if isinstance(meta, dict) else "",
        "messages": messages[:first],
        "tools": tools,
        "expected": expected,
    }
    return case_from_dict(data, where)


def load_records_as_cases(path: Path) -> list[EvalCase]:
    """A dataset JSONL (e.g. a generated test split) converted to cases."""
    return [record_to_case(data, where) for where, data in read_jsonl(path)]


def _looks_like_records(path: Path) -> bool:
    for _, data in read_jsonl(path)[:1]:
        return isinstance(data, dict) and "expected" not in data and "messages" in data
    return False


def held_out_cases(path: Path | None = None) -> list[EvalCase]:
    """The test split of a generated dataset: from `path`, or generated (seeded) by punie.data."""
    if path is not None:
        return load_records_as_cases(path)
    from punie.eval.heldout import generated_test_split

    return load_records_as_cases(generated_test_split())


def resolve_suite(spec: str) -> tuple[str, list[EvalCase]]:
    """`seed`, `held-out`, `held-out:PATH`, `features`, or a JSONL file of cases (or of dataset records)."""
    if spec == "seed":
        return "seed", seed_cases()
    if spec == "held-out":
        return "held-out", held_out_cases()
    if spec == "features":
        return "features", feature_cases()
    if spec.startswith("held-out:"):
        path = Path(spec.split(":", 1)[1])
        return f"held-out ({path.name})", held_out_cases(path)
    path = Path(spec)
    if not path.is_file():
        raise CaseError(f"unknown suite {spec!r}: use one of {', '.join(BUILTIN_SUITES)} or a JSONL file")
    if _looks_like_records(path):
        return path.stem, load_records_as_cases(path)
    return path.stem, load_cases(path)
