"""Suite-level numbers from per-case scores: accuracies, the confusion matrix, latency percentiles."""

from __future__ import annotations

import statistics
from typing import Any

from punie.eval.results import CaseRun
from punie.eval.scoring import CaseScore


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def percentile(values: list[float], fraction: float) -> float | None:
    """Linear-interpolated percentile (fraction in [0, 1]); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(values: list[float]) -> dict[str, float | None]:
    return {
        "median": percentile(values, 0.5),
        "p90": percentile(values, 0.9),
        "mean": statistics.fmean(values) if values else None,
        "max": max(values) if values else None,
    }


def confusion(scores: list[CaseScore]) -> dict[str, dict[str, int]]:
    """Rows: what the case expects; columns: what the model did."""
    matrix = {
        "tool_expected": {"called": 0, "not_called": 0},
        "direct_expected": {"called": 0, "not_called": 0},
    }
    for score in scores:
        row = "tool_expected" if score.expects_call else "direct_expected"
        matrix[row]["called" if score.called else "not_called"] += 1
    return matrix


def aggregate(scores: list[CaseScore], runs: list[CaseRun]) -> dict[str, Any]:
    """The headline metrics of a run (ratios are None when nothing was eligible)."""
    matrix = confusion(scores)
    true_pos = matrix["tool_expected"]["called"]
    false_pos = matrix["direct_expected"]["called"]
    false_neg = matrix["tool_expected"]["not_called"]
    call_cases = [s for s in scores if s.expects_call]
    named_ok = [s for s in call_cases if s.name_ok]
    attempts = [s for s in scores if s.format_attempted]
    ttfts = [r.ttft_s for r in runs if r.ttft_s is not None and not r.error]
    totals = [r.total_s for r in runs if not r.error]
    completion = [r.completion_tokens for r in runs if r.completion_tokens is not None]
    prompt = [r.prompt_tokens for r in runs if r.prompt_tokens is not None]
    return {
        "cases": len(scores),
        "errors": sum(1 for r in runs if r.error),
        "decision_accuracy": ratio(sum(s.decision_ok for s in scores), len(scores)),
        "confusion": matrix,
        "call_precision": ratio(true_pos, true_pos + false_pos),
        "call_recall": ratio(true_pos, true_pos + false_neg),
        "tool_name_accuracy": ratio(len(named_ok), len(call_cases)),
        "argument_accuracy": ratio(sum(bool(s.arguments_ok) for s in call_cases), len(call_cases)),
        "argument_accuracy_given_name": ratio(sum(bool(s.arguments_ok) for s in named_ok), len(named_ok)),
        "format_validity": ratio(sum(bool(s.format_ok) for s in attempts), len(attempts)),
        "format_attempts": len(attempts),
        "latency": {"ttft_s": summary(ttfts), "total_s": summary(totals)},
        "tokens": {
            "prompt_total": sum(prompt),
            "completion_total": sum(completion),
            "completion_per_s": ratio(sum(completion), sum(totals)) if totals and sum(totals) > 0 else None,
        },
    }


def outcome(entry: dict[str, Any]) -> str:
    """What the model did on one report entry: "error", "direct", or its call names joined by "+"."""
    if entry.get("error"):
        return "error"
    return "+".join(call["name"] for call in entry["calls"]) or "direct"


def expected_label(expected: dict[str, Any]) -> str:
    return "direct" if expected["kind"] == "direct" else "/".join(expected.get("name", []))


def right_count(label: str, row: dict[str, Any]) -> int:
    """Cases of a `by_expected` row the model got right: answered directly, or called the expected tool."""
    return row["decision_ok"] if label == "direct" else row["name_ok"]


def by_expected(per_case: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per expected move ("direct" or a tool name): cases, how many were right, what the model did instead.

    `name_ok`/`arguments_ok` count only cases expecting a call; `instead` maps what the model did on the
    cases it got wrong to how often, most frequent first: "search: 34 cases, 29 right, 2 read_file, ...".
    """
    rows: dict[str, dict[str, Any]] = {}
    for entry in per_case:
        label = expected_label(entry["expected"])
        row = rows.setdefault(
            label, {"cases": 0, "decision_ok": 0, "name_ok": 0, "arguments_ok": 0, "instead": {}}
        )
        row["cases"] += 1
        row["decision_ok"] += bool(entry["decision_ok"])
        row["name_ok"] += bool(entry["name_ok"])
        row["arguments_ok"] += bool(entry["arguments_ok"])
        if not (entry["decision_ok"] if label == "direct" else entry["name_ok"]):
            did = outcome(entry)
            row["instead"][did] = row["instead"].get(did, 0) + 1
    for row in rows.values():
        row["instead"] = dict(sorted(row["instead"].items(), key=lambda item: (-item[1], item[0])))
    return dict(sorted(rows.items(), key=lambda item: (item[0] == "direct", item[0])))
