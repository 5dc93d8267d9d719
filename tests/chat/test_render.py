"""punie.chat rendering: exact text, dict/JSON arguments, system messages, spans and validation."""

from __future__ import annotations

import json

import pytest

from punie.calls import get_dialect
from punie.calls.types import ToolCall
from punie.chat import (
    SYSTEM_PROMPT,
    WORKSPACE_TOOLS,
    TemplateError,
    assistant_spans,
    compile_template,
    load_template,
    render_conversation,
)

from .conversations import DIALECTS, GREP, READ, call, conversation

EXPECTED = (
    "<|im_start|>system\n"
    "Be brief.\n"
    "\n"
    "# Tools\n"
    "\n"
    "You can call these functions:\n"
    "<tools>\n"
    "<function><name>read_file</name><description>Read a file.</description><parameters>"
    '{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}</parameters></function>\n'
    "<function><name>search</name><description>Search files.</description><parameters>"
    '{"type":"object","properties":{"pattern":{"type":"string"},"max":{"type":"integer"}}}'
    "</parameters></function>\n"
    "</tools>\n"
    "\n"
    "To call a function, reply in exactly this format, with nothing after it:\n"
    "<tool_call>\n<function=example_function_name>\n"
    "<parameter=example_parameter_1>\nvalue_1\n</parameter>\n"
    "<parameter=example_parameter_2>\na value that\ncan span lines\n</parameter>\n"
    "</function>\n</tool_call>\n"
    "Give every required parameter. If no function is needed, answer directly.<|im_end|>\n"
    "<|im_start|>user\nFind the views.<|im_end|>\n"
    "<|im_start|>assistant\n"
    "<tool_call>\n<function=read_file>\n<parameter=path>\napp/views.py\n</parameter>\n</function>\n</tool_call>\n"
    "<tool_call>\n<function=search>\n<parameter=pattern>\nclass .*View\n</parameter>\n"
    "<parameter=max>\n5\n</parameter>\n</function>\n</tool_call><|im_end|>\n"
    "<|im_start|>user\n"
    "<tool_response>\n1: class HomeView(View): ...\n</tool_response>\n"
    "<tool_response>\napp/views.py:1:class HomeView(View):\n</tool_response><|im_end|>\n"
    "<|im_start|>assistant\nOne view: HomeView.<|im_end|>\n"
    "<|im_start|>assistant\n"
)


def test_small_conversation_renders_exactly() -> None:
    assert render_conversation(conversation(), [READ, GREP]) == EXPECTED


def test_generation_prompt_is_optional() -> None:
    text = render_conversation(conversation(), [READ, GREP], add_generation_prompt=False)
    assert text == EXPECTED.removesuffix("<|im_start|>assistant\n")


def test_openai_tool_dicts_render_like_tool_objects() -> None:
    as_dicts = [READ.to_openai(), GREP.to_openai()["function"]]
    assert render_conversation(conversation(), as_dicts) == EXPECTED


@pytest.mark.parametrize("dialect", DIALECTS)
def test_json_string_and_dict_arguments_render_identically(dialect: str) -> None:
    as_dicts = render_conversation(conversation(), [READ, GREP], dialect=dialect)
    as_json = render_conversation(conversation(arguments_as_json=True), [READ, GREP], dialect=dialect)
    assert as_dicts == as_json


def test_caller_system_message_comes_first_with_tools_appended() -> None:
    messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "hi"}]
    text = render_conversation(messages, WORKSPACE_TOOLS)
    assert text.startswith("<|im_start|>system\n" + SYSTEM_PROMPT + "\n\n# Tools\n")
    assert text.count("<|im_start|>system") == 1
    for tool in WORKSPACE_TOOLS:
        assert f"<function><name>{tool.name}</name>" in text


def test_without_tools_or_system_there_is_no_system_turn() -> None:
    text = render_conversation([{"role": "user", "content": "hi"}])
    assert text == "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"


