"""Reports: JSON round trip, the terminal table, `punie eval compare`, and the HTML document."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from punie.cli import app
from punie.eval.compare import changed_cases, compare_rows, expected_rows
from punie.eval.html import render_html
from punie.eval.report import build_report, load_report, print_report, write_json
from punie.eval.results import CaseRun, RecordedCall
from punie.eval.suites import seed_cases


def sample_report(model: str = "m", flip: bool = False) -> dict:
    """A seed-suite report from hand-made runs (the model's answers are made up here on purpose)."""
    cases = seed_cases()
    runs = []
    for index, case in enumerate(cases):
        run = CaseRun(case.id, ttft_s=0.1 * (index + 1), total_s=0.3 * (index + 1), completion_tokens=5)
        wants_call = case.expected.kind == "tool_call"
        if wants_call != (flip and index == 0):
            run.calls = [RecordedCall.from_wire("run_command", '{"command": "grep -rn <View> ."}')]
        else:
            run.content = "An answer with <b>markup</b> & ampersands."
        runs.append(run)
    return build_report(
        "seed",
        model,
        cases,
        runs,
        settings={"temperature": 0.0, "max_tokens": 64},
        meta={"duration_s": 1.5, "started_at": "2026-01-01T00:00:00+00:00"},
    )


def many_case_report(count: int) -> dict:
    """A report with `count` direct cases and made-up latencies (for the many-cases chart layout)."""
    seed = seed_cases()[2]
    cases = [replace(seed, id=f"case_{i}") for i in range(count)]
    runs = [
        CaseRun(c.id, content="x", ttft_s=0.05 + i / 1000, total_s=0.5 + i / 100) for i, c in enumerate(cases)
    ]
    return build_report("many", "m", cases, runs, meta={"duration_s": 9.0})


def test_json_report_round_trips_and_is_checked_on_load(tmp_path: Path) -> None:
    report = sample_report()
    path = tmp_path / "r.json"
    write_json(report, path)
    assert load_report(path) == json.loads(json.dumps(report))
    (tmp_path / "bad.json").write_text('{"cases": 1}')
    with pytest.raises(ValueError, match="missing decision_accuracy"):
        load_report(tmp_path / "bad.json")


def test_terminal_table_shows_cases_confusion_and_summary() -> None:
    from rich.console import Console

    buffer = io.StringIO()
    print_report(sample_report(), Console(file=buffer, width=160, color_system=None))
    text = buffer.getvalue()
    assert "seed_1" in text and "confusion" in text and "decision accuracy" in text and "100.0%" in text


def test_compare_shows_deltas_and_flipped_cases() -> None:
    a, b = sample_report("base"), sample_report("tuned", flip=True)
    rows = {row[0]: row for row in compare_rows(a, b)}
    assert rows["decision accuracy"][1:] == ("100.0%", "80.0%", "-20.0 pp")
    assert changed_cases(a, b) == [("seed_1", "ok run_command", "wrong direct")]
    assert expected_rows(a, b) == [
        ("read_file/run_command", "1/1", "1/1", "+0"),
        ("run_command", "2/2", "1/2", "-1"),
        ("direct", "2/2", "2/2", "+0"),
    ]


def test_compare_counts_a_wrong_tool_as_a_changed_verdict() -> None:
    a, b = sample_report("base"), sample_report("tuned")
    call = b["per_case"][0]
    call["name_ok"], call["calls"][0]["name"] = False, "search"  # still a call, now the wrong tool
    del b["by_expected"]  # computed from the cases, as for reports written before the breakdown existed
    assert changed_cases(a, b) == [("seed_1", "ok run_command", "wrong search")]
    assert expected_rows(a, b)[1] == ("run_command", "2/2", "1/2", "-1")


def test_eval_compare_command(tmp_path: Path) -> None:
    write_json(sample_report("base"), tmp_path / "a.json")
    write_json(sample_report("tuned", flip=True), tmp_path / "b.json")
    result = CliRunner().invoke(app, ["eval", "compare", str(tmp_path / "a.json"), str(tmp_path / "b.json")])
    assert result.exit_code == 0, result.output
    assert "-20.0 pp" in result.output and "seed_1" in result.output
    missing = CliRunner().invoke(app, ["eval", "compare", str(tmp_path / "a.json"), str(tmp_path / "x.json")])
    assert missing.exit_code == 2 and "not a readable JSON report" in " ".join(missing.output.split())


def test_eval_help_has_an_example() -> None:
    result = CliRunner().invoke(app, ["eval", "--help"])
    assert result.exit_code == 0 and "punie eval --suite seed" in result.output


def test_html_is_self_contained_and_escapes_model_text() -> None:
    html = render_html(sample_report())
    assert "<svg" in html and 'class="chart confusion"' in html and 'class="chart latency"' in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing fetched from anywhere
    assert "<b>markup</b>" not in html and "&lt;b&gt;markup&lt;/b&gt;" in html
    assert "grep -rn &lt;View&gt;" in html


def test_eval_with_a_bad_case_file_names_file_and_line_and_loads_no_model(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "a", "messages": [{"role": "user", "content": "hi"}], "expected": {"kind": "maybe"}}\n'
    )
    result = CliRunner().invoke(app, ["eval", "--suite", str(bad), "--model", "local:http://127.0.0.1:9/v1"])
    assert result.exit_code == 2
    assert f"{bad}:1: expected.kind must be" in " ".join(result.output.split())


def test_breakdown_by_expected_move_counts_right_and_names_what_was_done_instead() -> None:
    report = sample_report("tuned", flip=True)  # seed_1 (expects run_command) answered directly
    assert report["by_expected"] == {
        "run_command": {
            "cases": 2,
            "decision_ok": 1,
            "name_ok": 1,
            "arguments_ok": 1,
            "instead": {"direct": 1},
        },
        "read_file/run_command": {
            "cases": 1,
            "decision_ok": 1,
            "name_ok": 1,
            "arguments_ok": 1,
            "instead": {},
        },
        "direct": {"cases": 2, "decision_ok": 2, "name_ok": 0, "arguments_ok": 0, "instead": {}},
    }
    from rich.console import Console

    buffer = io.StringIO()
    print_report(report, Console(file=buffer, width=160, color_system=None), per_case=False)
    row = next(line for line in buffer.getvalue().splitlines() if line.startswith("│ run_command"))
    assert [cell.strip() for cell in row.split("│")[1:6]] == ["run_command", "2", "1", "1", "1 direct"]
    html = render_html(report)
    assert (
        "<td>run_command</td><td class=num>2</td><td class=num>1</td><td class=num>1</td><td>1 direct</td>"
        in html
    )
    old = {key: value for key, value in report.items() if key != "by_expected"}  # reports from before it
    assert render_html(old) == html
