"""The Hermes / Qwen2.5 JSON dialect: `<tool_call>\\n{"name": ..., "arguments": {...}}\\n</tool_call>`.

The end of a call is the first `</tool_call>` outside a JSON string, so code in arguments may contain the
tag. `arguments` given as a JSON string is decoded once; `parameters` is accepted as its alias.
"""

from __future__ import annotations

import json
import re

from punie.calls.dialect import TextDialect
from punie.calls.json_calls import read_call_object
from punie.calls.render import dumps
from punie.calls.streaming import PendingCall, Scanner
from punie.calls.syntax import CallSyntax
from punie.calls.types import Tool, ToolCall

TOOL_CALL_OPEN = "<tool_call>"
TOOL_CALL_CLOSE = "</tool_call>"
_JSON_TOKENS = re.compile(r'["\\]|</tool_call>')
_EARLY_NAME = re.compile(r'\s*\{\s*"name"\s*:\s*"((?:[^"\\]|\\.)*)"')
_EARLY_NAME_WINDOW = 300
_WHITESPACE = re.compile(r"\s*")
_FUNCTION_OPEN = "<function="
_NAME_OPEN = '{"name": "'  # how render_call (dumps) starts the call object


def render_call(call: ToolCall) -> str:
    return f"<tool_call>\n{dumps({'name': call.name, 'arguments': call.arguments})}\n</tool_call>"


class HermesJsonStreamParser(Scanner):
    triggers = (TOOL_CALL_OPEN,)
    strays = (TOOL_CALL_CLOSE,)

    def __init__(self, tools: list[Tool] | None = None) -> None:
        super().__init__(tools)
        self.call: PendingCall | None = None
        self.body_start = 0
        self.scan = 0
        self.in_string = False
        self.name_checked = False

    def shift(self, offset: int) -> None:
        super().shift(offset)
        self.body_start -= offset
        self.scan -= offset

    def on_trigger(self, tag: str) -> None:
        self.call = None
        self.body_start = self.scan = self.pos
        self.in_string = False
        self.name_checked = False
        self.state = self.open_state

    def open_state(self, final: bool) -> bool:
        """After `<tool_call>`: a JSON object must follow, else it is a literal tag in the text."""
        at = _WHITESPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
        if at == len(self.buf):
            if not final:
                return False
            self.drop_call("truncated tool call: output ended after <tool_call>", None, at)
        elif self.buf[at] != "{":
            partial = len(self.buf) - at < len(_FUNCTION_OPEN) and _FUNCTION_OPEN.startswith(self.buf[at:])
            if partial and not final:
                return False  # wait: the hint below must not depend on the chunking
            hint = " (a qwen3_xml call?)" if self.buf.startswith(_FUNCTION_OPEN, at) else ""
            self.drop_call(f"<tool_call> not followed by a JSON object{hint}", None, at)
        else:
            self.body_start = self.scan = at
            self.state = self.body_state
        return True

    def _early_name(self) -> None:
        """Start the call as soon as a leading `"name"` is complete (for streaming clients)."""
        match = _EARLY_NAME.match(self.buf, self.body_start, self.body_start + _EARLY_NAME_WINDOW)
        if match is None:
            self.name_checked = len(self.buf) - self.body_start > _EARLY_NAME_WINDOW
            return
        self.name_checked = True
        try:
            name = json.loads(f'"{match.group(1)}"')
        except ValueError:
            return
        if self.check_name(name) is None:
            self.call = self.out.start_call(name)

    def body_state(self, final: bool) -> bool:
        buf = self.buf
        if not self.name_checked:
            self._early_name()
        scan = self.scan
        while True:
            match = _JSON_TOKENS.search(buf, scan)
            if match is None:
                scan = self.hold_point(scan, final, (TOOL_CALL_CLOSE,)) if not self.in_string else len(buf)
                break
            token = match.group()
            if token == "\\":
                if self.in_string and match.end() >= len(buf) and not final:
                    scan = match.start()
                    break
                scan = match.end() + 1 if self.in_string else match.end()
            elif token == '"':
                self.in_string = not self.in_string
                scan = match.end()
            elif self.in_string:
                scan = match.end()
            else:
                self._finish(match.start(), match.end())
                return True
        self.scan = min(scan, len(buf))
        if not final:
            return False
        fallback = buf.find(TOOL_CALL_CLOSE, self.body_start)  # JSON strings unbalanced: first tag ends it
        if fallback >= 0:
            self._finish(fallback, fallback + len(TOOL_CALL_CLOSE))
        else:
            self._finish(len(buf), len(buf), unclosed=True)
        return True

    def _finish(self, end: int, resume: int, unclosed: bool = False) -> None:
        body = self.buf[self.body_start : end]
        found = read_call_object(body)
        problem = found.problem
        if unclosed and problem:
            problem = f"truncated tool call: output ended before </tool_call> ({problem})"
        elif not problem:
            problem = self.check_name(found.name) or ""
        if not problem and self.call is not None and self.call.name != found.name:
            problem = f"tool name changed from {self.call.name!r} to {found.name!r}"
        if problem:
            self.drop_call(problem, self.call, resume)
            return
        assert found.arguments is not None
        call = self.call or self.out.start_call(found.name)
        if found.note:
            self.out.error(f"call {call.index} `{call.name}`: {found.note}")
        call.set_all(found.arguments)
        call.finish()
        self.end_call(resume)


HERMES_JSON = TextDialect(
    "hermes_json",
    render_call,
    HermesJsonStreamParser,
    "JSON tool calls wrapped in `<tool_call>` tags.",
    CallSyntax(
        prefix=f"{TOOL_CALL_OPEN}\n{_NAME_OPEN}",
        name_end='"',
        call_end=TOOL_CALL_CLOSE,
        call_open=TOOL_CALL_OPEN,
        name_openers=(_NAME_OPEN, '{"name":"'),
        key_end='"',
        json_arguments=("arguments", "parameters"),  # the parser's keys for the arguments object
    ),
)
