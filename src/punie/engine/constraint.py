"""Decode-time call constraint: while the model writes a tool name, only declared names come out; while it
writes a parameter name (a qwen3_xml parameter tag, or a key of a JSON call's `arguments` object, followed
by `JsonCallScanner`), only the called tool's declared parameters that it has not written yet. In JSON
calls `arguments` must open an object, and the call object closes right after it. Between parameters, a
call cannot end while a required parameter is missing, and after the last declared parameter it can only
end. A parameter with an enum (or a boolean) takes one of its values; qwen3_xml numbers are written as
numbers (`punie.engine.values`).

Three pure parts, testable with a fake vocabulary:

- `CallWatcher` (`punie.engine.watcher`) follows the generated text with a dialect's `CallSyntax` and
  knows when a name, a parameter name or a held value is being written and which part is already there.
- `TokenTable` holds every token's text once per model, indexed for prefix look-ups.
- `NameConstraint.verdict` turns a watcher state into the tokens to keep or to drop.

`NameLogitsProcessor` (numpy; llama-cpp-python's `logits_processor` signature) applies the verdict to the
scores. Outside a name it returns the scores untouched after a few string comparisons.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from punie.calls.render import dumps, xml_value
from punie.calls.syntax import CallSyntax
from punie.calls.types import Tool
from punie.engine.values import NumberShape, Signature, finite_values, number_kind
from punie.engine.watcher import CallWatcher, ValueSpec, WatchState

Verdict = tuple[Literal["allow", "ban"], list[int]]


class _SortedTexts:
    """(text, token) pairs sorted by text, for exact and prefix look-ups by bisection."""

    def __init__(self, pairs: Iterable[tuple[str, int]]) -> None:
        ordered = sorted(pairs)
        self.texts = [text for text, _ in ordered]
        self.ids = [token for _, token in ordered]

    def equal_to(self, text: str) -> list[int]:
        return self.ids[bisect.bisect_left(self.texts, text) : bisect.bisect_right(self.texts, text)]

    def starting_with(self, prefix: str) -> list[int]:
        low = bisect.bisect_left(self.texts, prefix)
        return self.ids[low : bisect.bisect_left(self.texts, prefix + "\U0010ffff")]


class TokenTable:
    """Every token's text (None: not valid UTF-8 on its own, or empty), indexed for prefix look-ups."""

    def __init__(self, texts: Sequence[str | None]) -> None:
        self.texts = list(texts)
        self.size = len(self.texts)
        self.by_text: dict[str, list[int]] = {}
        for token, text in enumerate(self.texts):
            if text:
                self.by_text.setdefault(text, []).append(token)
        self._sorted = _SortedTexts((text, token) for token, text in enumerate(self.texts) if text)
        self._stripped: _SortedTexts | None = None  # the same, by text without leading whitespace
        self._containing: dict[str, list[int]] = {}
        self._numbers: dict[tuple[NumberShape, Signature], tuple[list[int], list[int]]] = {}
        self._first_chars: list[str] = []
        self._openers: dict[str, list[int]] = {}

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
        return self._sorted.starting_with(prefix)

    def number_tokens(self, shape: NumberShape, signature: Signature) -> tuple[list[int], list[int]]:
        """(tokens that keep a number of `shape` open or end it exactly, tokens that end it and write more),
        from `signature` on; computed once per shape and signature."""
        found = self._numbers.get((shape, signature))
        if found is None:
            if not self._first_chars:
                self._first_chars = sorted({text[0] for text in self.texts if text})
            inside: list[int] = []
            finishing: list[int] = []
            for char in self._first_chars:
                if shape.read(signature, char)[0] is None:
                    continue
                for token in self.starting_with(char):
                    reached, rest = shape.read(signature, self.texts[token] or "")
                    if reached is not None:
                        (finishing if rest else inside).append(token)
            found = self._numbers[shape, signature] = (inside, finishing)
        return found

    def _without_space(self) -> _SortedTexts:
        if self._stripped is None:
            pieces = ((text.lstrip(" \t\r\n"), token) for token, text in enumerate(self.texts) if text)
            self._stripped = _SortedTexts(pieces)
        return self._stripped

    def stripped(self, text: str) -> list[int]:
        """Tokens that are `text` after optional leading whitespace ("" : the whitespace-only tokens)."""
        return self._without_space().equal_to(text)

    def starting_after_space(self, prefix: str) -> list[int]:
        """Tokens whose text starts with `prefix` after optional whitespace."""
        return self._without_space().starting_with(prefix)

    def openers(self, chars: str) -> list[int]:
        """Tokens that are whitespace, or whose first other character is one of `chars` (what may open a JSON
        value of one kind: "{" after `"arguments":`, digits and "-" for a number); computed once per kind."""
        found = self._openers.get(chars)
        if found is None:
            tokens = self.stripped("") + [
                token for char in chars for token in self.starting_after_space(char)
            ]
            found = self._openers[chars] = sorted(tokens)
        return found

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
    """What a request asks of the decoder: names in `syntax` calls must be one of `names`, and parameter names
    in a call to a tool listed in `keys` one of its declared parameters, each at most once.

    `start` is the watcher state at the end of the prompt: "name" when the prompt ends with the syntax's
    call prefix (tool_choice "required"), "call" when it ends with a whole forced call head (a named tool,
    `function`).
    """

    syntax: CallSyntax
    names: tuple[str, ...]
    start: WatchState = "text"
    keys: tuple[tuple[str, tuple[str, ...]], ...] = ()
    function: str | None = None
    required: tuple[tuple[str, tuple[str, ...]], ...] = ()
    values: tuple[tuple[str, tuple[tuple[str, ValueSpec], ...]], ...] = ()

    @classmethod
    def for_tools(
        cls,
        syntax: CallSyntax | None,
        tools: Sequence[Tool],
        start: WatchState = "text",
        function: str | None = None,
    ) -> ToolNameConstraint | None:
        """The constraint for these declared tools, or None when there is nothing to constrain. Parameter
        names are constrained when the dialect tags them and the tool's schema closes them
        (`Tool.argument_names`); such a tool's required parameters must then all be written, a parameter
        with an `enum` of scalars or of type boolean takes one of those values, written as the dialect writes
        values (`xml_value` in tag dialects, JSON in JSON dialects), and in tag dialects an integer or number
        parameter is written as one."""
        if syntax is None or not tools:
            return None
        keys: tuple[tuple[str, tuple[str, ...]], ...] = ()
        required: tuple[tuple[str, tuple[str, ...]], ...] = ()
        values: tuple[tuple[str, tuple[tuple[str, ValueSpec], ...]], ...] = ()
        if syntax.key_opener or syntax.json_arguments:
            keys = tuple((tool.name, names) for tool in tools if (names := tool.argument_names) is not None)
            declared = dict(keys)
            render = dumps if syntax.json_arguments else xml_value
            for tool in tools:
                must = tuple(key for key in tool.required if key in declared.get(tool.name, ()))
                required += ((tool.name, must),) if must else ()
                held = tuple(
                    (key, spec)
                    for key in declared.get(tool.name, ())
                    if (spec := cls._value_spec(syntax, tool.properties.get(key), render))
                )
                values += ((tool.name, held),) if held else ()
        return cls(syntax, tuple(tool.name for tool in tools), start, keys, function, required, values)

    @staticmethod
    def _value_spec(syntax: CallSyntax, schema: object, render: Any) -> ValueSpec | None:
        if choices := finite_values(schema):
            return tuple(render(value) for value in choices)
        kind = number_kind(schema)
        if kind:  # JSON dialects only check how a number opens: the JSON scanner reads the rest
            return NumberShape(kind == "integer", syntax.value_end or "")
        return None


