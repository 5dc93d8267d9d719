"""Decode-time call constraint: while the model writes a tool name, only declared names come out; while it
writes a parameter name (a qwen3_xml parameter tag, or a key of a JSON call's `arguments` object, followed
by `JsonCallScanner`), only the called tool's declared parameters that it has not written yet. In JSON
calls `arguments` must open an object, and the call object closes right after it. Between parameters, a
call cannot end while a required parameter is missing, and after the last declared parameter it can only
end.

Three pure parts, testable with a fake vocabulary:

- `CallWatcher` follows the generated text with a dialect's `CallSyntax` and knows when a name or a
  parameter name is being written and which part of it is already there.
- `TokenTable` holds every token's text once per model, indexed for prefix look-ups.
- `NameConstraint.verdict` turns a watcher state into the tokens to keep or to drop.

`NameLogitsProcessor` (numpy; llama-cpp-python's `logits_processor` signature) applies the verdict to the
scores. Outside a name it returns the scores untouched after a few string comparisons.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from punie.calls.render import dumps, xml_value
from punie.calls.syntax import CallSyntax
from punie.calls.types import Tool
from punie.engine.json_scan import JsonCallScanner
from punie.engine.values import START, NumberShape, Signature, finite_values, number_kind

ValueSpec = tuple[str, ...] | NumberShape  # the texts a value may be, or the shape of a number

WatchState = Literal["text", "scope", "name", "call", "key", "value"]
Verdict = tuple[Literal["allow", "ban"], list[int]]


class CallWatcher:
    """Follows generated text and tracks where tool names and parameter names are written.

    States: "text" (outside calls), "scope" (after a `call_open` tag, waiting for a name opener), "name"
    (`name` holds the part written so far), "call" (after the name, until `call_end`, or until one of the
    syntax's `after_name_breaks` follows the name directly) and "key" (after the syntax's `key_opener`, or
    the opening quote of a key of a JSON call's arguments, in a call to a tool listed in `keys`; `name`
    holds the parameter name so far) and "value" (the value of a parameter listed in `values`: a finite set
    of texts, an enum or a boolean, whose whole spellings, framing included, are in `choices`; or a number,
    `shape`, read up to `signature`).
    A tool name that stops matching every declared name, a parameter name that stops matching every
    declared and not yet written one, or a value outside its set, counts in `violations`; that call, or that
    parameter, is then left alone. So does ending a call before its `required` parameters, or starting
    a parameter after the last declared one: `between` marks the places where either could start (right
    after a call's name or a value's end tag, in dialects with a `value_end`).
    """

    __slots__ = (
        "_longest",
        "between",
        "buf",
        "choices",
        "fresh",
        "function",
        "json",
        "keys",
        "keys_written",
        "name",
        "names_written",
        "required",
        "shape",
        "signature",
        "state",
        "syntax",
        "targets",
        "values",
        "violations",
    )

    def __init__(
        self,
        syntax: CallSyntax,
        names: Sequence[str],
        state: WatchState = "text",
        keys: Mapping[str, Sequence[str]] | None = None,
        function: str | None = None,
        required: Mapping[str, Sequence[str]] | None = None,
        values: Mapping[str, Mapping[str, ValueSpec]] | None = None,
    ) -> None:
        self.syntax = syntax
        self.targets = tuple(name + syntax.name_end for name in names)
        keys = keys if syntax.key_opener or syntax.json_arguments else None  # else names only
        self.keys = {tool: tuple(declared) for tool, declared in (keys or {}).items()}
        self.required = {tool: tuple(names) for tool, names in (required or {}).items() if tool in self.keys}
        self.values = {tool: dict(by_key) for tool, by_key in (values or {}).items() if tool in self.keys}
        self.choices: tuple[str, ...] = ()
        self.shape: NumberShape | None = None
        self.signature: Signature = (START, "")
        self.state: WatchState = state
        self.buf = ""  # undecided text (a tag may be starting)
        self.name = ""
        self.fresh = state == "call"  # right after a name: only whitespace since
        self.function = function if state == "call" else None  # the tool of the call being written
        self.keys_written: list[str] = []  # in the current call
        self.between = self.fresh and syntax.value_end is not None
        self.json: JsonCallScanner | None = None  # JSON dialects: where the call object's text stands
        self._start_json()
        self.names_written: list[str] = []
        self.violations = 0
        tags = (*syntax.name_openers, syntax.call_end, syntax.call_open or "", syntax.key_opener or "")
        tags += (syntax.value_end or "",)
        self._longest = max(len(tag) for tag in tags)

    def copy(self) -> CallWatcher:
        twin = CallWatcher.__new__(CallWatcher)
        twin.syntax, twin.targets, twin.keys = self.syntax, self.targets, self.keys
        twin.required, twin.values, twin.choices = self.required, self.values, self.choices
        twin.shape, twin.signature = self.shape, self.signature
        twin.between = self.between
        twin._longest = self._longest
        twin.state, twin.buf, twin.name, twin.fresh = self.state, self.buf, self.name, self.fresh
        twin.function, twin.keys_written = self.function, list(self.keys_written)
        twin.json = self.json.copy() if self.json is not None else None
        twin.names_written, twin.violations = [], self.violations
        return twin

    @property
    def key_targets(self) -> tuple[str, ...] | None:
        """The parameter names (with `key_end`) the current call may still write; None: not constrained."""
        declared = self.keys.get(self.function) if self.function is not None else None
        if declared is None:
            return None
        return tuple(key + self.syntax.key_end for key in declared if key not in self.keys_written)

    @property
    def missing_required(self) -> bool:
        """The current call has not written every required parameter yet."""
        required = self.required.get(self.function) if self.function is not None else None
        return bool(required) and any(key not in self.keys_written for key in required)  # type: ignore[union-attr]

    def forbidden_here(self) -> tuple[str, ...]:
        """Between parameters: the starts of a call end (while a required parameter is missing) and of a
        parameter tag (after the last declared one), each up to where it parts from the other."""
        syntax = self.syntax
        if not (self.between and syntax.key_opener and self.key_targets is not None):
            return ()
        opener, end = syntax.key_opener, syntax.call_end
        shared = next(at for at in range(len(opener)) if opener[: at + 1] != end[: at + 1]) + 1
        forbidden = (end[:shared],) if self.missing_required else ()
        return forbidden + ((opener[:shared],) if self.key_targets == () else ())

    @property
    def opener_tags(self) -> tuple[str, ...]:
        """Tags that would start a name from the current state (what a token could complete)."""
        syntax = self.syntax
        if self.state == "scope" or (self.state == "text" and syntax.call_open is None):
            return syntax.name_openers
        if self.state != "call":
            return ()
        tags: tuple[str, ...] = ()
        if self.fresh:
            tags = tuple(tag for tag in syntax.after_name_breaks if tag in syntax.name_openers)
        if syntax.key_opener and self.key_targets is not None:
            tags += (syntax.key_opener,)
        if self.json is not None and self.key_targets:
            tags += ('"',)  # a token may close a value and open an arguments key
        elif self.json is not None and self.key_targets == ():
            tags += (",",)  # every declared key is written: no comma after the last value
        if self.json is not None and self.missing_required:
            tags += ("}",)  # the arguments object may not close yet
        if self.json is not None and self.json.after_arguments:
            tags += (",",)  # the call object closes after its arguments
        return tags

    def feed(self, text: str) -> None:
        self.buf += text
        while self.buf and self._step():
            pass

    def _step(self) -> bool:
        """Consume from `buf`; False when more text is needed to decide."""
        if self.state == "name":
            return self._name_step()
        if self.state == "key":
            return self._key_step()
        if self.state == "value":
            return self._value_step()
        if self.state == "scope":
            return self._scope_step()
        if self.state == "call" and self.fresh:
            return self._after_name_step()
        if self.state == "call" and self.between:
            return self._between_step()
        if self.state == "call" and self.json is not None:
            return self._json_step()
        syntax = self.syntax
        if self.state == "call":
            tags: tuple[str, ...] = (syntax.call_end,)
            if syntax.key_opener and self.key_targets is not None:
                tags += (syntax.key_opener,)
                tags += (syntax.value_end,) if syntax.value_end else ()
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
            if tag == syntax.call_end:
                self.state, self.function = "text", None
            elif tag == syntax.value_end:
                self.between = True
            else:
                self.state, self.name = "key", ""
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

    def _between_step(self) -> bool:
        """Between parameters: a call end or a parameter tag that may not start here is a violation."""
        text = self.buf.lstrip()
        forbidden = self.forbidden_here()
        if any(text.startswith(start) for start in forbidden):
            self.violations += 1
        elif not text or any(start.startswith(text) for start in forbidden):
            self.buf = text
            return False
        self.buf, self.between = text, False
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
        done, word = self._spell(self.targets, self.syntax.name_end)
        if not done:
            return False
        if word is not None:
            self.names_written.append(word)
        self.state, self.fresh, self.function, self.keys_written = "call", word is not None, word, []
        self.between = self.fresh and self.syntax.value_end is not None
        self._start_json()
        return True

    def _start_json(self) -> None:
        """After the name of a call to a tool with declared keys, in a JSON dialect: follow its object."""
        arguments = self.syntax.json_arguments
        known = self.state == "call" and self.function in self.keys
        self.json = JsonCallScanner(arguments) if arguments and known else None

    def _json_step(self) -> bool:
        scanner = self.json
        assert scanner is not None
        for at, char in enumerate(self.buf):
            not_object = scanner.at_arguments_value and char not in " \t\r\n{"
            key_too_many = char == "," and scanner.after_argument_value and self.key_targets == ()
            closes_early = char == "}" and scanner.may_close_arguments and self.missing_required
            key_after_arguments = char == "," and scanner.after_arguments
            if not_object or key_too_many or closes_early or key_after_arguments:
                self.violations += 1  # leave the call alone, find its end tag
                self.buf, self.json = self.buf[at:], None
                return True
            if scanner.step(char) == "key" and self.key_targets:
                self.buf, self.state, self.name = self.buf[at + 1 :], "key", ""
                return True
            in_arguments = scanner.args_depth > 0 and len(scanner.stack) == scanner.args_depth
            if char == ":" and in_arguments and scanner.expect == "value" and self._start_value(("", " ")):
                self.buf = self.buf[at + 1 :]
                return True
            if scanner.done:
                self.buf, self.state, self.function, self.json = self.buf[at + 1 :], "text", None, None
                return True
            if scanner.broken:  # not JSON (maybe the end tag itself): leave the call alone, find its end tag
                self.buf, self.json = self.buf[at:], None
                return True
        self.buf = ""
        return False

    def _key_step(self) -> bool:
        done, word = self._spell(self.key_targets or (), self.syntax.key_end)
        if not done:
            return False
        if word is not None:
            self.keys_written.append(word)
        self.state = "call"
        if self.json is not None:
            if word is None:
                self.json.resume_key()
            else:
                self.json.key_closed()
        elif word is not None and self.syntax.value_end:
            self._start_value(("\n", ""), ("\n", ""), self.syntax.value_end)
        return True

    def _start_value(self, before: tuple[str, ...], after: tuple[str, ...] = ("",), end: str = "") -> bool:
        """Right after the key just written: if its values are held to a set or a shape, follow the value."""
        spec = self.values.get(self.function or "", {}).get(
            self.keys_written[-1] if self.keys_written else ""
        )
        if not spec:
            return False
        if isinstance(spec, NumberShape):
            self.shape, self.signature, self.choices = spec, (START, ""), ()
        else:
            self.shape = None
            self.choices = tuple(
                lead + text + tail + end for text in spec for lead in before for tail in after
            )
        self.state, self.name = "value", ""
        return True

    def _value_step(self) -> bool:
        if self.shape is not None:
            return self._number_step(self.shape)
        done, word = self._spell(self.choices, "")
        if not done:
            return False
        self.state = "call"
        if word is not None and self.json is not None:
            for char in word:  # the scanner reads the value now that it is known to be whole
                self.json.step(char)
        elif word is not None:
            self.between = True  # the choice ends with `value_end`
        return True

    def _number_step(self, shape: NumberShape) -> bool:
        signature, rest = shape.read(self.signature, self.buf)
        if signature is None:  # not a number: leave the value alone, find its end tag
            self.violations += 1
            self.state, self.shape, self.buf = "call", None, self.name + self.buf
            return True
        if rest is None:
            self.signature, self.name, self.buf = signature, self.name + self.buf, ""
            return False
        self.state, self.shape, self.buf, self.between = "call", None, rest, True
        return True

    def _spell(self, targets: tuple[str, ...], end: str) -> tuple[bool, str | None]:
        """Match the word being written (`name` + `buf`) against `targets` (each ending in `end`).

        (False, None): the text so far could still become a target; (True, word): it spelled one, `buf`
        keeps what follows; (True, None): it left every target, a violation, `buf` keeps the text.
        """
        written = self.name + self.buf
        for target in targets:
            if written.startswith(target):
                self.buf, self.name = written[len(target) :], ""
                return True, target[: len(target) - len(end)]
        if any(target.startswith(written) for target in targets):
            self.name, self.buf = written, ""
            return False, None
        self.violations += 1
        self.buf, self.name = written, ""
        return True, None


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
        self._after_space: dict[str, list[int]] = {}
        self._numbers: dict[tuple[NumberShape, Signature], tuple[list[int], list[int]]] = {}
        self._first_chars: list[str] = []
        self._object_openers: list[int] | None = None

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

    def starting_after_space(self, prefix: str) -> list[int]:
        """Tokens whose text starts with `prefix` after optional whitespace (computed once per prefix)."""
        found = self._after_space.get(prefix)
        if found is None:
            found = self._after_space[prefix] = [
                token
                for token, piece in enumerate(self.texts)
                if piece and piece.lstrip(" \t\r\n").startswith(prefix)
            ]
        return found

    def object_openers(self) -> list[int]:
        """Tokens that are whitespace or open a JSON object after it: what may follow `"arguments":`."""
        if self._object_openers is None:
            self._object_openers = [
                token
                for token, piece in enumerate(self.texts)
                if piece and piece.lstrip(" \t\r\n")[:1] in ("", "{")
            ]
        return self._object_openers

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
        if kind and syntax.value_end:  # JSON dialects: the JSON scanner already reads numbers
            return NumberShape(kind == "integer", syntax.value_end)
        return None


@dataclass
class NameConstraint:
    """A constraint bound to one model's tokens, following one generation."""

    spec: ToolNameConstraint
    table: TokenTable
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
        """For the next token: None (anything goes), ("allow", only these) or ("ban", all but these)."""
        watcher = self.watcher
        if watcher.state == "value" and watcher.shape is not None:
            return self._number_verdict(watcher.shape, watcher.signature)
        if watcher.state in ("name", "key", "value"):
            states = {"name": watcher.targets, "key": watcher.key_targets or (), "value": watcher.choices}
            targets = states[watcher.state]
            place = (watcher.function, tuple(watcher.keys_written), targets, watcher.name)
            allowed = self._allowed_cache.get(place)
            if allowed is None:
                allowed = self._allowed_cache[place] = self._spelling(targets, watcher.name)
            return ("allow", allowed) if allowed else None  # nothing fits: leave it to the parser
        if watcher.json is not None:  # many tokens hold a quote: decide once per place in the JSON
            place = (watcher.function, tuple(watcher.keys_written), watcher.json.signature)
            if place not in self._json_verdicts:
                self._json_verdicts[place] = self._json_verdict()
            return self._json_verdicts[place]
        banned = self._forbidden_starts() if watcher.between and watcher.state == "call" else []
        openers = watcher.opener_tags
        if openers:
            banned += [token for token in self._completing(openers, watcher.buf) if self._breaks_name(token)]
        return ("ban", banned) if banned else None

    def _forbidden_starts(self) -> list[int]:
        """Between parameters: tokens that write a start the watcher calls a violation there, decided from
        the text alone (no watcher copy per token: after a `<`, most of the vocabulary qualifies)."""
        pending = self.watcher.buf.lstrip()
        tokens: list[int] = []
        for start in self.watcher.forbidden_here():
            if not pending:
                tokens += self.table.starting_after_space(start)
            elif len(pending) < len(start) and start.startswith(pending):
                tokens += self.table.starting_with(start[len(pending) :])
        return tokens

    def _json_verdict(self) -> Verdict | None:
        """In a JSON call: the arguments value opens an object, and a key may only start a declared one."""
        watcher = self.watcher
        assert watcher.json is not None
        if watcher.json.at_arguments_value:
            allowed = [t for t in self.table.object_openers() if not self._breaks_name(t)]
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

    def _spelling(self, targets: tuple[str, ...], written: str) -> list[int]:
        """Tokens that keep `written` + token a prefix of a target (name + terminator), or that finish it,
        where what they write past it must not break the call either (e.g. `",` after a last JSON value)."""
        table = self.table
        allowed: set[int] = set()
        past: set[int] = set()
        for target in targets:
            if not target.startswith(written):
                continue
            rest = target[len(written) :]
            for size in range(1, len(rest)):
                allowed.update(table.by_text.get(rest[:size], ()))
            allowed.update(table.by_text.get(rest, ()))
            past.update(table.starting_with(rest))
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
