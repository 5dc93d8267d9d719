"""The terminal approver of `punie ask`."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from punie.agent.console import TerminalApprover
from punie.agent.policy import ApprovalRequest, Decision


@pytest.mark.parametrize(
    ("answer", "decision"),
    [
        ("y", Decision.ALLOW_ONCE),
        ("YES", Decision.ALLOW_ONCE),
        ("a", Decision.ALLOW_ALWAYS),
        ("", Decision.REJECT),
        ("n", Decision.REJECT),
        ("whatever", Decision.REJECT),
    ],
)
async def test_terminal_answers_map_to_decisions(
    monkeypatch: pytest.MonkeyPatch, answer: str, decision: Decision
) -> None:
    monkeypatch.setattr("builtins.input", lambda prompt: answer)
    output = io.StringIO()
    approver = TerminalApprover(Console(file=output, width=100), interactive=True)
    request = ApprovalRequest(
        "run_command", "Run `rm -rf build`", {"command": "rm -rf build"}, detail="rm -rf build"
    )
    assert await approver(request) is decision
    assert "Run `rm -rf build`" in output.getvalue() and "rm -rf build" in output.getvalue()


async def test_without_a_terminal_the_approver_rejects(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_input(prompt: str) -> str:
        raise AssertionError("must not read input")

    monkeypatch.setattr("builtins.input", no_input)
    output = io.StringIO()
    approver = TerminalApprover(Console(file=output), interactive=False)
    assert await approver(ApprovalRequest("write_file", "Write a.py", {})) is Decision.REJECT
    assert "--yes" in output.getvalue()
