"""Workspace tools: behaviour, caps, and every confinement and approval rule (including escape attempts)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from punie.agent.arguments import ToolArgumentError
from punie.agent.policy import Decision
from punie.agent.tools import Limits

from .conftest import make_tools

# -- read_file --


async def test_read_file_numbers_lines_and_honours_a_range(project: Path) -> None:
    tools, _ = make_tools(project)
    whole = await tools.call("read_file", {"path": "app/main.py"})
    assert whole.ok
    assert whole.text.splitlines()[0] == "     1\tdef hello():"
    assert whole.text.splitlines()[4] == "     5\tdef bye():"
    part = await tools.call("read_file", {"path": "app/main.py", "start_line": 5, "end_line": 6})
    assert part.text.splitlines() == ["     5\tdef bye():", "     6\t    return 'bye'"]
    assert "lines 5-6 of 6" in part.summary


async def test_read_file_caps_long_files_and_says_how_to_continue(project: Path) -> None:
    (project / "long.txt").write_text("".join(f"line {i}\n" for i in range(1, 1001)))
    tools, _ = make_tools(project)
    tools.limits = Limits(read_lines=50)
    result = await tools.call("read_file", {"path": "long.txt"})
    lines = result.text.splitlines()
    assert lines[49] == "    50\tline 50"
    assert "truncated: showing lines 1-50 of 1000; use start_line=51" in lines[-1]


@pytest.mark.parametrize(
    ("path", "message"),
    [("nope.py", "no such file"), ("app", "is a directory"), ("", "non-empty")],
)
async def test_read_file_problems_come_back_as_errors(project: Path, path: str, message: str) -> None:
    tools, _ = make_tools(project)
    result = await tools.call("read_file", {"path": path})
    assert not result.ok
    assert message in result.text


async def test_read_file_refuses_binary_files(project: Path) -> None:
    (project / "blob.bin").write_bytes(b"\x00\x01\x02binary")
    tools, _ = make_tools(project)
    result = await tools.call("read_file", {"path": "blob.bin"})
    assert not result.ok and "not a text file" in result.text


# -- confinement --

ESCAPES = ["../secret.txt", "app/../../secret.txt", "/etc/passwd", "~/.bashrc"]


@pytest.mark.parametrize("path", ESCAPES)
async def test_reads_outside_the_workspace_are_refused(project: Path, path: str) -> None:
    tools, _ = make_tools(project)
    result = await tools.call("read_file", {"path": path})
    assert not result.ok
    assert "outside the workspace" in result.text
    assert "TOP SECRET" not in result.text


async def test_absolute_path_of_an_outside_file_is_refused(project: Path) -> None:
    tools, _ = make_tools(project)
    result = await tools.call("read_file", {"path": str(project.parent / "secret.txt")})
    assert "outside the workspace" in result.text


async def test_absolute_path_inside_the_workspace_is_allowed(project: Path) -> None:
    tools, _ = make_tools(project)
    result = await tools.call("read_file", {"path": str(project / "README.md")})
    assert result.ok and "# Demo" in result.text


async def test_symlinks_leading_out_are_refused_for_read_write_edit_and_search(project: Path) -> None:
    (project / "link.txt").symlink_to(project.parent / "secret.txt")
    (project / "outdir").symlink_to(project.parent)
    tools, approver = make_tools(project)
    for name, arguments in [
        ("read_file", {"path": "link.txt"}),
        ("read_file", {"path": "outdir/secret.txt"}),
        ("write_file", {"path": "link.txt", "content": "pwned"}),
        ("write_file", {"path": "outdir/new.txt", "content": "pwned"}),
        ("edit_file", {"path": "link.txt", "old": "TOP", "new": "NOT"}),
        ("search", {"pattern": "SECRET", "path": "outdir"}),
    ]:
        result = await tools.call(name, arguments)
        assert not result.ok, (name, arguments)
        assert "outside the workspace" in result.text, (name, arguments)
    assert (project.parent / "secret.txt").read_text() == "TOP SECRET\n"
    assert not (project.parent / "new.txt").exists()
    assert approver.requests == []  # refused before anyone is asked


async def test_search_and_list_skip_symlinked_files_that_lead_out(project: Path) -> None:
    (project / "link.txt").symlink_to(project.parent / "secret.txt")
    tools, _ = make_tools(project)
    found = await tools.call("search", {"pattern": "SECRET"})
    assert "No matches" in found.text
    listed = await tools.call("list_files", {"pattern": "*.txt"})
    assert "link.txt" not in listed.text


@pytest.mark.parametrize("path", ["../escape.txt", "/tmp/punie-escape.txt"])
async def test_writes_outside_are_refused(project: Path, path: str) -> None:
    tools, approver = make_tools(project)
    result = await tools.call("write_file", {"path": path, "content": "x"})
    assert not result.ok and "outside the workspace" in result.text
    assert not (project.parent / "escape.txt").exists()
    assert not Path("/tmp/punie-escape.txt").exists()
    assert approver.requests == []


@pytest.mark.parametrize("pattern", ["../*", "/etc/*", "app/../../*"])
async def test_list_files_patterns_cannot_leave_the_workspace(project: Path, pattern: str) -> None:
    tools, _ = make_tools(project)
    result = await tools.call("list_files", {"pattern": pattern})
    assert not result.ok and "refused" in result.text


# -- list_files and search --


async def test_list_files_globs_and_skips_git_and_ignored_files(project: Path) -> None:
    tools, _ = make_tools(project)
    python = (await tools.call("list_files", {"pattern": "*.py"})).text.splitlines()
    assert python == ["app/__init__.py", "app/main.py"]  # build/out.py is gitignored
    everything = (await tools.call("list_files", {})).text.splitlines()
    assert "README.md" in everything and ".gitignore" in everything
    assert not any(line.startswith((".git/", "build/")) or line.endswith(".log") for line in everything)
    nested = (await tools.call("list_files", {"pattern": "app/*.py"})).text.splitlines()
    assert nested == ["app/__init__.py", "app/main.py"]


async def test_list_files_caps_entries(project: Path) -> None:
    for i in range(30):
        (project / f"f{i:02}.txt").write_text("x")
    tools, _ = make_tools(project)
    tools.limits = Limits(list_entries=10)
    result = await tools.call("list_files", {"pattern": "*.txt"})
    assert len(result.text.splitlines()) == 11
    assert "showing 10 of 30 files" in result.text


async def test_search_finds_lines_and_skips_git_and_ignored_files(project: Path) -> None:
    tools, _ = make_tools(project)
    result = await tools.call("search", {"pattern": r"def \w+\("})
    assert result.text.splitlines() == ["app/main.py:1: def hello():", "app/main.py:5: def bye():"]
    assert result.locations[0] == (str(project / "app" / "main.py"), 1)
    hello = await tools.call("search", {"pattern": "hello"})
    assert "debug.log" not in hello.text and ".git" not in hello.text and "build/" not in hello.text


async def test_search_in_a_subpath_and_caps_matches(project: Path) -> None:
    (project / "app" / "many.py").write_text("".join(f"x{i} = {i}\n" for i in range(50)))
    tools, _ = make_tools(project)
    tools.limits = Limits(search_matches=5)
    result = await tools.call("search", {"pattern": "^x", "path": "app"})
    assert len(result.text.splitlines()) == 6
    assert "showing 5 of 50 matches" in result.text


async def test_search_with_an_invalid_regex_is_a_malformed_call(project: Path) -> None:
    tools, _ = make_tools(project)
    with pytest.raises(ToolArgumentError, match="invalid regular expression"):
        await tools.call("search", {"pattern": "def ("})


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
async def test_search_uses_git_check_ignore_inside_a_git_repository(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".gitignore").write_text("*.gen.py\n!keep.gen.py\n")
    (root / "a.gen.py").write_text("needle = 1\n")
    (root / "keep.gen.py").write_text("needle = 2\n")
    (root / "b.py").write_text("needle = 3\n")
    tools, _ = make_tools(root)
    result = await tools.call("search", {"pattern": "needle"})
    assert sorted(line.split(":")[0] for line in result.text.splitlines()) == ["b.py", "keep.gen.py"]


# -- write_file and edit_file --


async def test_write_file_asks_first_then_writes(project: Path) -> None:
    tools, approver = make_tools(project)
    result = await tools.call("write_file", {"path": "app/new.py", "content": "X = 1\n"}, call_id="c1")
    assert result.ok and "Created app/new.py" in result.text
    assert (project / "app" / "new.py").read_text() == "X = 1\n"
    [request] = approver.requests
    assert (
        request.tool == "write_file" and request.call_id == "c1" and "new file app/new.py" in request.detail
    )


async def test_overwrite_shows_the_diff_for_approval(project: Path) -> None:
    tools, approver = make_tools(project)
    await tools.call("write_file", {"path": "README.md", "content": "# Demo\nChanged.\n"})
    assert "-A demo project." in approver.requests[0].detail
    assert "+Changed." in approver.requests[0].detail


async def test_rejected_write_changes_nothing(project: Path) -> None:
    tools, approver = make_tools(project, Decision.REJECT)
    result = await tools.call("write_file", {"path": "README.md", "content": "gone"})
    assert result.rejected and not result.ok and "rejected" in result.text
    assert (project / "README.md").read_text() == "# Demo\nA demo project.\n"
    created = await tools.call("write_file", {"path": "new.py", "content": "x"})
    assert created.rejected and not (project / "new.py").exists()
    assert len(approver.requests) == 2


async def test_allow_always_stops_asking_for_that_tool_only(project: Path) -> None:
    tools, approver = make_tools(project, Decision.ALLOW_ALWAYS)
    await tools.call("write_file", {"path": "a.txt", "content": "1"})
    await tools.call("write_file", {"path": "b.txt", "content": "2"})
    await tools.call("run_command", {"command": "true"})
    assert [request.tool for request in approver.requests] == ["write_file", "run_command"]
    assert (project / "b.txt").read_text() == "2"


async def test_reads_never_ask_for_approval(project: Path) -> None:
    tools, approver = make_tools(project, Decision.REJECT)
    await tools.call("read_file", {"path": "README.md"})
    await tools.call("list_files", {"pattern": "*"})
    await tools.call("search", {"pattern": "x"})
    assert approver.requests == []


async def test_edit_file_replaces_exactly_one_occurrence_and_shows_a_diff(project: Path) -> None:
    tools, _ = make_tools(project)
    result = await tools.call(
        "edit_file", {"path": "app/main.py", "old": "return 'bye'", "new": "return 'ciao'"}
    )
    assert result.ok and "Edited app/main.py at line 6" in result.text
    assert "-    return 'bye'" in result.text and "+    return 'ciao'" in result.text
    assert "return 'ciao'" in (project / "app" / "main.py").read_text()
    assert result.locations == [(str(project / "app" / "main.py"), 6)]


@pytest.mark.parametrize(
    ("old", "message"), [("return", "occurs 2 times"), ("missing text", "was not found")]
)
async def test_edit_file_refuses_ambiguous_or_missing_text(project: Path, old: str, message: str) -> None:
    before = (project / "app" / "main.py").read_text()
    tools, approver = make_tools(project)
    result = await tools.call("edit_file", {"path": "app/main.py", "old": old, "new": "X"})
    assert not result.ok and message in result.text
    assert (project / "app" / "main.py").read_text() == before
    assert approver.requests == []


async def test_rejected_edit_changes_nothing(project: Path) -> None:
    before = (project / "app" / "main.py").read_text()
    tools, _ = make_tools(project, Decision.REJECT)
    result = await tools.call("edit_file", {"path": "app/main.py", "old": "'hi'", "new": "'yo'"})
    assert result.rejected
    assert (project / "app" / "main.py").read_text() == before


# -- run_command --


async def test_run_command_reports_exit_code_and_output(project: Path) -> None:
    tools, approver = make_tools(project)
    ok = await tools.call("run_command", {"command": "ls app && echo done"})
    assert ok.ok and ok.text.startswith("exit code: 0") and "main.py" in ok.text and "done" in ok.text
    failed = await tools.call("run_command", {"command": "echo oops >&2; exit 3"})
    assert not failed.ok and failed.text.startswith("exit code: 3") and "oops" in failed.text
    assert approver.requests[0].detail == "ls app && echo done"


async def test_run_command_runs_in_the_workspace_root(project: Path) -> None:
    tools, _ = make_tools(project)
    result = await tools.call("run_command", {"command": "pwd"})
    assert Path(result.text.splitlines()[1]).resolve() == project.resolve()


async def test_run_command_times_out_and_says_so(project: Path) -> None:
    tools, _ = make_tools(project)
    result = await tools.call("run_command", {"command": "echo started; sleep 30", "timeout": "1"})
    assert not result.ok
    assert result.text.startswith("timed out after 1s") and "started" in result.text


async def test_run_command_truncates_output_with_a_note(project: Path) -> None:
    tools, _ = make_tools(project)
    tools.limits = Limits(output_chars=100)
    result = await tools.call("run_command", {"command": "seq 1 1000"})
    assert "[output truncated to the first 100 characters]" in result.text
    assert len(result.text) < 300


async def test_run_command_environment_is_scrubbed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-should-not-leak")
    monkeypatch.setenv("PUNIE_TEST_SECRET", "hunter2")
    tools, _ = make_tools(project)
    result = await tools.call("run_command", {"command": "env"})
    assert "sk-should-not-leak" not in result.text and "hunter2" not in result.text
    assert "PATH=" in result.text
    assert os.environ["OPENAI_API_KEY"] == "sk-should-not-leak"


async def test_rejected_command_does_not_run(project: Path) -> None:
    tools, _ = make_tools(project, Decision.REJECT)
    result = await tools.call("run_command", {"command": "touch marker"})
    assert result.rejected and "rejected" in result.text
    assert not (project / "marker").exists()


# -- malformed calls --


@pytest.mark.parametrize(
    ("name", "arguments", "message"),
    [
        ("read_file", {}, "needs the argument"),
        ("read_file", {"file": "a.py"}, "unknown argument"),
        ("read_file", {"path": "a.py", "start_line": "first"}, "must be of type integer"),
        ("read_file", ["a.py"], "must be a JSON object"),
        ("delete_everything", {}, "unknown tool"),
        ("run_command", {"command": "  "}, "must not be empty"),
        ("search", {"pattern": ""}, "must not be empty"),
    ],
)
async def test_malformed_calls_raise_argument_errors(
    project: Path, name: str, arguments: object, message: str
) -> None:
    tools, _ = make_tools(project)
    with pytest.raises(ToolArgumentError, match=message):
        await tools.call(name, arguments)


async def test_obvious_argument_types_are_coerced(project: Path) -> None:
    tools, _ = make_tools(project)
    result = await tools.call("read_file", {"path": "app/main.py", "start_line": "2", "end_line": 2.0})
    assert result.text == "     2\t    return 'hi'"


async def test_read_file_cuts_a_single_huge_line(project: Path) -> None:
    (project / "bundle.min.js").write_text("x" * 100_000 + "\nsecond\n")
    tools, _ = make_tools(project)
    result = await tools.call("read_file", {"path": "bundle.min.js"})
    first = result.text.splitlines()[0]
    assert first.startswith("     1\txxxx") and "[line 1 cut at 40000 characters]" in first
    assert len(result.text) < 41_000
