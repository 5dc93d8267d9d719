"""The built-in `held-out` suite: the test split of the dataset the shipped adapter was trained on.

Same generator settings and split as `punie data generate --n 2500 --seed 0 --tool-ratio 0.7` (feature
questions on, the default) followed by `punie data split` (0.8/0.1/0.1, seed 0), as in
configs/embedded_adapter.toml, so the shipped adapter is evaluated on examples it never saw. For another
dataset, pass its test split: `--suite held-out:PATH`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

GENERATE_N = 2500
GENERATE_SEED = 0
TOOL_RATIO = 0.7
OTHER_TOOLS = 0.0  # share of examples offering non-workspace tool sets (`--other-tools`)
FEATURE_QUESTIONS = True  # "find the X uses" vs "how do I use X" (`--feature-questions`)
SPLIT_RATIOS = (0.8, 0.1, 0.1)
SPLIT_SEED = 0


def generated_test_split(directory: Path | None = None) -> Path:
    """Generate the default dataset, split it, and write the test split to a JSONL file; returns its path."""
    from punie.data.generator import generate_examples
    from punie.data.io import write_examples
    from punie.data.split import split_examples

    examples = generate_examples(
        GENERATE_N,
        seed=GENERATE_SEED,
        tool_ratio=TOOL_RATIO,
        other_tools=OTHER_TOOLS,
        feature_questions=FEATURE_QUESTIONS,
    )
    split = split_examples(examples, SPLIT_RATIOS, seed=SPLIT_SEED)
    target = Path(directory or tempfile.mkdtemp(prefix="punie-held-out-")) / "test.jsonl"
    write_examples(target, [examples[index] for index in split.splits["test"]])
    return target
