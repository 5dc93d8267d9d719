"""Glob patterns as regexes, with one meaning for the agent's `list_files` and the generator's listings.

`**/` spans directories, `*` and `?` stay inside one path segment, `[...]` is a character class (`[!...]`
negated), and a pattern without a slash matches the file name in any directory (`*.py` finds `app/main.py`).
"""

from __future__ import annotations

import re


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A regex for a glob where `**/` spans directories, `*` and `?` stay inside one path segment.

    A pattern without a slash matches the file name in any directory (`*.py` finds `app/main.py`).
    """
    if "/" not in pattern and pattern != "**":
        pattern = "**/" + pattern
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        elif pattern[i] == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out += re.escape(pattern[i])
                i += 1
            else:
                out += "[" + pattern[i + 1 : end].replace("!", "^", 1) + "]"
                i = end + 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out)
