"""Decode-time tool-name constraint: while the model writes a tool name, only declared names come out.

Three pure parts, testable with a fake vocabulary:

- `CallWatcher` follows the generated text with a dialect's `CallSyntax` and knows when a name is being
  written and which part of it is already there.
- `TokenTable` holds every token's text once per model, indexed for prefix look-ups.
- `NameConstraint.banned_or_allowed` turns a watcher state into the tokens to keep or to drop.

`NameLogitsProcessor` (numpy; llama-cpp-python's `logits_processor` signature) applies the verdict to the
scores. Outside a name region it returns the scores untouched after a few string comparisons.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from punie.calls.syntax import CallSyntax

WatchState = Literal["text", "scope", "name", "call"]


class CallWatcher:
    """Follows generated text and tracks where tool names are written.

    States: "text" (outside calls), "scope" (after a `call_open` tag, waiting for a name opener), "name"
    (`name` holds the part written so far) and "call" (after the name, until `call_end`, or until one of
    the syntax's `after_name_breaks` follows the name directly). A name that stops matching every declared
    name counts in `violations`; the call is then left alone until it ends.
    """

    __slots__ = (
        "_longest",
        "buf",
        "fresh",
        "name",
        "names_written",
        "state",
        "syntax",
        "targets",
        "violations",
    )

    def __init__(self, syntax: CallSyntax, names: Sequence[str], state: WatchState = "text") -> None:
        self.syntax = syntax
        self.targets = tuple(name + syntax.name_end for name in names)
        self.state: WatchState = state
        self.buf = ""  # undecided text (a tag may be starting)
        self.name = ""
        self.fresh = state == "call"  # right after a name: only whitespace since
        self.names_written: list[str] = []
        self.violations = 0
        tags = (*syntax.name_openers, syntax.call_end, syntax.call_open or "")
        self._longest = max(len(tag) for tag in tags)

    def copy(self) -> CallWatcher:
        twin = CallWatcher.__new__(CallWatcher)
        twin.syntax, twin.targets, twin._longest = self.syntax, self.targets, self._longest
        twin.state, twin.buf, twin.name, twin.fresh = self.state, self.buf, self.name, self.fresh
        twin.names_written, twin.violations = [], self.violations
        return twin

    @property
    def opener_tags(self) -> tuple[str, ...]:
        """Tags that would start a name from the current state (what a token could complete)."""
        syntax = self.syntax
        if self.state == "scope" or (self.state == "text" and syntax.call_open is None):
            return syntax.name_openers
        if self.state == "call" and self.fresh:
            return tuple(tag for tag in syntax.after_name_breaks if tag in syntax.name_openers)
        return ()

    def feed(self, text: str) -> None:
        self.buf += text
        while self.buf and self._step():
            pass

    def _step(self) -> bool:
        """Consume from `buf`; False when more text is needed to decide."""
        if self.state == "name":
            return self._name_step()
        if self.state == "scope":
            return self._scope_step()
        if self.state == "call" and self.fresh:
            return self._after_name_step()
        syntax = self.syntax
        if self.state == "call":
            tags: tuple[str, ...] = (syntax.call_end,)
        elif syntax.call_open is not None:
            tags = (syntax.call_open,)
        else:
            tags = syntax.name_openers
        found = [(at, tag) for tag in tags if tag and (at := self.buf.find(tag)) >= 0]
        if not found:
            self.buf = self.buf[-(self._longest - 1) :] if self._longest > 1 else ""
            return False
        at, tag = min(found)
        self.buf = self.buf[at + len(tag) :]
        if self.state == "call":
            self.state = "text"
        elif tag == syntax.call_open:
            self.state = "scope"
        else:
            self.state, self.name = "name", ""
        return True

    def _after_name_step(self) -> bool:
        text = self.buf.lstrip()
        breaks = self.syntax.after_name_breaks
        if any(text.startswith(tag) for tag in breaks):
            self.buf, self.state, self.fresh = text, "text", False  # the text state finds the next opener
            return True
        if not text or any(tag.startswith(text) for tag in breaks):
            return False
        self.fresh = False
        return True

    def _scope_step(self) -> bool:
        text = self.buf.lstrip()
        for opener in self.syntax.name_openers:
            if text.startswith(opener):
                self.buf = text[len(opener) :]
                self.state, self.name = "name", ""
                return True
        if not text or any(opener.startswith(text) for opener in self.syntax.name_openers):
            return False
        self.state = "call"  # some other call shape (e.g. arguments first): not constrained
        return True

    def _name_step(self) -> bool:
        written = self.name + self.buf
        for target in self.targets:
            if written.startswith(target):
                self.names_written.append(target[: len(target) - len(self.syntax.name_end)])
                self.buf, self.name, self.state = written[len(target) :], "", "call"
                self.fresh = True
                return True
        if any(target.startswith(written) for target in self.targets):
            self.name, self.buf = written, ""
            return False
        self.violations += 1
        self.buf, self.name, self.state = written, "", "call"
        return True


class TokenTable:
    """Every token's text (None: not valid UTF-8 on its own, or empty), indexed for prefix look-ups."""

    def __init__(self, texts: Sequence[str | None]) -> None:
        self.texts = list(texts)
        self.size = len(self.texts)
        self.by_text: dict[str, list[int]] = {}
        for token, text in enumerate(self.texts):
            if text:
                self.by_text.setdefault(text, []).append(token)
        ordered = sorted((text, token) for token, text in enumerate(self.texts) if text)
        self._sorted_texts = [text for text, _ in ordered]
        self._sorted_ids = [token for _, token in ordered]
        self._containing: dict[str, list[int]] = {}

    @classmethod
    def from_bytes(cls, pieces: Sequence[bytes]) -> TokenTable:
        texts: list[str | None] = []
        for piece in pieces:
            try:
                texts.append(piece.decode("utf-8") or None)
            except UnicodeDecodeError:
                texts.append(None)
        return cls(texts)

    def starting_with(self, prefix: str) -> list[int]:
        """Tokens whose text starts with `prefix` (including `prefix` itself)."""
        low = bisect.bisect_left(self._sorted_texts, prefix)
        high = bisect.bisect_left(self._sorted_texts, prefix + "\U0010ffff")
        return self._sorted_ids[low:high]

    def containing(self, text: str) -> list[int]:
        """Tokens whose text contains `text` (computed once per text)."""
        found = self._containing.get(text)
        if found is None:
            found = self._containing[text] = [
                token for token, piece in enumerate(self.texts) if piece and text in piece
            ]
        return found


@dataclass(frozen=True)
class ToolNameConstraint:
    """What a request asks of the decoder: names in `syntax` calls must be one of `names`.

    `start` is the watcher state at the end of the prompt: "name" when the prompt ends with the syntax's
    call prefix (tool_choice "required"), "call" when it ends with a whole forced call head (a named tool).
    """

    syntax: CallSyntax
    names: tuple[str, ...]
    start: WatchState = "text"

    @classmethod
    def for_tools(
        cls, syntax: CallSyntax | None, names: tuple[str, ...], start: WatchState = "text"
    ) -> ToolNameConstraint | None:
        """The constraint for these declared tools, or None when there is nothing to constrain."""
        return cls(syntax, names, start) if syntax is not None and names else None


@dataclass
class NameConstraint:
    """A constraint bound to one model's tokens, following one generation."""

    spec: ToolNameConstraint
    table: TokenTable
    watcher: CallWatcher = field(init=False)
    _allowed_cache: dict[str, list[int]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.watcher = CallWatcher(self.spec.syntax, self.spec.names, self.spec.start)

    def feed(self, text: str) -> None:
        self.watcher.feed(text)

    def verdict(self) -> tuple[Literal["allow", "ban"], list[int]] | None:
        """For the next token: None (anything goes), ("allow", only these) or ("ban", all but these)."""
        watcher = self.watcher
        if watcher.state == "name":
            allowed = self._allowed_cache.get(watcher.name)
            if allowed is None:
                allowed = self._allowed_cache[watcher.name] = self._name_tokens(watcher.name)
            return ("allow", allowed) if allowed else None  # nothing fits: leave it to the parser
        openers = watcher.opener_tags
        if not openers:
            return None
        candidates = self._completing(openers, watcher.buf)
        if not candidates:
            return None
        banned = [token for token in candidates if self._breaks_name(token)]
        return ("ban", banned) if banned else None

    def _name_tokens(self, written: str) -> list[int]:
        """Tokens that keep `written` + token a prefix of a declared name + terminator, or go past it."""
        table = self.table
        allowed: set[int] = set()
        for target in self.watcher.targets:
            if not target.startswith(written):
                continue
            rest = target[len(written) :]
            for size in range(1, len(rest)):
                allowed.update(table.by_text.get(rest[:size], ()))
            allowed.update(table.starting_with(rest))
        return sorted(allowed)

    def _completing(self, openers: tuple[str, ...], pending: str) -> list[int]:
        """Tokens that could finish an opener and write part of a name in the same token."""
        table = self.table
        candidates: list[int] = []
        for opener in openers:
            candidates += table.containing(opener)
            for size in range(1, len(opener)):
                if pending.endswith(opener[:size]):
                    candidates += table.starting_with(opener[size:])
        return candidates

    def _breaks_name(self, token: int) -> bool:
        text = self.table.texts[token]
        if text is None:
            return False
        twin = self.watcher.copy()
        twin.feed(text)
        return twin.violations > self.watcher.violations


class NameLogitsProcessor:
    """A llama-cpp-python logits processor: `(input_ids, scores) -> scores`, masked by a NameConstraint."""

    def __init__(self, constraint: NameConstraint) -> None:
        import numpy

        self._numpy = numpy
        self.constraint = constraint
        self.masked_steps = 0

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        found = self.constraint.verdict()
        if found is None:
            return scores
        self.masked_steps += 1
        how, tokens = found
        if how == "ban":
            scores[tokens] = -self._numpy.inf
            return scores
        masked = self._numpy.full(scores.shape, -self._numpy.inf, dtype=scores.dtype)
        masked[tokens] = scores[tokens]
        return masked
