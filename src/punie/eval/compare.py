"""Two evaluation runs side by side (e.g. base against fine-tuned), with deltas."""

from __future__ import annotations

from typing import Any

from punie.eval.metrics import by_expected, right_count

# (label, path into the report, kind) — kind "ratio" prints percentages, "seconds" prints seconds.
METRICS: list[tuple[str, tuple[str, ...], str]] = [
    ("cases", ("cases",), "count"),
    ("decision accuracy", ("decision_accuracy",), "ratio"),
    ("call precision", ("call_precision",), "ratio"),
    ("call recall", ("call_recall",), "ratio"),
    ("tool-name accuracy", ("tool_name_accuracy",), "ratio"),
    ("argument accuracy", ("argument_accuracy",), "ratio"),
    ("format validity", ("format_validity",), "ratio"),
    ("TTFT median", ("latency", "ttft_s", "median"), "seconds"),
    ("TTFT p90", ("latency", "ttft_s", "p90"), "seconds"),
    ("total median", ("latency", "total_s", "median"), "seconds"),
    ("total p90", ("latency", "total_s", "p90"), "seconds"),
    ("request errors", ("errors",), "count"),
]


def _get(report: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = report
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _fmt(value: Any, kind: str, signed: bool = False) -> str:
    if value is None:
        return "—"
    sign = "+" if signed else ""
    if kind == "ratio":
        return f"{100 * value:{sign}.1f}" + (" pp" if signed else "%")
    if kind == "seconds":
        return f"{value:{sign}.3f}s"
    return f"{value:{sign}d}" if isinstance(value, int) else f"{value:{sign}}"


def compare_rows(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(metric, A, B, B − A) rows; the delta is empty when either side has no value."""
    rows = []
    for label, path, kind in METRICS:
        left, right = _get(a, path), _get(b, path)
        delta = right - left if isinstance(left, int | float) and isinstance(right, int | float) else None
        rows.append((label, _fmt(left, kind), _fmt(right, kind), _fmt(delta, kind, signed=True)))
    return rows


def expected_rows(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(expected move, A right/cases, B right/cases, B − A right) per tool and for direct answers."""
    left = a.get("by_expected") or by_expected(a["per_case"])
    right = b.get("by_expected") or by_expected(b["per_case"])
    rows = []
    for label in dict.fromkeys([*left, *right]):
        counts = []
        for side in (left, right):
            row = side.get(label)
            counts.append(None if row is None else (right_count(label, row), row["cases"]))
        delta = counts[1][0] - counts[0][0] if counts[0] and counts[1] else None
        rows.append(
            (
                label,
                *(f"{c[0]}/{c[1]}" if c else "—" for c in counts),
                "—" if delta is None else f"{delta:+d}",
            )
        )
    return rows


def changed_cases(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Cases present in both runs whose verdict differs (decision, or the tool called when one was
    expected): (id, A verdict, B verdict)."""
    left = {entry["id"]: entry for entry in a["per_case"]}
    changes = []
    for entry in b["per_case"]:
        before = left.get(entry["id"])
        if before is not None and _ok(before) != _ok(entry):
            changes.append((entry["id"], _verdict(before), _verdict(entry)))
    return changes


def _ok(entry: dict[str, Any]) -> bool:
    return bool(entry["decision_ok"]) and entry.get("name_ok") is not False


def _verdict(entry: dict[str, Any]) -> str:
    return ("ok " if _ok(entry) else "wrong ") + (
        ", ".join(call["name"] for call in entry["calls"]) or "direct"
    )


def print_compare(a: dict[str, Any], b: dict[str, Any], names: tuple[str, str], console: Any) -> None:
    from rich.table import Table

    console.print(f"A = {names[0]}: {a.get('suite')} on {a.get('model')}")
    console.print(f"B = {names[1]}: {b.get('suite')} on {b.get('model')}")
    table = Table()
    for column in ("metric", "A", "B", "B − A"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for row in compare_rows(a, b):
        table.add_row(*row)
    console.print(table)
    moves = Table(title="right per expected move")
    for column in ("expected", "A", "B", "B − A"):
        moves.add_column(column, justify="left" if column == "expected" else "right")
    for row in expected_rows(a, b):
        moves.add_row(*row)
    console.print(moves)
    changes = changed_cases(a, b)
    if changes:
        flips = Table(title=f"{len(changes)} cases whose verdict changed")
        for column in ("id", "A", "B"):
            flips.add_column(column)
        for row in changes:
            flips.add_row(*row)
        console.print(flips)
