"""Where a turn's time went: measured intervals of model requests, tool work and waiting for approval."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

# When intervals overlap, the higher-priority kind owns the time.
_PRIORITY = {"approval": 3, "tool": 2, "model": 1}


@dataclass
class Breakdown:
    total: float
    model: float
    tools: float
    approval: float

    @property
    def overhead(self) -> float:
        return max(0.0, self.total - self.model - self.tools - self.approval)

    def line(self, model_name: str) -> str:
        text = (
            f"{self.total:.2f}s total: model {self.model:.2f}s ({model_name}), tools {self.tools:.2f}s, "
            f"overhead {self.overhead:.2f}s"
        )
        if self.approval > 0.005:
            text += f", waiting for approval {self.approval:.2f}s"
        return text


@dataclass
class Stopwatch:
    """Collects (kind, start, end) intervals during one turn and splits the wall time between kinds."""

    started: float = field(default_factory=time.perf_counter)
    intervals: list[tuple[str, float, float]] = field(default_factory=list)

    @contextmanager
    def measure(self, kind: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.intervals.append((kind, start, time.perf_counter()))

    def breakdown(self, end: float | None = None) -> Breakdown:
        end = time.perf_counter() if end is None else end
        owned = {kind: 0.0 for kind in _PRIORITY}
        points = sorted({self.started, end, *(t for _, a, b in self.intervals for t in (a, b))})
        for left, right in itertools.pairwise(points):
            covering = [kind for kind, a, b in self.intervals if a <= left and right <= b]
            if covering:
                owner = max(covering, key=_PRIORITY.__getitem__)
                owned[owner] += right - left
        return Breakdown(end - self.started, owned["model"], owned["tool"], owned["approval"])
