"""Converters from legacy text formats into records, and from records to mlx-lm / TRL files.

Legacy inputs: `{"messages": [...]}` lines whose assistant content holds calls as text (fenced JSON, Qwen3
XML or Hermes JSON) with results as user messages starting `Tool result:` or wrapped in `<tool_response>`,
and mlx-lm `{"text": ...}` ChatML lines. Call text is parsed only by `punie.calls` dialects; this module adds
small, reported text repairs before parsing. Every input line ends up either converted or rejected with
its file, line and reason: `lines = converted + rejected`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from punie.calls import ToolCall, get_dialect
from punie.chat.prompts import WORKSPACE_TOOLS
from punie.data.io import LineError, iter_json_lines, iter_text_lines
from punie.data.records import Example, Message, assistant_call_message, tool_message
from punie.data.validate import json_type, validate_example

FORMATS = ("auto", "legacy", "mlx-text")
_CHATML_TURN = re.compile(r"<\|im_start\|>(\w+)\n(.*?)<\|im_end\|>\n?", re.DOTALL)
_TOOL_RESULT_PREFIX = re.compile(r"^Tool result:[ \t]?\n?")
_TOOL_RESPONSE = re.compile(r"<tool_response>\n?(.*?)\n?</tool_response>", re.DOTALL)
_FENCE = re.compile(r"```json[ \t]*\n(.*?)(?:\n[ \t]*```|```[ \t]*$)", re.DOTALL)
_GLUED_FENCE_CLOSE = re.compile(r"(```json[ \t]*\n(?:(?!```).)*?\})```", re.DOTALL)
# escapes that mean something different (or nothing) in JSON: a Python-literal reading would be a guess
_PYTHON_ONLY_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|N\{|[0-7]{1,3}|[av])")
_LITERAL_NOTE = "read as a Python literal"


class ConversionError(ValueError):
    """Why one input line cannot become a record."""


@dataclass(frozen=True)
class Rejected:
    file: str
    line: int
    reason: str
    raw: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class ConversionReport:
    """What happened to every line of one input file."""

    file: str
    lines: int = 0
    converted: list[tuple[int, Example]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    repairs: Counter[str] = field(default_factory=Counter)

    @property
    def balanced(self) -> bool:
        return self.lines == len(self.converted) + len(self.rejected)

    def summary(self) -> str:
        text = (
            f"{self.file}: in {self.lines} = converted {len(self.converted)} + rejected {len(self.rejected)}"
            + ("" if self.balanced else "  (UNBALANCED)")
        )
        if self.repairs:
            text += "\n  repairs: " + ", ".join(
                f"{kind} x{count}" for kind, count in self.repairs.most_common()
            )
        return text


# -- assistant content -----------------------------------------------------------------------------------


def _dialect_for(content: str) -> str | None:
    if "<tool_call>" in content:
        return "qwen3_xml" if "<function=" in content else "hermes_json"
    if "```json" in content:
        return "json_fence"
    return None


def _close_truncated_arguments(body: str) -> str | None:
    """A fence body whose `arguments` is a JSON string cut before its closing `"}` -> the repaired body.

    Only when appending `"}` yields a flat JSON object; anything else is left for the parser to report.
    """
    try:
        outer = json.loads(body)
    except ValueError:
        return None
    arguments = outer.get("arguments") if isinstance(outer, dict) else None
    if not isinstance(arguments, str):
        return None
    try:
        json.loads(arguments)
        return None  # not truncated
    except ValueError:
        pass
    try:
        closed = json.loads(arguments + '"}')
    except ValueError:
        return None
    if not isinstance(closed, dict) or any(isinstance(v, dict) for v in closed.values()):
        return None
    return json.dumps({**outer, "arguments": closed}, ensure_ascii=False, indent=2)


def _repair_fences(content: str, repairs: list[str]) -> str:
    """Reported pre-parse text repairs for fenced JSON calls."""
    fixed = _GLUED_FENCE_CLOSE.sub(lambda m: m.group(1) + "\n```", content)
    if fixed != content:
        repairs.append("fence closed without a newline")
        content = fixed

    def close(match: re.Match[str]) -> str:
        repaired = _close_truncated_arguments(match.group(1))
        if repaired is None:
            return match.group(0)
        repairs.append("arguments string cut before its closing '\"}' (closed)")
        return "```json\n" + repaired + "\n```"

    return _FENCE.sub(close, content)


def parse_assistant_content(content: str) -> tuple[str, list[ToolCall], list[str]]:
    """(text, calls, repairs) for one assistant message; ConversionError when its call text is unusable."""
    name = _dialect_for(content)
    if name is None:
        return content, [], []
    repairs: list[str] = []
    if name == "json_fence":
        content = _repair_fences(content, repairs)
        for body in _FENCE.findall(content):
            if "'" in body and _PYTHON_ONLY_ESCAPE.search(body):
                raise ConversionError(
                    "single-quoted pseudo-JSON with Python-only escapes (\\x, \\N, octal, \\a, \\v): "
                    f"repair would be a guess: {body[:80]!r}"
                )
    result = get_dialect(name).parse(content)
    for error in result.errors:
        if _LITERAL_NOTE in error and result.calls:
            repairs.append("single-quoted pseudo-JSON read as a Python literal")
        else:
            raise ConversionError(f"{name} call text not understood: {error}")
    if name != "json_fence" and not result.calls:
        raise ConversionError(f"<tool_call> markup but no {name} call could be read: {content[:80]!r}")
    return result.content.strip(), result.calls, repairs


# -- tool results ----------------------------------------------------------------------------------------


def tool_results(content: str) -> list[str] | None:
    """The results held by a legacy user message, or None when it is an ordinary user message."""
    match = _TOOL_RESULT_PREFIX.match(content)
    if match:
        return [content[match.end() :]]
    blocks = _TOOL_RESPONSE.findall(content)
    if not blocks:
        return None
    outside = _TOOL_RESPONSE.sub("", content).strip()
    if outside:
        raise ConversionError(f"text outside <tool_response> blocks: {outside[:60]!r}")
    return blocks


# -- whole conversations ---------------------------------------------------------------------------------


def chatml_to_messages(text: str) -> list[Message]:
    """Split mlx-lm ChatML text into messages; any text outside `<|im_start|>...<|im_end|>` is an error."""
    messages: list[Message] = []
    position = 0
    for match in _CHATML_TURN.finditer(text):
        if text[position : match.start()].strip():
            raise ConversionError(f"text outside ChatML turns: {text[position : match.start()][:60]!r}")
        messages.append({"role": match.group(1), "content": match.group(2)})
        position = match.end()
    if text[position:].strip():
        raise ConversionError(f"unterminated or stray ChatML text: {text[position:][:60]!r}")
    if not messages:
        raise ConversionError("no ChatML turns found")
    return messages


def _merge_assistant_turns(messages: list[Message], repairs: list[str]) -> list[Message]:
    merged: list[Message] = []
    for message in messages:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and message["role"] == previous["role"] == "assistant"
            and not previous.get("tool_calls")
        ):
            text = "\n\n".join(part for part in (previous["content"], message["content"]) if part)
            merged[-1] = {**message, "content": text}
            repairs.append("consecutive assistant turns merged")
        else:
            merged.append(message)
    return merged


def _structured_messages(raw: list[Any], repairs: list[str]) -> list[Message]:
    """Legacy messages -> record messages: text calls become tool_calls, results become tool messages."""
    out: list[Message] = []
    pending: list[str] = []  # names of calls that still need a result
    for index, message in enumerate(raw):
        role, content = message["role"], message["content"]
        if role == "assistant":
            if message.get("tool_calls"):
                calls = [ToolCall.from_openai(entry) for entry in message["tool_calls"]]
                text = content
            else:
                text, calls, notes = parse_assistant_content(content)
                repairs.extend(notes)
            out.append(
                assistant_call_message(calls, text) if calls else {"role": "assistant", "content": text}
            )
            pending = [call.name for call in calls]
        elif role == "tool":
            if not pending:
                raise ConversionError(f"messages[{index}]: tool result without a call")
            out.append(tool_message(pending.pop(0), content))
        elif role == "user":
            results = tool_results(content)
            if results is None:
                out.append({"role": "user", "content": content})
                pending = []
                continue
            if not pending:
                raise ConversionError(f"messages[{index}]: tool result without a preceding call")
            if len(results) > len(pending):
                raise ConversionError(
                    f"messages[{index}]: {len(results)} results for {len(pending)} pending call(s)"
                )
            for result in results:
                out.append(tool_message(pending.pop(0), result))
        elif role == "system":
            out.append({"role": "system", "content": content})
        else:
            raise ConversionError(f"messages[{index}]: unknown role {role!r}")
    return out


def _trim_unanswered_end(messages: list[Message], repairs: list[str]) -> list[Message]:
    """Drop trailing user turns that never got a reply (kept out of training, reported as a repair)."""
    while messages and messages[-1]["role"] == "user":
        messages = messages[:-1]
        repairs.append("trailing user message without a reply dropped")
    return messages


def infer_tools(messages: list[Message]) -> list[dict[str, Any]]:
    """Tool definitions from the calls seen: each argument's JSON type; required = present in every call."""
    seen: dict[str, list[dict[str, Any]]] = {}
    for message in messages:
        for entry in message.get("tool_calls") or []:
            function = entry["function"]
            seen.setdefault(function["name"], []).append(function["arguments"])
    tools = []
    for name, calls in seen.items():
        properties: dict[str, Any] = {}
        for arguments in calls:
            for key, value in arguments.items():
                kinds = properties.setdefault(key, {"type": []})["type"]
                kind = json_type(value)
                if kind != "null" and kind not in kinds:
                    kinds.append(kind)
        for spec in properties.values():
            spec["type"] = spec["type"][0] if len(spec["type"]) == 1 else (spec["type"] or "string")
        required = [key for key in properties if all(key in arguments for arguments in calls)]
        description = f"Inferred from {len(calls)} call(s) in legacy data."
        parameters = {"type": "object", "properties": properties, "required": required}
        tools.append(
            {
                "type": "function",
                "function": {"name": name, "description": description, "parameters": parameters},
            }
        )
    return tools


