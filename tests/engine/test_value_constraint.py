"""The value half of the call constraint: parameters with a finite set of values (an enum, a boolean)."""

from __future__ import annotations

import pytest
from fake_vocab import FakeVocab

from punie.calls import Tool, get_dialect
from punie.engine.constraint import (
    CallWatcher,
    NameConstraint,
    NameLogitsProcessor,
    ToolNameConstraint,
    finite_values,
)

WEATHER = Tool(
    "get_weather",
    "Current weather.",
    {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "hourly": {"type": "boolean"},
            "days": {"type": "integer", "enum": [1, 3, 7]},
        },
        "required": ["city"],
        "additionalProperties": False,
    },
)
QWEN_HEAD = "<tool_call>\n<function=get_weather>\n<parameter=city>\nOslo\n</parameter>\n"
JSON_HEAD = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo", '

VOCAB: list[str | None] = [
    None,  # 0: end of generation
    "\n",  # 1
    "c",  # 2
    "elsius",  # 3
    "kel",  # 4
    "vin",  # 5
    "\n</",  # 6
    "parameter",  # 7
    ">",  # 8
    "f",  # 9
    "ahrenheit",  # 10
    ' "',  # 11
    '"',  # 12
    '",',  # 13
    "true",  # 14
    "yes",  # 15
    "celsius",  # 16
    "</",  # 17
]
FAKE = FakeVocab(VOCAB)


def bound(dialect: str, prefix: str) -> NameConstraint:
    spec = ToolNameConstraint.for_tools(get_dialect(dialect).syntax, [WEATHER])
    assert spec is not None
    constraint = NameConstraint(spec, FAKE.table)
    constraint.feed(prefix)
    return constraint


def test_finite_values_are_enums_of_scalars_and_booleans() -> None:
    assert finite_values({"enum": ["a", "b", "a"]}) == ["a", "b"]
    assert finite_values({"type": "boolean"}) == [True, False]
    assert finite_values({"type": "string"}) == []
    assert finite_values({"enum": [{"a": 1}]}) == []  # not scalars: left free
    assert finite_values({"enum": []}) == []
    assert finite_values(None) == []


def test_values_are_written_as_the_dialect_writes_them() -> None:
    qwen = ToolNameConstraint.for_tools(get_dialect("qwen3_xml").syntax, [WEATHER])
    hermes = ToolNameConstraint.for_tools(get_dialect("hermes_json").syntax, [WEATHER])
    assert qwen is not None and hermes is not None
    assert dict(dict(qwen.values)["get_weather"]) == {
        "unit": ("celsius", "fahrenheit"),
        "hourly": ("true", "false"),
        "days": ("1", "3", "7"),
    }
    assert dict(dict(hermes.values)["get_weather"])["unit"] == ('"celsius"', '"fahrenheit"')


@pytest.mark.parametrize(
    ("dialect", "text", "violations"),
    [
        ("qwen3_xml", QWEN_HEAD + "<parameter=unit>\ncelsius\n</parameter>\n</function>", 0),
        ("qwen3_xml", QWEN_HEAD + "<parameter=unit>fahrenheit</parameter>\n</function>", 0),
        (
            "qwen3_xml",
            QWEN_HEAD + "<parameter=hourly>\ntrue\n</parameter>\n<parameter=days>\n7\n</parameter>\n",
            0,
        ),
        ("qwen3_xml", QWEN_HEAD + "<parameter=unit>\nkelvin\n</parameter>\n</function>", 1),
        ("qwen3_xml", QWEN_HEAD + "<parameter=unit>\ncelsius degrees\n</parameter>\n</function>", 1),
        ("hermes_json", JSON_HEAD + '"unit": "celsius", "hourly": false, "days": 3}}', 0),
        ("hermes_json", JSON_HEAD + '"unit":"fahrenheit"}}', 0),
        ("hermes_json", JSON_HEAD + '"unit": "kelvin"}}', 1),
        ("hermes_json", JSON_HEAD + '"hourly": "yes"}}', 1),
    ],
)
@pytest.mark.parametrize("size", [1, 4, 1000])
def test_a_value_outside_its_set_is_a_violation(dialect: str, text: str, violations: int, size: int) -> None:
    watcher = bound(dialect, "").watcher
    for at in range(0, len(text), size):
        watcher.feed(text[at : at + size])
    assert watcher.violations == violations
    assert watcher.state in ("text", "call")  # the call goes on after the value, spelled or not


def test_inside_a_finite_value_only_its_spellings_are_allowed() -> None:
    constraint = bound("qwen3_xml", QWEN_HEAD + "<parameter=unit>")
    assert constraint.watcher.state == "value"
    how, allowed = constraint.verdict()  # type: ignore[misc]
    assert how == "allow" and FAKE.texts(allowed) == {"\n", "c", "f", "celsius"}
    constraint.feed("\nc")
    assert FAKE.texts(constraint.verdict()[1]) == {"elsius"}  # type: ignore[index]
    constraint.feed("elsius")
    assert FAKE.texts(constraint.verdict()[1]) == {"\n", "\n</", "</"}  # type: ignore[index]
    hermes = bound("hermes_json", JSON_HEAD + '"unit":')
    assert FAKE.texts(hermes.verdict()[1]) == {' "', '"'}  # type: ignore[index]


def test_greedy_decoding_of_a_value_outside_the_set_is_steered_into_it() -> None:
    """A fake model that wants `kelvin` writes `celsius`, its next choice; the call then parses to it."""
    constraint = bound("qwen3_xml", QWEN_HEAD + "<parameter=unit>")
    processor = NameLogitsProcessor(constraint)
    out = ""
    for _ in range(8):
        piece = FAKE.greedy(
            processor, "\nkelvin\n</parameter>"[len(out) :], {"celsius": 2.0, "c": 1.0, ">": 0.5}
        )
        out += piece
        constraint.feed(piece)
        if constraint.watcher.state != "value":
            break
    assert out == "\ncelsius</parameter>" and constraint.watcher.violations == 0  # a framing the parser reads
    parsed = get_dialect("qwen3_xml").parse(
        QWEN_HEAD + "<parameter=unit>" + out + "\n</function>\n</tool_call>", [WEATHER]
    )
    assert not parsed.errors and parsed.calls[0].arguments == {"city": "Oslo", "unit": "celsius"}


def test_watchers_without_values_leave_values_free() -> None:
    syntax = get_dialect("qwen3_xml").syntax
    assert syntax is not None
    watcher = CallWatcher(syntax, ("get_weather",), keys={"get_weather": ("city", "unit")})
    watcher.feed(QWEN_HEAD + "<parameter=unit>\nkelvin\n</parameter>\n</function>")
    assert watcher.violations == 0
