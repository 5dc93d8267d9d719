"""Machinery shared by the dialect parsers: an incremental scanner over a held-back buffer.

Every dialect is one state machine fed with text chunks. `parse(text)` feeds the whole text and closes, so a
batch parse and any chunking of the same text give the same result by construction. Decisions that need
text not yet seen (a partial tag at the end of a chunk, a lookahead after a closing tag) wait in the buffer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from punie.calls.render import dumps
from punie.calls.types import ParseResult, StreamEvent, Tool, ToolCall, new_call_id

THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"
VALID_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:\-]{0,127}")
_COMPACT_AT = 1024


def preview(text: str, limit: int = 60) -> str:
    """A short quoted excerpt of model text for error messages."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def tools_by_name(tools: list[Tool] | list[dict] | None) -> dict[str, Tool] | None:
    """Index tools by name; OpenAI tool dicts are accepted too. None means "any tool name"."""
    if tools is None:
        return None
    return {tool.name: tool for tool in (t if isinstance(t, Tool) else Tool.from_openai(t) for t in tools)}


class _Channel:
    """One text channel (content or reasoning): leading and trailing whitespace of the whole is dropped."""

    __slots__ = ("kind", "pending", "started")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.started = False
        self.pending = ""

    def push(self, text: str, events: list[StreamEvent]) -> None:
        if not self.started:
            text = text.lstrip()
            if not text:
                return
            self.started = True
        body = text.rstrip()
        if not body:
            self.pending += text
            return
        events.append(StreamEvent(self.kind, text=self.pending + body))  # type: ignore[arg-type]
        self.pending = text[len(body) :]


class Emitter:
    """Collects stream events; numbers calls and builds their argument fragments."""

    def __init__(self) -> None:
        self.events: list[StreamEvent] = []
        self.content = _Channel("content")
        self.reasoning = _Channel("reasoning")
        self.calls_started = 0

    def text(self, text: str, reasoning: bool = False) -> None:
        if text:
            (self.reasoning if reasoning else self.content).push(text, self.events)

    @property
    def content_started(self) -> bool:
        return self.content.started

    def error(self, message: str, index: int = -1) -> None:
        self.events.append(StreamEvent("error", text=message, index=index))

    def start_call(self, name: str) -> PendingCall:
        call = PendingCall(self, self.calls_started, name)
        self.calls_started += 1
        self.events.append(StreamEvent("call_start", index=call.index, id=call.id, name=name))
        return call

    def take(self) -> list[StreamEvent]:
        events, self.events = self.events, []
        return events


class PendingCall:
    """A call whose name is known and whose arguments arrive one by one (streamed as JSON fragments)."""

    def __init__(self, emitter: Emitter, index: int, name: str) -> None:
        self.emitter = emitter
        self.index = index
        self.id = new_call_id()
        self.name = name
        self.arguments: dict = {}

    def add(self, key: str, value: object) -> None:
        opener = ", " if self.arguments else "{"
        self.arguments[key] = value
        self._fragment(f"{opener}{dumps(key)}: {dumps(value)}")

    def set_all(self, arguments: dict) -> None:
        """Give all arguments at once (dialects whose calls arrive whole)."""
        self.arguments = arguments
        if arguments:
            self._fragment(dumps(arguments)[:-1])

    def finish(self) -> ToolCall:
        self._fragment("}" if self.arguments else "{}")
        call = ToolCall(self.name, self.arguments, self.id)
        self.emitter.events.append(StreamEvent("call_end", index=self.index, call=call))
        return call

    def abandon(self, reason: str) -> None:
        """The call turned out not to be one (e.g. truncated): report it; its text goes out as content."""
        message = f"{reason} (call {self.index} `{self.name}` dropped; its text kept as content)"
        self.emitter.error(message, self.index)

    def _fragment(self, fragment: str) -> None:
        self.emitter.events.append(StreamEvent("call_args", index=self.index, fragment=fragment))


State = Callable[[bool], bool]


