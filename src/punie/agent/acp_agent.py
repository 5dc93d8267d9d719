"""Punie as an ACP agent (`punie acp`): sessions, streamed answers, tool calls, permissions, cancel."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from acp import (
    PROTOCOL_VERSION,
    InitializeResponse,
    NewSessionResponse,
    PromptResponse,
    RequestError,
    start_tool_call,
    text_block,
    tool_content,
    tool_diff_content,
    tool_terminal_ref,
    update_agent_message_text,
    update_tool_call,
)
from acp.schema import (
    AgentCapabilities,
    AllowedOutcome,
    ClientCapabilities,
    Implementation,
    PermissionOption,
    PromptCapabilities,
    ToolCallLocation,
    ToolCallUpdate,
)
from pydantic_ai import CancellationToken
from pydantic_ai.models import Model
from pydantic_ai.settings import ModelSettings

from punie import __version__
from punie.agent.acp_backends import backends_for
from punie.agent.policy import NEEDS_APPROVAL, ApprovalGate, ApprovalRequest, Decision
from punie.agent.session import AgentSession
from punie.agent.tools import TOOL_KINDS, ToolResult, WorkspaceTools
from punie.agent.workspace import ToolError, Workspace

log = logging.getLogger(__name__)

PERMISSION_OPTIONS = [
    PermissionOption(option_id="allow_once", name="Allow once", kind="allow_once"),
    PermissionOption(option_id="allow_always", name="Always allow this tool", kind="allow_always"),
    PermissionOption(option_id="reject_once", name="Reject", kind="reject_once"),
]
_DECISIONS = {"allow_once": Decision.ALLOW_ONCE, "allow_always": Decision.ALLOW_ALWAYS}
RESULT_PREVIEW_CHARS = 4000


def _locations(items: list[tuple[str, int | None]]) -> list[ToolCallLocation]:
    return [ToolCallLocation(path=path, line=line) for path, line in items]


class AcpSink:
    """Turns a turn's events into ACP `session/update` notifications."""

    def __init__(self, conn: Any, session_id: str, workspace: Workspace) -> None:
        self.conn = conn
        self.session_id = session_id
        self.workspace = workspace

    async def text(self, delta: str) -> None:
        await self.conn.session_update(session_id=self.session_id, update=update_agent_message_text(delta))

    async def tool_started(
        self, call_id: str, name: str, arguments: dict[str, Any], title: str, kind: str
    ) -> None:
        locations = []
        if isinstance(arguments.get("path"), str):
            try:
                locations = [ToolCallLocation(path=str(self.workspace.resolve(arguments["path"])))]
            except ToolError:
                locations = []
        status = "pending" if name in NEEDS_APPROVAL else "in_progress"  # pending: waiting for permission
        update = start_tool_call(
            call_id, title, kind=kind, status=status, locations=locations, raw_input=arguments
        )
        await self.conn.session_update(session_id=self.session_id, update=update)

    async def tool_finished(self, call_id: str, name: str, result: ToolResult) -> None:
        text = (
            result.text
            if len(result.text) <= RESULT_PREVIEW_CHARS
            else result.text[:RESULT_PREVIEW_CHARS] + "…"
        )
        content: list[Any] = [tool_content(text_block(text))]
        if result.diff is not None:
            path, old, new = result.diff
            content = [tool_diff_content(path, new, old)]
        elif result.terminal_id:
            content = [tool_terminal_ref(result.terminal_id), *content]
        update = update_tool_call(
            call_id,
            status="completed" if result.ok else "failed",
            content=content,
            locations=_locations(result.locations) or None,
            raw_output={"ok": result.ok, "summary": result.summary},
        )
        await self.conn.session_update(session_id=self.session_id, update=update)

    async def tool_retry(self, call_id: str, name: str, message: str) -> None:
        update = update_tool_call(
            call_id, status="failed", content=[tool_content(text_block(f"Malformed call: {message}"))]
        )
        await self.conn.session_update(session_id=self.session_id, update=update)


class AcpApprover:
    """Asks the client (`session/request_permission`) before writes and commands."""

    def __init__(self, conn: Any, session_id: str) -> None:
        self.conn = conn
        self.session_id = session_id

    async def __call__(self, request: ApprovalRequest) -> Decision:
        content: list[Any]
        if request.tool in ("write_file", "edit_file") and request.path:
            content = [
                tool_diff_content(request.path, request.extra.get("new", ""), request.extra.get("old"))
            ]
        else:
            content = [tool_content(text_block(request.detail or request.title))]
        tool_call = ToolCallUpdate(
            tool_call_id=request.call_id,
            title=request.title,
            kind=TOOL_KINDS.get(request.tool, "other"),
            status="pending",
            content=content,
            locations=[ToolCallLocation(path=request.path)] if request.path else None,
            raw_input=request.arguments,
        )
        response = await self.conn.request_permission(
            session_id=self.session_id, tool_call=tool_call, options=PERMISSION_OPTIONS
        )
        outcome = response.outcome
        decision = Decision.REJECT  # rejected, or the prompt was cancelled
        if isinstance(outcome, AllowedOutcome):
            decision = _DECISIONS.get(outcome.option_id, Decision.REJECT)
        if decision is not Decision.REJECT:
            update = update_tool_call(request.call_id, status="in_progress")
            await self.conn.session_update(session_id=self.session_id, update=update)
        return decision


