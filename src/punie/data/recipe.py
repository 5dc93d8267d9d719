"""`DatasetRecipe`: the settings of `punie data generate` + `punie data split`, and the splits they make.

One definition for the training pipeline (`[data.generate]` in a recipe TOML) and the `held-out` eval suite.
"""

from __future__ import annotations

from dataclasses import dataclass

from punie.data.options import GeneratorOptions, check_shares
from punie.data.records import Example


@dataclass(frozen=True, kw_only=True)
class DatasetRecipe(GeneratorOptions):
    """Generate `n` examples (seeded) with the generator options, then split them stratified (0.8/0.1/0.1
    by default)."""

    n: int = 2000
    seed: int = 0
    tool_ratio: float = 0.7
    other_tools: float = 0.0  # share from the other-tool-sets family (non-workspace tools); 0 = off
    ratios: tuple[float, float, float] = (0.8, 0.1, 0.1)
    split_seed: int = 0

    def __post_init__(self) -> None:
        super().__post_init__()
        check_shares(tool_ratio=self.tool_ratio, other_tools=self.other_tools)

    def splits(self) -> dict[str, list[Example]]:
        """{"train": [...], "valid": [...], "test": [...]}; the same recipe always gives the same lists."""
        from punie.data.generator import generate_examples
        from punie.data.split import SPLIT_NAMES, split_examples

        examples = generate_examples(
            self.n,
            seed=self.seed,
            tool_ratio=self.tool_ratio,
            other_tools=self.other_tools,
            options=self,
        )
        split = split_examples(examples, tuple(self.ratios), seed=self.split_seed)
        return {name: [examples[i] for i in split.splits[name]] for name in SPLIT_NAMES}
