"""The training data's tool results (punie.data.generator) have exactly the shape the real tools return."""

from __future__ import annotations

from pathlib import Path

from punie.data.generator.project import (
    command_result,
    edit_result,
    list_result,
    read_result,
    search_result,
    write_result,
)

from .conftest import make_tools


async def test_generated_tool_results_match_the_workspace_tools(project: Path) -> None:
    tools, _ = make_tools(project)
    main = (project / "app" / "main.py").read_text()
    assert (await tools.call("read_file", {"path": "app/main.py"})).text == read_result(main)
    assert (await tools.call("read_file", {"path": "app/main.py", "start_line": 2, "end_line": 5})).text == (
        read_result(main, 2, 5)
    )
    found = await tools.call("search", {"pattern": "return"})
    assert found.text == search_result(
        [("app/main.py", 2, "    return 'hi'"), ("app/main.py", 6, "    return 'bye'")], "return"
    )
    assert (await tools.call("search", {"pattern": "zzz"})).text == search_result([], "zzz")
    assert (await tools.call("list_files", {"pattern": "app/*.py"})).text == list_result(
        ["app/__init__.py", "app/main.py"], "app/*.py"
    )
    assert (await tools.call("list_files", {"pattern": "*.rs"})).text == list_result([], "*.rs")
    assert (await tools.call("run_command", {"command": "echo hi; exit 2"})).text == command_result(2, "hi\n")
    assert (await tools.call("write_file", {"path": "n.py", "content": "a\nb\n"})).text == write_result(
        "n.py", "a\nb\n"
    )
    edited = await tools.call("edit_file", {"path": "app/main.py", "old": "'bye'", "new": "'ciao'"})
    assert edited.text == edit_result("app/main.py", main, "'bye'", "'ciao'")
