"""The parameter-name half of the call constraint (qwen3_xml `<parameter=KEY>`), with a fake vocabulary."""

from __future__ import annotations

import pytest
from fake_vocab import FakeVocab

from punie.calls import DIALECTS, Tool, ToolCall, get_dialect
from punie.engine.constraint import (
    NameConstraint,
    NameLogitsProcessor,
    ToolNameConstraint,
)
from punie.engine.watcher import CallWatcher

QWEN = get_dialect("qwen3_xml").syntax
assert QWEN is not None


def tool(name: str, *keys: str, **schema: object) -> Tool:
    properties = {key: {"type": "string"} for key in keys}
    return Tool(name, parameters={"type": "object", "properties": properties, **schema})


TOOLS = [tool("edit_file", "path", "old", "new"), tool("read_file", "path", "start_line")]
KEYS = {"edit_file": ("path", "old", "new"), "read_file": ("path", "start_line")}
NAMES = ("edit_file", "read_file")

VOCAB: list[str | None] = [
    None,  # 0: end of generation
    "<",  # 1
    "parameter",  # 2
    "=",  # 3
    "path",  # 4
    ">\n",  # 5
    "old",  # 6
    "new",  # 7
    "pattern",  # 8
    "=path",  # 9: the opener's end merged with a key
    "=pattern",  # 10
    "p",  # 11
    "max",  # 12
    "_retries",  # 13
    "start",  # 14
    "_line",  # 15
    ">",  # 16
    "a.py",  # 17
    "</",  # 18
    "\n",  # 19
    "/",  # 20
    "\n</",  # 21
]
FAKE = FakeVocab(VOCAB)
TABLE, texts = FAKE.table, FAKE.texts


def bound(prefix: str, start: str = "text", function: str | None = None) -> NameConstraint:
    spec = ToolNameConstraint.for_tools(QWEN, TOOLS, start, function)  # type: ignore[arg-type]
    assert spec is not None
    constraint = NameConstraint(spec, TABLE)
    constraint.feed(prefix)
    return constraint


CALL_HEAD = "<tool_call>\n<function=edit_file>\n"


# -- which tools get their parameter names constrained -------------------------------------------------


def test_closed_schemas_give_their_properties_open_ones_nothing() -> None:
    assert tool("t", "a", "b").argument_names == ("a", "b")
    assert tool("t", "a", additionalProperties=False).argument_names == ("a",)
    assert tool("t", "a", additionalProperties=True).argument_names is None
    assert tool("t", "a", additionalProperties={"type": "string"}).argument_names is None
    assert tool("t").argument_names is None  # no declared parameters: nothing to hold the model to


def test_for_tools_collects_keys_of_closed_schemas_in_every_dialect() -> None:
    spec = ToolNameConstraint.for_tools(QWEN, [*TOOLS, tool("free", "x", additionalProperties=True)])
    assert spec is not None and dict(spec.keys) == KEYS and spec.names == (*NAMES, "free")
    for name in ("hermes_json", "json_fence"):  # JSON keys: tests/engine/test_json_key_constraint.py
        other = ToolNameConstraint.for_tools(DIALECTS[name].syntax, TOOLS)
        assert other is not None and dict(other.keys) == KEYS


# -- the watcher ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 2, 5, 1000])
def test_watcher_follows_parameter_names_in_any_chunking(size: int) -> None:
    text = get_dialect("qwen3_xml").render_calls(
        [
            ToolCall("edit_file", {"path": "a.py", "old": "x", "new": "y"}),
            ToolCall("read_file", {"path": "b"}),
        ],
    )
    watcher = CallWatcher(QWEN, NAMES, keys=KEYS)
    seen = []
    for at in range(0, len(text), size):
        watcher.feed(text[at : at + size])
        seen.append((watcher.state, tuple(watcher.keys_written)))
    assert watcher.violations == 0 and watcher.state == "text"
    assert watcher.names_written == ["edit_file", "read_file"]
    assert watcher.keys_written == ["path"]  # keys are counted per call
    if size < 50:
        assert ("call", ("path", "old", "new")) in seen


def test_an_undeclared_or_repeated_key_is_a_violation() -> None:
    watcher = CallWatcher(QWEN, NAMES, keys=KEYS)
    watcher.feed(CALL_HEAD + "<parameter=pattern>\nx\n</parameter>\n")
    assert watcher.violations == 1 and watcher.keys_written == [] and watcher.state == "call"
    watcher.feed("<parameter=path>\na\n</parameter>\n<parameter=path>\nb\n</parameter>\n")
    assert watcher.violations == 2 and watcher.keys_written == ["path"]
    assert watcher.key_targets == ("old>", "new>")


