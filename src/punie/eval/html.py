"""A self-contained HTML report: inline CSS and inline SVG charts, nothing fetched from anywhere."""

from __future__ import annotations

from html import escape
from typing import Any

from punie.eval.report import expected_rows, headline_rows, pct, secs

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1100px;color:#1f2933;
padding:0 1rem;background:#fbfbfd}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d9dee5}
.sub{color:#5f6b7a;margin-top:0}.grid{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}
table{border-collapse:collapse;font-size:.85rem}th,td{padding:.3rem .5rem;border-bottom:1px solid #e4e7eb;
text-align:left;vertical-align:top}th{background:#f0f2f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
.cases td{max-width:22rem;overflow-wrap:anywhere}
.ok{color:#1a7f37;font-weight:600}.bad{color:#c62828;font-weight:600}.na{color:#9aa5b1}
details pre{white-space:pre-wrap;max-width:60rem;background:#f4f5f7;padding:.5rem;font-size:.8rem}
svg text{font-family:inherit;font-size:12px;fill:#1f2933}.legend span{display:inline-block;width:.8rem;
height:.8rem;margin:0 .3rem 0 1rem;vertical-align:middle}
"""

TTFT_COLOR = "#3b82f6"
TOTAL_COLOR = "#f59e0b"


def _mark(value: bool | None) -> str:
    if value is None:
        return '<span class="na">·</span>'
    return '<span class="ok">✓</span>' if value else '<span class="bad">✗</span>'


def confusion_svg(matrix: dict[str, dict[str, int]]) -> str:
    """A 2x2 heat map: rows expected (tool, direct), columns what the model did (called, not called)."""
    cell, left, top = 110, 120, 40
    peak = max([1] + [count for row in matrix.values() for count in row.values()])
    parts = [
        f'<svg class="chart confusion" role="img" aria-label="confusion matrix" '
        f'width="{left + 2 * cell + 10}"'
        f' height="{top + 2 * cell + 10}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for col, label in enumerate(("called", "not called")):
        parts.append(
            f'<text x="{left + col * cell + cell / 2}" y="{top - 12}" text-anchor="middle">{label}</text>'
        )
    for row_index, (row, label) in enumerate(
        (("tool_expected", "tool expected"), ("direct_expected", "direct expected"))
    ):
        y = top + row_index * cell
        parts.append(f'<text x="{left - 8}" y="{y + cell / 2 + 4}" text-anchor="end">{label}</text>')
        for col_index, col in enumerate(("called", "not_called")):
            count = matrix[row][col]
            correct = (row == "tool_expected") == (col == "called")
            hue = "34,139,34" if correct else "198,40,40"
            alpha = 0.12 + 0.78 * count / peak
            x = left + col_index * cell
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell - 4}" height="{cell - 4}" rx="6" '
                f'fill="rgba({hue},{alpha:.2f})"><title>{label} / {col}: {count}</title></rect>'
            )
            parts.append(
                f'<text x="{x + cell / 2 - 2}" y="{y + cell / 2 + 6}" text-anchor="middle" '
                f'style="font-size:20px;font-weight:600">{count}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def metrics_svg(report: dict[str, Any]) -> str:
    """Horizontal bars for the accuracy metrics (0–100%)."""
    metrics = [
        ("decision", report["decision_accuracy"]),
        ("call precision", report.get("call_precision")),
        ("call recall", report.get("call_recall")),
        ("tool name", report["tool_name_accuracy"]),
        ("arguments", report["argument_accuracy"]),
        ("format", report["format_validity"]),
    ]
    width, left, bar, gap = 460, 120, 22, 8
    height = len(metrics) * (bar + gap) + 10
    parts = [
        f'<svg class="chart metrics" role="img" aria-label="accuracy metrics" width="{width + 60}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, (label, value) in enumerate(metrics):
        y = 5 + index * (bar + gap)
        parts.append(f'<text x="{left - 8}" y="{y + bar / 2 + 4}" text-anchor="end">{label}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{width - left}" height="{bar}" fill="#eef1f5"/>')
        if value is not None:
            parts.append(
                f'<rect class="bar" x="{left}" y="{y}" width="{(width - left) * value:.1f}" '
                f'height="{bar}" fill="#4c6ef5"><title>{label}: {pct(value)}</title></rect>'
            )
        parts.append(f'<text x="{width + 6}" y="{y + bar / 2 + 4}">{pct(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


COLUMN_CHART_FROM = 40  # more cases than this: one thin column per case instead of one row per case


def latency_svg(per_case: list[dict[str, Any]]) -> str:
    """Per case: total time (orange) with time to first token (blue) drawn over it, in seconds."""
    rows = [entry for entry in per_case if not entry.get("error")]
    if len(rows) > COLUMN_CHART_FROM:
        return latency_columns_svg(rows)
    left, bar, gap, width = 150, 14, 6, 520
    peak = max([1e-9] + [entry["total_s"] for entry in rows])
    height = len(rows) * (bar + gap) + 30
    parts = [
        f'<svg class="chart latency" role="img" aria-label="latency per case" width="{width + 90}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, entry in enumerate(rows):
        y = 5 + index * (bar + gap)
        scale = (width - left) / peak
        parts.append(
            f'<text x="{left - 8}" y="{y + bar - 2}" text-anchor="end">{escape(entry["id"][:22])}</text>'
        )
        parts.append(
            f'<rect class="bar total" x="{left}" y="{y}" width="{entry["total_s"] * scale:.1f}" '
            f'height="{bar}" fill="{TOTAL_COLOR}"><title>total {secs(entry["total_s"])}</title></rect>'
        )
        if entry.get("ttft_s") is not None:
            parts.append(
                f'<rect class="bar ttft" x="{left}" y="{y + 3}" width="{entry["ttft_s"] * scale:.1f}" '
                f'height="{bar - 6}" fill="{TTFT_COLOR}"><title>TTFT {secs(entry["ttft_s"])}</title></rect>'
            )
        parts.append(
            f'<text x="{left + entry["total_s"] * scale + 4:.1f}" y="{y + bar - 2}">'
            f"{entry['total_s']:.2f}s</text>"
        )
    axis_y = height - 18
    parts.append(f'<line x1="{left}" y1="{axis_y}" x2="{width}" y2="{axis_y}" stroke="#9aa5b1"/>')
    parts.append(f'<text x="{left}" y="{axis_y + 14}">0</text>')
    parts.append(f'<text x="{width}" y="{axis_y + 14}" text-anchor="end">{peak:.2f}s</text>')
    parts.append("</svg>")
    return "".join(parts)


def latency_columns_svg(rows: list[dict[str, Any]]) -> str:
    """Many cases: a column per case, in suite order (hover a column for its id and times)."""
    left, top, plot_h, width = 50, 10, 220, 900
    step = width / len(rows)
    peak = max([1e-9] + [entry["total_s"] for entry in rows])
    scale = plot_h / peak
    axis_y = top + plot_h
    parts = [
        f'<svg class="chart latency" role="img" aria-label="latency per case" width="{left + width + 20}" '
        f'height="{axis_y + 40}" xmlns="http://www.w3.org/2000/svg">'
    ]
    bar_w = max(step - 1, 1)
    for index, entry in enumerate(rows):
        x = left + index * step
        title = f"{escape(entry['id'])}: total {secs(entry['total_s'])}, TTFT {secs(entry.get('ttft_s'))}"
        total_h = entry["total_s"] * scale
        parts.append(
            f'<rect class="bar total" x="{x:.1f}" y="{axis_y - total_h:.1f}" width="{bar_w:.1f}" '
            f'height="{total_h:.1f}" fill="{TOTAL_COLOR}"><title>{title}</title></rect>'
        )
        if entry.get("ttft_s") is not None:
            ttft_h = entry["ttft_s"] * scale
            parts.append(
                f'<rect class="bar ttft" x="{x:.1f}" y="{axis_y - ttft_h:.1f}" width="{bar_w:.1f}" '
                f'height="{ttft_h:.1f}" fill="{TTFT_COLOR}"><title>{title}</title></rect>'
            )
    parts.append(f'<line x1="{left}" y1="{axis_y}" x2="{left + width}" y2="{axis_y}" stroke="#9aa5b1"/>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{axis_y}" stroke="#9aa5b1"/>')
    parts.append(f'<text x="{left - 6}" y="{top + 10}" text-anchor="end">{peak:.1f}s</text>')
    parts.append(f'<text x="{left - 6}" y="{axis_y}" text-anchor="end">0</text>')
    parts.append(
        f'<text x="{left + width / 2}" y="{axis_y + 24}" text-anchor="middle">'
        f"cases 1–{len(rows)} in suite order</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def histogram_svg(values: list[float], label: str, bins: int = 12) -> str:
    """A histogram of one latency measure across cases: a title, bars with counts, and an axis."""
    width, height, top, bottom, left = 400, 190, 26, 30, 10
    if not values:
        empty = f'<text x="4" y="20">no {escape(label)}</text>'
        return f'<svg class="chart histogram" width="{width}" height="40">{empty}</svg>'
    low, high = min(values), max(values)
    span = (high - low) or 1e-9
    counts = [0] * bins
    for value in values:
        counts[min(bins - 1, int((value - low) / span * bins))] += 1
    peak = max(counts)
    step = width / bins
    axis_y = height - bottom
    parts = [
        f'<svg class="chart histogram" role="img" aria-label="{escape(label)} histogram" '
        f'width="{width + 2 * left}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="{left}" y="16" style="font-weight:600">{escape(label)} ({len(values)} cases)</text>',
    ]
    for index, count in enumerate(counts):
        if not count:
            continue
        h = (axis_y - top - 14) * count / peak
        x = left + index * step
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{axis_y - h:.1f}" width="{step - 2:.1f}" '
            f'height="{h:.1f}" fill="#7c3aed"><title>{count} cases</title></rect>'
            f'<text x="{x + step / 2 - 1:.1f}" y="{axis_y - h - 3:.1f}" text-anchor="middle">{count}</text>'
        )
    parts.append(f'<line x1="{left}" y1="{axis_y}" x2="{left + width}" y2="{axis_y}" stroke="#9aa5b1"/>')
    parts.append(f'<text x="{left}" y="{axis_y + 16}">{low:.2f}s</text>')
    parts.append(f'<text x="{left + width}" y="{axis_y + 16}" text-anchor="end">{high:.2f}s</text>')
    parts.append("</svg>")
    return "".join(parts)


def _case_rows(per_case: list[dict[str, Any]]) -> str:
    rows = []
    for entry in per_case:
        expected = entry["expected"]
        want = "direct" if expected["kind"] == "direct" else " / ".join(expected.get("name", []))
        calls = "<br>".join(f"{escape(c['name'])}({escape(c['arguments_text'])})" for c in entry["calls"])
        details = escape(entry.get("raw_text") or entry.get("content") or "")
        notes = "<br>".join(escape(note) for note in entry.get("notes", []))
        rows.append(
            f"<tr><td>{escape(entry['id'])}</td><td>{escape(entry['prompt'])}</td><td>{escape(want)}</td>"
            f"<td>{calls or 'direct'}</td><td>{_mark(entry['decision_ok'])}</td>"
            f"<td>{_mark(entry['name_ok'])}</td>"
            f"<td>{_mark(entry['arguments_ok'])}</td><td>{_mark(entry['format_ok'])}</td>"
            f"<td class=num>{secs(entry.get('ttft_s'))}</td><td class=num>{secs(entry.get('total_s'))}</td>"
            f"<td class=num>{entry.get('completion_tokens') or '—'}</td>"
            f"<td>{notes}<details><summary>raw text ({escape(entry.get('raw_text_source', ''))})</summary>"
            f"<pre>{details}</pre></details></td></tr>"
        )
    return "\n".join(rows)


def _expected_rows(report: dict[str, Any]) -> str:
    return "\n".join(
        "<tr>"
        + "".join(f"<td{' class=num' if 0 < i < 4 else ''}>{escape(cell)}</td>" for i, cell in enumerate(row))
        + "</tr>"
        for row in expected_rows(report)
    )


def render_html(report: dict[str, Any]) -> str:
    """The whole report as one HTML document."""
    per_case = report["per_case"]
    title = f"punie eval — {report['suite']} on {report['model']}"
    headline = "".join(
        f"<tr><th>{escape(k)}</th><td class=num>{escape(v)}</td></tr>" for k, v in headline_rows(report)
    )
    ttfts = [e["ttft_s"] for e in per_case if e.get("ttft_s") is not None and not e.get("error")]
    totals = [e["total_s"] for e in per_case if not e.get("error")]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>
<body>
<h1>{escape(title)}</h1>
<p class="sub">{escape(str(report.get("started_at", "")))}
 · temperature {report.get("settings", {}).get("temperature")}
 · max_tokens {report.get("settings", {}).get("max_tokens")}</p>
<div class="grid">
<section><h2>Summary</h2><table>{headline}</table></section>
<section><h2>Confusion matrix</h2>{confusion_svg(report["confusion"])}</section>
<section><h2>Accuracy</h2>{metrics_svg(report)}</section>
</div>
<h2>By expected move</h2>
<table class="expected"><thead><tr><th>expected</th><th>cases</th><th>right</th><th>args right</th>
<th>instead</th></tr></thead>
<tbody>
{_expected_rows(report)}
</tbody></table>
<h2>Latency per case</h2>
<p class="legend"><span style="background:{TTFT_COLOR}"></span>time to first token
<span style="background:{TOTAL_COLOR}"></span>total time</p>
{latency_svg(per_case)}
<div class="grid">{histogram_svg(ttfts, "time to first token")}{histogram_svg(totals, "total time")}</div>
<h2>Cases</h2>
<table class="cases"><thead><tr><th>id</th><th>prompt</th><th>expected</th><th>got</th><th>decision</th>
<th>name</th><th>args</th><th>format</th><th>TTFT</th><th>total</th><th>tokens</th><th>notes</th></tr></thead>
<tbody>
{_case_rows(per_case)}
</tbody></table>
</body></html>
"""
