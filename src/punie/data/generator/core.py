"""`generate_examples`: deterministic synthetic training conversations for Python development work."""

from __future__ import annotations

import random
from typing import NamedTuple

from punie.chat.prompts import SYSTEM_PROMPT, WORKSPACE_TOOLS
from punie.data.generator.direct import QA
from punie.data.generator.domains import BUILDERS
from punie.data.generator.features import FEATURES, HOWTO_ASKS, WITH_COMPOUND, FeatureMix
from punie.data.generator.glossary import DOMAIN_WORDS, ENTRIES, TEMPLATES
from punie.data.generator.phrasing import DIRECT_SUFFIXES, phrase
from punie.data.generator.project import Project
from punie.data.generator.scenarios import Turns, scenario_turns
from punie.data.generator.shell import offer_shell_tools, shell_messages
from punie.data.generator.toolsets import other_tools_example
from punie.data.options import GeneratorOptions, check_shares
from punie.data.records import Example, answer_message, user_message

GENERATOR_VERSION = "punie-generator/7"  # bump when output for a given seed changes
FEATURES_TAG = "+features"  # appended to the version in examples made with feature questions on
COMPOUND_TAG = "+compound"  # appended after it when the compound features are on too
CONTEXT_RATE = 0.08  # share of examples that start with an earlier, unrelated exchange
SAME_PROJECT_CONTEXT_RATE = 0.05  # tool examples that follow an earlier tool exchange on the same project
OTHER_TOOLS = "other"  # example kind: drawn from the other-tool-sets family (opt-in, see example_kinds)


class ToolTurns(NamedTuple):
    """A tool scenario on a fresh synthetic project."""

    domain: str
    scenario: str
    turns: Turns
    earlier: Turns  # optional earlier tool exchange on the same project
    project: Project  # the synthetic project the calls ran on


def _tool_turns(rng: random.Random, features: FeatureMix | None) -> ToolTurns:
    domain = rng.choice(list(BUILDERS))
    project = BUILDERS[domain](rng)
    name, turns = scenario_turns(project, rng, features)
    earlier: Turns = []
    if rng.random() < SAME_PROJECT_CONTEXT_RATE:
        _, earlier = scenario_turns(project, rng, features)
    return ToolTurns(domain, name, turns, earlier, project)


GLOSSARY_SHARE = (
    0.6  # direct questions drawn from slot-filled glossary templates (the rest: hand-written Q&A)
)


def _direct_turns(rng: random.Random, features: FeatureMix | None) -> tuple[str, Turns]:
    if features and rng.random() < features.howto_share:
        feature = rng.choice(features.table)
        question = phrase(
            rng.choice(HOWTO_ASKS),
            rng,
            typo_rate=0.1,
            suffixes=DIRECT_SUFFIXES,
            suffix_rate=0.15,
            c=rng.choice(feature.names),
        )
        return "python", [user_message(question), answer_message(feature.answer)]
    if rng.random() < GLOSSARY_SHARE:
        category, domain, x, y, answer = rng.choice(ENTRIES)
        word = rng.choice(DOMAIN_WORDS[domain])
        question = phrase(
            rng.choice(TEMPLATES[category]),
            rng,
            typo_rate=0.1,
            suffixes=DIRECT_SUFFIXES,
            suffix_rate=0.15,
            x=x,
            y=y,
            d=word,
        )
    else:
        domain, questions, answer = rng.choice(QA)
        question = phrase(
            rng.choice(questions), rng, typo_rate=0.1, suffixes=DIRECT_SUFFIXES, suffix_rate=0.15
        )
    return domain, [user_message(question), answer_message(answer)]


def generate_example(
    index: int, kind: str, seed: int = 0, options: GeneratorOptions = GeneratorOptions()
) -> Example:
    """Example number `index` of the stream for `seed` (independent of how many are generated).

    `kind` is "tool", "direct" or OTHER_TOOLS (the family picks its own tool/direct reply). `options` adds
    the opt-in kinds: feature questions ("find the X uses" / "how do I use X", see `features`; off, the
    stream is as before they existed), compound feature names, and a share offered only the shell tools
    (see `shell`). With the defaults the stream is the shipped adapter's."""
    features = None
    if options.feature_questions:
        table = WITH_COMPOUND if options.compound_features else FEATURES
        features = FeatureMix(table, options.feature_search_weight, options.feature_howto_share)
    rng = random.Random(f"punie-generator:{seed}:{index}")
    if kind == OTHER_TOOLS:
        return other_tools_example(rng, seed=seed, index=index, generator=GENERATOR_VERSION)
    projects: list[Project] = []  # the projects the calls ran on
    if kind == "tool":
        domain, scenario, turns, earlier, project = _tool_turns(rng, features)
        projects.append(project)
        context = earlier or (_direct_turns(rng, features)[1] if rng.random() < CONTEXT_RATE else [])
    else:
        domain, turns = _direct_turns(rng, features)
        scenario = "direct"
        context = []
        if rng.random() < CONTEXT_RATE:
            earlier_exchange = _tool_turns(rng, features)
            context, projects = earlier_exchange.turns, [earlier_exchange.project]
    messages = [{"role": "system", "content": SYSTEM_PROMPT}, *context, *turns]
    tools = list(WORKSPACE_TOOLS)
    shell_rng = random.Random(f"punie-shell:{seed}:{index}")  # its own stream: the rest stays as it was
    if options.shell_tools and shell_rng.random() < options.shell_tools:
        shell = shell_messages(messages, projects)
        if shell is not None:
            messages, tools = shell, offer_shell_tools(shell_rng)
    meta = {
        "source": f"generator/{domain}",
        "kind": kind,
        "domain": domain,
        "scenario": scenario,
        "context_turns": sum(1 for message in context if message["role"] == "user"),
        "seed": seed,
        "index": index,
        "generator": GENERATOR_VERSION
        + (FEATURES_TAG if options.feature_questions else "")
        + (COMPOUND_TAG if options.feature_questions and options.compound_features else ""),
    }
    if tools != WORKSPACE_TOOLS:
        meta["tools"] = "shell"
    return Example(messages=messages, tools=[tool.to_openai() for tool in tools], meta=meta)


def example_kinds(n: int, seed: int, tool_ratio: float, other_tools: float = 0.0) -> list[str]:
    """Exactly round(n * other_tools) "other" examples (the opt-in other-tool-sets family, which decides its
    own call/direct split) and, of the rest, exactly round(rest * tool_ratio) tool examples, in a seeded
    order. With other_tools=0 this is the plain tool/direct stream, unchanged."""
    check_shares(tool_ratio=tool_ratio, other_tools=other_tools)
    others = round(n * other_tools)
    tools = round((n - others) * tool_ratio)
    kinds = ["tool"] * tools + ["direct"] * (n - others - tools) + [OTHER_TOOLS] * others
    random.Random(f"punie-kinds:{seed}:{n}").shuffle(kinds)
    return kinds


def generate_examples(
    n: int,
    *,
    seed: int = 0,
    tool_ratio: float = 0.7,
    other_tools: float = 0.0,
    options: GeneratorOptions = GeneratorOptions(),
) -> list[Example]:
    """`n` synthetic examples; the same arguments always give the same list.

    `other_tools` is the share drawn from the other-tool-sets family (non-workspace tools, ~45% calls);
    `tool_ratio` applies to the remaining examples; `options` are `generate_example`'s.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    kinds = example_kinds(n, seed, tool_ratio, other_tools)
    return [generate_example(i, kind, seed, options) for i, kind in enumerate(kinds)]