@dataclass
class AcpSession:
    session: AgentSession
    sink: AcpSink
    cancel: CancellationToken | None = None


class PunieAcpAgent:
    """The ACP `Agent` side: one AgentSession per ACP session, sharing one model."""

    def __init__(
        self,
        model_factory: Callable[[], Model],
        *,
        model_label: str = "",
        model_settings: ModelSettings | None = None,
    ) -> None:
        self.model_factory = model_factory
        self.model_settings = model_settings
        self.model_label = model_label
        self._model: Model | None = None
        self.conn: Any = None
        self.client_capabilities: ClientCapabilities | None = None
        self.sessions: dict[str, AcpSession] = {}

    def on_connect(self, conn: Any) -> None:
        self.conn = conn

    @property
    def model(self) -> Model:
        if self._model is None:
            self._model = self.model_factory()
        return self._model

    async def initialize(
        self,
        protocol_version: int,
        client_capabilities: ClientCapabilities | None = None,
        client_info: Implementation | None = None,
        **kwargs: Any,
    ) -> InitializeResponse:
        self.client_capabilities = client_capabilities
        log.info("initialize from %s, capabilities %s", client_info, client_capabilities)
        return InitializeResponse(
            protocol_version=min(protocol_version, PROTOCOL_VERSION),
            agent_capabilities=AgentCapabilities(
                load_session=False, prompt_capabilities=PromptCapabilities(embedded_context=True)
            ),
            agent_info=Implementation(name="punie", title="Punie", version=__version__),
            auth_methods=[],
        )

    async def authenticate(self, method_id: str, **kwargs: Any) -> None:
        return None

    async def new_session(
        self, cwd: str, mcp_servers: list[Any] | None = None, **kwargs: Any
    ) -> NewSessionResponse:
        try:
            workspace = Workspace(Path(cwd))
        except ValueError as exc:
            raise RequestError.invalid_params({"cwd": str(exc)}) from exc
        session_id = uuid.uuid4().hex
        files, commands = backends_for(self.conn, session_id, self.client_capabilities)
        gate = ApprovalGate(AcpApprover(self.conn, session_id))
        tools = WorkspaceTools(workspace, gate, files=files, commands=commands)
        session = AgentSession(
            self.model, tools, model_label=self.model_label, model_settings=self.model_settings
        )
        self.sessions[session_id] = AcpSession(session, AcpSink(self.conn, session_id, workspace))
        log.info("new session %s in %s", session_id, workspace.root)
        return NewSessionResponse(session_id=session_id)

    async def prompt(self, session_id: str, prompt: list[Any], **kwargs: Any) -> PromptResponse:
        state = self.sessions.get(session_id)
        if state is None:
            raise RequestError.invalid_params({"sessionId": f"unknown session {session_id}"})
        text = prompt_text(prompt)
        state.cancel = CancellationToken()
        try:
            outcome = await state.session.run_turn(text, state.sink, cancel=state.cancel)
        finally:
            state.cancel = None
        if outcome.error:
            await state.sink.text(("\n\n" if outcome.text else "") + outcome.error)
        log.info("turn ended: %s; %s", outcome.stop_reason, outcome.timing.line(self.model_label))
        stop = "end_turn" if outcome.stop_reason == "failed" else outcome.stop_reason
        return PromptResponse(stop_reason=stop)

    async def cancel(self, session_id: str, **kwargs: Any) -> None:
        state = self.sessions.get(session_id)
        if state is not None and state.cancel is not None:
            log.info("cancel %s", session_id)
            state.cancel.cancel()


def prompt_text(blocks: list[Any]) -> str:
    """The user's prompt as text: text blocks, plus embedded resources and links as context."""
    parts: list[str] = []
    for block in blocks:
        kind = getattr(block, "type", None)
        if kind == "text":
            parts.append(block.text)
        elif kind == "resource":
            resource = block.resource
            if getattr(resource, "text", None) is not None:
                parts.append(f'\n<context uri="{resource.uri}">\n{resource.text}\n</context>')
        elif kind == "resource_link":
            parts.append(f"[{block.name}]({block.uri})")
    return "\n".join(part for part in parts if part)
