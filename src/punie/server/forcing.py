"""Decode-time guarantees for a request: the forced start of the answer (tool_choice) and the name constraint.

`tool_choice` "required" makes the answer start with the dialect's call prefix (`<tool_call>\\n<function=`
for qwen3_xml), a named function with the whole call head up to its arguments. The forced text is appended
to the prompt (the model continues it) and put in front of the generated text, so the parser, the JSON
answer and the SSE stream all see one complete call. The name constraint then lets the model write only
declared tool names and only the called tool's declared parameter names, each once (qwen3_xml parameter
tags, or the keys of the `arguments` object in the JSON dialects).
"""

from __future__ import annotations

from dataclasses import dataclass

from punie.calls.syntax import CallSyntax
from punie.engine.constraint import ToolNameConstraint
from punie.engine.watcher import WatchState
from punie.server.schemas import ChatRequest


@dataclass(frozen=True)
class Forcing:
    """What the engine is asked for beyond the rendered conversation."""

    start: str = ""  # the answer's forced first text (appended to the prompt, not generated)
    constraint: ToolNameConstraint | None = None
    start_tokens: int = 0  # tokens `start` adds to the prompt: counted as completion, not prompt, tokens


def forcing_for(request: ChatRequest, syntax: CallSyntax | None, *, constrain_names: bool) -> Forcing:
    """The forced start for `tool_choice` and, when asked for and tools are offered, the name constraint."""
    tools = request.offered_tools
    if syntax is None or not tools:
        return Forcing()
    start = ""
    state: WatchState = "text"
    if request.tool_choice == "function" and request.named_function:
        start, state = syntax.forced_prefix(request.named_function), "call"
    elif request.tool_choice == "required":
        start, state = syntax.forced_prefix(), "name"
    function = request.named_function if state == "call" else None
    constraint = ToolNameConstraint.for_tools(syntax, tools, state, function) if constrain_names else None
    return Forcing(start, constraint)
