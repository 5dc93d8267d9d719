"""Surface variation for user prompts: alternatives, politeness, casing, punctuation and typos.

Templates use `[a|b|c]` for alternatives (an empty alternative makes a part optional) and `{slot}` for
values. Slot values (paths, identifiers, commands) are never altered by casing or typos.
"""

from __future__ import annotations

import random
import re

_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")

IMPERATIVE_PREFIXES = (
    ("", 30),
    ("please ", 8),
    ("can you ", 9),
    ("could you ", 6),
    ("hey, ", 3),
    ("pls ", 2),
    ("I need you to ", 2),
    ("go ahead and ", 2),
    ("quick one: ", 1),
    ("would you ", 2),
    ("ok, ", 1),
)
QUESTION_WORDS = frozenset(
    (
        "what",
        "what's",
        "whats",
        "where",
        "where's",
        "which",
        "how",
        "how's",
        "is",
        "are",
        "does",
        "do",
        "did",
        "can",
        "could",
        "who",
        "why",
        "when",
        "has",
        "have",
        "any",
        "should",
        "would",
    )
)
IMPERATIVE_VERBS = frozenset(
    (
        "show",
        "open",
        "display",
        "print",
        "cat",
        "view",
        "pull",
        "let",
        "read",
        "summarize",
        "explain",
        "take",
        "look",
        "check",
        "find",
        "locate",
        "search",
        "grep",
        "list",
        "run",
        "execute",
        "make",
        "create",
        "add",
        "write",
        "set",
        "change",
        "turn",
        "switch",
        "rename",
        "bump",
        "mount",
        "stop",
        "upgrade",
        "apply",
        "migrate",
        "build",
        "install",
        "lint",
        "test",
        "rerun",
        "re-run",
        "collect",
        "give",
        "compare",
        "describe",
        "tell",
        "increase",
        "move",
        "allow",
        "autogenerate",
        "generate",
        "release",
        "require",
        "drop",
        "ignore",
        "start",
        "figure",
        "validate",
        "fix",
        "delete",
        "remove",
        "enable",
        "disable",
        "use",
        "diff",
        "git",
    )
)
QUESTION_PREFIXES = (("", 40), ("hey, ", 2), ("quick question: ", 2), ("so ", 1), ("hmm, ", 1), ("ok ", 1))


def weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([text for text, _ in options], weights=[weight for _, weight in options])[0]


def expand(template: str, rng: random.Random) -> str:
    """Resolve every `[a|b]` group (innermost first) by a seeded choice."""
    while True:
        match = _ALTERNATIVES.search(template)
        if not match:
            return re.sub(r"  +", " ", template).strip()
        choice = rng.choice(match.group(1).split("|"))
        template = template[: match.start()] + choice + template[match.end() :]


def _typo(word: str, rng: random.Random) -> str:
    index = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:  # swap two neighbours
        return word[: index - 1] + word[index] + word[index - 1] + word[index + 1 :]
    if kind == 1:  # drop one letter
        return word[:index] + word[index + 1 :]
    return word[:index] + word[index] + word[index:]  # double one letter


def _add_typo(text: str, rng: random.Random) -> str:
    """Misspell one plain lowercase word of four or more letters (never a slot value)."""
    parts = re.split(r"(\s+)", text)
    candidates = [i for i, part in enumerate(parts) if re.fullmatch(r"[a-z]{4,}", part)]
    if not candidates:
        return text
    index = rng.choice(candidates)
    parts[index] = _typo(parts[index], rng)
    return "".join(parts)


def _protect(text: str, values: dict[str, str]) -> tuple[str, dict[str, str]]:
    """Replace slots with placeholders that casing and typos leave alone."""
    placeholders: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        key = f"\x00{len(placeholders)}\x00"
        placeholders[key] = str(values[match.group(1)])
        return key

    return _SLOT.sub(swap, text), placeholders


def phrase(
    template: str,
    rng: random.Random,
    *,
    question: bool | None = None,
    typo_rate: float = 0.12,
    suffixes: tuple[str, ...] = (),
    suffix_rate: float = 0.0,
    **values: object,
) -> str:
    """A user prompt from a template: alternatives, prefix, casing, ending and an occasional typo.

    `question` says whether the template reads as a question; `None` guesses from its first word.
    """
    text = expand(template, rng)
    str_values = {key: str(value) for key, value in values.items()}
    text, placeholders = _protect(text, str_values)
    first = text.split(" ", 1)[0].lower().rstrip(",:")
    if question is None:
        form = (
            "question"
            if first in QUESTION_WORDS
            else "imperative"
            if first in IMPERATIVE_VERBS
            else "fragment"
        )
    else:
        form = "question" if question else "imperative"
    if form == "imperative":
        prefix = weighted(rng, IMPERATIVE_PREFIXES)
        if prefix.strip() in {"can you", "could you", "would you"}:
            ending = rng.choices(["?", "", " please?"], weights=[70, 25, 5])[0]
        else:
            ending = rng.choices(
                ["", ".", "!", " please", " thanks", " for me"], weights=[45, 30, 4, 8, 6, 7]
            )[0]
    else:
        prefix = weighted(rng, QUESTION_PREFIXES)
        ending = rng.choices(["?", "", "??", " ?"], weights=[70, 24, 3, 3])[0]
        if form == "fragment" and not text.rstrip().endswith(("is", "it", "what", "which", "better", "one")):
            ending = rng.choices(["?", "", "."], weights=[45, 45, 10])[0]
    if suffixes and rng.random() < suffix_rate:
        text = text.rstrip() + rng.choice(suffixes)
        ending = rng.choice(["", ".", "?"]) if form != "imperative" else rng.choice(["", "."])
    text = prefix + text
    if rng.random() < typo_rate:
        text = _add_typo(text, rng)
    casing = rng.random()
    if casing < 0.62:
        text = text[:1].upper() + text[1:]
    elif casing < 0.66 and not placeholders:
        text = text.upper() if len(text) < 40 else text
    text = text.rstrip() + ending
    for key, value in placeholders.items():
        text = text.replace(key, value)
    return text


TOOL_SUFFIXES = (
    " and tell me what it says",
    " and summarize",
    " in this project",
    " in the repo",
    " in our codebase",
    ", I want to see the result",
    " - keep it short",
    " and give me the gist",
    " for this workspace",
    " and report back",
    " real quick",
    " when you get a chance",
)
DIRECT_SUFFIXES = (
    " in one sentence",
    " briefly",
    " - short answer please",
    ", in general",
    " (no need to look at my code)",
    " in simple terms",
    " for a beginner",
    ", just the gist",
)


def listing(items: list[str] | tuple[str, ...]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def choose(rng: random.Random, templates: list[str] | tuple[str, ...]) -> str:
    return rng.choice(list(templates))
