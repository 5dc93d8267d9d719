"""TEST HOOK: a deterministic scripted model (`--model test:echo`) for tests that spawn `punie` processes.

It is not a language model. Rules, applied to the latest message:
- after a tool result: answers `[TOOL] ` + the first line of the result;
- a user prompt `!TOOL {json arguments}` calls that tool with those arguments;
- any other prompt is echoed as `Echo (turn N): PROMPT`, N counting the user prompts in the history.
Text is streamed word by word.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from pydantic_ai.messages import ModelMessage, ModelRequest, ToolReturnPart, UserPromptPart
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, DeltaToolCalls, FunctionModel


def _user_prompts(messages: list[ModelMessage]) -> list[str]:
    return [
        part.content
        for message in messages
        if isinstance(message, ModelRequest)
        for part in message.parts
        if isinstance(part, UserPromptPart) and isinstance(part.content, str)
    ]


async def _script(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str | DeltaToolCalls]:
    last = messages[-1]
    returns = (
        [part for part in last.parts if isinstance(part, ToolReturnPart)]
        if isinstance(last, ModelRequest)
        else []
    )
    if returns:
        first_line = (
            str(returns[-1].content).strip().splitlines()[0] if str(returns[-1].content).strip() else ""
        )
        text = f"[{returns[-1].tool_name}] {first_line}"
    else:
        prompts = _user_prompts(messages)
        prompt = prompts[-1] if prompts else ""
        if prompt.startswith("!"):
            name, _, raw = prompt[1:].partition(" ")
            yield {
                0: DeltaToolCall(
                    name=name, json_args=raw.strip() or "{}", tool_call_id=f"call_{len(messages)}"
                )
            }
            return
        text = f"Echo (turn {len(prompts)}): {prompt}"
    for index, word in enumerate(text.split(" ")):
        yield word if index == 0 else " " + word


def scripted_model(name: str = "echo") -> FunctionModel:
    """The scripted model; `name` is only recorded (one script exists: echo)."""
    return FunctionModel(stream_function=_script, model_name=f"test:{name}")
