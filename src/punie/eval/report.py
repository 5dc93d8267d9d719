"""The evaluation report: built from cases, runs and scores; written as JSON; shown as a terminal table."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from punie.eval.cases import EvalCase
from punie.eval.metrics import aggregate, by_expected, right_count
from punie.eval.results import CaseRun
from punie.eval.scoring import CaseScore, score_case

REQUIRED_KEYS = (
    "cases",
    "decision_accuracy",
    "tool_name_accuracy",
    "argument_accuracy",
    "format_validity",
    "confusion",
    "latency",
    "per_case",
)


def per_case_entry(case: EvalCase, run: CaseRun, score: CaseScore) -> dict[str, Any]:
    return {
        "id": case.id,
        "source": case.source,
        "prompt": case.prompt,
        "expected": case.expected.to_dict(),
        "decision": "call" if score.called else "direct",
        **{key: value for key, value in asdict(score).items() if key != "notes"},
        "notes": score.notes,
        **{key: value for key, value in run.to_dict().items() if key != "id"},
    }


def build_report(
    suite: str,
    model: str,
    cases: list[EvalCase],
    runs: list[CaseRun],
    *,
    settings: dict[str, Any] | None = None,
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Score every finished run (cases without a run, e.g. after Ctrl-C, are left out and counted)."""
    by_id = {case.id: case for case in cases}
    finished = [run for run in runs if run.id in by_id]
    dialect = (settings or {}).get("dialect", "qwen3_xml")
    scores = [score_case(by_id[run.id], run, dialect) for run in finished]
    report: dict[str, Any] = {
        "suite": suite,
        "model": model,
        "settings": settings or {},
        **(meta or {}),
        "cases_planned": len(cases),
        **aggregate(scores, finished),
    }
    report["per_case"] = [per_case_entry(by_id[r.id], r, s) for r, s in zip(finished, scores, strict=True)]
    report["by_expected"] = by_expected(report["per_case"])
    return report


def write_json(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load_report(path: Path) -> dict[str, Any]:
    """Read a JSON report, checking it has the keys a report must have."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a readable JSON report ({exc})") from exc
    missing = [key for key in REQUIRED_KEYS if not isinstance(data, dict) or key not in data]
    if missing:
        raise ValueError(f"{path}: not a punie eval report (missing {', '.join(missing)})")
    return data


def pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def secs(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}s"


def headline_rows(report: dict[str, Any]) -> list[tuple[str, str]]:
    latency = report["latency"]
    return [
        (
            "cases",
            f"{report['cases']} of {report.get('cases_planned', report['cases'])}"
            + (" (interrupted)" if report.get("interrupted") else ""),
        ),
        ("decision accuracy", pct(report["decision_accuracy"])),
        (
            "call precision / recall",
            f"{pct(report.get('call_precision'))} / {pct(report.get('call_recall'))}",
        ),
        ("tool-name accuracy", pct(report["tool_name_accuracy"])),
        ("argument accuracy", pct(report["argument_accuracy"])),
        (
            "format validity",
            f"{pct(report['format_validity'])} of {report.get('format_attempts', 0)} attempts",
        ),
        ("TTFT median / p90", f"{secs(latency['ttft_s']['median'])} / {secs(latency['ttft_s']['p90'])}"),
        ("total median / p90", f"{secs(latency['total_s']['median'])} / {secs(latency['total_s']['p90'])}"),
        ("request errors", str(report.get("errors", 0))),
        ("wall time", secs(report.get("duration_s"))),
    ]


def expected_rows(report: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(expected, cases, right, arguments right, what else the model did) per expected move; older reports
    without the breakdown get it computed from their cases."""
    rows = []
    for label, row in (report.get("by_expected") or by_expected(report["per_case"])).items():
        others = ", ".join(f"{count} {did}" for did, count in row["instead"].items())
        arguments = "—" if label == "direct" else str(row["arguments_ok"])
        rows.append((label, str(row["cases"]), str(right_count(label, row)), arguments, others or "—"))
    return rows


def _mark(value: bool | None) -> str:
    return "·" if value is None else ("[green]✓[/]" if value else "[red]✗[/]")


def print_report(report: dict[str, Any], console: Any, *, per_case: bool = True) -> None:
    """Rich tables: per case (when asked), the confusion matrix, and the headline metrics."""
    from rich.table import Table

    if per_case:
        cases = Table(title=f"{report['suite']} on {report['model']}", show_lines=False)
        for column in ("id", "prompt", "expected", "got", "dec", "name", "args", "fmt", "ttft", "total"):
            cases.add_column(column, no_wrap=True, max_width=40 if column == "prompt" else None)
        for entry in report["per_case"]:
            expected = entry["expected"]
            want = "direct" if expected["kind"] == "direct" else "/".join(expected.get("name", []))
            got = ", ".join(call["name"] for call in entry["calls"]) or "direct"
            if entry.get("error"):
                got = "[red]error[/]"
            cases.add_row(
                entry["id"],
                entry["prompt"][:40],
                want,
                got,
                _mark(entry["decision_ok"]),
                _mark(entry["name_ok"]),
                _mark(entry["arguments_ok"]),
                _mark(entry["format_ok"]),
                secs(entry["ttft_s"]),
                secs(entry["total_s"]),
            )
        console.print(cases)
    matrix = report["confusion"]
    confusion = Table(title="confusion (rows: expected)")
    confusion.add_column("")
    confusion.add_column("called", justify="right")
    confusion.add_column("not called", justify="right")
    for row in ("tool_expected", "direct_expected"):
        confusion.add_row(row.replace("_", " "), str(matrix[row]["called"]), str(matrix[row]["not_called"]))
    console.print(confusion)
    expected = Table(title="by expected move (right = called that tool, or answered directly)")
    for column in ("expected", "cases", "right", "args right", "instead"):
        expected.add_column(column, justify="left" if column in ("expected", "instead") else "right")
    for row in expected_rows(report):
        expected.add_row(*row)
    console.print(expected)
    summary = Table(title="summary", show_header=False)
    summary.add_column("metric")
    summary.add_column("value", justify="right")
    for name, value in headline_rows(report):
        summary.add_row(name, value)
    console.print(summary)
