"""`GeneratorOptions`: the opt-in kinds of examples `punie data generate` mixes in, and how often.

Apart from the generator so that recipes, configs and the CLI can name them without loading it.
"""

from __future__ import annotations

from dataclasses import dataclass

SEARCH_WEIGHT = 5  # weight of "find the X uses" among the tool scenarios (see generator.scenarios)
HOWTO_SHARE = 0.12  # share of direct examples that ask "how do I use X"


def check_shares(**shares: float) -> None:
    """Raise ValueError naming the first share outside [0, 1]."""
    for name, value in shares.items():
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, got {value}")


@dataclass(frozen=True, kw_only=True)
class GeneratorOptions:
    """What the generator mixes in; the defaults give the shipped adapter's stream."""

    feature_questions: bool = True  # "find the X uses" (search) vs "how do I use X" (direct) examples
    compound_features: bool = False  # with them: twenty more features, most with compound names
    feature_search_weight: float = SEARCH_WEIGHT
    feature_howto_share: float = HOWTO_SHARE
    shell_tools: float = 0.0  # share offered only run_command + read_file (searches as grep, lists as find)

    def __post_init__(self) -> None:
        if self.feature_search_weight < 0:
            raise ValueError(f"feature_search_weight must be >= 0, got {self.feature_search_weight}")
        check_shares(feature_howto_share=self.feature_howto_share, shell_tools=self.shell_tools)
