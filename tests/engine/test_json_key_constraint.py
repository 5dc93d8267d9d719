"""The parameter-name constraint in JSON dialects (hermes_json, json_fence): keys of `arguments`."""

from __future__ import annotations

import pytest
from fake_vocab import FakeVocab

from punie.calls import Tool, ToolCall, get_dialect
from punie.engine.constraint import NameConstraint, NameLogitsProcessor, ToolNameConstraint
from punie.engine.json_scan import JsonCallScanner
from punie.engine.watcher import CallWatcher

HERMES = get_dialect("hermes_json")
FENCE = get_dialect("json_fence")
SYNTAX = HERMES.syntax
assert SYNTAX is not None and FENCE.syntax is not None


def tool(name: str, *keys: str, **schema: object) -> Tool:
    properties = {key: {"type": "string"} for key in keys}
    return Tool(name, parameters={"type": "object", "properties": properties, **schema})


TOOLS = [tool("edit_file", "path", "old", "new"), tool("read_file", "path", "start_line")]
KEYS = {"edit_file": ("path", "old", "new"), "read_file": ("path", "start_line")}
NAMES = ("edit_file", "read_file")
HEAD = '<tool_call>\n{"name": "edit_file", "arguments": {'

VOCAB: list[str | None] = [
    None,  # 0: end of generation
    '"',  # 1
    "path",  # 2
    '":',  # 3
    ' "',  # 4
    "a.py",  # 5
    '",',  # 6
    '", "',  # 7
    "old",  # 8
    "new",  # 9
    "pattern",  # 10
    "max",  # 11
    "_retries",  # 12
    '", "pattern',  # 13: a value closed and an invented key opened in one token
    '", "old',  # 14
    '"}',  # 15
    "}}",  # 16
    ' {"',  # 17: the arguments object and a key opened together
    "p",  # 18
    "\n</tool_call>",  # 19
    ", ",  # 20
]
FAKE = FakeVocab(VOCAB)
TABLE, texts = FAKE.table, FAKE.texts


def watch(text: str, size: int = 1000, syntax=SYNTAX, start: str = "text", function: str | None = None):
    watcher = CallWatcher(syntax, NAMES, start, KEYS, function)  # type: ignore[arg-type]
    for at in range(0, len(text), size):
        watcher.feed(text[at : at + size])
    return watcher


def bound(prefix: str, start: str = "text", function: str | None = None) -> NameConstraint:
    spec = ToolNameConstraint.for_tools(SYNTAX, TOOLS, start, function)  # type: ignore[arg-type]
    assert spec is not None
    constraint = NameConstraint(spec, TABLE)
    constraint.feed(prefix)
    return constraint


# -- the scanner and the watcher -----------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 2, 3, 7, 1000])
def test_watcher_reads_the_keys_of_the_arguments_object_only(size: int) -> None:
    """Strings with quotes, braces and escapes, and nested objects whose keys look like parameters."""
    first = ToolCall("edit_file", {"path": "a.py", "old": 'x "q" {\\', "new": {"path": [1, {"old": None}]}})
    text = HERMES.render_calls([first])
    seen = []
    watcher = CallWatcher(SYNTAX, NAMES, keys=KEYS)
    for at in range(0, len(text), size):
        watcher.feed(text[at : at + size])
        seen.append(tuple(watcher.keys_written))
    assert watcher.violations == 0 and watcher.state == "text" and watcher.names_written == ["edit_file"]
    assert ("path", "old", "new") in seen and ("path", "old", "new", "path") not in seen
    after = watch(text + "\n" + HERMES.render_calls([ToolCall("read_file", {"start_line": 3})]), size)
    assert after.names_written == ["edit_file", "read_file"] and after.keys_written == ["start_line"]


def test_json_fence_keys_are_followed_after_a_forced_name() -> None:
    text = FENCE.render_calls([ToolCall("read_file", {"path": "b", "start_line": 2})])
    watcher = watch(text[len(FENCE.syntax.prefix) :], 1, FENCE.syntax, "name")  # type: ignore[union-attr]
    assert watcher.keys_written == ["path", "start_line"] and watcher.violations == 0


def test_an_undeclared_or_repeated_key_is_a_violation_and_then_read_as_a_string() -> None:
    watcher = watch(HEAD + '"pattern": "x", "path": "a", "path": "b"')
    assert watcher.violations == 2 and watcher.keys_written == ["path"] and watcher.state == "call"
    assert watcher.key_targets == ('old"', 'new"')