@dataclass
class NameConstraint:
    """A constraint bound to one model's tokens, following one generation."""

    spec: ToolNameConstraint
    table: TokenTable
    end_tokens: tuple[int, ...] = ()  # the model's end-of-generation tokens: banned while a call is open
    watcher: CallWatcher = field(init=False)
    _allowed_cache: dict[tuple[object, ...], list[int]] = field(default_factory=dict, init=False)
    _json_verdicts: dict[tuple[object, ...], Verdict | None] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        spec = self.spec
        self.watcher = CallWatcher(
            spec.syntax,
            spec.names,
            spec.start,
            dict(spec.keys),
            spec.function,
            dict(spec.required),
            {tool: dict(by_key) for tool, by_key in spec.values},
        )

    def feed(self, text: str) -> None:
        self.watcher.feed(text)

    def verdict(self) -> Verdict | None:
        """For the next token: None (anything goes), ("allow", only these) or ("ban", all but these).
        Inside a call the generation cannot end: a call the model stops writing would reach the client as
        text."""
        found = self._verdict()
        if self.watcher.state == "text" or not self.end_tokens:
            return found
        if found is None:
            return ("ban", list(self.end_tokens))
        how, tokens = found
        if how == "ban":
            return ("ban", tokens + list(self.end_tokens))
        ends = set(self.end_tokens)
        return ("allow", [token for token in tokens if token not in ends]) if ends & set(tokens) else found

    def _verdict(self) -> Verdict | None:
        watcher = self.watcher
        if watcher.state == "value" and watcher.shape is not None:
            return self._number_verdict(watcher.shape, watcher.signature)
        if watcher.state in ("name", "key", "value"):
            states = {"name": watcher.targets, "key": watcher.key_targets or (), "value": watcher.choices}
            return self._allow_spelling(states[watcher.state], watcher.name)
        if watcher.json is not None:  # many tokens hold a quote: decide once per place in the JSON
            place = (watcher.function, tuple(watcher.keys_written), watcher.json.signature)
            if place not in self._json_verdicts:
                self._json_verdicts[place] = self._json_verdict()
            return self._json_verdicts[place]
        if watcher.state == "call" and (tags := watcher.tags_here()):
            # between parameters: whitespace, or the start of a tag allowed here
            pending = watcher.buf.lstrip()
            return self._allow_spelling(tags, pending, after_space=not pending)
        openers = watcher.opener_tags
        if not openers:
            return None
        banned = [token for token in self._completing(openers, watcher.buf) if self._breaks_name(token)]
        return ("ban", banned) if banned else None

    def _json_verdict(self) -> Verdict | None:
        """In a JSON call: the arguments value opens an object, and a key may only start a declared one."""
        watcher = self.watcher
        assert watcher.json is not None
        if watcher.json.at_arguments_value:
            allowed = [t for t in self.table.openers("{") if not self._breaks_name(t)]
            return ("allow", allowed) if allowed else None
        if watcher.number_value_next:
            allowed = [t for t in self.table.openers("-0123456789") if not self._breaks_name(t)]
            return ("allow", allowed) if allowed else None
        openers = watcher.opener_tags
        if not openers:
            return None
        banned = [t for t in self._completing(openers, watcher.buf) if self._breaks_name(t)]
        return ("ban", banned) if banned else None

    def _number_verdict(self, shape: NumberShape, signature: Signature) -> Verdict | None:
        """Inside a number: tokens that keep it a number, or close it without breaking the call after."""
        place = (self.watcher.function, tuple(self.watcher.keys_written), shape, signature)
        allowed = self._allowed_cache.get(place)
        if allowed is None:
            inside, finishing = self.table.number_tokens(shape, signature)
            allowed = inside + [token for token in finishing if not self._breaks_name(token)]
            self._allowed_cache[place] = allowed = sorted(allowed)
        return ("allow", allowed) if allowed else None

    def _allow_spelling(
        self, targets: tuple[str, ...], written: str, after_space: bool = False
    ) -> Verdict | None:
        """Allow only `_spelling(...)`, once per place; None when nothing fits (the parser decides)."""
        watcher = self.watcher
        place = (watcher.function, tuple(watcher.keys_written), targets, written, after_space)
        allowed = self._allowed_cache.get(place)
        if allowed is None:
            allowed = self._allowed_cache[place] = self._spelling(targets, written, after_space)
        return ("allow", allowed) if allowed else None

    def _spelling(self, targets: tuple[str, ...], written: str, after_space: bool = False) -> list[int]:
        """Tokens that keep `written` + token a prefix of a target (a name + terminator, a value, a tag), or
        that finish it, where what they write past it must not break the call either (e.g. `",` after a
        last JSON value). `after_space`: tokens may also start with whitespace, and whitespace alone fits."""
        table = self.table
        exact = table.stripped if after_space else (lambda text: table.by_text.get(text, ()))
        starting = table.starting_after_space if after_space else table.starting_with
        allowed: set[int] = set(table.stripped("")) if after_space else set()
        past: set[int] = set()
        for target in targets:
            if not target.startswith(written) or target == written:
                continue
            rest = target[len(written) :]
            for size in range(1, len(rest) + 1):
                allowed.update(exact(rest[:size]))
            past.update(starting(rest))
        past -= allowed
        allowed.update(token for token in past if not self._breaks_name(token))
        return sorted(allowed)

    def _completing(self, openers: tuple[str, ...], pending: str) -> list[int]:
        """Tokens that could finish an opener and write part of a name or key in the same token."""
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
