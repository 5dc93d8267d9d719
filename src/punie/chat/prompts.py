"""The canonical system prompt and workspace tool definitions.

Training data (`punie.data`), the agent (`punie.agent`) and evaluation all use these exact definitions, so
the model sees at serve time the same tool text it was trained on.
"""

from __future__ import annotations

from punie.calls.types import Tool

SYSTEM_PROMPT = (
    "You are Punie, a coding assistant working inside the user's Python project. "
    "Call a tool when the answer depends on the project's files or on running a command; "
    "answer directly when it is general knowledge."
)


def _tool(name: str, description: str, properties: dict, required: list[str]) -> Tool:
    return Tool(name, description, {"type": "object", "properties": properties, "required": required})


READ_FILE = _tool(
    "read_file",
    "Read a text file in the workspace; returns numbered lines.",
    {
        "path": {"type": "string", "description": "File path relative to the workspace root."},
        "start_line": {"type": "integer", "description": "First line to read (1-based)."},
        "end_line": {"type": "integer", "description": "Last line to read (inclusive)."},
    },
    ["path"],
)
LIST_FILES = _tool(
    "list_files",
    "List workspace files matching a glob pattern.",
    {"pattern": {"type": "string", "description": "Glob pattern, e.g. '**/*.py'."}},
    [],
)
SEARCH = _tool(
    "search",
    "Search workspace files for a regular expression; returns matching lines with file and line number.",
    {
        "pattern": {"type": "string", "description": "Python regular expression."},
        "path": {
            "type": "string",
            "description": "Directory or file to search in (default: whole workspace).",
        },
    },
    ["pattern"],
)
WRITE_FILE = _tool(
    "write_file",
    "Create or overwrite a file in the workspace.",
    {
        "path": {"type": "string", "description": "File path relative to the workspace root."},
        "content": {"type": "string", "description": "The complete new file content."},
    },
    ["path", "content"],
)
EDIT_FILE = _tool(
    "edit_file",
    "Replace one exact occurrence of old text with new text in a file.",
    {
        "path": {"type": "string", "description": "File path relative to the workspace root."},
        "old": {"type": "string", "description": "Exact text to replace; must occur exactly once."},
        "new": {"type": "string", "description": "Replacement text."},
    },
    ["path", "old", "new"],
)
RUN_COMMAND = _tool(
    "run_command",
    "Run a shell command in the workspace root; returns exit code and output.",
    {
        "command": {"type": "string", "description": "The shell command to run."},
        "timeout": {"type": "integer", "description": "Seconds before the command is stopped (default 30)."},
    },
    ["command"],
)

WORKSPACE_TOOLS: list[Tool] = [READ_FILE, LIST_FILES, SEARCH, WRITE_FILE, EDIT_FILE, RUN_COMMAND]
WORKSPACE_TOOLS_BY_NAME: dict[str, Tool] = {tool.name: tool for tool in WORKSPACE_TOOLS}
