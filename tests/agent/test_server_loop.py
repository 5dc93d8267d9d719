"""The whole tool loop through the real Punie server app (chat template, dialect parser, SSE) in-process.

The engine is the scripted double, so the model's text is fixed; everything between agent and engine is real.
"""

from __future__ import annotations

from pathlib import Path

from punie.agent.models import model_for_app
from punie.agent.session import AgentSession
from punie.calls import get_dialect
from punie.calls.types import ToolCall
from punie.engine.testing import ScriptedEngine
from punie.server import create_app

from .conftest import make_tools
from .test_session import RecordingSink


def call_text(name: str, **arguments: object) -> str:
    return get_dialect("qwen3_xml").render_calls([ToolCall(name, dict(arguments))])


async def test_tool_call_round_trip_through_the_server(project: Path) -> None:
    engine = ScriptedEngine([call_text("read_file", path="app/main.py"), "It defines hello and bye."])
    session = AgentSession(model_for_app(create_app(engine)), make_tools(project)[0])
    sink = RecordingSink()
    outcome = await session.run_turn("What does app/main.py define?", sink)
    assert outcome.stop_reason == "end_turn", outcome.error
    assert outcome.text == "It defines hello and bye."
    assert ("start", "read_file", {"path": "app/main.py"}, "read") in sink.events
    first, second = engine.prompts
    assert (
        "Read a text file in the workspace; returns numbered lines." in first
    )  # tools rendered in the prompt
    assert "<tool_response>" in second and "     1\tdef hello():" in second  # result went back to the model
    assert outcome.timing.model > 0


async def test_malformed_call_through_the_server_is_retried(project: Path) -> None:
    engine = ScriptedEngine(
        [
            call_text("read_file", file="app/main.py"),
            call_text("read_file", path="app/main.py"),
            "Done.",
        ]
    )
    session = AgentSession(model_for_app(create_app(engine)), make_tools(project)[0])
    outcome = await session.run_turn("read it", RecordingSink())
    assert outcome.stop_reason == "end_turn" and outcome.text == "Done."
    assert "unknown argument(s) file for read_file" in engine.prompts[1]
    assert "     1\tdef hello():" in engine.prompts[2]


async def test_a_conversation_too_long_for_the_model_ends_with_a_clear_message(project: Path) -> None:
    engine = ScriptedEngine(["ok"], context_size=50)
    session = AgentSession(model_for_app(create_app(engine)), make_tools(project)[0])
    outcome = await session.run_turn("hi", RecordingSink())
    assert outcome.stop_reason == "failed"
    assert outcome.error is not None and outcome.error.startswith("The conversation no longer fits")
