"""The HTML report opened in headless Chromium: its SVG charts are laid out with real, non-empty boxes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from punie.eval.html import render_html

from .test_reports import many_case_report, sample_report

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]

# Appended to a copy of the report only for this test: measures every chart after layout and writes the
# result into the DOM, which `--dump-dom` then prints.
MEASURE = """<script>
const charts = [...document.querySelectorAll('svg.chart')].map(svg => {
  const box = svg.getBoundingClientRect();
  const bars = [...svg.querySelectorAll('rect')].map(r => r.getBBox())
    .filter(b => b.width > 0 && b.height > 0);
  return {kind: svg.classList[1], width: box.width, height: box.height, drawn: bars.length,
          texts: svg.querySelectorAll('text').length};
});
document.body.setAttribute('data-charts', JSON.stringify(charts));
</script>"""


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if path is None:
        pytest.fail(
            "headless Chromium is needed for this test: run `make system-deps` (apt-get install chromium)"
        )
    return path


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def rendered_charts(tmp_path: Path, report: dict) -> list[dict]:
    """Open the report in headless Chromium and return each chart's measured layout."""
    page = tmp_path / "report.html"
    page.write_text(render_html(report).replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    result = run_chromium(tmp_path, "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    match = re.search(r'data-charts="([^"]*)"', result.stdout)
    assert match, "the measuring script did not run: " + result.stdout[:500]
    return json.loads(match.group(1).replace("&quot;", '"'))


@pytest.mark.slow
def test_chromium_renders_the_reports_charts(tmp_path: Path) -> None:
    charts = rendered_charts(tmp_path, sample_report())
    by_kind: dict[str, list[dict]] = {}
    for chart in charts:
        by_kind.setdefault(chart["kind"], []).append(chart)
    assert set(by_kind) == {"confusion", "metrics", "latency", "histogram"}
    for chart in charts:
        assert chart["width"] > 100 and chart["height"] > 30, chart
        assert chart["drawn"] > 0 and chart["texts"] > 0, chart
    assert by_kind["confusion"][0]["drawn"] == 4  # the four cells of the matrix
    assert by_kind["latency"][0]["drawn"] == 2 * 5  # total and TTFT bars for each of the five cases


@pytest.mark.slow
def test_chromium_renders_a_many_case_latency_chart_as_columns(tmp_path: Path) -> None:
    charts = rendered_charts(tmp_path, many_case_report(120))
    latency = next(chart for chart in charts if chart["kind"] == "latency")
    assert latency["drawn"] == 2 * 120 and latency["width"] > 800 and latency["height"] < 400


@pytest.mark.slow
def test_chromium_takes_a_screenshot_of_the_report(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(sample_report()), encoding="utf-8")
    shot = tmp_path / "report.png"
    result = run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a blank page compresses far smaller
