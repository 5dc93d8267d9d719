"""The seed project's discrimination test: five queries and the two tools it offered with them.

Three queries need the project (the seed expected `run_command`, or `read_file` for a named class) and two
are general knowledge. Shared by the `seed` eval suite and the training gate, which also asks them with
Punie's six workspace tools.
"""

from __future__ import annotations

from punie.calls.types import Tool

SEED_TOOLS: list[Tool] = [
    Tool(
        "run_command",
        "Run a shell command in the project (e.g. grep, find) and return its output.",
        {
            "type": "object",
            "properties": {"command": {"type": "string", "description": "The shell command to run."}},
            "required": ["command"],
        },
    ),
    Tool(
        "read_file",
        "Read the contents of a file in the project.",
        {
            "type": "object",
            "properties": {"path": {"type": "string", "description": "Path of the file to read."}},
            "required": ["path"],
        },
    ),
]

# (query, the tool names the seed accepted, or None for a direct answer)
SEED_QUERIES: list[tuple[str, tuple[str, ...] | None]] = [
    ("Find all Django view classes", ("run_command",)),
    ("Show me UserSerializer", ("read_file", "run_command")),
    ("What is dependency injection?", None),
    ("Find async/await uses", ("run_command",)),
    ("ORM vs raw SQL?", None),
]
