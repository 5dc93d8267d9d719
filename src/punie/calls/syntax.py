"""Where a dialect writes a tool name in a call: what a decoder needs to force or restrict a call.

The dialect modules build their `CallSyntax` from the same tag constants their renderers and parsers use,
so the syntax that is forced at decode time is the syntax the parser reads.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CallSyntax:
    """The text around a tool name in one dialect.

    - `prefix`: the canonical text of a call from its start up to the name (forced for tool_choice)
    - `name_end`: the text right after the name
    - `call_end`: the text that ends a call (a new call may start after it)
    - `call_open`: if set, a name is only expected when, after this tag and optional whitespace, one of
      `name_openers` follows immediately; if None, each of `name_openers` opens a name wherever it appears
    - `name_openers`: the texts directly before a name (empty: names are never detected, only forced)
    - `after_name_breaks`: tags that end a call when they follow its name (after whitespace); the parser
      then reads the next call
    - `key_opener` / `key_end`: the text directly before and after a parameter name inside a call, when the
      dialect writes each argument under its own tag (None: parameter names are not constrained)
    - `value_end`: the tag that ends a parameter value (qwen3_xml `</parameter>`); after it, between
      parameters, a call may not close before its required parameters nor open one after its last
    - `json_arguments`: JSON dialects: the keys of the call object whose object value holds the arguments;
      its keys are then parameter names (between `"` and `key_end`, which is `"`)
    """

    prefix: str
    name_end: str
    call_end: str
    call_open: str | None = None
    name_openers: tuple[str, ...] = ()
    after_name_breaks: tuple[str, ...] = ()
    key_opener: str | None = None
    key_end: str = ""
    value_end: str | None = None
    json_arguments: tuple[str, ...] = ()

    def forced_prefix(self, name: str | None = None) -> str:
        """The start of a call (a decoder continues with the name), or of a call to `name` (with the args)."""
        return self.prefix if name is None else self.prefix + name + self.name_end
