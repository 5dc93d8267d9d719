"""punie.data: datasets of tool-calling conversations, with calls held as data.

- `records`: `Example(messages, tools, meta)`; assistant `tool_calls` carry `arguments` as dicts.
- `io`: `iter_examples` / `read_examples` / `write_examples` (JSONL; errors name file and line).
- `validate`: `validate_example`, `validate_file` (declared tools, schemas, turn order, results, flat meta).
- `generator`: `generate_examples(n, seed=0, tool_ratio=0.7)`, deterministic synthetic Python-dev data.
- `options`: `GeneratorOptions`, the generator's opt-in example kinds and shares (light: no generator import).
- `convert`: legacy text formats and mlx-lm ChatML -> records; records -> `{"text"}` / messages files.
- `split`: `split_examples` stratified by kind and first tool, near-duplicate prompts kept in one split.
- `recipe`: `DatasetRecipe`, generator options + counts + split settings, and their splits (training and
  `held-out` share it).
- `stats`: counts, tool histogram, token lengths under the embedded model's vocabulary (`tokens`).

Commands: `punie data generate|convert|validate|split|stats|render` (see `punie data --help`).
"""
