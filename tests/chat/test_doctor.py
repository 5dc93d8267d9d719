"""`punie doctor` on aligned and misaligned datasets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from punie.chat import SYSTEM_PROMPT, WORKSPACE_TOOLS
from punie.cli import app
from punie.data.doctor import run_doctor

TOOLS = [tool.to_openai() for tool in WORKSPACE_TOOLS]


def record(user: str, calls: list[tuple[str, dict | str]], result: str, answer: str) -> dict:
    messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]
    if calls:
        tool_calls = [{"type": "function", "function": {"name": n, "arguments": a}} for n, a in calls]
        messages.append({"role": "assistant", "content": "", "tool_calls": tool_calls})
        messages += [{"role": "tool", "name": n, "content": result} for n, _ in calls]
    messages.append({"role": "assistant", "content": answer})
    return {"messages": messages, "tools": TOOLS, "meta": {"kind": "tool" if calls else "direct"}}


def legacy_record(user: str, name: str, arguments: dict, result: str, answer: str) -> dict:
    """The seed's format: the call as a JSON fence in the assistant's text, the result as a user message."""
    fence = "```json\n" + json.dumps({"name": name, "arguments": arguments}, indent=2) + "\n```"
    return {
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": user},
            {"role": "assistant", "content": f"I'll use the {name} tool.\n\n{fence}"},
            {"role": "user", "content": f"Tool result: {result}"},
            {"role": "assistant", "content": answer},
        ]
    }


def write_jsonl(path: Path, lines: list[dict | str]) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return path


@pytest.fixture
def aligned(tmp_path: Path) -> Path:
    return write_jsonl(
        tmp_path / "aligned.jsonl",
        [
            record(
                "Find Django views", [("search", {"pattern": "class .*View"})], "app/views.py:3:", "HomeView."
            ),
            record(
                "Run the tests, then show setup",
                [
                    ("run_command", '{"command": "pytest -q", "timeout": 60}'),
                    ("read_file", {"path": "setup.py"}),
                ],
                "ok",
                "All tests pass.",
            ),
            record(
                "What is dependency injection?", [], "", "Passing collaborators in instead of creating them."
            ),
            record(
                "Create notes.md",
                [
                    (
                        "write_file",
                        {"path": "notes.md", "content": "# Notes\n</parameter> stays <b>text</b> & more"},
                    )
                ],
                "written",
                "Created.",
            ),
        ],
    )


@pytest.fixture
def seed_case(tmp_path: Path) -> Path:
    return write_jsonl(
        tmp_path / "legacy.jsonl",
        [
            legacy_record(
                "Show me views.py", "read_file", {"path": "app/views.py"}, "class V: ...", "One view."
            ),
            record("What is a decorator?", [], "", "A function that wraps another."),
            legacy_record("Run the tests", "run_command", {"command": "pytest"}, "3 passed", "All pass."),
        ],
    )


def test_aligned_set_passes(aligned: Path) -> None:
    report = run_doctor(aligned, tokenize=False)
    assert report.problems == [] and report.bad_lines == []
    assert report.markers is not None and report.markers.problems == []
    assert report.markers.instructions_parse
    assert report.examples == 4 and report.assistant_turns == 7
    assert report.structured_calls == report.expected_calls == report.matching_calls == 4
    assert report.parsed_calls == 4
    assert report.aligned
    assert report.verdict().startswith("ALIGNED: 4 examples, 7 assistant turns; 4/4 calls")


def test_seed_case_is_reported_as_plain_text_with_line_numbers(seed_case: Path) -> None:
    report = run_doctor(seed_case, tokenize=False)
    assert not report.aligned
    assert [(p.line, p.message, p.kind) for p in report.problems] == [
        (1, 2, "plain_text"),
        (3, 2, "plain_text"),
    ]
    assert report.problems[0].expected == [{"name": "read_file", "arguments": {"path": "app/views.py"}}]
    assert report.problems[0].parsed == []
    assert report.text_calls == {"json_fence": 2}
    assert report.structured_calls == 0 and report.parsed_calls == 0
    assert report.plain_text_calls == 2
    verdict = report.verdict()
    assert verdict.startswith("MISALIGNED")
    assert "2 calls would reach the server as plain text (0 structured calls parsed by qwen3_xml)" in verdict


def test_explicit_data_dialect_finds_the_same_calls(seed_case: Path) -> None:
    report = run_doctor(seed_case, data_dialect="json_fence", tokenize=False)
    assert [p.line for p in report.problems] == [1, 3]
    report = run_doctor(seed_case, data_dialect="hermes_json", tokenize=False)
    assert report.problems == [] and report.text_calls == {}  # hermes finds no calls in JSON fences


def test_cli_exit_codes_output_and_json(aligned: Path, seed_case: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["doctor", str(aligned), "--no-tokens"])
    assert ok.exit_code == 0, ok.output
    assert "ALIGNED: 4 examples" in ok.output
    out = tmp_path / "report.json"
    bad = runner.invoke(app, ["doctor", str(seed_case), "--no-tokens", "--json", str(out)])
    assert bad.exit_code == 1, bad.output
    assert "MISALIGNED" in bad.output
    assert "would reach the server as plain text" in bad.output
    assert f"{seed_case}:1" in bad.output.replace("\n", "") or "legacy.jsonl:1" in bad.output
    saved = json.loads(out.read_text())
    assert saved["aligned"] is False
    assert [p["line"] for p in saved["problems"]] == [1, 3]


def test_unreadable_lines_are_named_and_fail_the_check(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "mixed.jsonl",
        [record("hi", [], "", "hello"), "{not json", {"messages": "nope"}, {"messages": [{"role": "robot"}]}],
    )
    report = run_doctor(path, tokenize=False)
    assert not report.aligned
    assert [line.split(":")[1] for line in report.bad_lines] == ["2", "3", "4"]
    assert "unknown role 'robot'" in report.bad_lines[2]


HERMES_TEMPLATE = """{%- for m in messages -%}
{%- if m.role == 'system' -%}<|im_start|>system
{{ m.content }}
# Tools
<tools>{% for t in tools %}{{ t | tojson }}{% endfor %}</tools>
For each call return <tool_call>
{"name": <function-name>, "arguments": <args-json-object>}
</tool_call><|im_end|>
{% elif m.role == 'assistant' -%}<|im_start|>assistant
{{ m.content }}{% for c in m.tool_calls or [] %}<tool_call>
{"name": "{{ c.function.name }}", "arguments": {{ c.function.arguments | tojson }}}
</tool_call>{% endfor %}<|im_end|>
{% elif m.role == 'tool' -%}<|im_start|>user
<tool_response>
{{ m.content }}
</tool_response><|im_end|>
{% else -%}<|im_start|>{{ m.role }}
{{ m.content }}<|im_end|>
{% endif -%}
{%- endfor -%}
{%- if add_generation_prompt %}<|im_start|>assistant
{% endif -%}
"""


def test_a_template_in_another_format_is_caught(aligned: Path, tmp_path: Path) -> None:
    template = tmp_path / "hermes.jinja"
    template.write_text(HERMES_TEMPLATE)
    report = run_doctor(aligned, template=str(template), tokenize=False)
    assert not report.aligned
    assert {p.kind for p in report.problems} == {"plain_text"}
    assert report.plain_text_calls == 4
    problems = " | ".join(report.markers.problems)
    assert "never show <function=" in problems
    assert '"arguments"' in problems and "which qwen3_xml does not parse" in problems
    # The same template agrees with a hermes_json server.
    hermes = run_doctor(aligned, template=str(template), dialect="hermes_json", tokenize=False)
    assert hermes.problems == [] and hermes.matching_calls == 4


def test_a_template_that_drops_arguments_is_a_mismatch(aligned: Path, tmp_path: Path) -> None:
    source = (Path(__file__).parents[2] / "src/punie/chat/templates/punie_chatml.jinja").read_text()
    template = tmp_path / "lossy.jinja"
    template.write_text(
        source.replace("render_calls(message.tool_calls)", "render_calls(message.tool_calls[:1])")
    )
    report = run_doctor(aligned, template=str(template), tokenize=False)
    assert [(p.line, p.kind) for p in report.problems] == [(2, "mismatch")]
    assert report.problems[0].detail == "2 calls in the data, 1 parsed"


@pytest.mark.slow
def test_marker_tokens_under_the_embedded_vocabulary(aligned: Path) -> None:
    report = run_doctor(aligned)
    rows = {row.marker: row for row in report.tokens}
    assert len(rows["<|im_end|>"].ids) == 1  # the end of turn is one special token: generation can stop
    assert "".join(rows["<tool_call>"].pieces) == "<tool_call>"
    assert {"<tool_call>", "<function=", "<parameter=", "</tool_call>", "<tool_response>"} <= set(rows)
    assert report.token_problems == [] and report.aligned


@pytest.mark.slow
def test_the_embedded_models_own_template_drops_tool_calls(aligned: Path) -> None:
    report = run_doctor(aligned, template="gguf")
    assert not report.aligned
    assert report.markers is not None and not report.markers.lists_tools
    assert {p.kind for p in report.problems} == {"dropped"} and report.dropped_calls == 4
    assert "dropped by the template" in report.verdict()


def test_pre_rendered_text_records_are_parsed_as_written(tmp_path: Path) -> None:
    fence = '```json\n{"name": "read_file", "arguments": {"path": "a.py"}}\n```'
    xml = "<tool_call>\n<function=read_file>\n<parameter=path>\na.py\n</parameter>\n</function>\n</tool_call>"

    def chatml(call_text: str) -> dict:
        turns = [
            ("user", "Show a.py"),
            ("assistant", call_text),
            ("user", "Tool result: x"),
            ("assistant", "Done."),
        ]
        return {"text": "".join(f"<|im_start|>{role}\n{text}<|im_end|>\n" for role, text in turns)}

    path = write_jsonl(tmp_path / "mlx.jsonl", [chatml(xml), chatml(f"I'll read it.\n\n{fence}")])
    report = run_doctor(path, tokenize=False)
    assert report.text_records == 2 and report.assistant_turns == 4
    assert report.text_calls == {"qwen3_xml": 1, "json_fence": 1}
    assert [(p.line, p.message, p.kind) for p in report.problems] == [(2, 0, "plain_text")]
    assert report.matching_calls == 1


def test_a_missing_gguf_is_a_clear_error(aligned: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["doctor", str(aligned), "--gguf", str(tmp_path / "none.gguf")])
    assert result.exit_code == 2
    assert "no GGUF file at" in result.output
