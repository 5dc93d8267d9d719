"""The whole recipe: data -> train -> export (adapter, fused f16, quantized) -> quality gate.

Each stage writes into the run's output directory, so `punie train export` and `punie train gate` can be
re-run on a finished (or interrupted and resumed) training run.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from punie.train.config import TrainConfig

SUMMARY = "summary.json"


def prepare_data(config: TrainConfig, log: Any) -> None:
    """Generate and split the dataset when the config asks for it and the split files are missing."""
    data = config.data
    paths = (data.train, data.valid, data.test)
    if all(p.is_file() for p in paths) or data.generate is None:
        missing = [str(p) for p in paths[:2] if not p.is_file()]
        if missing:
            raise FileNotFoundError(
                f"training data not found: {', '.join(missing)} (add [data.generate] to make it)"
            )
        return
    from punie.data.io import write_examples

    for (name, examples), path in zip(data.generate.splits().items(), paths, strict=True):
        written = write_examples(path, examples)
        log(f"data: wrote {written} {name} examples to {path}")


@dataclass
class TrainedRun:
    """What later stages need from training: the torch model with its adapter and the base GGUF."""

    runner: Any
    base: Any
    tokenizer: Any
    summary: dict[str, Any] = field(default_factory=dict)


def _threads(config: TrainConfig) -> int:
    from punie.engine import available_cores

    return config.train.threads or available_cores()


def build_runner(config: TrainConfig) -> TrainedRun:
    """Load the base and attach a freshly initialised (seeded) adapter."""
    import torch

    from punie.train.dataset import GGUFTokenizer, HFTokenizer
    from punie.train.device import resolve_device
    from punie.train.model import SplitRunner, load_base

    device = resolve_device(config.train.device)
    torch.set_num_threads(_threads(config))
    torch.manual_seed(config.train.seed)
    base = load_base(config.base)
    runner = SplitRunner(base.model, config.lora, device)
    tokenizer = GGUFTokenizer(base.gguf_path) if base.gguf_path else HFTokenizer(base.tokenizer)
    return TrainedRun(runner, base, tokenizer)


def run_training(
    config: TrainConfig, log: Any, *, resume: bool = True, show_progress: bool = True
) -> TrainedRun:
    """Prepare data, precompute the frozen blocks and train; returns the model with its trained adapter."""
    from punie.train.dataset import load_groups
    from punie.train.progress import TrainProgress
    from punie.train.trainer import precompute, train_loop

    prepare_data(config, log)
    run = build_runner(config)
    max_len, dialect = config.train.max_seq_len, config.data.dialect
    train_groups, train_stats = load_groups(config.data.train, run.tokenizer, dialect, max_len)
    valid_groups, valid_stats = load_groups(config.data.valid, run.tokenizer, dialect, max_len)
    log(f"data: train {asdict(train_stats)}; valid {asdict(valid_stats)}")
    log(
        f"model: {run.base.name}, {run.runner.n_layers} blocks, LoRA on blocks {run.runner.split}.."
        f"{run.runner.n_layers - 1} ({', '.join(config.lora.targets)}), rank {config.lora.rank}, "
        f"{sum(p.numel() for p in run.runner.model.parameters() if p.requires_grad)} trainable parameters, "
        f"{_threads(config)} threads, {config.train.precision}, on {run.runner.device}"
    )
    began = time.perf_counter()
    precision = config.train.precision
    cached_train = precompute(run.runner, train_groups, precision)
    cached_valid = precompute(run.runner, valid_groups, precision)
    precompute_seconds = time.perf_counter() - began
    log(
        f"precomputed frozen blocks for {train_stats.examples + valid_stats.examples} examples "
        f"in {precompute_seconds:.0f}s"
    )
    summary = train_loop(
        run.runner, cached_train, cached_valid, config, log, TrainProgress(show_progress), resume
    )
    run.summary = {
        "train": asdict(summary),
        "precompute_seconds": round(precompute_seconds, 1),
        "data": {"train": asdict(train_stats), "valid": asdict(valid_stats)},
    }
    return run


def load_trained(config: TrainConfig) -> TrainedRun:
    """Rebuild the model and load the finished adapter from `output_dir/adapter.pt`."""
    import torch

    from punie.train.lora import load_lora_state
    from punie.train.trainer import ADAPTER

    path = Path(config.output_dir) / ADAPTER
    if not path.is_file():
        raise FileNotFoundError(
            f"no trained adapter at {path}; run `punie train --config {config.source}` first"
        )
    run = build_runner(config)
    load_lora_state(run.runner.sites, torch.load(path, weights_only=True, map_location=run.runner.device))
    return run


@dataclass
class ExportResult:
    adapter: Path
    fused: Path | None
    quantized: dict[str, Path]
    checks: dict[str, str]
    passed: bool


def export_run(
    config: TrainConfig, run: TrainedRun, log: Any, *, check_ids: list[int] | None = None
) -> ExportResult:
    """Write the adapter GGUF (and fused/quantized models); the writers are checked numerically first."""
    from punie.train.export import (
        HeadLayout,
        base_architecture,
        quantize_gguf,
        write_adapter_gguf,
        write_fused_gguf,
    )

    out = Path(config.output_dir)
    run.runner.to("cpu")  # the writers and the llama.cpp comparisons work on CPU tensors
    layout = HeadLayout.of(run.base.model.config)
    gguf_base = run.base.gguf_path
    architecture = base_architecture(gguf_base)
    checks: dict[str, str] = {}
    passed = True
    if gguf_base is not None:
        checks = probe_exports(config, run, layout, check_ids or _check_ids(run), log)
        passed = all(text.startswith("PASS") for text in checks.values())
    adapter = write_adapter_gguf(out / "adapter.gguf", run.runner.sites, layout, architecture=architecture)
    log(f"export: adapter {adapter} ({adapter.stat().st_size / 1e6:.1f} MB)")
    fused, quantized = None, {}
    if config.export.fused:
        if gguf_base is None:
            raise ValueError("a fused GGUF needs a GGUF base model (its metadata and tokenizer are copied)")
        fused = write_fused_gguf(out / "fused-f16.gguf", gguf_base, run.runner.sites, layout)
        log(f"export: fused {fused} ({fused.stat().st_size / 1e6:.1f} MB)")
        for kind in config.export.quantize:
            target = quantize_gguf(fused, out / f"fused-{kind}.gguf", kind, _threads(config))
            quantized[kind] = target
            log(f"export: {kind} {target} ({target.stat().st_size / 1e6:.1f} MB)")
    return ExportResult(adapter, fused, quantized, checks, passed)


def ship_adapter(config: TrainConfig, adapter: Path, log: Any) -> Path | None:
    """Copy the checked (and gated) adapter GGUF to `export.adapter`, e.g. the package's models folder."""
    if config.export.adapter is None:
        return None
    target = config.export.adapter
    if target.resolve() == adapter.resolve():  # an experiment keeps its adapter where it was exported
        log(f"export: adapter kept at {target} ({adapter.stat().st_size / 1e6:.1f} MB)")
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(adapter, target)
    log(f"export: shipped adapter to {target} ({adapter.stat().st_size / 1e6:.1f} MB)")
    return target


