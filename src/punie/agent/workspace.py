"""The workspace: one directory the agent may touch, and the rule that confines every path to it."""

from __future__ import annotations

from pathlib import Path


class ToolError(Exception):
    """A tool could not do what was asked; the message goes back to the model as the tool's result."""


class OutsideWorkspaceError(ToolError):
    """A path points outside the workspace (absolute path, `..`, or a symlink leading out)."""


class Workspace:
    """A project directory. `resolve` turns a model-supplied path into a real path inside it, or refuses."""

    def __init__(self, root: str | Path) -> None:
        root_path = Path(root).expanduser()
        if not root_path.is_dir():
            raise ValueError(f"workspace is not a directory: {root_path}")
        self.root = root_path.resolve()

    def resolve(self, path: str) -> Path:
        """The real path for `path` (relative to the root, or absolute inside it); symlinks are followed."""
        if not isinstance(path, str) or not path.strip():
            raise ToolError("path must be a non-empty string")
        if "\x00" in path:
            raise ToolError("path must not contain NUL bytes")
        candidate = Path(path.strip()).expanduser()
        if not candidate.is_absolute():
            candidate = self.root / candidate
        real = candidate.resolve()
        if real != self.root and not real.is_relative_to(self.root):
            raise OutsideWorkspaceError(
                f"refused: {path!r} is outside the workspace {self.root} "
                "(only paths inside the workspace can be used)"
            )
        return real

    def relative(self, real: Path) -> str:
        """The workspace-relative form of a resolved path ('.' for the root)."""
        rel = real.relative_to(self.root).as_posix()
        return rel or "."
