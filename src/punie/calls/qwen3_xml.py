"""The Qwen3-Coder XML dialect (the default): `<tool_call><function=NAME><parameter=KEY>...`.

Values are raw text (code is written verbatim), so structure is decided by lookahead: a `</parameter>` closes
a value only when whitespace and then `<parameter=NAME>`, `</function>`, `</tool_call>` or the end of the
output follow it; anything else is a literal part of the value. A missing `</parameter>` is recovered at a
structural `</function>` or a new `<parameter=NAME>` line. Values are typed by the tool's JSON Schema.
"""

from __future__ import annotations

import re
from enum import Enum

from punie.calls.coerce import CoercionError, coerce_value
from punie.calls.dialect import TextDialect
from punie.calls.render import xml_value
from punie.calls.streaming import PendingCall, Scanner, preview
from punie.calls.syntax import CallSyntax
from punie.calls.types import Tool, ToolCall

TOOL_CALL_OPEN = "<tool_call>"
TOOL_CALL_CLOSE = "</tool_call>"
FUNCTION_OPEN = "<function="
FUNCTION_CLOSE = "</function>"
PARAMETER_OPEN = "<parameter="
PARAMETER_CLOSE = "</parameter>"

_LONGEST_TAG = len(PARAMETER_CLOSE)
_TAG_LIMIT = 130  # longest name we wait for before deciding a `<function=`/`<parameter=` tag is not one
# A whole tag fits in _TAG_LIMIT, so every chunking reaches the same verdict about it.
_PARAMETER_TAG = re.compile(r"<parameter=([^<>\n]{1,100})>")
_WHITESPACE = re.compile(r"\s*")
_VALUE_TAGS = (PARAMETER_CLOSE, PARAMETER_OPEN, FUNCTION_CLOSE)
_BODY_TAGS = (PARAMETER_OPEN, FUNCTION_CLOSE, TOOL_CALL_CLOSE, TOOL_CALL_OPEN, FUNCTION_OPEN)
_AFTER_FUNCTION = (TOOL_CALL_CLOSE, TOOL_CALL_OPEN, FUNCTION_OPEN)
_LENIENT_END = re.compile("|".join(map(re.escape, (PARAMETER_CLOSE, FUNCTION_CLOSE, TOOL_CALL_CLOSE))))


class Verdict(Enum):
    YES = 1
    NO = 2
    WAIT = 3  # the buffer ends before the lookahead can decide


def render_call(call: ToolCall) -> str:
    parameters = "".join(
        f"<parameter={key}>\n{xml_value(value)}\n</parameter>\n" for key, value in call.arguments.items()
    )
    return f"<tool_call>\n<function={call.name}>\n{parameters}</function>\n</tool_call>"


def _trim_value(raw: str) -> str:
    """Qwen3-Coder framing: one newline after the opening and one before the closing tag are not data."""
    if raw.startswith("\n"):
        raw = raw[1:]
    if raw.endswith("\n"):
        raw = raw[:-1]
    return raw


