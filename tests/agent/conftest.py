from __future__ import annotations

from pathlib import Path

import pytest

from punie.agent.policy import ApprovalGate, ApprovalRequest, Decision
from punie.agent.tools import WorkspaceTools
from punie.agent.workspace import Workspace


class RecordingApprover:
    """Answers approval requests with a fixed decision and remembers what it was asked."""

    def __init__(self, decision: Decision) -> None:
        self.decision = decision
        self.requests: list[ApprovalRequest] = []

    async def __call__(self, request: ApprovalRequest) -> Decision:
        self.requests.append(request)
        return self.decision


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "main.py").write_text("def hello():\n    return 'hi'\n\n\ndef bye():\n    return 'bye'\n")
    (root / "README.md").write_text("# Demo\nA demo project.\n")
    (root / ".gitignore").write_text("build/\n*.log\n")
    (root / "build").mkdir()
    (root / "build" / "out.py").write_text("def hello(): pass\n")
    (root / "debug.log").write_text("hello from the log\n")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("hello = git internals\n")
    (tmp_path / "secret.txt").write_text("TOP SECRET\n")
    return root


def make_tools(
    root: Path, decision: Decision = Decision.ALLOW_ONCE
) -> tuple[WorkspaceTools, RecordingApprover]:
    approver = RecordingApprover(decision)
    return WorkspaceTools(Workspace(root), ApprovalGate(approver)), approver
