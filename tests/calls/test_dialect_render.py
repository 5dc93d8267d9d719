"""Exact text forms of every dialect's renderer."""

import pytest

from punie.calls import DEFAULT_DIALECT, DIALECTS, ToolCall, get_dialect

READ = ToolCall("read_file", {"path": "src/a.py", "start_line": 3})
RUN = ToolCall("run_command", {"command": 'grep -rn "<b>" . && echo ü'})


def test_default_dialect_is_qwen3_xml():
    assert DEFAULT_DIALECT == "qwen3_xml"
    assert get_dialect().name == "qwen3_xml"
    assert sorted(DIALECTS) == ["hermes_json", "json_fence", "qwen3_xml"]


def test_unknown_dialect_names_the_known_ones():
    with pytest.raises(ValueError, match="hermes_json, json_fence, qwen3_xml"):
        get_dialect("xml")


RENDER_CASES = [
    (
        "qwen3_xml",
        [READ],
        "<tool_call>\n<function=read_file>\n<parameter=path>\nsrc/a.py\n</parameter>\n"
        "<parameter=start_line>\n3\n</parameter>\n</function>\n</tool_call>",
    ),
    (
        "qwen3_xml",
        [ToolCall("f", {"flag": True, "items": ["ä", 1], "opt": None, "obj": {"k": "v"}})],
        '<tool_call>\n<function=f>\n<parameter=flag>\ntrue\n</parameter>\n<parameter=items>\n["ä", 1]\n'
        '</parameter>\n<parameter=opt>\nnull\n</parameter>\n<parameter=obj>\n{"k": "v"}\n</parameter>\n'
        "</function>\n</tool_call>",
    ),
    (
        "qwen3_xml",
        [ToolCall("list_files", {})],
        "<tool_call>\n<function=list_files>\n</function>\n</tool_call>",
    ),
    (
        "qwen3_xml",
        [READ, RUN],
        "<tool_call>\n<function=read_file>\n<parameter=path>\nsrc/a.py\n</parameter>\n"
        "<parameter=start_line>\n3\n</parameter>\n</function>\n</tool_call>\n"
        '<tool_call>\n<function=run_command>\n<parameter=command>\ngrep -rn "<b>" . && echo ü\n'
        "</parameter>\n</function>\n</tool_call>",
    ),
    (
        "hermes_json",
        [READ, RUN],
        '<tool_call>\n{"name": "read_file", "arguments": {"path": "src/a.py", "start_line": 3}}\n'
        "</tool_call>\n"
        '<tool_call>\n{"name": "run_command", "arguments": {"command": "grep -rn \\"<b>\\" . && echo ü"}}\n'
        "</tool_call>",
    ),
    (
        "json_fence",
        [READ],
        '```json\n{"name": "read_file", "arguments": {"path": "src/a.py", "start_line": 3}}\n```',
    ),
    ("qwen3_xml", [], ""),
]


@pytest.mark.parametrize(("dialect", "calls", "text"), RENDER_CASES)
def test_render_calls(dialect, calls, text):
    assert get_dialect(dialect).render_calls(calls) == text


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_render_tool_response(dialect):
    rendered = get_dialect(dialect).render_tool_response("1: x = 1\n2: <ok> & ü")
    assert rendered == "<tool_response>\n1: x = 1\n2: <ok> & ü\n</tool_response>"
