"""The built-in `held-out` suite: the test split of the dataset the shipped adapter was trained on.

Same generator settings and split as configs/embedded_adapter.toml (`punie data generate --n 3600 --seed 0
--tool-ratio 0.7 --feature-questions --compound-features --feature-search-weight 10 --feature-howto-share
0.2 --shell-tools 0.25`, then `punie data split`, 0.8/0.1/0.1, seed 0), so the shipped adapter is evaluated
on examples it never saw. For another dataset, pass its test split: `--suite held-out:PATH`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from punie.data.recipe import DatasetRecipe

RECIPE = DatasetRecipe(
    n=3600,
    seed=0,
    tool_ratio=0.7,
    feature_questions=True,
    compound_features=True,
    feature_search_weight=10,
    feature_howto_share=0.2,
    shell_tools=0.25,
    ratios=(0.8, 0.1, 0.1),
)


def generated_test_split(directory: Path | None = None) -> Path:
    """Generate the default dataset, split it, and write the test split to a JSONL file; returns its path."""
    from punie.data.io import write_examples

    target = Path(directory or tempfile.mkdtemp(prefix="punie-held-out-")) / "test.jsonl"
    write_examples(target, RECIPE.splits()["test"])
    return target
