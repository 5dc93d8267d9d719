"""The tool-name constraint's logic with a fake vocabulary: the text watcher, the token verdicts, the mask."""

from __future__ import annotations

import numpy as np
import pytest
from fake_vocab import FakeVocab

from punie.calls import DIALECTS, Tool, ToolCall, get_dialect
from punie.engine.constraint import (
    NameConstraint,
    NameLogitsProcessor,
    TokenTable,
    ToolNameConstraint,
)
from punie.engine.watcher import CallWatcher

QWEN = get_dialect("qwen3_xml").syntax
HERMES = get_dialect("hermes_json").syntax
FENCE = get_dialect("json_fence").syntax
NAMES = ("list_files", "read_file", "edit_file", "run_command")

# index = token id; None marks a token that is not text on its own (an end-of-generation or byte token)
VOCAB: list[str | None] = [
    None,  # 0: end of generation
    "<",  # 1
    "tool",  # 2
    "_",  # 3
    "call",  # 4
    ">",  # 5
    "\n",  # 6
    "function",  # 7
    "=",  # 8
    "list",  # 9
    "files",  # 10
    ">\n",  # 11: the terminator merged with a newline
    "of",  # 12
    "read",  # 13
    "_file",  # 14
    "edit",  # 15
    "_post",  # 16
    "=read",  # 17: the opener's end merged with a name's start
    "=list_of",  # 18: ... and with an invented name
    "==",  # 19
    "x",  # 20
    "run",  # 21
    "_command",  # 22
    ">\n<",  # 23
    "e",  # 24
    "Hello",  # 25
    '{"',  # 26
    "name",  # 27
    '":',  # 28
    ' "',  # 29
    '",',  # 30
    ' "read',  # 31
    ' "bogus',  # 32
    "</",  # 33
    "ll",  # 34
    "<function=list_files>",  # 35: a whole call head in one token
    "<function=lost>",  # 36
    "file",  # 37
]
FAKE = FakeVocab(VOCAB)
TABLE, ID, texts = FAKE.table, FAKE.id, FAKE.texts


def bound(syntax=QWEN, names=NAMES, start="text", prefix: str = "") -> NameConstraint:  # type: ignore[no-untyped-def]
    constraint = NameConstraint(ToolNameConstraint(syntax, names, start), TABLE)
    constraint.feed(prefix)
    return constraint


# -- the watcher ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 2, 3, 7, 1000])
def test_watcher_finds_names_in_any_chunking(size: int) -> None:
    text = "I will look.\n" + get_dialect("qwen3_xml").render_calls(
        [ToolCall("read_file", {"path": "a.py"}), ToolCall("run_command", {"command": "ls"})]
    )
    watcher = CallWatcher(QWEN, NAMES)
    states = set()
    for at in range(0, len(text), size):
        watcher.feed(text[at : at + size])
        states.add(watcher.state)
    assert watcher.names_written == ["read_file", "run_command"]
    assert watcher.violations == 0
    assert watcher.state == "text"
    if size < 10:
        assert {"name", "call"} <= states


def test_an_invented_name_is_a_violation_and_the_call_is_left_alone() -> None:
    watcher = CallWatcher(QWEN, NAMES)
    watcher.feed("<tool_call>\n<function=list_of_files>\n<parameter=x>\n<function=y>\n")
    assert watcher.violations == 1 and watcher.names_written == []
    assert watcher.state == "call"  # `<function=` inside the call is not another name
    watcher.feed("</parameter>\n</function>\n</tool_call>\n<function=edit_file>")
    assert watcher.names_written == ["edit_file"] and watcher.violations == 1


def test_a_call_start_right_after_a_name_starts_the_next_name_as_in_the_parser() -> None:
    watcher = CallWatcher(QWEN, NAMES)
    watcher.feed("<function=search>\n<parameter=q>\n<function=run_command>\n")  # inside a value: literal
    assert watcher.names_written == [] and watcher.violations == 1  # "search" is not in NAMES
    watcher = CallWatcher(QWEN, ("search", "read_file"))
    watcher.feed("<tool_call>\n<function=search>\n")
    assert watcher.state == "call" and watcher.opener_tags == ("<function=",)
    watcher.feed("<function=read_")
    assert watcher.state == "name" and watcher.name == "read_"
    parsed = get_dialect("qwen3_xml").parse("<function=search>\n<function=read_file>\n</function>")
    assert [call.name for call in parsed.calls] == ["search", "read_file"]  # the parser agrees


def test_a_name_that_is_a_prefix_of_another_is_decided_by_the_terminator() -> None:
    watcher = CallWatcher(QWEN, ("read", "read_file"))
    watcher.feed("<function=read")
    assert watcher.state == "name" and watcher.name == "read"
    watcher.feed(">\n")
    assert watcher.names_written == ["read"] and watcher.state == "call"


