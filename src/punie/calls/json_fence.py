"""The legacy fenced-JSON dialect: a ```json block holding `{"name": ..., "arguments": ...}`.

A fence is a call only when its JSON is an object with "name" and "arguments" (or "parameters"); any other
fence is ordinary content. Single-quoted Python literals (found in legacy data) are read, with a note.
"""

from __future__ import annotations

import re

from punie.calls.dialect import TextDialect
from punie.calls.json_calls import read_call_object
from punie.calls.render import dumps
from punie.calls.streaming import Scanner, preview
from punie.calls.syntax import CallSyntax
from punie.calls.types import Tool, ToolCall

FENCE_OPEN = "```json"
_FENCE_CLOSE = re.compile(r"\n[ \t]*```")
_FENCE_CLOSE_PREFIX = re.compile(r"\n[ \t]*`{0,2}")


def render_call(call: ToolCall) -> str:
    return f"```json\n{dumps({'name': call.name, 'arguments': call.arguments})}\n```"


class JsonFenceStreamParser(Scanner):
    triggers = (FENCE_OPEN,)

    def __init__(self, tools: list[Tool] | None = None) -> None:
        super().__init__(tools)
        self.body_start = 0
        self.scan = 0

    def shift(self, offset: int) -> None:
        super().shift(offset)
        self.body_start -= offset
        self.scan -= offset

    def on_trigger(self, tag: str) -> None:
        self.state = self.open_state

    def open_state(self, final: bool) -> bool:
        """Right after ```json: a word character means another language tag (```jsonl), not a call fence."""
        if self.pos == len(self.buf) and not final:
            return False
        following = self.buf[self.pos : self.pos + 1]
        if following and (following.isalnum() or following in "_-"):
            self.emit(self.buf[self.keep_from : self.pos])
            self.end_call(self.pos)
            return True
        self.body_start = self.scan = self.pos
        self.state = self.body_state
        return True

    def body_state(self, final: bool) -> bool:
        buf = self.buf
        match = _FENCE_CLOSE.search(buf, self.scan)
        if match is not None:
            self._finish(match.start(), match.end(), closed=True)
            return True
        if not final:
            newline = buf.rfind("\n", self.scan)
            partial = newline >= 0 and _FENCE_CLOSE_PREFIX.fullmatch(buf, newline) is not None
            self.scan = newline if partial else len(buf)
            return False
        self._finish(len(buf), len(buf), closed=False)
        return True

    def _finish(self, end: int, resume: int, closed: bool) -> None:
        found = read_call_object(self.buf[self.body_start : end])
        if not found.call_shaped:
            if found.problem.startswith("invalid JSON"):
                where = "```json fence" if closed else "unclosed ```json fence"
                body = preview(self.buf[self.body_start : end].strip())
                self.out.error(f"{found.problem} in {where}: {body}")
            self.emit(self.buf[self.keep_from : resume])
            self.end_call(resume)
            return
        problem = found.problem or self.check_name(found.name)
        if problem:
            self.drop_call(problem, None, resume)
            return
        assert found.arguments is not None
        call = self.out.start_call(found.name)
        if found.note:
            self.out.error(f"call {call.index} `{call.name}`: {found.note}")
        call.set_all(found.arguments)
        call.finish()
        self.end_call(resume)


JSON_FENCE = TextDialect(
    "json_fence",
    render_call,
    JsonFenceStreamParser,
    "Tool calls as fenced JSON blocks (found in legacy training data only).",
    # names are only forced, never detected: a ```json fence with a "name" key may be ordinary content
    CallSyntax(
        prefix=f'{FENCE_OPEN}\n{{"name": "',
        name_end='"',
        call_end="```",
        key_end='"',
        json_arguments=("arguments", "parameters"),
    ),
)
