"""Train/valid/test splits stratified by kind and first tool, with near-duplicate prompts kept together.

Prompts are normalised (case, punctuation, whitespace). Two prompts are near-duplicates when their
normalised texts are equal or their word sets have Jaccard similarity >= `threshold` (0.9). Groups of
near-duplicates are connected components; after a stratified split, every group that straddles splits is
moved, whole, into the split holding most of it, and each move is reported.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from punie.data.records import Example

SPLIT_NAMES = ("train", "valid", "test")
_NON_WORD = re.compile(r"[^\w\s]+")


def normalise(text: str) -> str:
    """Lowercase, punctuation removed, whitespace collapsed."""
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def stratum(example: Example) -> str:
    """`tool:<first tool>` or `direct`."""
    return f"tool:{example.first_tool}" if example.kind == "tool" else "direct"


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def near_duplicate_groups(prompts: list[str], threshold: float = 0.9) -> list[int]:
    """A group id per prompt: equal normalised text, or word-set Jaccard >= threshold, share a group.

    Candidate pairs come from prefix filtering (rare words first), which finds every pair above the
    threshold without comparing all pairs.
    """
    texts = [normalise(p) for p in prompts]
    words = [set(t.split()) for t in texts]
    groups = _UnionFind(len(prompts))
    first_with_text: dict[str, int] = {}
    for index, text in enumerate(texts):
        if text in first_with_text:
            groups.union(first_with_text[text], index)
        else:
            first_with_text[text] = index
    frequency = Counter(word for token_set in words for word in token_set)
    index_by_word: dict[str, list[int]] = defaultdict(list)
    for index, token_set in enumerate(words):
        ordered = sorted(token_set, key=lambda w: (frequency[w], w))
        prefix = len(ordered) - math.ceil(threshold * len(ordered)) + 1
        candidates: set[int] = set()
        for word in ordered[:prefix]:
            candidates.update(index_by_word[word])
            index_by_word[word].append(index)
        for other in candidates:
            if jaccard(token_set, words[other]) >= threshold:
                groups.union(other, index)
    return [groups.find(i) for i in range(len(prompts))]


@dataclass(frozen=True)
class Move:
    index: int  # position in the input
    prompt: str
    from_split: str
    to_split: str
    group_size: int


@dataclass
class SplitResult:
    splits: dict[str, list[int]]  # split name -> input positions
    moves: list[Move] = field(default_factory=list)
    groups: int = 0  # near-duplicate groups with more than one member
    grouped_examples: int = 0


def parse_ratios(text: str) -> tuple[float, float, float]:
    parts = [float(p) for p in text.split(",")]
    if len(parts) != 3 or any(p < 0 for p in parts) or abs(sum(parts) - 1.0) > 1e-6:
        raise ValueError(f"ratios must be three non-negative numbers summing to 1, got {text!r}")
    return parts[0], parts[1], parts[2]


def _allocate(count: int, ratios: tuple[float, float, float]) -> list[int]:
    """Split `count` by ratios with the largest-remainder method."""
    exact = [count * r for r in ratios]
    sizes = [math.floor(x) for x in exact]
    order = sorted(range(3), key=lambda i: (exact[i] - sizes[i], -i), reverse=True)
    for i in order[: count - sum(sizes)]:
        sizes[i] += 1
    return sizes


def split_examples(
    examples: list[Example],
    ratios: tuple[float, float, float] = (0.8, 0.1, 0.1),
    *,
    seed: int = 0,
    threshold: float = 0.9,
) -> SplitResult:
    """Stratified split by (kind, first tool), then whole near-duplicate groups moved to one split."""
    rng = random.Random(f"punie-split:{seed}")
    by_stratum: dict[str, list[int]] = defaultdict(list)
    for index, example in enumerate(examples):
        by_stratum[stratum(example)].append(index)
    assigned: list[str] = [""] * len(examples)
    for key in sorted(by_stratum):
        members = by_stratum[key]
        rng.shuffle(members)
        start = 0
        for name, size in zip(SPLIT_NAMES, _allocate(len(members), ratios), strict=True):
            for index in members[start : start + size]:
                assigned[index] = name
            start += size

    group_of = near_duplicate_groups([e.user_prompt for e in examples], threshold)
    members_of: dict[int, list[int]] = defaultdict(list)
    for index, group in enumerate(group_of):
        members_of[group].append(index)
    result = SplitResult(splits={})
    for members in members_of.values():
        if len(members) < 2:
            continue
        result.groups += 1
        result.grouped_examples += len(members)
        counts = Counter(assigned[i] for i in members)
        if len(counts) == 1:
            continue
        # the split holding most of the group wins; ties go to the earlier split (train before valid/test)
        target = max(SPLIT_NAMES, key=lambda name: (counts[name], -SPLIT_NAMES.index(name)))
        for index in members:
            if assigned[index] != target:
                result.moves.append(
                    Move(index, examples[index].user_prompt, assigned[index], target, len(members))
                )
                assigned[index] = target
    result.splits = {name: [i for i, split in enumerate(assigned) if split == name] for name in SPLIT_NAMES}
    return result


def cross_split_duplicates(
    splits: dict[str, list[Example]], threshold: float = 0.9
) -> list[tuple[str, int, str, int]]:
    """Pairs of near-duplicate prompts in different splits, as (split, position, split, position)."""
    flat = [(name, position, example) for name in splits for position, example in enumerate(splits[name])]
    groups = near_duplicate_groups([example.user_prompt for _, _, example in flat], threshold)
    first_seen: dict[int, tuple[str, int]] = {}
    leaks: list[tuple[str, int, str, int]] = []
    for (name, position, _), group in zip(flat, groups, strict=True):
        if group not in first_seen:
            first_seen[group] = (name, position)
        elif first_seen[group][0] != name:
            leaks.append((*first_seen[group], name, position))
    return leaks


@dataclass
class Overlap:
    """How much of an evaluation set a training set already holds."""

    identical: list[int]  # positions in the evaluation set whose whole conversation is in the training set
    near_prompt: list[int]  # positions whose prompt has a near-duplicate among the training prompts
    clean: list[int]  # positions with neither


def overlap(train: list[Example], held_out: list[Example], threshold: float = 0.9) -> Overlap:
    """Which held-out examples a model trained on `train` has in effect seen (e.g. after the generator
    changed, an old adapter meets the new test split)."""
    conversations = {example_key(example) for example in train}
    identical = [i for i, example in enumerate(held_out) if example_key(example) in conversations]
    leaks = cross_split_duplicates({"train": train, "held_out": held_out}, threshold)
    near = sorted(
        {position for first, _, second, position in leaks if first == "train" and second == "held_out"}
    )
    seen = set(identical) | set(near)
    return Overlap(identical, near, [i for i in range(len(held_out)) if i not in seen])


def example_key(example: Example) -> str:
    """The whole conversation as canonical JSON (two examples with the same key are the same example)."""
    return json.dumps(example.messages, sort_keys=True)
