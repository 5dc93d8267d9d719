"""ACP driven in-process by the SDK's client side over a socket pair."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from acp import PROTOCOL_VERSION, RequestError, text_block
from acp.schema import ClientCapabilities, FileSystemCapabilities
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models.function import AgentInfo, FunctionModel

from punie.agent.acp_agent import PunieAcpAgent, prompt_text
from punie.agent.scripted import scripted_model

from .acp_client import RecordingClient, loopback

FULL = ClientCapabilities(fs=FileSystemCapabilities(read_text_file=True, write_text_file=True), terminal=True)
NONE = ClientCapabilities()


async def start(conn: Any, project: Path, capabilities: ClientCapabilities = FULL) -> str:
    init = await conn.initialize(protocol_version=PROTOCOL_VERSION, client_capabilities=capabilities)
    assert init.protocol_version == PROTOCOL_VERSION
    assert init.agent_info.name == "punie"
    return (await conn.new_session(cwd=str(project), mcp_servers=[])).session_id


async def ask(conn: Any, session_id: str, text: str) -> str:
    return (await conn.prompt(session_id=session_id, prompt=[text_block(text)])).stop_reason


def echo_agent() -> PunieAcpAgent:
    return PunieAcpAgent(lambda: scripted_model("echo"), model_label="test:echo")


async def test_prompts_stream_message_chunks_and_keep_history(project: Path) -> None:
    client = RecordingClient()
    async with loopback(echo_agent(), client) as conn:
        session_id = await start(conn, project)
        assert await ask(conn, session_id, "hello there") == "end_turn"
        assert client.message_text() == "Echo (turn 1): hello there"
        chunks = [u for u in client.updates if u.session_update == "agent_message_chunk"]
        assert len(chunks) == 5  # streamed word by word, not sent at the end in one piece
        assert await ask(conn, session_id, "again") == "end_turn"
        assert client.message_text().endswith("Echo (turn 2): again")


async def test_reads_go_through_the_client_fs_and_report_kind_and_location(project: Path) -> None:
    main = str((project / "app" / "main.py").resolve())
    client = RecordingClient(buffers={main: "UNSAVED = 'editor buffer'\n"})
    async with loopback(echo_agent(), client) as conn:
        session_id = await start(conn, project)
        assert await ask(conn, session_id, '!read_file {"path": "app/main.py"}') == "end_turn"
    assert client.reads == [main]
    [started] = client.tool_updates("tool_call")
    assert (
        started.kind == "read"
        and started.title == "read_file app/main.py"
        and started.status == "in_progress"
    )
    assert [location.path for location in started.locations] == [main]
    [finished] = client.tool_updates("tool_call_update")
    assert finished.status == "completed" and "UNSAVED = 'editor buffer'" in finished.content[0].content.text
    assert client.message_text() == "[read_file] 1\tUNSAVED = 'editor buffer'"


async def test_without_fs_capability_reads_use_the_local_disk(project: Path) -> None:
    client = RecordingClient()
    async with loopback(echo_agent(), client) as conn:
        session_id = await start(conn, project, NONE)
        await ask(conn, session_id, '!read_file {"path": "app/main.py"}')
    assert client.reads == []
    assert client.message_text() == "[read_file] 1\tdef hello():"


async def test_rejected_write_is_not_written_anywhere(project: Path) -> None:
    client = RecordingClient(permission="reject_once")
    async with loopback(echo_agent(), client) as conn:
        session_id = await start(conn, project)
        await ask(conn, session_id, '!write_file {"path": "notes.txt", "content": "hi"}')
    [(tool_call, options)] = client.permission_requests
    assert {option.kind for option in options} == {"allow_once", "allow_always", "reject_once"}
    assert tool_call.kind == "edit" and tool_call.content[0].type == "diff"
    assert tool_call.content[0].new_text == "hi"
    assert client.writes == [] and not (project / "notes.txt").exists()
    [finished] = client.tool_updates("tool_call_update")
    assert finished.status == "failed"
    assert client.message_text().startswith("[write_file] The user rejected this write_file call")


async def test_cancelled_permission_request_counts_as_a_rejection(project: Path) -> None:
    client = RecordingClient(permission=None)
    async with loopback(echo_agent(), client) as conn:
        session_id = await start(conn, project)
        await ask(conn, session_id, '!run_command {"command": "touch marker"}')
    assert client.terminals == {} and not (project / "marker").exists()


async def test_allowed_edit_goes_through_the_client_with_a_diff(project: Path) -> None:
    client = RecordingClient(permission="allow_once")
    path = str((project / "app" / "main.py").resolve())
    async with loopback(echo_agent(), client) as conn:
        session_id = await start(conn, project)
        await ask(conn, session_id, '!edit_file {"path": "app/main.py", "old": "\'bye\'", "new": "\'ciao\'"}')
    assert client.writes and client.writes[0][0] == path and "return 'ciao'" in client.writes[0][1]
    assert "'bye'" in (project / "app" / "main.py").read_text()  # the editor got the write, not the disk
    [started] = client.tool_updates("tool_call")
    assert started.status == "pending"  # waiting for permission
    running, finished = client.tool_updates("tool_call_update")
    assert running.status == "in_progress" and finished.status == "completed"
    assert finished.content[0].type == "diff" and finished.locations[0].line == 6


async def test_allow_always_asks_only_once(project: Path) -> None:
    client = RecordingClient(permission="allow_always")
    async with loopback(echo_agent(), client) as conn:
        session_id = await start(conn, project)
        await ask(conn, session_id, '!write_file {"path": "a.txt", "content": "1"}')
        await ask(conn, session_id, '!write_file {"path": "b.txt", "content": "2"}')
    assert len(client.permission_requests) == 1
    assert [Path(path).name for path, _ in client.writes] == ["a.txt", "b.txt"]


async def test_commands_run_in_the_client_terminal(project: Path) -> None:
    client = RecordingClient(permission="allow_once")
    async with loopback(echo_agent(), client) as conn:
        session_id = await start(conn, project)
        await ask(conn, session_id, '!run_command {"command": "echo from-terminal; exit 4"}')
    [terminal] = client.terminals.values()
    assert terminal["command"] == "/bin/sh" and terminal["args"] == ["-c", "echo from-terminal; exit 4"]
    assert Path(terminal["cwd"]).resolve() == project.resolve() and terminal["released"]
    [(tool_call, _)] = client.permission_requests
    assert tool_call.kind == "execute"
    approved, live, finished = client.tool_updates("tool_call_update")
    assert approved.status == live.status == "in_progress"
    assert live.content[0].type == "terminal" and live.content[0].terminal_id == "term-1"
    assert finished.status == "failed" and finished.content[0].terminal_id == "term-1"
    assert (
        "exit code: 4" in finished.content[1].content.text
        and "from-terminal" in finished.content[1].content.text
    )


async def test_without_terminal_capability_commands_run_locally(project: Path) -> None:
    client = RecordingClient(permission="allow_once")
    async with loopback(echo_agent(), client) as conn:
        session_id = await start(conn, project, NONE)
        await ask(conn, session_id, '!run_command {"command": "touch made-here"}')
    assert client.terminals == {} and (project / "made-here").exists()


async def test_cancel_ends_the_turn_with_cancelled_and_the_session_continues(project: Path) -> None:
    calls = 0

    async def slow(messages: list[ModelMessage], info: AgentInfo):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        yield f"answer {calls} "
        if calls == 1:
            await asyncio.sleep(30)
        yield "done"

    client = RecordingClient()
    agent = PunieAcpAgent(lambda: FunctionModel(stream_function=slow))
    async with loopback(agent, client) as conn:
        session_id = await start(conn, project)
        turn = asyncio.create_task(ask(conn, session_id, "slow please"))
        await asyncio.wait_for(client.first_chunk.wait(), 5)
        await conn.cancel(session_id=session_id)
        assert await asyncio.wait_for(turn, 5) == "cancelled"
        assert await ask(conn, session_id, "next") == "end_turn"
    assert client.message_text() == "answer 1 answer 2 done"


async def test_unknown_session_is_an_error(project: Path) -> None:
    async with loopback(echo_agent(), RecordingClient()) as conn:
        await start(conn, project)
        with pytest.raises(RequestError) as raised:
            await ask(conn, "nope", "hi")
    assert "unknown session nope" in str(raised.value.data)


async def test_client_terminal_is_killed_on_timeout(project: Path) -> None:
    client = RecordingClient(permission="allow_once")
    async with loopback(echo_agent(), client) as conn:
        session_id = await start(conn, project)
        await ask(conn, session_id, '!run_command {"command": "echo waiting; sleep 30", "timeout": 1}')
    [terminal] = client.terminals.values()
    assert terminal["killed"] and terminal["released"]
    assert client.message_text() == "[run_command] timed out after 1s (stopped)"


def test_prompt_text_includes_embedded_context_and_links() -> None:
    from acp import embedded_text_resource, resource_block, resource_link_block

    blocks = [
        text_block("Explain this:"),
        resource_block(embedded_text_resource("file:///p/app.py", "x = 1")),
        resource_link_block("notes.md", "file:///p/notes.md"),
    ]
    assert prompt_text(blocks) == (
        'Explain this:\n\n<context uri="file:///p/app.py">\nx = 1\n</context>\n[notes.md](file:///p/notes.md)'
    )