def test_keys_of_unknown_tools_and_of_invented_names_are_left_alone() -> None:
    watcher = CallWatcher(QWEN, (*NAMES, "free"), keys=KEYS)
    watcher.feed("<tool_call>\n<function=free>\n<parameter=anything>\n1\n</parameter>\n</function>\n")
    assert watcher.violations == 0 and watcher.key_targets is None
    watcher.feed("<tool_call>\n<function=edit_post>\n<parameter=anything>\n")
    assert watcher.violations == 1 and watcher.function is None  # only the name counts


def test_a_key_that_is_a_prefix_of_another_is_decided_by_the_terminator() -> None:
    watcher = CallWatcher(QWEN, ("t",), keys={"t": ("start", "start_line")})
    watcher.feed("<function=t>\n<parameter=start")
    assert watcher.state == "key" and watcher.name == "start"
    watcher.feed("_line>\n1\n</parameter>\n<parameter=start>")
    assert watcher.keys_written == ["start_line", "start"] and watcher.violations == 0


def test_a_forced_named_call_starts_with_its_function() -> None:
    watcher = CallWatcher(QWEN, NAMES, "call", KEYS, "read_file")
    watcher.feed("\n<parameter=start_line>\n3\n</parameter>\n")
    assert watcher.keys_written == ["start_line"] and watcher.key_targets == ("path>",)


# -- token verdicts ------------------------------------------------------------------------------------


def test_inside_a_key_only_the_remaining_declared_keys_are_allowed() -> None:
    constraint = bound(CALL_HEAD + "<parameter=")
    how, allowed = constraint.verdict()  # type: ignore[misc]
    assert how == "allow" and texts(allowed) == {"path", "old", "new", "p"}
    constraint.feed("path")
    assert texts(constraint.verdict()[1]) == {">\n", ">"}  # type: ignore[index]
    constraint.feed(">\n")
    assert constraint.watcher.state == "call"
    constraint.feed("a.py\n</parameter>\n<parameter=")
    assert texts(constraint.verdict()[1]) == {"old", "new"}  # type: ignore[index]


def test_opener_merged_with_a_key_is_checked() -> None:
    constraint = bound(CALL_HEAD + "<parameter")
    how, allowed = constraint.verdict()  # type: ignore[misc]
    assert how == "allow" and texts(allowed) == {"=", "=path"}  # "=pattern" invents a key
    constraint.feed("=path>\na\n</parameter>\n<parameter")
    assert texts(constraint.verdict()[1]) == {"="}  # type: ignore[index] # "=path" would repeat it


def test_values_cost_no_verdict_until_a_tag_may_start() -> None:
    constraint = bound(CALL_HEAD + "<parameter=path>\nsome value text ")
    assert constraint.verdict() is None
    assert bound("<tool_call>\n<function=free_tool>\n<parameter=").verdict() is None  # undeclared tool


def test_when_every_key_is_written_the_constraint_steps_aside() -> None:
    constraint = bound(CALL_HEAD + "".join(f"<parameter={k}>\nv\n</parameter>\n" for k in KEYS["edit_file"]))
    constraint.feed("<parameter=")
    assert constraint.watcher.key_targets == () and constraint.verdict() is None  # never an all -inf row


def test_greedy_decoding_of_an_invented_key_is_steered_to_a_declared_one() -> None:
    """A fake model that wants `<parameter=max_retries>` twice writes `path` and then `old` instead."""
    constraint = bound(CALL_HEAD)
    processor = NameLogitsProcessor(constraint)
    out = ""
    for want in ("<parameter=max_retries>\n", "a.py\n</parameter>\n", "<parameter=max_retries>\n"):
        written = ""
        while written != want and len(written) < 40:
            remaining = want[len(written) :] if want.startswith(written) else ""
            text = FAKE.greedy(processor, remaining, {"path": 3.0, "old": 2.0, ">\n": 1.0})
            written += text
            constraint.feed(text)
            if written.endswith(">\n") and not want.startswith(written):
                break
        out += written
    assert out.count("<parameter=") == 2 and "max_retries" not in out
    assert constraint.watcher.keys_written == ["path", "old"] and constraint.watcher.violations == 0
    closing = "v\n</parameter>\n</function>\n</tool_call>"
    parsed = get_dialect("qwen3_xml").parse(CALL_HEAD + out + closing, TOOLS)
    assert not parsed.errors and list(parsed.calls[0].arguments) == ["path", "old"]


# -- call structure between parameters -------------------------------------------------------------------

REQUIRED = [
    tool("read_file", "path", "start_line", required=["path"]),
    tool("edit_file", "path", "old", "new"),
]


