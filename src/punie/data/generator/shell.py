"""The same conversations with only a shell and a file reader offered: `run_command` + `read_file`.

Agents are often given just these two tools (the seed's test offered exactly them), and a model trained only
with Punie's six workspace tools then guesses: "Find all Django view classes" with a shell became
`python manage.py gg`. Here a workspace search becomes `grep -rnE` and a file listing becomes `find`, with
the output those commands print, so searching through a shell is learnt from the same scenarios.
Conversations that edit or write files have no faithful shell form here and are left as they are.
"""

from __future__ import annotations

import random
import shlex
from collections.abc import Sequence

from punie.calls.types import Tool, ToolCall
from punie.chat.prompts import READ_FILE, RUN_COMMAND
from punie.data.generator.project import Project, command_result, search_result
from punie.data.records import Message, assistant_call_message, message_calls, tool_message

SHELL_TOOLS: tuple[Tool, ...] = (RUN_COMMAND, READ_FILE)
SHELL_KEPT = {"run_command", "read_file"}  # calls that stay as they are with the shell tools


def grep_command(pattern: str, path: str = "") -> str:
    """`grep -rnE PATTERN [PATH]`: recursive, with line numbers, extended regular expressions."""
    option = "-e " if pattern.startswith("-") else ""  # else grep would read the pattern as an option
    return f"grep -rnE {option}{shlex.quote(pattern)}" + (f" {shlex.quote(path)}" if path else "")


def grep_output(hits: list[tuple[str, int, str]], single_file: bool = False) -> tuple[int, str]:
    """(exit code, output) of that grep for the matching lines `hits` (path, line number, text): exit 1 and
    no output without a match; a single file searched prints no file names."""
    if not hits:
        return 1, ""
    return 0, "\n".join(f"{n}:{text}" if single_file else f"{p}:{n}:{text}" for p, n, text in hits)


def find_command(glob: str) -> str:
    """The `find` command listing the files a workspace glob (`**/*.py`, `src/**`, `src/*`) matches."""
    if glob in ("", "**", "**/*"):
        return "find . -type f"
    if glob.endswith("/**"):
        return f"find {shlex.quote(glob[:-3])} -type f"
    if glob.endswith("/*") and "*" not in glob[:-2]:
        return f"find {shlex.quote(glob[:-2])} -maxdepth 1 -type f"
    if glob.startswith("**/") and "/" not in glob[3:]:
        return f"find . -name {shlex.quote(glob[3:])}"
    return f"find . -path {shlex.quote('./' + glob.replace('**/', '*/'))}"


def find_output(glob: str, list_result: str) -> str:
    """What that `find` prints: the matching paths, `./`-prefixed when it searched from `.`."""
    if list_result.startswith("No files match "):
        return ""
    prefix = "./" if find_command(glob).startswith("find . ") else ""
    return "\n".join(prefix + path for path in list_result.splitlines())


def _shell_call(call: ToolCall, result: str, projects: Sequence[Project]) -> tuple[ToolCall, str] | None:
    """The call and its tool result with the shell tools, or None when it has no shell form here."""
    if call.name in SHELL_KEPT:
        return call, result
    if call.name == "search":
        pattern, path = str(call.arguments["pattern"]), str(call.arguments.get("path") or "")
        for project in projects:  # the project the search ran on gives the lines untrimmed
            hits = project.search(pattern, path)
            if search_result(hits, pattern) == result:
                single = path in {source.path for source in project.files}
                printed = command_result(*grep_output(hits, single_file=single))
                return ToolCall("run_command", {"command": grep_command(pattern, path)}), printed
        return None
    if call.name == "list_files":
        glob = str(call.arguments.get("pattern", "**"))
        return ToolCall("run_command", {"command": find_command(glob)}), command_result(
            0, find_output(glob, result)
        )
    return None


def shell_messages(messages: list[Message], projects: Sequence[Project]) -> list[Message] | None:
    """`messages` with every call made through `run_command`/`read_file`, or None if one cannot be;
    `projects` are the synthetic projects the calls ran on (searches are re-run to print whole lines)."""
    converted: list[Message] = []
    index = 0
    while index < len(messages):
        message = messages[index]
        calls = message_calls(message)
        if not calls:
            converted.append(message)
            index += 1
            continue
        results = messages[index + 1 : index + 1 + len(calls)]
        if len(results) != len(calls) or any(result.get("role") != "tool" for result in results):
            return None
        shell = [
            _shell_call(call, str(result["content"]), projects)
            for call, result in zip(calls, results, strict=True)
        ]
        if any(item is None for item in shell):
            return None
        done = [item for item in shell if item is not None]
        converted.append(
            assistant_call_message([call for call, _ in done], str(message.get("content") or ""))
        )
        converted.extend(tool_message(call.name, result) for call, result in done)
        index += 1 + len(calls)
    return converted


def offer_shell_tools(rng: random.Random) -> list[Tool]:
    """The two shell tools in a random order."""
    tools = list(SHELL_TOOLS)
    rng.shuffle(tools)
    return tools