def probe_exports(
    config: TrainConfig, run: TrainedRun, layout: Any, ids: list[int], log: Any
) -> dict[str, str]:
    """Check both GGUF writers: amplified adapter written, loaded in llama.cpp, logits compared with torch."""
    from punie.train.export import base_architecture, write_adapter_gguf, write_fused_gguf
    from punie.train.verify import amplified, check_adapter, check_fused, probe_factor

    out = Path(config.output_dir)
    base = run.base.gguf_path
    factor = probe_factor(run.runner, ids)
    checks = {}
    with amplified(run.runner, factor):
        probe = write_adapter_gguf(
            out / "probe-adapter.gguf", run.runner.sites, layout, architecture=base_architecture(base)
        )
        result = check_adapter(run.runner, base, probe, ids)
        result.amplification = factor
        checks["adapter"] = result.describe()
        log(f"check adapter export: {result.describe()}")
        probe.unlink()
        if config.export.fused:
            probe = write_fused_gguf(out / "probe-fused.gguf", base, run.runner.sites, layout)
            result = check_fused(run.runner, base, probe, ids)
            result.amplification = factor
            checks["fused"] = result.describe()
            log(f"check fused export: {result.describe()}")
            probe.unlink()
    return checks


def _check_ids(run: TrainedRun) -> list[int]:
    """Tokens of a typical request and a tool-call reply, for the numeric export check."""
    from punie.chat import SYSTEM_PROMPT, WORKSPACE_TOOLS, render_conversation

    messages = [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "Show me UserSerializer"},
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [
                {
                    "type": "function",
                    "function": {"name": "search", "arguments": {"pattern": "class UserSerializer"}},
                }
            ],
        },
    ]
    text = render_conversation(messages, WORKSPACE_TOOLS, add_generation_prompt=False)
    ids, _ = run.tokenizer.encode(text)
    return ids


def write_summary(config: TrainConfig, payload: dict[str, Any]) -> Path:
    path = Path(config.output_dir) / SUMMARY
    existing = json.loads(path.read_text()) if path.is_file() else {}
    existing.update(payload)
    path.write_text(json.dumps(existing, indent=2, default=str) + "\n")
    return path


def quiet_threads() -> None:
    """Idle OpenMP threads sleep instead of spinning (a shared CPU otherwise slows training several-fold)."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    os.environ["HF_HUB_OFFLINE"] = "1"
