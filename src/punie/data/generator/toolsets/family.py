"""One example of the other-tool-sets family: offer a set's tools, then call one that fits or answer directly.

The family teaches reading the offered tool list: a call only ever names an offered tool (under whichever
name it is offered) with arguments from its schema, and a request that no offered tool serves - a general
question, an action the set cannot do, another set's request, a tool left out of the offer - gets a direct
answer. Shares (of the family):

- `CALL_SHARE` of examples end on a call, the rest on a direct answer (over-calling is what this fixes);
- `MIXED_SHARE` offer the workspace tools together with the set, and the request picks the right one;
- `SUBSET_SHARE` of single-set examples offer only some of the set's tools;
- `ALIAS_RATE` per tool: the tool is offered under another realistic name.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from punie.calls.types import Tool, ToolCall
from punie.chat.prompts import SYSTEM_PROMPT, WORKSPACE_TOOLS
from punie.data.generator.direct import QA as WORKSPACE_QA
from punie.data.generator.domains import BUILDERS
from punie.data.generator.phrasing import listing
from punie.data.generator.scenarios import scenario_turns
from punie.data.generator.toolsets.base import (
    OTHER_TOOLS_VERSION,
    CallCase,
    Question,
    ToolSet,
    question,
    request,
)
from punie.data.generator.toolsets.catalog import TOOLSETS
from punie.data.generator.toolsets.general import GENERAL, GREETINGS
from punie.data.records import (
    Example,
    Message,
    answer_message,
    assistant_call_message,
    tool_message,
    user_message,
)

SOURCE = "generator/other_tools"
OTHER_TOOLS_SYSTEM_PROMPT = (
    "You are a helpful assistant. Use a tool only when one of the offered tools fits the request; "
    "otherwise answer directly."
)
SYSTEM_VARIANTS = (
    "You are a helpful assistant with access to the functions below. "
    "Call one only if it fits the user's request.",
    "You are a helpful assistant.",
)
CALL_SHARE = 0.45
MIXED_SHARE = 0.25
SUBSET_SHARE = 0.2
ALIAS_RATE = 0.35
CONTEXT_RATE = 0.1
SELF_ANSWER_RATE = 0.6  # requests for a missing tool whose answer the assistant can give itself
WORKSPACE_CALL_SHARE = 0.35  # of mixed calls: a workspace request rather than one for the set
# Why no offered tool fits, for single-set and for mixed direct examples.
DIRECT_CASES = (
    ("topic", 30),
    ("general", 18),
    ("greeting", 2),
    ("unsupported", 20),
    ("other_set", 18),
    ("missing_tool", 12),
)
MIXED_DIRECT_CASES = (
    ("topic", 25),
    ("general", 20),
    ("workspace_qa", 20),
    ("unsupported", 15),
    ("other_set", 20),
)


@dataclass
class Offer:
    """The set's tools as offered: which ones, under which names, and whether the workspace tools come too."""

    toolset: ToolSet
    names: dict[str, str]  # canonical name -> offered name, for the offered tools only
    workspace: bool

    def tools(self, rng: random.Random) -> list[Tool]:
        own = [
            Tool(self.names[t.name], t.description, t.parameters)
            for t in self.toolset.tools
            if t.name in self.names
        ]
        if not self.workspace:
            return own
        return [*WORKSPACE_TOOLS, *own] if rng.random() < 0.6 else [*own, *WORKSPACE_TOOLS]

    def described(self) -> str:
        """`name (what it does)` for each offered tool of the set."""
        items = [
            f"{self.names[name]} ({self.toolset.capabilities[name]})"
            for name in self.toolset.capabilities
            if name in self.names
        ]
        if self.workspace:
            items.append("the workspace tools for the project's files and commands")
        return listing(items)


def _offer(toolset: ToolSet, rng: random.Random, *, workspace: bool, leave_out: str = "") -> Offer:
    names = {}
    for tool in toolset.tools:
        aliases = toolset.aliases.get(tool.name, ())
        names[tool.name] = rng.choice(aliases) if aliases and rng.random() < ALIAS_RATE else tool.name
    if not leave_out and not workspace and rng.random() < SUBSET_SHARE:
        leave_out = rng.choice([tool.name for tool in toolset.tools])
    names.pop(leave_out, None)
    return Offer(toolset, names, workspace)


def _call_turns(case: CallCase, names: dict[str, str]) -> list[Message]:
    calls = [ToolCall(names.get(call.name, call.name), dict(call.arguments)) for call in case.calls]
    results = [tool_message(call.name, result) for call, result in zip(calls, case.results, strict=True)]
    return [
        user_message(case.request),
        assistant_call_message(calls),
        *results,
        answer_message(case.answer),
    ]


def _call_case(offer: Offer, rng: random.Random) -> CallCase:
    name = rng.choice([tool.name for tool in offer.toolset.tools if tool.name in offer.names])
    return rng.choice(offer.toolset.scenarios[name])(rng)


def _direct(text: str, answer: str) -> list[Message]:
    return [user_message(text), answer_message(answer)]


def no_tool_reply(capability: str, offer: Offer, rng: random.Random) -> str:
    """A short reply saying that no offered tool can do this, and what the offered tools do."""
    tools = offer.described()
    if len(offer.names) == 1 and not offer.workspace:
        return rng.choice(
            (
                f"I can't {capability} with the tools offered here: the only tool is {tools}.",
                f"There is no tool here to {capability}. The one tool I have is {tools}.",
            )
        )
    return rng.choice(
        (
            f"I can't {capability} with the tools offered here. "
            f"The available tools are {tools}, and none of them does that.",
            f"None of the offered tools can {capability}: I only have {tools}.",
            f"There is no tool here to {capability}. The tools I have are {tools}.",
        )
    )


