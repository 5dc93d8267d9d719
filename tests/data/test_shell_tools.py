"""The shell tool set: searches become grep, listings find, and the results are what those commands print."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from punie.calls.types import ToolCall
from punie.cli import app
from punie.data.generator import generate_examples
from punie.data.generator.domains import BUILDERS
from punie.data.generator.features import WITH_COMPOUND
from punie.data.generator.project import Project, SourceFile, list_result, search_result
from punie.data.generator.scenarios import LIST_ASKS
from punie.data.generator.searches import DOMAIN_SEARCHES
from punie.data.generator.shell import find_command, find_output, grep_command, grep_output, shell_messages
from punie.data.io import read_examples
from punie.data.options import GeneratorOptions
from punie.data.records import assistant_call_message, message_calls, tool_message, user_message

needs_tools = pytest.mark.skipif(not (shutil.which("grep") and shutil.which("find")), reason="no grep/find")


def _materialize(project: Project, root: Path) -> None:
    for source in project.files:
        target = root / source.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.text)


def _run(command: str, root: Path) -> set[str]:
    done = subprocess.run(command, shell=True, cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.splitlines())


@needs_tools
@pytest.mark.parametrize("domain", sorted(BUILDERS))
def test_grep_prints_what_the_search_result_claims(domain: str, tmp_path: Path) -> None:
    project = BUILDERS[domain](random.Random(f"shell-test:{domain}"))
    _materialize(project, tmp_path)
    patterns = [feature.pattern for feature in WITH_COMPOUND]
    patterns += [pattern for _, pattern, _ in DOMAIN_SEARCHES.get(domain, [])]
    patterns += [rf"\b{definition.name}\b" for definition in project.definitions()[:5]]
    file = project.python_files()[-1].path
    folders = sorted({source.path.split("/")[0] for source in project.files if "/" in source.path})
    searches = [(pattern, "") for pattern in patterns] + [(patterns[-1], folder) for folder in folders[:1]]
    searches.append((patterns[-1], file))
    for pattern, path in searches:
        call = ToolCall("search", {"pattern": pattern, **({"path": path} if path else {})})
        result = search_result(project.search(pattern, path), pattern)
        converted = shell_messages(
            [assistant_call_message([call]), tool_message("search", result)], [project]
        )
        assert converted is not None
        command = message_calls(converted[0])[0].arguments["command"]
        done = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True, check=False)
        claimed = converted[1]["content"].splitlines()
        assert claimed[0] == f"exit code: {done.returncode}", command
        assert sorted(line for line in claimed[1:] if line != "(no output)") == sorted(
            done.stdout.splitlines()
        )


@needs_tools
@pytest.mark.parametrize("domain", sorted(BUILDERS))
def test_find_prints_what_the_listing_claims(domain: str, tmp_path: Path) -> None:
    project = BUILDERS[domain](random.Random(f"shell-test:{domain}"))
    project.other_paths.clear()  # paths without content are listed but not materialized
    _materialize(project, tmp_path)
    folders = sorted({source.path.split("/")[0] for source in project.files if "/" in source.path})
    globs = {glob.replace("{dir}", folder) for _, glob, _ in LIST_ASKS for folder in folders}
    for glob in sorted(globs):
        printed = _run(find_command(glob), tmp_path)
        claimed = find_output(glob, list_result(project.glob(glob), glob))
        assert printed == set(claimed.splitlines()), glob


def test_grep_output_prints_whole_lines_and_no_match_exits_1() -> None:
    hits = [("a.py", 3, "    x = 1"), ("b/c.py", 10, "y")]
    assert grep_output(hits) == (0, "a.py:3:    x = 1\nb/c.py:10:y")
    assert grep_output(hits[:1], single_file=True) == (0, "3:    x = 1")
    assert grep_output([]) == (1, "")
    assert grep_command(r"\bexcept\b", "app") == r"grep -rnE '\bexcept\b' app"
    assert grep_command("->") == "grep -rnE -e '->'"


def test_find_command_for_each_glob_shape() -> None:
    assert find_command("**") == "find . -type f"
    assert find_command("src/**") == "find src -type f"
    assert find_command("src/*") == "find src -maxdepth 1 -type f"
    assert find_command("**/*.py") == "find . -name '*.py'"
    assert find_command("**/migrations/0*.py") == "find . -path './*/migrations/0*.py'"
    assert find_output("**/*.py", "a.py\nb/c.py") == "./a.py\n./b/c.py"
    assert find_output("src/**", "src/a.py") == "src/a.py"
    assert find_output("**/*.rs", "No files match '**/*.rs'.") == ""


def test_shell_messages_converts_searches_and_keeps_reads_but_not_edits() -> None:
    search = [
        user_message("find x"),
        assistant_call_message(
            [ToolCall("search", {"pattern": "x"}), ToolCall("read_file", {"path": "a.py"})]
        ),
        tool_message("search", "a.py:1: x = 1"),
        tool_message("read_file", "1: x = 1"),
    ]
    project = Project("demo", [SourceFile("a.py", "x = 1\n", "sets x")])
    converted = shell_messages(search, [project])
    assert converted is not None
    assert [call.name for call in message_calls(converted[1])] == ["run_command", "read_file"]
    assert message_calls(converted[1])[0].arguments == {"command": "grep -rnE x"}
    assert [m["content"] for m in converted[2:]] == ["exit code: 0\na.py:1:x = 1", "1: x = 1"]
    assert [m["name"] for m in converted[2:]] == ["run_command", "read_file"]
    edit = [assistant_call_message([ToolCall("edit_file", {"path": "a", "old": "x", "new": "y"})])]
    assert shell_messages([*edit, tool_message("edit_file", "ok")], [project]) is None


def test_shell_share_offers_only_the_two_tools_and_calls_only_them() -> None:
    examples = generate_examples(300, seed=3, options=GeneratorOptions(shell_tools=1.0))
    shell = [e for e in examples if e.meta.get("tools") == "shell"]
    assert len(shell) > 200  # all but the conversations that edit or write
    for example in shell:
        assert sorted(tool["function"]["name"] for tool in example.tools) == ["read_file", "run_command"]
        names = {call.name for message in example.messages for call in message_calls(message)}
        assert names <= {"read_file", "run_command"}
    kept = [e for e in examples if "tools" not in e.meta]
    assert all(len(e.tools) == 6 for e in kept)


def test_shell_share_zero_and_one_leave_the_other_examples_unchanged() -> None:
    plain = generate_examples(200, seed=5)
    shell = generate_examples(200, seed=5, options=GeneratorOptions(shell_tools=0.5))
    same = [a == b for a, b in zip(plain, shell, strict=True)]
    converted = [("tools" in b.meta) for b in shell]
    assert all(s or c for s, c in zip(same, converted, strict=True))
    assert 60 < sum(converted) < 100  # about half, minus the edit/write conversations
    assert [e.meta["index"] for e in shell] == list(range(200))


def test_cli_flags(tmp_path: Path) -> None:
    out = tmp_path / "shell.jsonl"
    args = ["data", "generate", "--n", "120", "--seed", "4", "--shell-tools", "0.5"]
    args += [
        "--compound-features",
        "--feature-search-weight",
        "10",
        "--feature-howto-share",
        "0.2",
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    expected = generate_examples(
        120,
        seed=4,
        options=GeneratorOptions(
            shell_tools=0.5, compound_features=True, feature_search_weight=10, feature_howto_share=0.2
        ),
    )
    assert read_examples(out) == expected
    assert any(e.meta.get("tools") == "shell" for e in expected)
