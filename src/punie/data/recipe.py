"""`DatasetRecipe`: the settings of `punie data generate` + `punie data split`, and the splits they make.

One definition for the training pipeline (`[data.generate]` in a recipe TOML) and the `held-out` eval suite.
"""

from __future__ import annotations

from dataclasses import dataclass

from punie.data.records import Example


@dataclass(frozen=True)
class DatasetRecipe:
    """Generate `n` examples (seeded), then split them stratified (0.8/0.1/0.1 by default)."""

    n: int = 2000
    seed: int = 0
    tool_ratio: float = 0.7
    other_tools: float = 0.0  # share from the other-tool-sets family (non-workspace tools); 0 = off
    feature_questions: bool = True  # "find the X uses" (search) vs "how do I use X" (direct) examples
    compound_features: bool = False  # with them: twenty more features, most with compound names
    feature_search_weight: float = 5  # weight of "find the X uses" among the tool scenarios
    feature_howto_share: float = 0.12  # share of direct examples asking "how do I use X"
    shell_tools: float = 0.0  # share of examples offered only run_command + read_file (searches via grep)
    ratios: tuple[float, float, float] = (0.8, 0.1, 0.1)
    split_seed: int = 0

    def splits(self) -> dict[str, list[Example]]:
        """{"train": [...], "valid": [...], "test": [...]}; the same recipe always gives the same lists."""
        from punie.data.generator import generate_examples
        from punie.data.split import SPLIT_NAMES, split_examples

        examples = generate_examples(
            self.n,
            seed=self.seed,
            tool_ratio=self.tool_ratio,
            other_tools=self.other_tools,
            feature_questions=self.feature_questions,
            compound_features=self.compound_features,
            feature_search_weight=self.feature_search_weight,
            feature_howto_share=self.feature_howto_share,
            shell_tools=self.shell_tools,
        )
        split = split_examples(examples, tuple(self.ratios), seed=self.split_seed)
        return {name: [examples[i] for i in split.splits[name]] for name in SPLIT_NAMES}