class Scanner:
    """Base of the dialect state machines.

    `buf[pos:]` is text not yet decided. A state is a method `(final) -> bool`: it consumes from `pos` and
    returns True to keep going, or False when it needs more text (never when `final`, unless all is consumed).
    Subclasses set `triggers` (tags that open a call in plain text) and implement `on_trigger`; `strays` are
    closing tags dropped (with an error) when they repeat right after a finished call, e.g. a second
    `</tool_call>`: markup, never content.
    """

    triggers: tuple[str, ...] = ()
    strays: tuple[str, ...] = ()

    def __init__(self, tools: list[Tool] | None = None) -> None:
        self.tools = tools_by_name(tools)
        self.out = Emitter()
        self.buf = ""
        self.pos = 0
        self.keep_from = -1  # >= 0 while a call's raw text must be kept (to emit it if the call is dropped)
        self.in_think = False
        self.think_allowed = True
        self.state: State = self.text_state
        self.closed = False
        tags = (*self.triggers, THINK_OPEN, THINK_CLOSE)
        self._tags = tags
        self._tag_re = re.compile("|".join(re.escape(tag) for tag in sorted(tags, key=len, reverse=True)))
        self._first_chars = set(tag[0] for tag in tags)
        self._max_tag = max(len(tag) for tag in tags)

    # -- public API -------------------------------------------------------------------------------------
    def feed(self, chunk: str) -> list[StreamEvent]:
        if self.closed:
            raise RuntimeError("stream parser already closed")
        if chunk:
            self.buf += chunk
            self._run(False)
        return self.out.take()

    def close(self) -> list[StreamEvent]:
        if not self.closed:
            self.closed = True
            self._run(True)
        return self.out.take()

    # -- driver -----------------------------------------------------------------------------------------
    def _run(self, final: bool) -> None:
        while self.state(final):
            pass
        if final and self.pos < len(self.buf):  # defensive: a state stopped early; lose nothing
            self.out.error(f"unparsed text at end of output: {preview(self.buf[self.pos :])}")
            self.emit(self.buf[self.pos :])
            self.pos = len(self.buf)
        keep = self.pos if self.keep_from < 0 else self.keep_from
        if keep >= _COMPACT_AT or (keep and keep == len(self.buf)):
            self.buf = self.buf[keep:]
            self.shift(keep)

    def shift(self, offset: int) -> None:
        """Buffer positions move left by `offset` after compaction; subclasses shift their own too."""
        self.pos -= offset
        if self.keep_from >= 0:
            self.keep_from -= offset

    def emit(self, text: str) -> None:
        """Plain text: reasoning inside a think block, else content."""
        if not text:
            return
        if not self.in_think and self.think_allowed and not text.isspace():
            self.think_allowed = False
        self.out.text(text, self.in_think)

    def hold_point(self, start: int, final: bool, tags: tuple[str, ...]) -> int:
        """Where a possible partial tag begins in `buf[start:]` (its end), or len(buf) when there is none."""
        end = len(self.buf)
        if final:
            return end
        buf = self.buf
        if tags is self._tags:
            longest, first_chars = self._max_tag, self._first_chars
        else:
            longest, first_chars = max(len(tag) for tag in tags), {tag[0] for tag in tags}
        for offset in range(max(start, end - longest + 1), end):
            if buf[offset] in first_chars:
                tail = buf[offset:]
                if any(len(tail) < len(tag) and tag.startswith(tail) for tag in tags):
                    return offset
        return end

    # -- plain text ---------------------------------------------------------------------------------------
    def text_state(self, final: bool) -> bool:
        buf = self.buf
        start = self.pos
        if start >= len(buf):
            return False
        while True:
            match = self._tag_re.search(buf, start)
            if match is None:
                hold = self.hold_point(start, final, self._tags)
                self.emit(buf[start:hold])
                self.pos = hold
                return False
            self.emit(buf[start : match.start()])
            tag = match.group()
            start = self.pos = match.end()
            if tag == THINK_OPEN and (self.think_allowed and not self.in_think):
                self.in_think = True
                self.think_allowed = False
            elif tag == THINK_CLOSE and self.in_think:
                self.in_think = False
            elif tag in (THINK_OPEN, THINK_CLOSE):
                self.emit(tag)  # a think tag where none can be: plain text
                continue
            else:
                self.think_allowed = False
                self.keep_from = match.start()
                self.on_trigger(tag)
            return True

    def on_trigger(self, tag: str) -> None:
        raise NotImplementedError

    def drop_call(self, reason: str, call: PendingCall | None, upto: int) -> None:
        """Not a call after all: report why and emit its raw text (from the trigger to `upto`) as content."""
        raw = self.buf[self.keep_from : upto]
        if call is not None:
            call.abandon(reason)
        else:
            self.out.error(f"{reason}; kept as content: {preview(raw)}")
        self.emit(raw)
        self.end_call(upto)
        self.state = self.text_state

    def end_call(self, pos: int) -> None:
        self.keep_from = -1
        self.pos = pos
        self.state = self.after_call_state if self.strays else self.text_state

    def after_call_state(self, final: bool) -> bool:
        """Right after a call: drop repeated closing tags (`strays`), then back to plain text."""
        buf = self.buf
        at = self.pos
        while at < len(buf) and buf[at].isspace():
            at += 1
        stray = next((tag for tag in self.strays if buf.startswith(tag, at)), None)
        if stray is not None:
            self.out.error(f"stray {stray} after a call (dropped)")
            self.pos = at + len(stray)
            return True
        if not final and (at == len(buf) or self.hold_point(at, final, self.strays) == at):
            return False  # whitespace or the start of a closing tag so far: wait
        self.state = self.text_state
        return True

    def check_name(self, name: str) -> str | None:
        """Why `name` cannot be a call here, or None if it can."""
        if not VALID_NAME.fullmatch(name):
            return f"invalid tool name {preview(name)}"
        if self.tools is not None and name not in self.tools:
            known = ", ".join(sorted(self.tools)) or "none"
            return f"unknown tool {name!r} (known tools: {known})"
        return None


def collect_events(events: list[StreamEvent], into: ParseResult | None = None) -> ParseResult:
    """Fold stream events into a ParseResult (what `parse` returns)."""
    result = into or ParseResult(content="")
    content: list[str] = [result.content]
    reasoning: list[str] = [result.reasoning]
    for event in events:
        if event.kind == "content":
            content.append(event.text)
        elif event.kind == "reasoning":
            reasoning.append(event.text)
        elif event.kind == "call_end" and event.call is not None:
            result.calls.append(event.call)
        elif event.kind == "error":
            result.errors.append(event.text)
    result.content = "".join(content)
    result.reasoning = "".join(reasoning)
    return result


def parse_with(parser: Scanner, text: str) -> ParseResult:
    """Batch parse = feed everything, then close."""
    return collect_events(parser.feed(text) + parser.close())
