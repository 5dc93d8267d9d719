"""`JsonCallScanner`: follows the JSON of a call object (`{"name": ..., "arguments": {...}}`) one character at
a time, from just after its name, so the call constraint knows when a key of the arguments object starts.

It is a structural scanner, not a validator: it tracks nesting, strings and escapes, and gives up (`broken`)
on text that cannot be JSON, after which the constraint leaves the call alone.
"""

from __future__ import annotations

from typing import Literal

Expect = Literal["key", "colon", "value", "comma", "scalar"]
_SCALAR = frozenset("0123456789+-.eEtrufalsn")  # numbers, true, false, null
_SPACE = frozenset(" \t\r\n")


class JsonCallScanner:
    """Where the text of a call object stands. `step` returns "key" when a key of the arguments object opens
    (its quote was just read); the caller spells the key, then calls `key_closed` or `resume_key`."""

    __slots__ = (
        "args_closed",
        "args_depth",
        "argument_keys",
        "broken",
        "escape",
        "expect",
        "in_string",
        "is_key",
        "key",
        "last_key",
        "stack",
    )

    def __init__(self, argument_keys: tuple[str, ...]) -> None:
        self.argument_keys = argument_keys  # keys of the call object that hold the arguments object
        self.stack = ["{"]  # open containers; the call object is open, its name value just ended
        self.expect: Expect = "comma"
        self.in_string = self.is_key = self.escape = self.broken = False
        self.key = ""  # the call object's key being read (to notice "arguments")
        self.last_key = ""
        self.args_depth = 0  # len(stack) inside the arguments object, 0 before it opens
        self.args_closed = False  # the arguments object has been written and closed

    def copy(self) -> JsonCallScanner:
        twin = JsonCallScanner.__new__(JsonCallScanner)
        for slot in JsonCallScanner.__slots__:
            setattr(twin, slot, getattr(self, slot))
        twin.stack = list(self.stack)
        return twin

    @property
    def done(self) -> bool:
        """The call object is closed."""
        return not self.stack

    @property
    def at_arguments_value(self) -> bool:
        """Right after `"arguments":` (or an alias) of the call object: its value, an object, comes next."""
        return (
            not self.in_string
            and self.expect == "value"
            and len(self.stack) == 1
            and self.last_key in self.argument_keys
        )

    @property
    def at_argument_value(self) -> bool:
        """After a key of the arguments object and its colon: that key's value comes next."""
        return not self.in_string and self.expect == "value" and 0 < self.args_depth == len(self.stack)

    @property
    def after_argument_value(self) -> bool:
        """A value of the arguments object just ended: a comma (another key) or its closing brace is next."""
        return (
            not self.in_string
            and self.expect in ("comma", "scalar")
            and self.args_depth > 0
            and len(self.stack) == self.args_depth
        )

    @property
    def after_arguments(self) -> bool:
        """The arguments object just closed: the call object's closing brace (or another key) is next."""
        return self.args_closed and not self.in_string and self.expect == "comma" and len(self.stack) == 1

    @property
    def may_close_arguments(self) -> bool:
        """A `}` here would close the arguments object (it is open, and no key or value is half written)."""
        return (
            not self.in_string
            and self.expect in ("key", "comma", "scalar")
            and self.args_depth > 0
            and len(self.stack) == self.args_depth
        )

    @property
    def signature(self) -> tuple[object, ...]:
        """Everything that decides how the scanner reads what comes next (a cache key)."""
        return (
            tuple(self.stack),
            self.expect,
            self.in_string,
            self.is_key,
            self.escape,
            self.broken,
            self.args_depth,
            self.args_closed,
            self.last_key,
            self.key,
        )

    def key_closed(self) -> None:
        """The caller read a whole arguments key including its closing quote."""
        self.in_string = self.is_key = False
        self.expect = "colon"

    def resume_key(self) -> None:
        """The caller stopped spelling an arguments key (it left every declared one): read it as a string."""
        self.in_string = self.is_key = True
        self.key = ""

    def step(self, char: str) -> Literal["key"] | None:
        if self.in_string:
            self._string_char(char)
            return None
        if self.expect == "scalar":
            if char in _SCALAR:
                return None
            self.expect = "comma"
        if char in _SPACE:
            return None
        top = self.stack[-1] if self.stack else ""
        if self.expect == "key" and char == '"':
            self.in_string = self.is_key = True
            self.key = ""
            return "key" if len(self.stack) == self.args_depth and self.args_depth else None
        if char in "}]" and self.expect in ("key", "comma", "value") and top == ("{" if char == "}" else "["):
            if self.expect == "value" and char == "}":
                self.broken = True  # `"k": }`
                return None
            if len(self.stack) == self.args_depth:
                self.args_depth, self.args_closed = 0, True
            self.stack.pop()
            self.expect = "comma"
            return None
        if self.expect == "comma" and char == ",":
            self.expect = "key" if top == "{" else "value"
            return None
        if self.expect == "colon" and char == ":":
            self.expect = "value"
            return None
        if self.expect == "value":
            if char == '"':
                self.in_string, self.is_key = True, False
            elif char in "{[":
                opens_arguments = char == "{" and len(self.stack) == 1 and self.last_key in self.argument_keys
                self.stack.append(char)
                if opens_arguments:
                    self.args_depth = len(self.stack)
                self.expect = "key" if char == "{" else "value"
            elif char in _SCALAR:
                self.expect = "scalar"
            else:
                self.broken = True
            return None
        self.broken = True
        return None

    def _string_char(self, char: str) -> None:
        if self.escape:
            self.escape = False
            if self.is_key:
                self.key += char
        elif char == "\\":
            self.escape = True
        elif char == '"':
            self.in_string = False
            if self.is_key:
                if len(self.stack) == 1:
                    self.last_key = self.key
                self.expect = "colon"
            else:
                self.expect = "comma"
        elif self.is_key:
            self.key += char
