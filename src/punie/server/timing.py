"""Per-request timing, reported so clients can see where the time went.

Non-streaming responses carry a `Server-Timing` header
(`queue;dur=…, prompt;dur=…, gen;dur=…, parse;dur=…, total;dur=…`, milliseconds) and the same numbers in
`usage.punie_timing`. Streaming responses send their headers before any work is done, so the numbers
travel in the stream instead: the final chunk (the one with `finish_reason`) has a top-level
`punie_timing` object, and the usage chunk (with `stream_options.include_usage`) has `usage.punie_timing`.

- queue: waiting for the engine (requests are served one at a time)
- prompt: prompt processing up to the first generated token (or the upstream's first byte in proxy mode)
- gen: generating the rest
- parse: the dialect parser's time on the output
- total: from receiving the request to the last byte of the answer being ready
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Timing:
    """Seconds spent in each phase of one request."""

    started: float = field(default_factory=time.perf_counter)
    queue: float = 0.0
    prompt: float = 0.0
    gen: float = 0.0
    parse: float = 0.0
    total: float = 0.0

    def finish(self) -> None:
        self.total = time.perf_counter() - self.started

    def milliseconds(self) -> dict[str, float]:
        phases = {
            "queue": self.queue,
            "prompt": self.prompt,
            "gen": self.gen,
            "parse": self.parse,
            "total": self.total,
        }
        return {name: round(seconds * 1000.0, 3) for name, seconds in phases.items()}

    def header(self) -> str:
        """The `Server-Timing` header value."""
        return ", ".join(f"{name};dur={ms}" for name, ms in self.milliseconds().items())
