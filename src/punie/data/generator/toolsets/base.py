"""Building blocks of the other-tool-sets family: a tool set, its call cases and its no-fit requests.

A `ToolSet` is a small app API that is not Punie's workspace (a calendar, a CI system, ...). Each of its
call scenarios turns a seeded RNG into a `CallCase`: a phrased request, the calls it maps to (argument
values taken from or implied by the request), the tool results and a short answer that repeats values from
those results.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from punie.calls.types import Tool, ToolCall
from punie.data.generator.phrasing import phrase

PEOPLE = (
    "ana@example.com",
    "li.wei@example.org",
    "sam.ortiz@example.com",
    "priya@example.net",
    "tom@example.com",
)
USERS = ("jkim", "mlopez", "ovi", "tbrandt")

OTHER_TOOLS_VERSION = "punie-other-tools/1"  # bump when the family's output for a given seed changes

# Spoken additions to a request (the workspace generator's suffixes talk about "the repo").
REQUEST_SUFFIXES = (" real quick", " when you get a chance", " - thanks", ", thanks!", " asap", " if you can")
QUESTION_SUFFIXES = (
    " in one sentence",
    " briefly",
    " - short answer please",
    " in simple terms",
    ", just the gist",
)


def make_tool(name: str, description: str, properties: dict[str, Any], required: list[str]) -> Tool:
    """A tool with an object schema (every property described)."""
    return Tool(name, description, {"type": "object", "properties": properties, "required": required})


def string(description: str, enum: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "description": description}
    if enum:
        schema["enum"] = enum
    return schema


def integer(description: str) -> dict[str, Any]:
    return {"type": "integer", "description": description}


def number(description: str) -> dict[str, Any]:
    return {"type": "number", "description": description}


def boolean(description: str) -> dict[str, Any]:
    return {"type": "boolean", "description": description}


def array(description: str, items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "description": description, "items": items}


def to_json(value: Any) -> str:
    """A tool result as the compact JSON an API would return."""
    return json.dumps(value, ensure_ascii=False)


def request(template: str, rng: random.Random, **values: object) -> str:
    """A phrased tool request (alternatives, prefix, casing, an occasional typo or aside)."""
    return phrase(template, rng, typo_rate=0.08, suffixes=REQUEST_SUFFIXES, suffix_rate=0.1, **values)


def question(template: str, rng: random.Random, **values: object) -> str:
    """A phrased question or request that gets a direct answer."""
    return phrase(template, rng, typo_rate=0.08, suffixes=QUESTION_SUFFIXES, suffix_rate=0.12, **values)


@dataclass(frozen=True)
class CallCase:
    """One request answered by calls to a tool set.

    `quotes` are result values the answer repeats. `derived` names arguments whose values follow from the
    request without appearing in it verbatim (an ISO date for "March 3, 2025", an enum for "in Fahrenheit").
    """

    request: str
    calls: tuple[ToolCall, ...]
    results: tuple[str, ...]
    answer: str
    quotes: tuple[str, ...]
    derived: tuple[str, ...] = ()


def one_call(
    text: str,
    name: str,
    arguments: dict[str, Any],
    result: str,
    answer: str,
    quotes: tuple[str, ...],
    derived: tuple[str, ...] = (),
) -> CallCase:
    return CallCase(text, (ToolCall(name, arguments),), (result,), answer, quotes, derived)


CallScenario = Callable[[random.Random], CallCase]


@dataclass(frozen=True)
class Question:
    """A question (templates) no tool of the set answers, with its short correct answer."""

    templates: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class Unsupported:
    """A request in the set's own area that none of its tools can carry out; `values` fill its slots."""

    templates: tuple[str, ...]
    capability: str  # infinitive phrase: "share a calendar"
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class ToolSet:
    """A small non-workspace API: its tools, how requests map to calls, and what it cannot do.

    `capabilities` says in a few words what each tool does ("list calendar events"); `aliases` are other
    realistic names for a tool, so the model learns to copy the offered name. `workspace_overlap` marks sets
    whose requests the workspace tools could also serve (e.g. computing with `run_command`), so they are not
    used as no-fit requests when the workspace tools are offered too. `self_answerable` names tools whose
    answer the assistant can also give without the tool (a short translation), so a request for one that
    is not offered may be answered directly. Computed numbers (conversions, statistics) are left out: a
    small model answering those without the tool would learn to make numbers up. `substitutes` names tools
    whose requests another tool of the set could also serve (a table list through `run_sql_query`), so
    leaving them out of the offer does not make their requests a clear no-fit.
    """

    name: str
    tools: tuple[Tool, ...]
    capabilities: dict[str, str]
    scenarios: dict[str, tuple[CallScenario, ...]]  # tool name -> scenarios that call it first
    questions: tuple[Question, ...]
    unsupported: tuple[Unsupported, ...]
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    workspace_overlap: bool = False
    self_answerable: tuple[str, ...] = ()
    substitutes: tuple[str, ...] = ()

    def tool(self, name: str) -> Tool:
        return next(tool for tool in self.tools if tool.name == name)


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def pick_date(rng: random.Random) -> tuple[str, str, bool]:
    """(ISO date, how the user says it, whether that differs from the ISO form)."""
    year, month, day = rng.choice((2025, 2026)), rng.randrange(1, 13), rng.randrange(1, 29)
    iso = f"{year}-{month:02d}-{day:02d}"
    name = MONTHS[month - 1]
    spoken = rng.choice(
        (iso, iso, f"{name} {day}, {year}", f"{day} {name} {year}", f"{name[:3]} {day} {year}")
    )
    return iso, spoken, spoken != iso


def pick_time(rng: random.Random) -> tuple[str, str, bool]:
    """(HH:MM, how the user says it, whether that differs from HH:MM)."""
    hour, minute = rng.randrange(8, 18), rng.choice((0, 0, 30, 15))
    clock = f"{hour:02d}:{minute:02d}"
    twelve = hour - 12 if hour > 12 else hour
    suffix = "pm" if hour >= 12 else "am"
    spoken = rng.choice(
        (
            clock,
            clock,
            f"{twelve}{suffix}" if minute == 0 else f"{twelve}:{minute:02d}{suffix}",
            f"{twelve}:{minute:02d} {suffix.upper()}",
        )
    )
    return clock, spoken, spoken != clock
