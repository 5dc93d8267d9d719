"""Dataset statistics: counts, tool/direct ratio, tool histogram, and token lengths of the rendered text."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from punie.data.records import Example


@dataclass
class TokenLengths:
    count: int
    minimum: int
    median: float
    mean: float
    p95: int
    maximum: int
    total: int

    @classmethod
    def of(cls, lengths: list[int]) -> TokenLengths:
        ordered = sorted(lengths)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        return cls(
            len(ordered),
            ordered[0],
            statistics.median(ordered),
            statistics.fmean(ordered),
            p95,
            ordered[-1],
            sum(ordered),
        )


@dataclass
class DatasetStats:
    examples: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    first_tool: Counter[str] = field(default_factory=Counter)  # per tool example: the first tool it calls
    calls_by_tool: Counter[str] = field(default_factory=Counter)  # every call in every example
    calls_per_example: Counter[int] = field(default_factory=Counter)  # tool examples by number of calls
    domains: Counter[str] = field(default_factory=Counter)
    scenarios: Counter[str] = field(default_factory=Counter)
    tokens: TokenLengths | None = None  # whole rendered conversation
    assistant_tokens: TokenLengths | None = None  # the part training puts loss on

    @property
    def tool_ratio(self) -> float:
        return self.kinds["tool"] / self.examples if self.examples else 0.0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "examples": self.examples,
            "tool": self.kinds["tool"],
            "direct": self.kinds["direct"],
            "tool_ratio": round(self.tool_ratio, 4),
            "first_tool": dict(self.first_tool.most_common()),
            "calls_by_tool": dict(self.calls_by_tool.most_common()),
            "calls_per_tool_example": {str(k): v for k, v in sorted(self.calls_per_example.items())},
            "domains": dict(self.domains.most_common()),
            "scenarios": dict(self.scenarios.most_common()),
        }
        for name in ("tokens", "assistant_tokens"):
            value = getattr(self, name)
            if value is not None:
                out[name] = {k: (round(v, 1) if isinstance(v, float) else v) for k, v in vars(value).items()}
        return out


def count_examples(examples: list[Example]) -> DatasetStats:
    stats = DatasetStats(examples=len(examples))
    for example in examples:
        stats.kinds[example.kind] += 1
        final = example.final_calls
        if final:
            stats.first_tool[final[0].name] += 1
            stats.calls_per_example[len(final)] += 1
        for call in example.calls:
            stats.calls_by_tool[call.name] += 1
        if "domain" in example.meta:
            stats.domains[str(example.meta["domain"])] += 1
        if "scenario" in example.meta:
            stats.scenarios[str(example.meta["scenario"])] += 1
    return stats


def add_token_lengths(
    stats: DatasetStats,
    examples: list[Example],
    count_tokens: Callable[[str], int],
    *,
    dialect: str = "qwen3_xml",
    progress: Callable[[], None] | None = None,
) -> None:
    """Render each example with punie.chat (as training does) and count tokens of the whole text and of
    the assistant spans."""
    from punie.chat import assistant_spans

    totals: list[int] = []
    assistant: list[int] = []
    for example in examples:
        text, spans = assistant_spans(example.messages, example.tools, dialect=dialect)
        totals.append(count_tokens(text))
        assistant.append(sum(count_tokens(text[start:end]) for start, end in spans))
        if progress:
            progress()
    if totals:
        stats.tokens = TokenLengths.of(totals)
        stats.assistant_tokens = TokenLengths.of(assistant)