class Qwen3XmlStreamParser(Scanner):
    triggers = (TOOL_CALL_OPEN, FUNCTION_OPEN)
    strays = (TOOL_CALL_CLOSE,)

    def __init__(self, tools: list[Tool] | None = None) -> None:
        super().__init__(tools)
        self.call: PendingCall | None = None
        self.wrapped = False
        self.properties: dict | None = None
        self.key = ""
        self.value_start = 0
        self.scan = 0

    def shift(self, offset: int) -> None:
        super().shift(offset)
        self.value_start -= offset
        self.scan -= offset

    # -- helpers ------------------------------------------------------------------------------------------
    def _skip_space(self, start: int) -> int:
        return _WHITESPACE.match(self.buf, start).end()  # type: ignore[union-attr]

    def _partial(self, start: int, tags: tuple[str, ...]) -> bool:
        """True when `buf[start:]` is a proper prefix of one of `tags` (wait for more text)."""
        if len(self.buf) - start >= _LONGEST_TAG:
            return False
        tail = self.buf[start:]
        return any(len(tail) < len(tag) and tag.startswith(tail) for tag in tags)

    def _label(self) -> str:
        assert self.call is not None
        return f"call {self.call.index} `{self.call.name}`"

    def _parameter_tag(self, start: int, final: bool, known_only: bool) -> Verdict:
        """Is there a complete, valid `<parameter=NAME>` tag at `start`?"""
        match = _PARAMETER_TAG.match(self.buf, start)
        if match is None:
            open_end = len(self.buf) - start < _TAG_LIMIT and "\n" not in self.buf[start:]
            return Verdict.WAIT if not final and open_end else Verdict.NO
        name = match.group(1).strip()
        if not name:
            return Verdict.NO
        if known_only and self.properties is not None and (name not in self.properties or name == self.key):
            return Verdict.NO
        return Verdict.YES

    # -- lookahead after closing tags -----------------------------------------------------------------------
    def _after_parameter_close(self, start: int, final: bool) -> Verdict:
        at = self._skip_space(start)
        if at == len(self.buf):
            return Verdict.YES if final else Verdict.WAIT
        buf = self.buf
        if buf.startswith(PARAMETER_OPEN, at):
            return self._parameter_tag(at, final, known_only=False)
        if buf.startswith(FUNCTION_CLOSE, at):
            return self._after_function_close(at + len(FUNCTION_CLOSE), final)
        if buf.startswith(TOOL_CALL_CLOSE, at):
            return Verdict.YES
        if not final and self._partial(at, (PARAMETER_OPEN, FUNCTION_CLOSE, TOOL_CALL_CLOSE)):
            return Verdict.WAIT
        return Verdict.NO

    def _after_function_close(self, start: int, final: bool) -> Verdict:
        if not self.wrapped:
            return Verdict.YES
        at = self._skip_space(start)
        if at == len(self.buf):
            return Verdict.YES if final else Verdict.WAIT
        if any(self.buf.startswith(tag, at) for tag in _AFTER_FUNCTION):
            return Verdict.YES
        if not final and self._partial(at, _AFTER_FUNCTION):
            return Verdict.WAIT
        return Verdict.NO

    # -- states ---------------------------------------------------------------------------------------------
    def on_trigger(self, tag: str) -> None:
        self.wrapped = tag == TOOL_CALL_OPEN
        self.state = self.open_state if self.wrapped else self.name_state

    def open_state(self, final: bool) -> bool:
        """After `<tool_call>`: expect `<function=`."""
        at = self._skip_space(self.pos)
        if at == len(self.buf) and not final:
            return False
        if self.buf.startswith(FUNCTION_OPEN, at):
            self.pos = at + len(FUNCTION_OPEN)
            self.state = self.name_state
            return True
        if not final and self._partial(at, (FUNCTION_OPEN,)):
            return False
        if at == len(self.buf):
            self.drop_call("truncated tool call: output ended after <tool_call>", None, at)
        else:
            hint = " (a hermes_json call?)" if self.buf.startswith("{", at) else ""
            self.drop_call(f"<tool_call> not followed by <function=NAME>{hint}", None, at)
        return True

    def name_state(self, final: bool) -> bool:
        """After `<function=`: read the tool name up to `>`."""
        window = self.buf[self.pos : self.pos + _TAG_LIMIT]
        close = window.find(">")
        newline = window.find("\n")
        if close < 0 or 0 <= newline < close:
            if not final and newline < 0 and len(window) < _TAG_LIMIT:
                return False
            reason = "unterminated <function= tag"
            if final and close < 0 and newline < 0:
                reason = "truncated tool call: output ended in <function="
            self.drop_call(reason, None, self.pos)
            return True
        name = window[:close].strip()
        end = self.pos + close + 1
        problem = self.check_name(name)
        if problem is not None:
            self.drop_call(problem, None, end)
            return True
        self.call = self.out.start_call(name)
        tool = self.tools.get(name) if self.tools is not None else None
        self.properties = tool.properties if tool is not None else None
        self.pos = end
        self.state = self.body_state
        return True

    def body_state(self, final: bool) -> bool:
        """Inside `<function=...>`, between parameters."""
        assert self.call is not None
        buf = self.buf
        at = self._skip_space(self.pos)
        if at == len(buf):
            if not final:
                return False
            self.drop_call("truncated tool call: output ended before </function>", self.call, at)
            return True
        if buf.startswith(PARAMETER_OPEN, at):
            verdict = self._parameter_tag(at, final, known_only=False)
            if verdict is Verdict.WAIT:
                return False
            if verdict is Verdict.NO:
                tag = buf[at : at + _TAG_LIMIT].split("\n", 1)[0]
                self.drop_call(f"invalid parameter tag {preview(tag)}", self.call, at)
                return True
            match = _PARAMETER_TAG.match(buf, at)
            assert match is not None
            self.key = match.group(1).strip()
            self.value_start = self.scan = match.end()
            self.pos = match.end()
            self.state = self.value_state
            return True
        if buf.startswith(FUNCTION_CLOSE, at):
            self._finish_call()
            if self.wrapped:
                self.pos = at + len(FUNCTION_CLOSE)
                self.state = self.after_function_state
            else:
                self.end_call(at + len(FUNCTION_CLOSE))
            return True
        if buf.startswith(TOOL_CALL_CLOSE, at):
            self._finish_call("missing </function> before </tool_call>" if self.wrapped else "")
            self.end_call(at + len(TOOL_CALL_CLOSE))
            return True
        if buf.startswith(TOOL_CALL_OPEN, at) or buf.startswith(FUNCTION_OPEN, at):
            self._finish_call("missing </function> before the next call")
            self.end_call(at)
            return True
        if not final and self._partial(at, _BODY_TAGS):
            return False
        expected = "expected <parameter=NAME> or </function>"
        self.drop_call(f"unexpected text inside the call ({expected}): {preview(buf[at])}", self.call, at)
        return True

    def value_state(self, final: bool) -> bool:
        """Inside a parameter value: find its structural end."""
        buf = self.buf
        scan = self.scan
        while True:
            at = buf.find("<", scan)
            if at < 0:
                break
            if buf.startswith(PARAMETER_CLOSE, at):
                verdict = self._after_parameter_close(at + len(PARAMETER_CLOSE), final)
                if verdict is Verdict.YES:
                    self._close_value(at, at + len(PARAMETER_CLOSE))
                    return True
            elif buf.startswith(FUNCTION_CLOSE, at):
                verdict = self._after_function_close(at + len(FUNCTION_CLOSE), final)
                if verdict is Verdict.YES:
                    self._close_value(at, at, "missing </parameter> before </function>")
                    return True
            elif buf.startswith(PARAMETER_OPEN, at) and (at == self.value_start or buf[at - 1] == "\n"):
                verdict = self._parameter_tag(at, final, known_only=True)
                if verdict is Verdict.YES:
                    self._close_value(at, at, "missing </parameter> before the next <parameter=")
                    return True
            elif not final and self._partial(at, _VALUE_TAGS):
                verdict = Verdict.WAIT
            else:
                verdict = Verdict.NO
            if verdict is Verdict.WAIT:
                self.scan = at
                return False
            scan = at + 1
        if not final:
            self.scan = len(buf)
            return False
        return self._close_value_leniently()

    def _close_value_leniently(self) -> bool:
        """End of output inside a value: take the first closing tag of any kind, or drop a truncated call."""
        match = _LENIENT_END.search(self.buf, self.value_start)
        if match is None:
            reason = f"truncated tool call: output ended inside parameter {self.key!r}"
            self.drop_call(reason, self.call, len(self.buf))
        elif match.group() == PARAMETER_CLOSE:
            self._close_value(match.start(), match.end())
        else:
            self._close_value(match.start(), match.start(), f"missing </parameter> before {match.group()}")
        return True

    def after_function_state(self, final: bool) -> bool:
        """After `</function>` of a wrapped call: expect `</tool_call>`."""
        at = self._skip_space(self.pos)
        if at == len(self.buf):
            if final:
                self.end_call(at)
            return final
        if self.buf.startswith(TOOL_CALL_CLOSE, at):
            self.end_call(at + len(TOOL_CALL_CLOSE))
            return True
        if not final and self._partial(at, (TOOL_CALL_CLOSE,)):
            return False
        self.out.error(f"missing </tool_call> after call {self.call.index if self.call else '?'}")
        self.end_call(at)
        return True

    # -- call building --------------------------------------------------------------------------------------
    def _close_value(self, end: int, resume: int, problem: str = "") -> None:
        assert self.call is not None
        if problem:
            self.out.error(f"{self._label()}: {problem} (recovered)")
        raw = _trim_value(self.buf[self.value_start : end])
        key = self.key
        if key in self.call.arguments:
            ignored = preview(raw)
            self.out.error(f"{self._label()}: duplicate parameter {key!r}; kept the first, ignored {ignored}")
        else:
            schema = self.properties.get(key) if self.properties is not None else None
            try:
                value = coerce_value(raw, schema)
            except CoercionError as error:
                self.out.error(f"{self._label()}: parameter {key!r}: {error}; kept as a string")
                value = raw
            self.call.add(key, value)
        self.pos = resume
        self.state = self.body_state

    def _finish_call(self, problem: str = "") -> None:
        assert self.call is not None
        if problem:
            self.out.error(f"{self._label()}: {problem} (recovered)")
        self.call.finish()


QWEN3_XML = TextDialect(
    "qwen3_xml",
    render_call,
    Qwen3XmlStreamParser,
    "Qwen3-Coder tool calls; values are raw text, typed by the tool's JSON Schema when parsed.",
    CallSyntax(
        prefix=f"{TOOL_CALL_OPEN}\n{FUNCTION_OPEN}",
        name_end=">",
        call_end=FUNCTION_CLOSE,
        name_openers=(FUNCTION_OPEN,),
        after_name_breaks=(TOOL_CALL_OPEN, FUNCTION_OPEN),  # body_state ends the call at either
        key_opener=PARAMETER_OPEN,  # the parser reads a parameter name wherever this appears in a call
        key_end=">",
        value_end=PARAMETER_CLOSE,
    ),
)
