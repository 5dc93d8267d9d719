"""Walking the workspace: every file except `.git`, caches and what `.gitignore` excludes."""

from __future__ import annotations

import fnmatch
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

ALWAYS_SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        ".venv",
        "venv",
        "node_modules",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
    }
)


class IgnoreRules:
    """Which paths are ignored: `git check-ignore` inside a git repository, else a simple .gitignore."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.in_git = _inside_git(root)
        self.patterns = [] if self.in_git else _read_gitignore(root / ".gitignore")

    def filter(self, relative_paths: list[str]) -> list[str]:
        """The paths (posix, relative to the root) that are not ignored, in the given order."""
        if not relative_paths:
            return []
        if self.in_git:
            ignored = _git_ignored(self.root, relative_paths)
        else:
            ignored = {path for path in relative_paths if self._matches(path)}
        return [path for path in relative_paths if path not in ignored]

    def _matches(self, relative: str) -> bool:
        parts = relative.split("/")
        for raw in self.patterns:
            pattern = raw.rstrip("/")
            anchored = pattern.startswith("/") or "/" in pattern
            pattern = pattern.lstrip("/")
            if anchored:
                prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
                if any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes):
                    return True
            elif any(fnmatch.fnmatch(part, pattern) for part in parts):
                return True
        return False


def _inside_git(root: Path) -> bool:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--is-inside-work-tree"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and result.stdout.strip() == "true"


def _git_ignored(root: Path, relative_paths: list[str]) -> set[str]:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "check-ignore", "--stdin", "-z"],
            input="\0".join(relative_paths) + "\0",
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return set()
    return {path for path in result.stdout.split("\0") if path}


def _read_gitignore(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    # Negations ("!pattern") are not supported by this simple reader; they are skipped.
    return [line.strip() for line in lines if line.strip() and not line.startswith(("#", "!"))]


def walk_files(root: Path, start: Path | None = None) -> Iterator[Path]:
    """Regular files under `start` (default: root), skipping cache dirs; directory symlinks not followed."""
    base = start or root
    if base.is_file():
        yield base
        return
    for directory, dirnames, filenames in os.walk(base, followlinks=False):
        dirnames[:] = sorted(name for name in dirnames if name not in ALWAYS_SKIPPED_DIRS)
        for name in sorted(filenames):
            path = Path(directory) / name
            # A symlink may lead out of the workspace: only files whose real path is inside are yielded.
            if path.is_file() and path.resolve().is_relative_to(root):
                yield path


def visible_files(root: Path, start: Path | None = None) -> list[Path]:
    """Files under `start` that are neither skipped nor ignored, sorted by path."""
    files = list(walk_files(root, start))
    relative = [path.relative_to(root).as_posix() for path in files]
    kept = set(IgnoreRules(root).filter(relative))
    return [path for path, rel in zip(files, relative, strict=True) if rel in kept]