TOOL_MODES = ("inferred", "workspace")


def declared_tools(messages: list[Message], mode: str) -> tuple[list[dict[str, Any]], str]:
    """(tools, how they were chosen). `inferred`: from the calls seen. `workspace`: Punie's six workspace
    tools, plus inferred definitions for any other tool the conversation calls."""
    inferred = infer_tools(messages)
    if mode == "inferred":
        return inferred, "inferred from calls" if inferred else "none (no calls)"
    if mode != "workspace":
        raise ValueError(f"unknown tools mode {mode!r}; use one of {', '.join(TOOL_MODES)}")
    names = {tool.name for tool in WORKSPACE_TOOLS}
    extra = [tool for tool in inferred if tool["function"]["name"] not in names]
    how = "punie workspace tools" + (" + inferred from other calls" if extra else "")
    return [tool.to_openai() for tool in WORKSPACE_TOOLS] + extra, how


def convert_messages(
    raw: list[Any], source: str, tools_mode: str = "inferred", declared: list[Any] | None = None
) -> tuple[Example, list[str]]:
    """One legacy conversation -> (record, repairs). Raises ConversionError with a reason.

    `declared`: the line's own OpenAI `tools` list, kept as is when present."""
    repairs: list[str] = []
    for index, message in enumerate(raw):
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            raise ConversionError(f"messages[{index}] is not a {{role, content}} object")
        if not isinstance(message.get("content") or "", str):
            raise ConversionError(f"messages[{index}].content is not a string")
    merged = _merge_assistant_turns([{**m, "content": m.get("content") or ""} for m in raw], repairs)
    messages = _trim_unanswered_end(_structured_messages(merged, repairs), repairs)
    if not any(m["role"] == "assistant" for m in messages):
        raise ConversionError("no assistant turn")
    if declared:
        tools, how = declared, "declared in the input"
    else:
        tools, how = declared_tools(messages, tools_mode)
    example = Example(
        messages=messages,
        tools=tools,
        meta={
            "source": source,
            "kind": "",
            "tools": how,
            "repairs": "; ".join(sorted(set(repairs))),
        },
    )
    example.meta["kind"] = example.kind
    issues = validate_example(example)
    if issues:
        raise ConversionError("; ".join(str(issue) for issue in issues[:3]))
    return example, repairs


