"""Parameter values the call constraint can hold to their schema: a finite set (an enum, a boolean) or, in a
tag dialect where values are raw text, a number.

`NumberShape` reads a qwen3_xml number value one character at a time, framing included
(`\\n-12.5e3\\n</parameter>`); its state after any text is a small `Signature`, so the tokens allowed in each
state are worked out once per vocabulary and reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DIGITS = frozenset("0123456789")
# number states: nothing yet, after the leading newline, after "-", integer digits, after ".", fraction
# digits, after "e", after the exponent's sign, exponent digits
START, LEAD, SIGN, INT, DOT, FRAC, EXP, EXP_SIGN, EXP_DIGITS = range(9)
COMPLETE = frozenset({INT, FRAC, EXP_DIGITS})

Signature = tuple[int, str]  # (number state, framing written after the number: "" until it ends)
Reading = tuple[Signature | None, str | None]  # (where it stands, or None: not a number) and the text past it


def finite_values(schema: object) -> list[Any]:
    """The values a parameter schema allows when they are few and scalar (an enum, or a boolean), else []."""
    if not isinstance(schema, dict):
        return []
    choices = schema.get("enum")
    if (
        isinstance(choices, list)
        and choices
        and all(isinstance(c, str | int | float | bool) for c in choices)
    ):
        return list(dict.fromkeys(choices))
    return [True, False] if schema.get("type") == "boolean" and "enum" not in schema else []


def number_kind(schema: object) -> str | None:
    """The number type a parameter schema allows ("integer" or "number") when it is the only type and
    there is no enum, else None."""
    if not isinstance(schema, dict) or "enum" in schema:
        return None
    kind = schema.get("type")
    return kind if kind in ("integer", "number") else None


@dataclass(frozen=True)
class NumberShape:
    """A number written as raw text and closed by `end`: optional newline, `-?digits(.digits)?(e[+-]?digits)?`
    (digits only for an integer), optional newline, `end`. In JSON dialects (`end` "") the watcher only
    checks that the value opens as a number; the JSON scanner reads the rest."""

    integer: bool
    end: str

    def read(self, signature: Signature, text: str) -> Reading:
        """Read `text` from `signature`: (new signature, None) while the value is open, (None, None) when
        the text cannot be part of it, (signature, rest) once `end` is written, with the text after it."""
        state, framing = signature
        for at, char in enumerate(text):
            if not framing:
                following = self._next(state, char)
                if following is not None:
                    state = following
                    continue
                if state not in COMPLETE:
                    return None, None
            framing += char
            if framing in (self.end, "\n" + self.end):
                return (state, framing), text[at + 1 :]
            if not (self.end.startswith(framing) or ("\n" + self.end).startswith(framing)):
                return None, None
        return (state, framing), None

    def _next(self, state: int, char: str) -> int | None:
        if state in (START, LEAD):
            if char == "\n" and state == START:
                return LEAD
            return SIGN if char == "-" else INT if char in DIGITS else None
        if char in DIGITS:
            return {SIGN: INT, INT: INT, DOT: FRAC, FRAC: FRAC, EXP: EXP_DIGITS}.get(state, EXP_DIGITS)
        if self.integer:
            return None
        if char == "." and state == INT:
            return DOT
        if char in "eE" and state in (INT, FRAC):
            return EXP
        return EXP_SIGN if char in "+-" and state == EXP else None