def test_parameters_alias_and_keys_of_the_call_object_itself() -> None:
    watcher = watch('<tool_call>\n{"name": "read_file", "id": "c1", "parameters": {"start_line": 1}}')
    assert watcher.keys_written == ["start_line"] and watcher.state == "text" and watcher.violations == 0


def test_a_forced_named_call_is_followed_from_its_head() -> None:
    """tool_choice naming a function: the prompt ends with `<tool_call>\n{"name": "read_file"`."""
    watcher = watch(', "arguments": {"start_line": 1, "pattern": 2}}', start="call", function="read_file")
    assert watcher.keys_written == ["start_line"] and watcher.violations == 1 and watcher.state == "text"


@pytest.mark.parametrize(
    "text",
    [
        '<tool_call>\n{"name": "free", "arguments": {"anything": 1}}',  # a tool without declared keys
        '<tool_call>\n{"arguments": {"pattern": 1}, "name": "edit_file"}',  # name not first: never seen
    ],
)
def test_calls_the_constraint_cannot_follow_are_left_alone(text: str) -> None:
    watcher = CallWatcher(SYNTAX, (*NAMES, "free"), keys=KEYS)
    watcher.feed(text)
    assert watcher.violations == 0 and watcher.keys_written == []


def test_arguments_that_are_not_an_object_are_a_violation_and_the_call_is_left_alone() -> None:
    """The parser also takes `arguments` as a JSON string; the constraint steers to the object the dialect
    renders, where its keys can be held to the schema."""
    for value in ('"{\\"pattern\\": 1}"', '["path"]', "null"):
        watcher = watch(f'<tool_call>\n{{"name": "edit_file", "arguments": {value}}}\n</tool_call>\nok')
        assert watcher.violations == 1 and watcher.state == "text" and watcher.json is None, value
    assert watch('<tool_call>\n{"name": "edit_file", "arguments": \n {"path"').violations == 0


def test_text_that_is_not_json_gives_up_and_the_end_tag_still_ends_the_call() -> None:
    watcher = watch(
        HEAD + '"path": <oops> "pattern": 1}}\n</tool_call>\nok <tool_call>\n{"name": "read_file"'
    )
    assert watcher.violations == 0 and watcher.names_written == ["edit_file", "read_file"]
    assert watcher.state == "call" and watcher.json is not None  # the second call is followed again


def test_a_missing_brace_still_lets_the_end_tag_end_the_call() -> None:
    watcher = watch(HEAD + '"path": "a"}\n</tool_call>\n<tool_call>\n{"name": "read_file", "arguments": {"')
    assert watcher.names_written == ["edit_file", "read_file"] and watcher.state == "key"


def test_the_scanner_notices_only_the_arguments_object() -> None:
    scanner = JsonCallScanner(("arguments",))
    signals = [scanner.step(c) for c in ', "other": {"a": 1}, "arguments": {"b": [{"c": 2}], "d": 3}}']
    assert signals.count("key") == 2 and scanner.done and not scanner.broken


# -- token verdicts ------------------------------------------------------------------------------------


def test_inside_a_key_only_the_remaining_declared_keys_are_allowed() -> None:
    constraint = bound(HEAD + '"')
    how, allowed = constraint.verdict()  # type: ignore[misc]
    assert how == "allow" and texts(allowed) == {"path", "old", "new", "p"}
    constraint.feed("path")
    assert texts(constraint.verdict()[1]) == {'"', '":', '",', '", "', '", "pattern', '", "old', '"}'}  # type: ignore[index]
    constraint.feed('": "a.py", "')
    assert texts(constraint.verdict()[1]) == {"old", "new"}  # type: ignore[index]


def test_tokens_that_close_a_value_and_open_an_invented_key_are_banned() -> None:
    constraint = bound(HEAD + '"path": "a.py')
    how, banned = constraint.verdict()  # type: ignore[misc]
    assert how == "ban" and texts(banned) == {'", "pattern'}  # '", "old', '"}' and '", "' stay
    repeated = bound(HEAD + '"path": "a.py", "old": "x').verdict()
    assert repeated is not None and texts(repeated[1]) == {'", "pattern', '", "old'}  # old is written
    full = bound(HEAD + '"path": "a", "old": "b", "new": "c').verdict()  # every declared key is written
    assert full is not None and texts(full[1]) == {'",', '", "', '", "pattern', '", "old'}  # '"}' closes