def test_hermes_names_only_as_the_first_key_of_a_tool_call_object() -> None:
    watcher = CallWatcher(HERMES, NAMES)
    watcher.feed('Some JSON: {"name": "Bob"} and ')
    assert watcher.state == "text" and watcher.violations == 0
    watcher.feed(get_dialect("hermes_json").render_calls([ToolCall("read_file", {"path": "a.py"})]))
    assert watcher.names_written == ["read_file"] and watcher.state == "text"
    watcher.feed('<tool_call>\n{"arguments": {"name": "x"}, "name": "nope"}\n</tool_call>')
    assert watcher.violations == 0 and watcher.state == "text"  # another shape: not constrained


def test_json_fence_names_are_only_constrained_when_forced() -> None:
    watcher = CallWatcher(FENCE, NAMES)
    watcher.feed('```json\n{"name": "Bob", "age": 3}\n```')
    assert watcher.violations == 0 and watcher.names_written == []
    forced = CallWatcher(FENCE, NAMES, "name")
    forced.feed('list_files", "arguments": {}}\n```')
    assert forced.names_written == ["list_files"] and forced.state == "text"


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_forced_prefixes_match_what_the_dialect_renders(dialect: str) -> None:
    syntax = DIALECTS[dialect].syntax
    assert syntax is not None
    text = DIALECTS[dialect].render_calls([ToolCall("edit_file", {"path": "a"})])
    assert text.startswith(syntax.forced_prefix("edit_file"))
    watcher = CallWatcher(syntax, NAMES, "name")
    watcher.feed(text[len(syntax.forced_prefix()) :])
    assert watcher.names_written == ["edit_file"] and watcher.state == "text"
    parsed = DIALECTS[dialect].parse(text, None)
    assert [call.name for call in parsed.calls] == ["edit_file"]


# -- token verdicts ------------------------------------------------------------------------------------------


def test_plain_text_costs_no_verdict() -> None:
    without_heads = TokenTable(VOCAB[: ID["<function=list_files>"]])
    constraint = NameConstraint(ToolNameConstraint(QWEN, NAMES), without_heads)
    constraint.feed("Hello there, all good <b>")
    assert constraint.verdict() is None


def test_opener_merged_with_a_name_is_checked() -> None:
    constraint = bound(prefix="<tool_call>\n<function")
    how, banned = constraint.verdict()  # type: ignore[misc]
    assert how == "ban"
    assert texts(banned) == {"=list_of", "==", "<function=lost>"}  # "=" and "=read" may follow


def test_whole_call_heads_in_one_token_are_checked_anywhere() -> None:
    constraint = bound(prefix="Hello")
    how, banned = constraint.verdict()  # type: ignore[misc]
    assert how == "ban" and texts(banned) == {"<function=lost>"}


def test_inside_a_name_only_declared_continuations_are_allowed() -> None:
    constraint = bound(prefix="<tool_call>\n<function=")
    how, allowed = constraint.verdict()  # type: ignore[misc]
    assert how == "allow"
    assert texts(allowed) == {"list", "read", "edit", "run", "e"}
    constraint.feed("edit")
    assert texts(constraint.verdict()[1]) == {"_file", "_"}  # type: ignore[index]
    constraint.feed("_file")
    assert texts(constraint.verdict()[1]) == {">", ">\n", ">\n<"}  # type: ignore[index]
    constraint.feed(">\n<parameter=")
    assert constraint.watcher.state == "call" and constraint.verdict() is None


def test_end_of_generation_and_byte_tokens_are_never_allowed_in_a_name() -> None:
    how, allowed = bound(prefix="<function=").verdict()  # type: ignore[misc]
    assert how == "allow" and 0 not in allowed and None not in texts(allowed)


def test_when_no_token_fits_the_constraint_steps_aside() -> None:
    constraint = bound(prefix="<function=li")  # no token spells "st": nothing can continue the name
    assert constraint.watcher.state == "name"
    assert constraint.verdict() is None  # never an all -inf row


def test_hermes_name_tokens_after_the_object_opener() -> None:
    constraint = bound(HERMES, prefix='<tool_call>\n{"name":')
    how, banned = constraint.verdict()  # type: ignore[misc]
    # ' "read' starts a declared name; '",' and '":' would start a name after the compact `{"name":`
    assert how == "ban" and texts(banned) == {' "bogus', '",', '":'}
    constraint.feed(' "read_file')
    # the terminator merged with what follows it: the text after the name is not the constraint's business
    assert texts(constraint.verdict()[1]) == {'",', '":'}  # type: ignore[index]