def _ask(item: Question, rng: random.Random) -> str:
    return question(rng.choice(item.templates), rng)


def _direct_turns(case: str, offer: Offer, rng: random.Random) -> tuple[str, list[Message], str]:
    """(case, turns, requested tool as `set.tool` or ""): a request no offered tool serves, and its reply.

    A request for a tool that is not offered gets a reply naming the offered tools, or - when the
    assistant can give the answer itself (a short translation) - that answer."""
    toolset = offer.toolset
    if case == "topic":
        item = rng.choice(toolset.questions)
        return case, _direct(_ask(item, rng), item.answer), ""
    if case == "general" and rng.random() < 0.12:
        caps = [toolset.capabilities[name] for name in toolset.capabilities if name in offer.names]
        if offer.workspace:
            caps.append("work with your project's files and commands")
        text = question("[what can you do|what can you help me with|what are your tools for]", rng)
        answer = f"With the tools offered here I can {listing(caps)}. I can also answer general questions."
        return case, _direct(text, answer), ""
    if case == "general":
        item = rng.choice(GENERAL)
        return case, _direct(_ask(item, rng), item.answer), ""
    if case == "greeting":
        item = rng.choice(GREETINGS)
        text = rng.choice(item.templates).capitalize() + rng.choice(("", "!", "."))
        return case, _direct(text, item.answer), ""
    if case == "workspace_qa":
        _, questions, answer = rng.choice(WORKSPACE_QA)
        return case, _direct(question(rng.choice(questions), rng), answer), ""
    if case == "unsupported":
        ask = rng.choice(toolset.unsupported)
        values = {slot: rng.choice(options) for slot, options in ask.values.items()}
        text = request(rng.choice(ask.templates), rng, **values)
        return case, _direct(text, no_tool_reply(ask.capability, offer, rng)), ""
    if case == "other_set":
        others = [t for t in TOOLSETS if t is not toolset and not (offer.workspace and t.workspace_overlap)]
        source = rng.choice(others)
        name = rng.choice(list(source.scenarios))
    elif case == "missing_tool":
        source = toolset
        name = next(tool.name for tool in toolset.tools if tool.name not in offer.names)
    else:  # pragma: no cover
        raise ValueError(f"unknown direct case {case!r}")
    example = rng.choice(source.scenarios[name])(rng)
    requested = f"{source.name}.{name}"
    if name in source.self_answerable and rng.random() < SELF_ANSWER_RATE:
        return "answered_without_tool", _direct(example.request, example.answer), requested
    return case, _direct(example.request, no_tool_reply(source.capabilities[name], offer, rng)), requested


def _workspace_call_turns(rng: random.Random) -> list[Message]:
    """A workspace request from the main generator's scenarios (a Python project and a tool call)."""
    project = BUILDERS[rng.choice(list(BUILDERS))](rng)
    return scenario_turns(project, rng)[1]


def _system(mixed: bool, rng: random.Random) -> list[Message]:
    roll = rng.random()
    if mixed:
        prompt = SYSTEM_PROMPT if roll < 0.4 else OTHER_TOOLS_SYSTEM_PROMPT if roll < 0.7 else ""
    else:
        prompt = (
            OTHER_TOOLS_SYSTEM_PROMPT if roll < 0.45 else rng.choice(SYSTEM_VARIANTS) if roll < 0.65 else ""
        )
    return [{"role": "system", "content": prompt}] if prompt else []


def other_tools_example(rng: random.Random, *, seed: int, index: int, generator: str) -> Example:
    """The family's example for this index's RNG; `generator` is the stream's GENERATOR_VERSION."""
    toolset = rng.choice(TOOLSETS)
    mixed = rng.random() < MIXED_SHARE
    calls = rng.random() < CALL_SHARE
    weights = MIXED_DIRECT_CASES if mixed else DIRECT_CASES
    case = "call" if calls else rng.choices([c for c, _ in weights], [w for _, w in weights])[0]
    if case == "unsupported" and mixed and toolset.workspace_overlap:
        case = "topic"
    clear = [tool.name for tool in toolset.tools if tool.name not in toolset.substitutes]
    leave_out = rng.choice(clear) if case == "missing_tool" else ""
    offer = _offer(toolset, rng, workspace=mixed, leave_out=leave_out)
    requested = ""
    if case == "call" and mixed and rng.random() < WORKSPACE_CALL_SHARE:
        case, turns = "workspace_call", _workspace_call_turns(rng)
    elif case == "call":
        turns = _call_turns(_call_case(offer, rng), offer.names)
    else:
        case, turns, requested = _direct_turns(case, offer, rng)
    context: list[Message] = []
    if rng.random() < CONTEXT_RATE and case != "greeting":
        context = _call_turns(_call_case(offer, rng), offer.names)
    example = Example(
        messages=[*_system(mixed, rng), *context, *turns], tools=[t.to_openai() for t in offer.tools(rng)]
    )
    mode = "mixed" if mixed else "call" if example.kind == "tool" else "direct"
    example.meta = {
        "source": SOURCE,
        "kind": example.kind,
        "domain": toolset.name,
        "scenario": f"other_tools/{toolset.name}/{mode}",
        "context_turns": 1 if context else 0,
        "seed": seed,
        "index": index,
        "generator": generator,
        "other_tools_case": case,
        "requested_tool": requested,  # `set.tool` whose request a no-fit example borrows, else ""
        "other_tools_version": OTHER_TOOLS_VERSION,
    }
    return example
