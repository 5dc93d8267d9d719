"""Approval policy: reads are free; writes and commands need a yes from the user (or `--yes`)."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any


class Decision(enum.Enum):
    ALLOW_ONCE = "allow_once"
    ALLOW_ALWAYS = "allow_always"
    REJECT = "reject"


@dataclass
class ApprovalRequest:
    """What the user is asked to approve: a tool call, a one-line title and a detail (diff or command)."""

    tool: str
    title: str
    arguments: dict[str, Any]
    detail: str = ""
    call_id: str = ""
    path: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


Approver = Callable[[ApprovalRequest], Awaitable[Decision]]

NEEDS_APPROVAL = frozenset({"write_file", "edit_file", "run_command"})


async def approve_all(request: ApprovalRequest) -> Decision:
    """The `--yes` policy."""
    return Decision.ALLOW_ONCE


async def reject_all(request: ApprovalRequest) -> Decision:
    """The policy when nobody can be asked."""
    return Decision.REJECT


class ApprovalGate:
    """Asks the approver for each write/command, remembering 'allow always' per tool for the session."""

    def __init__(self, approver: Approver) -> None:
        self.approver = approver
        self.always: set[str] = set()

    async def allowed(self, request: ApprovalRequest) -> bool:
        if request.tool not in NEEDS_APPROVAL or request.tool in self.always:
            return True
        decision = await self.approver(request)
        if decision is Decision.ALLOW_ALWAYS:
            self.always.add(request.tool)
        return decision in (Decision.ALLOW_ONCE, Decision.ALLOW_ALWAYS)