def convert_object(
    value: Any, source_format: str, source: str, tools_mode: str = "inferred"
) -> tuple[Example, list[str]]:
    if not isinstance(value, dict):
        raise ConversionError(f"a line must be a JSON object, got {json_type(value)}")
    fmt = source_format
    if fmt == "auto":
        fmt = "mlx-text" if "text" in value and "messages" not in value else "legacy"
    if fmt == "mlx-text":
        if not isinstance(value.get("text"), str):
            raise ConversionError("mlx-text line without a 'text' string")
        return convert_messages(chatml_to_messages(value["text"]), source, tools_mode)
    if not isinstance(value.get("messages"), list):
        raise ConversionError("legacy line without a 'messages' list")
    declared = value.get("tools")
    if declared is not None and not isinstance(declared, list):
        raise ConversionError("'tools' must be a list of OpenAI tool definitions")
    return convert_messages(value["messages"], source, tools_mode, declared)


def convert_file(
    path: str | Path,
    source_format: str = "auto",
    progress: Callable[[], None] | None = None,
    tools_mode: str = "inferred",
) -> ConversionReport:
    """Convert every line of a legacy file; each line is accounted for in the report."""
    if tools_mode not in TOOL_MODES:
        raise ValueError(f"unknown tools mode {tools_mode!r}; use one of {', '.join(TOOL_MODES)}")
    if source_format not in FORMATS:
        raise ValueError(f"unknown format {source_format!r}; use one of {', '.join(FORMATS)}")
    name = str(path)
    report = ConversionReport(name)
    raw_lines = {n: t for n, t in iter_text_lines(path) if isinstance(t, str)}
    for number, value in iter_json_lines(path):
        report.lines += 1
        if progress:
            progress()
        raw = raw_lines.get(number, "")
        if isinstance(value, LineError):
            report.rejected.append(Rejected(name, number, value.message, raw))
            continue
        try:
            example, repairs = convert_object(value, source_format, f"{Path(name).name}:{number}", tools_mode)
        except (ConversionError, ValueError, KeyError, TypeError) as exc:
            report.rejected.append(Rejected(name, number, str(exc), raw))
            continue
        report.converted.append((number, example))
        report.repairs.update(repairs)
    return report


# -- export ----------------------------------------------------------------------------------------------


def to_mlx_text(example: Example, dialect: str = "qwen3_xml") -> dict[str, str]:
    """mlx-lm / TRL `{"text": ...}`: the conversation rendered by punie.chat, exactly as training sees it."""
    from punie.chat import render_conversation

    return {
        "text": render_conversation(
            example.messages, example.tools, dialect=dialect, add_generation_prompt=False
        )
    }


def to_messages(example: Example) -> dict[str, Any]:
    """mlx-lm / TRL `{"messages", "tools"}` (arguments stay dicts, as HF chat templates expect)."""
    return {"messages": example.messages, "tools": example.tools}