def test_after_the_last_declared_key_the_arguments_object_closes() -> None:
    head = '<tool_call>\n{"name": "read_file", "arguments": {'
    extra = watch(head + '"start_line": 2, "path": "a", "x": 3}}')
    assert extra.violations == 1 and extra.keys_written == ["start_line", "path"]
    closed = watch(head + '"path": "a", "start_line": 2}}\n</tool_call>')
    assert closed.violations == 0 and closed.state == "text"


def test_the_verdict_is_computed_once_per_place_in_the_json() -> None:
    constraint = bound(HEAD + '"path": "a')
    first = constraint.verdict()
    constraint.feed(".py and more")  # still inside the same string value
    assert constraint.verdict() == first and len(constraint._json_verdicts) == 1


def test_after_the_arguments_key_only_an_object_may_open() -> None:
    constraint = bound('<tool_call>\n{"name": "edit_file", "arguments":')
    how, allowed = constraint.verdict()  # type: ignore[misc]
    assert how == "allow" and texts(allowed) == {' {"'}  # '"', '"}', "}}", "path", ... are not allowed
    constraint.feed(' {"')  # an object and a key opened in one token: the key is spelled next
    assert texts(constraint.verdict()[1]) == {"path", "old", "new", "p"}  # type: ignore[index]


def test_greedy_decoding_of_a_string_argument_is_steered_to_an_object() -> None:
    """A fake model that wants `"arguments": "path"` (the adapter does in hermes_json) opens an object."""
    constraint = bound('<tool_call>\n{"name": "edit_file", "arguments":')
    processor = NameLogitsProcessor(constraint)
    text = FAKE.greedy(processor, ' "path', {' {"': 1.0})
    assert text == ' {"' and processor.masked_steps == 1


def test_greedy_decoding_of_an_invented_key_is_steered_to_a_declared_one() -> None:
    """A fake model that wants `"max_retries"` twice writes `path` and `old` instead; the result parses."""
    constraint = bound(HEAD)
    processor = NameLogitsProcessor(constraint)
    out = ""
    for want in ('"max_retries', ' "a.py", "max_retries'):
        written = ""
        while len(written) < 60:
            remaining = want[len(written) :] if want.startswith(written) else ""
            text = FAKE.greedy(processor, remaining, {"path": 3.0, "old": 2.0, '":': 1.0})
            written += text
            constraint.feed(text)
            if constraint.watcher.state == "call" and not want.startswith(written):
                break
        out += written
    assert out == '"path": "a.py", "old":' and constraint.watcher.keys_written == ["path", "old"]
    parsed = HERMES.parse(HEAD + out + ' "x"}}\n</tool_call>', TOOLS)
    assert not parsed.errors and parsed.calls[0].arguments == {"path": "a.py", "old": "x"}


def test_the_arguments_object_may_not_close_before_its_required_keys() -> None:
    tools = [
        tool("read_file", "path", "start_line", required=["path"]),
        tool("edit_file", "path", "old", "new"),
    ]
    spec = ToolNameConstraint.for_tools(SYNTAX, tools)
    assert spec is not None and spec.required == (("read_file", ("path",)),)
    head = '<tool_call>\n{"name": "read_file", "arguments": {'
    early = CallWatcher(SYNTAX, NAMES, keys=KEYS, required=dict(spec.required))
    early.feed(head + '"start_line": 2}}\n</tool_call>')
    assert early.violations == 1 and early.state == "text"
    done = CallWatcher(SYNTAX, NAMES, keys=KEYS, required=dict(spec.required))
    done.feed(head + '"start_line": 2, "path": "a"}}\n</tool_call>')
    assert done.violations == 0 and done.state == "text"

    def verdict(prefix: str) -> set[str | None]:
        constraint = NameConstraint(spec, TABLE)
        constraint.feed(prefix)
        found = constraint.verdict()
        return texts(found[1]) if found else set()

    assert "}}" in verdict(head) and '"}' in verdict(head + '"start_line": "2')
    assert verdict(head + '"start_line": 2') == {"}}"}
    assert '"}' not in verdict(head + '"path": "a')  # path written: the object may close


def test_the_call_object_closes_right_after_its_arguments() -> None:
    head = '<tool_call>\n{"name": "read_file", "arguments": {"path": "a"}'
    extra = watch(head + ', "additionalProperties": "x"}\n</tool_call>')
    assert extra.violations == 1 and extra.state == "text"
    assert watch(head + "}\n</tool_call>").violations == 0
    assert bound(head).verdict() == ("ban", [20])  # ", " would open another key of the call object