def test_tools_without_system_message_get_their_own_system_turn() -> None:
    text = render_conversation([{"role": "user", "content": "hi"}], [READ])
    assert text.startswith("<|im_start|>system\n# Tools\n")
    assert text.endswith("<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_instructions_show_the_dialects_own_call_format(dialect: str) -> None:
    example = get_dialect(dialect).render_calls(
        [
            ToolCall(
                "example_function_name",
                {"example_parameter_1": "value_1", "example_parameter_2": "a value that\ncan span lines"},
            )
        ]
    )
    text = render_conversation([{"role": "user", "content": "hi"}], [READ], dialect=dialect)
    system_turn = text.split("<|im_end|>")[0]
    assert example in system_turn
    others = [get_dialect(other).render_calls([ToolCall("example_function_name", {})]) for other in DIALECTS]
    assert len(set(others)) == len(DIALECTS)  # the dialects really differ, so the check above means something


def test_content_before_calls_is_kept_on_its_own_line() -> None:
    messages = [
        {"role": "user", "content": "Read a.py"},
        {"role": "assistant", "content": "Let me look.", "tool_calls": [call("read_file", {"path": "a.py"})]},
    ]
    text = render_conversation(messages, [READ], add_generation_prompt=False)
    assert "<|im_start|>assistant\nLet me look.\n<tool_call>\n<function=read_file>" in text


def test_content_parts_are_joined() -> None:
    messages = [{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}]
    assert "<|im_start|>user\nab<|im_end|>" in render_conversation(messages)


def test_developer_role_is_a_system_message() -> None:
    text = render_conversation(
        [{"role": "developer", "content": "Rules."}, {"role": "user", "content": "hi"}]
    )
    assert text.startswith("<|im_start|>system\nRules.<|im_end|>\n")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_spans_cover_exactly_the_assistant_turns(dialect: str) -> None:
    messages = conversation()
    text, spans = assistant_spans(messages, [READ, GREP], dialect=dialect)
    assert text == render_conversation(messages, [READ, GREP], dialect=dialect, add_generation_prompt=False)
    assert len(spans) == 2
    for start, end in spans:
        assert text[:start].endswith("<|im_start|>assistant\n")
        assert text[start:end].endswith("<|im_end|>")
        assert text[start:end].count("<|im_end|>") == 1
        assert text[end:].startswith("\n")
    assert text[spans[1][0] : spans[1][1]] == "One view: HomeView.<|im_end|>"
    covered = "".join(text[start:end] for start, end in spans)
    outside = "".join(
        text[a:b]
        for a, b in zip([0] + [e for _, e in spans], [s for s, _ in spans] + [len(text)], strict=True)
    )
    assert len(covered) + len(outside) == len(text)
    rendered_calls = get_dialect(dialect).render_calls(
        [ToolCall.from_openai(c) for c in messages[2]["tool_calls"]]
    )
    assert rendered_calls in covered and rendered_calls not in outside
    assert "One view" not in outside
    assert "<tool_response>" in outside and "<tool_response>" not in covered


def test_spans_work_for_a_conversation_without_assistant_turns() -> None:
    text, spans = assistant_spans([{"role": "user", "content": "hi"}])
    assert spans == [] and text == "<|im_start|>user\nhi<|im_end|>\n"


@pytest.mark.parametrize(
    ("messages", "message"),
    [
        ([{"role": "robot", "content": "x"}], "unknown role 'robot'"),
        ([{"role": "user", "content": "x"}, {"role": "tool", "content": "r"}], "must answer an earlier"),
        ([{"role": "assistant", "content": "", "tool_calls": {"name": "x"}}], "must be a list"),
        (
            [{"role": "assistant", "content": "", "tool_calls": [{"function": {"arguments": {}}}]}],
            "missing function name",
        ),
        (
            [{"role": "assistant", "content": "", "tool_calls": [call("read_file", "{not json")]}],
            "not valid JSON",
        ),
        (
            [{"role": "assistant", "content": "", "tool_calls": [call("read_file", "[1, 2]")]}],
            "must be a JSON object",
        ),
        ([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}], "only text"),
        ([{"role": "user", "content": "x", "tool_calls": [call("read_file", {})]}], "only assistant"),
        (["just a string"], "expected an object"),
    ],
)
def test_bad_messages_are_clear_value_errors(messages: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_conversation(messages, [READ])


def test_bad_tool_definition_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"tools\[0\]"):
        render_conversation([{"role": "user", "content": "x"}], [{"type": "function", "function": {}}])


def test_a_user_template_is_used_and_loaded_from_a_file(tmp_path) -> None:
    path = tmp_path / "plain.jinja"
    path.write_text("{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}")
    messages = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]
    assert render_conversation(messages, template=str(path)) == "[user] hi\n[assistant] yo\n"
    config = tmp_path / "tokenizer_config.json"
    config.write_text(json.dumps({"chat_template": "{{ messages[0].content | upper }}"}))
    assert load_template(config).render(messages=[{"content": "hi"}]) == "HI"


def test_template_errors_are_clear() -> None:
    with pytest.raises(TemplateError, match="no chat template"):
        load_template("no-such-template.jinja")
    with pytest.raises(TemplateError, match="syntax error"):
        compile_template("{% for %}")
    with pytest.raises(TemplateError, match="boom"):
        render_conversation(
            [{"role": "user", "content": "x"}], template=compile_template("{{ raise_exception('boom') }}")
        )


def test_spans_reject_a_template_that_rewrites_history() -> None:
    # Shows only the last message: earlier output changes when a message is added.
    template = compile_template("{{ messages[-1].content }}<|im_end|>\n", end_of_turn="<|im_end|>")
    messages = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]
    with pytest.raises(ValueError, match="differently depending on what follows"):
        assistant_spans(messages, template=template)


def test_render_does_not_modify_its_input() -> None:
    messages = conversation(arguments_as_json=True)
    snapshot = json.dumps(messages)
    render_conversation(messages, [READ, GREP])
    assert json.dumps(messages) == snapshot
