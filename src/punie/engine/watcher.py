"""`CallWatcher`: follows generated text with a dialect's `CallSyntax` and knows, at every point, whether a
tool name, a parameter name or a held value is being written, which part of it is already there, and
whether the call has broken one of the constraint's rules (`violations`). Pure text logic; the token side
is in `punie.engine.constraint`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from punie.calls.syntax import CallSyntax
from punie.engine.json_scan import JsonCallScanner
from punie.engine.values import START, NumberShape, Signature

NUMBER_OPENERS = frozenset(" \t\r\n-0123456789")
ValueSpec = tuple[str, ...] | NumberShape  # the texts a value may be, or the shape of a number
WatchState = Literal["text", "scope", "name", "call", "key", "value"]


class CallWatcher:
    """Follows generated text and tracks where tool names, parameter names and held values are written.

    States: "text" (outside calls), "scope" (after a `call_open` tag, waiting for a name opener), "name"
    (`name` holds the part written so far), "call" (after the name, until `call_end`, or until one of the
    syntax's `after_name_breaks` follows the name directly), "key" (after the syntax's `key_opener`, or
    the opening quote of a key of a JSON call's arguments, in a call to a tool listed in `keys`; `name`
    holds the parameter name so far) and "value" (the value of a parameter listed in `values`: a finite set
    of texts, an enum or a boolean, whose whole spellings, framing included, are in `choices`; or a number,
    `shape`, read up to `signature`). A tool name that stops matching every declared name, a parameter
    name that stops matching every declared and not yet written one, or a value outside its set, counts in
    `violations`; that call, or that parameter, is then left alone. So does ending a call before its
    `required` parameters, or starting a parameter after the last declared one: `between` marks the places
    where either could start (right after a call's name or a value's end tag, in dialects with a
    `value_end`).
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
        return any(key not in self.keys_written for key in self.required.get(self.function or "", ()))

    def tags_here(self) -> tuple[str, ...] | None:
        """Between parameters of a call to a tool with declared parameters (tag dialects): the only tags that
        may come next, after whitespace: a parameter while one is left, the call's end once every required
        one is written. None: no rule here."""
        syntax = self.syntax
        if not (self.between and syntax.key_opener and self.key_targets is not None):
            return None
        tags = (syntax.key_opener,) if self.key_targets else ()
        return tags + (() if self.missing_required else (syntax.call_end,))

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
        """Between parameters: anything but whitespace and the tags allowed here is a violation (text, or
        a call end before a required parameter, or a parameter after the last declared one)."""
        text = self.buf.lstrip()
        tags = self.tags_here() or ()
        if not any(text.startswith(tag) for tag in tags):
            if not text or any(tag.startswith(text) for tag in tags):
                self.buf = text
                return False
            self.violations += 1 if tags else 0
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
            not_number = char not in NUMBER_OPENERS and self.number_value_next
            if not_object or key_too_many or closes_early or key_after_arguments or not_number:
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

    @property
    def number_value_next(self) -> bool:
        """JSON calls: the value of a number parameter comes next (only whitespace so far)."""
        if self.json is None or not self.json.at_argument_value or not self.keys_written:
            return False
        return isinstance(self.values.get(self.function or "", {}).get(self.keys_written[-1]), NumberShape)

    def _start_value(self, before: tuple[str, ...], after: tuple[str, ...] = ("",), end: str = "") -> bool:
        """Right after the key just written: if its values are held to a set or a shape, follow the value."""
        spec = self.values.get(self.function or "", {}).get(
            self.keys_written[-1] if self.keys_written else ""
        )
        if not spec or (isinstance(spec, NumberShape) and self.json is not None):
            return False  # JSON numbers: the scanner reads them, `number_value_next` checks how they open
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
