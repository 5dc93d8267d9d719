"""JSONL reading and writing for records; every problem names its file and line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from punie.data.records import Example


@dataclass(frozen=True)
class LineError:
    """A problem with one input line: `file:line: field: message`."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class DataError(ValueError):
    """Raised by strict readers; carries every LineError found."""

    def __init__(self, errors: list[LineError]) -> None:
        self.errors = errors
        shown = "\n".join(str(error) for error in errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{len(errors)} bad line(s):\n{shown}{more}")


def iter_text_lines(path: str | Path) -> Iterator[tuple[int, str | LineError]]:
    """Yield `(line, text)` for every line split on "\\n" (a leading byte-order mark is dropped), or
    `(line, LineError)` when a line is not valid UTF-8."""
    name = str(path)
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield number, raw.decode("utf-8").removesuffix("\n").removesuffix("\r")
            except UnicodeDecodeError as exc:
                yield number, LineError(name, number, "", f"not UTF-8 (byte {exc.start + 1})")


def iter_json_lines(path: str | Path) -> Iterator[tuple[int, Any | LineError]]:
    """Yield `(line, object)` per non-blank line, or `(line, LineError)` when it is not JSON."""
    name = str(path)
    for number, text in iter_text_lines(path):
        if isinstance(text, LineError):
            yield number, text
            continue
        if not text.strip():
            continue
        try:
            yield number, json.loads(text)
        except json.JSONDecodeError as exc:
            yield number, LineError(name, number, "", f"invalid JSON ({exc.msg} at column {exc.colno})")


def count_lines(path: str | Path) -> int:
    """Number of non-blank lines (for progress bars and summaries)."""
    with open(path, "rb") as handle:
        return sum(1 for raw in handle if raw.strip())


def iter_examples(path: str | Path) -> Iterator[tuple[int, Example | LineError]]:
    """Yield `(line_number, Example)` or `(line_number, LineError)`; nothing is skipped silently."""
    name = str(path)
    for number, value in iter_json_lines(path):
        if isinstance(value, LineError):
            yield number, value
            continue
        try:
            yield number, Example.from_dict(value)
        except TypeError as exc:
            yield number, LineError(name, number, "", str(exc))


def read_examples(path: str | Path) -> list[Example]:
    """Read every record of a JSONL file; raise DataError listing each bad line."""
    examples: list[Example] = []
    errors: list[LineError] = []
    for _, value in iter_examples(path):
        if isinstance(value, LineError):
            errors.append(value)
        else:
            examples.append(value)
    if errors:
        raise DataError(errors)
    return examples


def example_to_json(example: Example) -> str:
    """One JSONL line (no trailing newline)."""
    return json.dumps(example.to_dict(), ensure_ascii=False)


def write_examples(path: str | Path, examples: Iterable[Example]) -> int:
    """Write records as JSONL (parent directories are created); returns the number written."""
    return write_json_lines(path, (example.to_dict() for example in examples))


def write_json_lines(path: str | Path, objects: Iterable[dict[str, Any]]) -> int:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(target, "w", encoding="utf-8") as handle:
        for obj in objects:
            handle.write(json.dumps(obj, ensure_ascii=False) + "\n")
            written += 1
    return written