def test_forced_start_states() -> None:
    assert bound(start="name").verdict()[0] == "allow"  # type: ignore[index]
    assert bound(start="call", prefix="\n<parameter=path>").verdict() is None


# -- the logits processor -------------------------------------------------------------------------------


def test_processor_masks_only_inside_names() -> None:
    constraint = bound(prefix="Hi ")
    processor = NameLogitsProcessor(constraint)
    scores = np.arange(len(VOCAB), dtype=np.float32)
    assert processor(None, scores) is scores  # outside names: the same array, one token banned in place
    assert list(np.flatnonzero(np.isinf(scores))) == [ID["<function=lost>"]]
    assert scores[ID["Hello"]] == ID["Hello"]
    constraint.feed("<function=")
    masked = processor(None, np.arange(len(VOCAB), dtype=np.float32))
    kept = {VOCAB[i] for i in np.flatnonzero(np.isfinite(masked))}
    assert kept == {"list", "read", "edit", "run", "e"}
    assert masked[ID["read"]] == ID["read"]  # kept scores are unchanged
    assert processor.masked_steps == 2


def greedy(constraint: NameConstraint | None, want: str, fallback: list[str], steps: int) -> str:
    """Decode with a fake model: it wants to write `want` (longest matching token first); when the text has
    left `want`, it ranks tokens in `fallback` order; everything else scores lowest."""
    processor = NameLogitsProcessor(constraint) if constraint else None
    out = ""
    for _ in range(steps):
        remaining = want[len(out) :] if want.startswith(out) else ""
        scores = np.full(len(VOCAB), -100.0, dtype=np.float32)
        for token, text in enumerate(VOCAB):
            if text and remaining.startswith(text):
                scores[token] = 100.0 + len(text)
            elif text in fallback:
                scores[token] = float(len(fallback) - fallback.index(text))
        if processor is not None:
            scores = processor(None, scores)
        text = VOCAB[int(np.argmax(scores))] or ""
        out += text
        if constraint is not None:
            constraint.feed(text)
    return out


def test_greedy_decoding_of_an_invented_name_is_steered_to_a_declared_one() -> None:
    fallback = [">\n", "_file", "x"]
    assert greedy(None, "list_of_file>\n", fallback, steps=5) == "list_of_file>\n"
    constraint = bound(start="name")
    assert greedy(constraint, "list_of_file>\n", fallback, steps=4) == "list_files>\n"
    assert constraint.watcher.names_written == ["list_files"] and constraint.watcher.violations == 0
    assert greedy(None, "edit_post>\n", fallback, steps=3) == "edit_post>\n"
    constraint = bound(start="name")
    assert greedy(constraint, "edit_post>\n", fallback, steps=4) == "edit_file>\n"
    assert constraint.watcher.names_written == ["edit_file"]


def test_for_tools_is_none_without_a_call_syntax_or_without_tools() -> None:
    tools = [Tool(name) for name in NAMES]  # no declared parameters: names only
    assert ToolNameConstraint.for_tools(None, tools) is None
    assert ToolNameConstraint.for_tools(QWEN, ()) is None
    assert ToolNameConstraint.for_tools(QWEN, tools, "name") == ToolNameConstraint(QWEN, NAMES, "name")


# -- a call cannot end before it closes -----------------------------------------------------------------


def test_end_tokens_are_banned_only_while_a_call_is_open() -> None:
    text = get_dialect("qwen3_xml").render_calls([ToolCall("read_file", {"path": "a.py"})])
    cut = text.index("a.py") + 2  # inside the free-text value of `path`
    spec = ToolNameConstraint(QWEN, NAMES)
    constraint = NameConstraint(spec, TABLE, end_tokens=(0,))
    assert 0 not in (constraint.verdict() or ("ban", []))[1]  # before any call: the model may end
    constraint.feed(text[:cut])
    assert constraint.verdict() == ("ban", [0])
    constraint.feed(text[cut:])
    assert 0 not in (constraint.verdict() or ("ban", []))[1]  # the call is closed: ending is fine again
    without = NameConstraint(spec, TABLE)
    without.feed(text[:cut])
    assert without.verdict() is None  # no end tokens given: as before


def test_end_tokens_join_a_ban_and_never_enter_an_allow_list() -> None:
    spec = ToolNameConstraint(QWEN, NAMES)
    constraint = NameConstraint(spec, TABLE, end_tokens=(0,))
    constraint.feed("<tool_call>\n<function=")
    how, tokens = constraint.verdict() or ("none", [])
    assert how == "allow" and 0 not in tokens and ID["read"] in tokens
    scores = np.zeros(len(VOCAB), dtype=np.float32)
    masked = NameLogitsProcessor(constraint)(None, scores)
    assert masked[0] == -np.inf
