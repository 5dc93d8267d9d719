"""A synthetic project: files with contents, and the command/edit/write cases a domain offers.

Tool results are computed from the files (searches really run the regex, listings really match the glob),
so every final answer can quote what the tool returned.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from punie.globs import glob_regex

_DEFINITION = re.compile(r"^(\s*)(?:async\s+)?(class|def)\s+(\w+)")


@dataclass(frozen=True)
class SourceFile:
    """A file with content; `summary` completes "<path> ..." in an answer; `refs` name it without a path."""

    path: str
    text: str
    summary: str
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Definition:
    kind: str  # "class" | "function" | "method"
    name: str
    path: str
    line: int
    text: str


@dataclass(frozen=True)
class CommandCase:
    """A request answered by running one command; `asks` are prompt templates."""

    asks: tuple[str, ...]
    command: str
    output: str
    answer: str
    exit_code: int = 0


@dataclass(frozen=True)
class EditCase:
    asks: tuple[str, ...]
    path: str
    old: str
    new: str
    answer: str


@dataclass(frozen=True)
class WriteCase:
    asks: tuple[str, ...]
    path: str
    content: str
    answer: str


@dataclass
class Project:
    domain: str
    files: list[SourceFile]
    other_paths: list[str] = field(default_factory=list)
    commands: list[CommandCase] = field(default_factory=list)
    edits: list[EditCase] = field(default_factory=list)
    writes: list[WriteCase] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return sorted({f.path for f in self.files} | set(self.other_paths))

    def file(self, path: str) -> SourceFile:
        return next(f for f in self.files if f.path == path)

    def python_files(self) -> list[SourceFile]:
        return [f for f in self.files if f.path.endswith(".py")]

    def definitions(self) -> list[Definition]:
        found: list[Definition] = []
        for source in self.python_files():
            for number, line in enumerate(source.text.splitlines(), start=1):
                match = _DEFINITION.match(line)
                if match:
                    indent, keyword, name = match.groups()
                    kind = "class" if keyword == "class" else ("method" if indent else "function")
                    found.append(Definition(kind, name, source.path, number, line.strip()))
        return found

    def search(self, pattern: str, path: str = "") -> list[tuple[str, int, str]]:
        """Matching lines as (path, line, text), like the workspace `search` tool."""
        regex = re.compile(pattern)
        hits: list[tuple[str, int, str]] = []
        for source in sorted(self.files, key=lambda f: f.path):
            if path and not (source.path == path or source.path.startswith(path.rstrip("/") + "/")):
                continue
            for number, line in enumerate(source.text.splitlines(), start=1):
                if regex.search(line):
                    hits.append((source.path, number, line))
        return hits

    def glob(self, pattern: str) -> list[str]:
        regex = glob_regex(pattern)
        return [path for path in self.paths if regex.fullmatch(path)]


# Tool result text, in the exact shape the agent's workspace tools (punie.agent.tools) return.


def read_result(text: str, start: int = 1, end: int | None = None) -> str:
    lines = text.splitlines()
    last = len(lines) if end is None else min(end, len(lines))
    return "\n".join(f"{number:>6}\t{lines[number - 1]}" for number in range(start, last + 1))


def search_result(hits: list[tuple[str, int, str]], pattern: str) -> str:
    if not hits:
        return f"No matches for {pattern!r}."
    return "\n".join(f"{path}:{line}: {text.strip()[:200]}" for path, line, text in hits)


def list_result(paths: list[str], pattern: str) -> str:
    return "\n".join(paths) if paths else f"No files match {pattern!r}."


def command_result(exit_code: int, output: str) -> str:
    return f"exit code: {exit_code}\n" + (output.rstrip() or "(no output)")


def write_result(path: str, content: str) -> str:
    return f"Created {path} ({len(content.splitlines())} lines)."


def edit_result(path: str, before: str, old: str, new: str) -> str:
    after = before.replace(old, new, 1)
    line = before[: before.index(old)].count("\n") + 1
    diff = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    return (
        f"Edited {path} at line {line}.\n"
        + "".join(d if d.endswith("\n") else d + "\n" for d in diff).rstrip()
    )
