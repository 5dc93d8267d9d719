"""What the runner records for one case: the model's answer as the client saw it, and its timings."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class RecordedCall:
    """One tool call from the response. `arguments` is None when `arguments_text` is not a JSON object."""

    name: str
    arguments_text: str
    arguments: dict[str, Any] | None = None
    error: str = ""

    @classmethod
    def from_wire(cls, name: str, arguments_text: str) -> RecordedCall:
        try:
            value = json.loads(arguments_text) if arguments_text.strip() else {}
        except json.JSONDecodeError as exc:
            return cls(name, arguments_text, None, f"arguments are not JSON ({exc.msg})")
        if not isinstance(value, dict):
            return cls(name, arguments_text, None, "arguments are not a JSON object")
        return cls(name, arguments_text, value)


@dataclass
class CaseRun:
    """The recorded outcome of sending one case to a model."""

    id: str
    content: str = ""
    calls: list[RecordedCall] = field(default_factory=list)
    raw_text: str = ""
    raw_text_source: str = "reconstructed"  # "server" when the server reported its raw model text
    finish_reason: str | None = None
    ttft_s: float | None = None
    total_s: float = 0.0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    server_timing: dict[str, float] = field(default_factory=dict)
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
