"""The workspace tools as PydanticAI tools, with exactly the canonical names, descriptions and schemas."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic_ai import ModelRetry, RunContext, Tool

from punie.agent.arguments import ToolArgumentError
from punie.agent.timing import Stopwatch
from punie.agent.tools import TOOL_KINDS, ToolResult, WorkspaceTools, tool_title
from punie.calls.types import Tool as ToolSpec
from punie.chat.prompts import WORKSPACE_TOOLS


class TurnSink(Protocol):
    """Receives what happens during a turn, as it happens (the `punie ask` console, or the ACP client)."""

    async def text(self, delta: str) -> None: ...

    async def tool_started(
        self, call_id: str, name: str, arguments: dict[str, Any], title: str, kind: str
    ) -> None: ...

    async def tool_finished(self, call_id: str, name: str, result: ToolResult) -> None: ...

    async def tool_retry(self, call_id: str, name: str, message: str) -> None: ...


class ToolRunner:
    """Bridges PydanticAI tool calls to `WorkspaceTools`, reporting each call to the turn's sink."""

    def __init__(self, tools: WorkspaceTools, sink: TurnSink, stopwatch: Stopwatch) -> None:
        self.tools = tools
        self.sink = sink
        self.stopwatch = stopwatch

    async def run(self, ctx: RunContext[Any], name: str, arguments: dict[str, Any]) -> str:
        call_id = ctx.tool_call_id or ""
        await self.sink.tool_started(call_id, name, arguments, tool_title(name, arguments), TOOL_KINDS[name])
        self.tools.stopwatch = self.stopwatch
        try:
            with self.stopwatch.measure("tool"):
                result = await self.tools.call(name, arguments, call_id)
        except ToolArgumentError as exc:
            await self.sink.tool_retry(call_id, name, str(exc))
            raise ModelRetry(f"Invalid call to {name}: {exc}") from exc
        await self.sink.tool_finished(call_id, name, result)
        return result.text


def pydantic_tools(runner: ToolRunner, specs: list[ToolSpec] = WORKSPACE_TOOLS) -> list[Tool[Any]]:
    """One PydanticAI tool per canonical tool definition; the JSON schema is passed through unchanged."""

    def make(spec: ToolSpec) -> Tool[Any]:
        async def call(ctx: RunContext[Any], **arguments: Any) -> str:
            return await runner.run(ctx, spec.name, arguments)

        return Tool.from_schema(call, spec.name, spec.description, spec.parameters, takes_ctx=True)

    return [make(spec) for spec in specs]
