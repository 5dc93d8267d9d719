"""The value half of the call constraint: parameters with a finite set of values (an enum, a boolean)."""

from __future__ import annotations

import pytest
from fake_vocab import FakeVocab

from punie.calls import Tool, get_dialect
from punie.engine.constraint import (
    NameConstraint,
    NameLogitsProcessor,
    ToolNameConstraint,
)
from punie.engine.values import EXP_DIGITS, INT, START, NumberShape, finite_values
from punie.engine.watcher import CallWatcher

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


# -- numbers in qwen3_xml ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("integer", "text", "reading"),
    [
        (True, "\n42\n</parameter>\n", (INT, "\n</parameter>", "\n")),
        (True, "-7</parameter>", (INT, "</parameter>", "")),
        (True, "\n12", (INT, "", None)),
        (True, "\n12\n</par", (INT, "\n</par", None)),
        (False, "\n-1.5e+3\n</parameter>", (EXP_DIGITS, "\n</parameter>", "")),
        (False, "2.</parameter>", None),  # a dot needs digits after it
        (True, "1.5", None),
        (True, "\n>=3", None),
        (True, "\n\n3", None),  # one leading newline at most
        (True, "</parameter>", None),  # empty
        (True, "3 </parameter>", None),
    ],
)
def test_number_shape_reads_numbers_and_their_framing(integer: bool, text: str, reading: object) -> None:
    signature, rest = NumberShape(integer, "</parameter>").read((START, ""), text)
    if reading is None:
        assert signature is None
    else:
        assert (*signature, rest) == reading  # type: ignore[misc]


def test_chunked_reads_agree_with_one_read() -> None:
    shape = NumberShape(False, "</parameter>")
    text = "\n-12.25e-2\n</parameter>\n<"
    for cut in range(1, len(text)):
        first, rest = shape.read((START, ""), text[:cut])
        assert first is not None
        second = shape.read(first, text[cut:]) if rest is None else (first, rest + text[cut:])
        assert second == shape.read((START, ""), text)


NUMBERS = Tool(
    "read_file",
    "",
    {
        "type": "object",
        "properties": {
            "path": {"type": "string"},
            "start_line": {"type": "integer"},
            "scale": {"type": "number"},
        },
        "additionalProperties": False,
    },
)
NUMBER_VOCAB: list[str | None] = [
    None,
    "\n",
    "12",
    "3",
    ">=",
    "-",
    ".",
    "5",
    "\n</",
    "parameter",
    ">",
    ">\n",
    "x",
    "</",
]
NUMBER_FAKE = FakeVocab(NUMBER_VOCAB)
READ = "<tool_call>\n<function=read_file>\n<parameter=path>\na.py\n</parameter>\n"


def bound_numbers(prefix: str) -> NameConstraint:
    spec = ToolNameConstraint.for_tools(get_dialect("qwen3_xml").syntax, [NUMBERS])
    assert spec is not None
    assert dict(dict(spec.values)["read_file"]) == {
        "start_line": NumberShape(True, "</parameter>"),
        "scale": NumberShape(False, "</parameter>"),
    }
    constraint = NameConstraint(spec, NUMBER_FAKE.table)
    constraint.feed(prefix)
    return constraint


def test_inside_a_number_only_number_tokens_and_its_end_are_allowed() -> None:
    constraint = bound_numbers(READ + "<parameter=start_line>")
    assert NUMBER_FAKE.texts(constraint.verdict()[1]) == {"\n", "12", "3", "-", "5"}  # type: ignore[index]
    constraint.feed("\n12")
    assert NUMBER_FAKE.texts(constraint.verdict()[1]) == {"\n", "12", "3", "5", "\n</", "</"}  # type: ignore[index]
    constraint.feed("\n</")
    assert NUMBER_FAKE.texts(constraint.verdict()[1]) == {"parameter"}  # type: ignore[index]
    constraint.feed("parameter")
    assert NUMBER_FAKE.texts(constraint.verdict()[1]) == {">", ">\n"}  # type: ignore[index] # not ">="
    constraint.feed(">\n")
    assert constraint.watcher.state == "call" and constraint.watcher.violations == 0
    scale = bound_numbers(READ + "<parameter=scale>\n3")
    assert "." in NUMBER_FAKE.texts(scale.verdict()[1])  # type: ignore[index]


def test_a_value_that_is_not_a_number_is_a_violation_and_left_alone() -> None:
    watcher = bound_numbers("").watcher
    watcher.feed(READ + "<parameter=start_line>\n>=3\n</parameter>\n</function>\n</tool_call>")
    assert watcher.violations == 1 and watcher.state == "text"


def test_greedy_decoding_of_a_comparison_is_steered_to_a_number() -> None:
    """A fake model that wants `>=3` as a line number writes `3`, and the call parses to an integer."""
    constraint = bound_numbers(READ + "<parameter=start_line>\n")
    processor = NameLogitsProcessor(constraint)
    out = ""
    for want, likes in ((">=", {"3": 1.0}), ("\n</", {}), ("parameter", {}), (">\n", {})):
        piece = NUMBER_FAKE.greedy(processor, want, likes)
        out += piece
        constraint.feed(piece)
    assert out == "3\n</parameter>\n" and constraint.watcher.violations == 0
    parsed = get_dialect("qwen3_xml").parse(
        READ + "<parameter=start_line>\n" + out + "</function>", [NUMBERS]
    )
    assert not parsed.errors and parsed.calls[0].arguments == {"path": "a.py", "start_line": 3}


# -- numbers in JSON calls: the scanner reads them, the constraint checks how they open ----------------

JSON_VOCAB: list[str | None] = [None, ' "', "3", " ", "-", "{", " 4", "null", ' "3']
JSON_FAKE = FakeVocab(JSON_VOCAB)
JSON_READ = '<tool_call>\n{"name": "read_file", "arguments": {"path": "a.py", "start_line":'


def test_a_json_number_parameter_opens_a_number() -> None:
    spec = ToolNameConstraint.for_tools(get_dialect("hermes_json").syntax, [NUMBERS])
    assert spec is not None
    constraint = NameConstraint(spec, JSON_FAKE.table)
    constraint.feed(JSON_READ)
    assert constraint.watcher.number_value_next
    assert JSON_FAKE.texts(constraint.verdict()[1]) == {"3", " ", "-", " 4"}  # type: ignore[index]
    constraint.feed(" ")
    assert JSON_FAKE.texts(constraint.verdict()[1]) == {"3", " ", "-", " 4"}  # type: ignore[index]
    constraint.feed("3")
    assert not constraint.watcher.number_value_next and constraint.watcher.violations == 0
    quoted = NameConstraint(spec, JSON_FAKE.table)
    quoted.feed(JSON_READ + ' "3"}}')
    assert quoted.watcher.violations == 1  # a string where the schema says integer