def bound_required(prefix: str) -> NameConstraint:
    spec = ToolNameConstraint.for_tools(
        QWEN, [*REQUIRED, tool("free", "x", required=["x"], additionalProperties=True)]
    )
    assert spec is not None and dict(spec.required) == {"read_file": ("path",)}  # open schemas: not enforced
    constraint = NameConstraint(spec, TABLE)
    constraint.feed(prefix)
    return constraint


READ_HEAD = "<tool_call>\n<function=read_file>\n"


@pytest.mark.parametrize("size", [1, 3, 1000])
def test_ending_a_call_before_its_required_parameters_is_a_violation(size: int) -> None:
    keys, required = {"read_file": ("path", "start_line")}, {"read_file": ("path",)}
    for body, violations in [
        ("</function>\n</tool_call>", 1),  # right after the name
        ("<parameter=start_line>\n3\n</parameter>\n</function>\n</tool_call>", 1),  # after a value
        ("<parameter=path>\na.py\n</parameter>\n</function>\n</tool_call>", 0),
        ("<parameter=start_line>\n3\n</parameter>\n<parameter=path>\na\n</parameter>\n</function>", 0),
    ]:
        watcher = CallWatcher(QWEN, NAMES, keys=keys, required=required)
        text = READ_HEAD + body
        for at in range(0, len(text), size):
            watcher.feed(text[at : at + size])
        assert watcher.violations == violations and watcher.state == "text", body


def test_a_parameter_after_the_last_declared_one_is_a_violation() -> None:
    watcher = CallWatcher(QWEN, NAMES, keys=KEYS)
    watcher.feed(READ_HEAD + "<parameter=path>\na\n</parameter>\n<parameter=start_line>\n1\n</parameter>\n")
    assert watcher.violations == 0 and watcher.key_targets == ()
    watcher.feed("<parameter")
    assert watcher.violations == 1  # decided at "<p", before the name is spelled


def test_a_value_may_hold_tags_that_would_be_violations_between_parameters() -> None:
    watcher = CallWatcher(QWEN, NAMES, keys=KEYS, required={"read_file": ("path",)})
    watcher.feed(READ_HEAD + "<parameter=path>\n<p>a</p> and </div>\n</parameter>\n")
    assert watcher.violations == 0 and watcher.keys_written == ["path"]


def test_between_parameters_only_whitespace_and_the_tags_allowed_there_may_come() -> None:
    missing = bound_required(READ_HEAD + "<parameter=start_line>\n3\n</parameter>\n")
    assert texts(missing.verdict()[1]) == {"<", "\n"}  # type: ignore[index] # no "</": path is missing
    assert texts(bound_required(READ_HEAD).verdict()[1]) == {"<", "\n"}  # type: ignore[index] # after the name
    missing.feed("<")  # shared by "</function>" and "<parameter=": decided by the next token
    assert texts(missing.verdict()[1]) == {"p", "parameter"}  # type: ignore[index]
    full = bound_required(
        READ_HEAD + "<parameter=path>\na\n</parameter>\n<parameter=start_line>\n1\n</parameter>\n"
    )
    assert texts(full.verdict()[1]) == {"<", "</", "\n</", "\n"}  # type: ignore[index]
    full.feed("<")
    assert texts(full.verdict()[1]) == {"/"}  # type: ignore[index] # no parameter is left
    both = bound_required(READ_HEAD + "<parameter=path>\na\n</parameter>\n")
    assert texts(both.verdict()[1]) == {"<", "</", "\n</", "\n"}  # type: ignore[index]
    both.feed("<")
    assert texts(both.verdict()[1]) == {"/", "p", "parameter"}  # type: ignore[index]


def test_text_between_parameters_is_a_violation() -> None:
    watcher = bound_required("").watcher
    watcher.feed(READ_HEAD + "<parameter=path>\na\n</parameter>\n\nThis reads a.py.\n</function>")
    assert watcher.violations == 1 and watcher.state == "text"


def test_greedy_decoding_writes_the_required_parameter_and_then_closes() -> None:
    """A fake model that wants to close the call at once writes `<parameter=path>` first; once every declared
    parameter is written, one that wants another `<parameter=` closes the call instead."""
    constraint = bound_required(READ_HEAD)
    processor = NameLogitsProcessor(constraint)
    first = FAKE.greedy(processor, "</function>", {"<": 2.0})
    assert first == "<"
    constraint.feed(first)
    second = FAKE.greedy(processor, "/function>", {"parameter": 2.0})
    assert second == "parameter"
    closing = bound_required(
        READ_HEAD + "<parameter=path>\na\n</parameter>\n<parameter=start_line>\n1\n</parameter>\n<"
    )
    assert FAKE.greedy(NameLogitsProcessor(closing), "parameter=", {"/": 1.0}) == "/"
