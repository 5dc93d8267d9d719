"""The LoRA training loop: frozen lower blocks computed once, shared-prefix batches through the adapted
upper blocks, loss on assistant tokens only, validation at intervals, checkpoints and resume.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from torch.nn import functional

from punie.train.config import TrainConfig
from punie.train.dataset import BatchRef, PrefixGroup, batch_stream, epoch_batches
from punie.train.device import autocast_device_type
from punie.train.lora import load_lora_state, lora_parameters, lora_state
from punie.train.model import PrefixKV, SplitRunner

CHECKPOINT = "checkpoint.pt"
ADAPTER = "adapter.pt"


@dataclass
class CachedGroup:
    """A prefix group with the frozen blocks' output for its prefix and for every example's suffix."""

    group: PrefixGroup
    prefix_hidden: torch.Tensor  # (1, prefix_len, dim)
    suffix_hidden: list[torch.Tensor]  # each (suffix_len, dim)


@dataclass
class TrainSummary:
    steps: int
    seconds: float
    sequence_tokens: int  # tokens of the examples trained on (prefix counted per example)
    computed_tokens: int  # tokens actually run through the adapted blocks (shared prefix once per batch)
    tokens_per_second: float  # sequence tokens per second of training steps
    train_loss: float
    valid_loss: float
    first_valid_loss: float
    resumed_from: int


class RunLog:
    """Appends timestamped lines to the run's log file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    def __call__(self, message: str) -> None:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(f"{stamp} {message}\n")


def autocast(precision: str, device: Any = None) -> Any:
    """bfloat16 autocast (matmuls in bf16, reductions in fp32) on the runner's device, or nothing for fp32."""
    kind = autocast_device_type(torch.device(device or "cpu"))
    return torch.autocast(kind, dtype=torch.bfloat16, enabled=precision == "bf16")


@torch.no_grad()
def precompute(
    runner: SplitRunner, groups: Sequence[PrefixGroup], precision: str = "fp32", advance=lambda n: None
) -> list[CachedGroup]:
    """Run the frozen lower blocks once over every prefix and suffix (they never change during training)."""
    with autocast(precision, runner.device):
        return _precompute(runner, groups, advance)


def _precompute(runner: SplitRunner, groups: Sequence[PrefixGroup], advance) -> list[CachedGroup]:
    cached = []
    for group in groups:
        kv = PrefixKV()
        prefix_ids = torch.tensor([group.prefix], dtype=torch.long, device=runner.device)
        prefix_hidden = runner.run(runner.embed(prefix_ids), 0, runner.lower, kv)
        kv.replay = True
        hidden: list[torch.Tensor | None] = [None] * len(group.suffixes)
        order = sorted(range(len(group.suffixes)), key=lambda i: len(group.suffixes[i].ids))
        for start in range(0, len(order), 8):
            members = order[start : start + 8]
            width = max(len(group.suffixes[i].ids) for i in members)
            ids = torch.zeros(len(members), width, dtype=torch.long, device=runner.device)
            for row, index in enumerate(members):
                suffix = group.suffixes[index].ids
                ids[row, : len(suffix)] = torch.tensor(suffix)
            out = runner.run(
                runner.embed(ids), len(group.prefix), runner.lower, kv, prefix_len=len(group.prefix)
            )
            for row, index in enumerate(members):
                hidden[index] = out[row, : len(group.suffixes[index].ids)].float().clone()
            advance(len(members))
        cached.append(CachedGroup(group, prefix_hidden.float(), [h for h in hidden if h is not None]))
    return cached


def batch_loss(
    runner: SplitRunner, cached: CachedGroup, members: Sequence[int], precision: str = "fp32"
) -> tuple[torch.Tensor, int, int]:
    """Mean cross-entropy over the loss tokens of a batch; returns (loss, loss tokens, computed tokens)."""
    with autocast(precision, runner.device):
        return _batch_loss(runner, cached, members)


def _batch_loss(
    runner: SplitRunner, cached: CachedGroup, members: Sequence[int]
) -> tuple[torch.Tensor, int, int]:
    prefix_len = cached.prefix_hidden.shape[1]
    kv = PrefixKV()
    runner.run(cached.prefix_hidden, 0, runner.upper, kv)
    kv.replay = True
    width = max(cached.suffix_hidden[i].shape[0] for i in members)
    dim = cached.prefix_hidden.shape[2]
    hidden = torch.zeros(len(members), width, dim, device=runner.device)
    rows, cols, targets = [], [], []
    for row, index in enumerate(members):
        suffix = cached.group.suffixes[index]
        hidden[row, : len(suffix.ids)] = cached.suffix_hidden[index]
        for position in range(1, len(suffix.ids)):
            if suffix.loss[position]:
                rows.append(row)
                cols.append(position - 1)
                targets.append(suffix.ids[position])
    out = runner.run(hidden, prefix_len, runner.upper, kv, prefix_len=prefix_len)
    at = {"device": runner.device}
    logits = runner.logits(out[torch.tensor(rows, **at), torch.tensor(cols, **at)])
    loss = functional.cross_entropy(logits.float(), torch.tensor(targets, **at))
    return loss, len(targets), prefix_len + len(members) * width


def learning_rate(step: int, config: TrainConfig) -> float:
    """Linear warm-up, then cosine decay to a tenth of the peak."""
    peak, warmup, total = config.train.learning_rate, config.train.warmup, config.train.iterations
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0))))


@torch.no_grad()
def validation_loss(runner: SplitRunner, groups: list[CachedGroup], config: TrainConfig) -> float:
    """Token-weighted loss over the first `eval_batches` validation batches (same batches every time)."""
    if not groups:
        return float("nan")
    runner.model.eval()
    plain = [g.group for g in groups]
    batches = epoch_batches(plain, config.train.batch_size, config.train.seed, 0)
    if config.train.eval_batches:
        batches = batches[: config.train.eval_batches]
    total, count = 0.0, 0
    for batch in batches:
        loss, tokens, _ = batch_loss(runner, groups[batch.group], batch.members, config.train.precision)
        total += float(loss) * tokens
        count += tokens
    return total / max(count, 1)


def save_checkpoint(
    path: Path, runner: SplitRunner, optimizer: Any, step: int, extra: dict[str, Any]
) -> None:
    """Atomically write adapter weights, optimizer state and progress."""
    state = {
        "lora": lora_state(runner.sites),
        "optimizer": optimizer.state_dict(),
        "step": step,
        "torch_rng": torch.get_rng_state(),
        "python_rng": random.getstate(),
        **extra,
    }
    temporary = path.with_suffix(".tmp")
    torch.save(state, temporary)
    temporary.replace(path)


def _sequence_tokens(cached: CachedGroup, batch: BatchRef) -> int:
    prefix = cached.prefix_hidden.shape[1]
    return sum(prefix + len(cached.group.suffixes[i].ids) for i in batch.members)


def train_loop(
    runner: SplitRunner,
    train_groups: list[CachedGroup],
    valid_groups: list[CachedGroup],
    config: TrainConfig,
    log: RunLog,
    progress: Any,
    resume: bool = True,
) -> TrainSummary:
    """Train for `config.train.iterations` steps; resumes from `output_dir/checkpoint.pt` when present."""
    out = Path(config.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    checkpoint = out / CHECKPOINT
    parameters = list(lora_parameters(runner.sites))
    optimizer = torch.optim.AdamW(
        parameters, lr=config.train.learning_rate, weight_decay=config.train.weight_decay
    )
    start, first_valid = 0, float("nan")
    totals: dict[str, float] = {}
    signature = json.dumps(asdict(config.lora), default=str)
    if resume and checkpoint.is_file():
        state = torch.load(checkpoint, weights_only=False, map_location=runner.device)
        if state.get("lora_config") != signature:
            raise ValueError(
                f"{checkpoint} was made with another LoRA config; delete it or use another output_dir"
            )
        load_lora_state(runner.sites, state["lora"])
        optimizer.load_state_dict(state["optimizer"])
        torch.set_rng_state(state["torch_rng"])
        random.setstate(state["python_rng"])
        start = int(state["step"])
        first_valid = float(state.get("first_valid_loss", float("nan")))
        totals = dict(state.get("totals", {}))
        log(f"resumed from {checkpoint} at step {start}")
    plain = [g.group for g in train_groups]
    stream = batch_stream(plain, config.train.batch_size, config.train.seed, start)
    if start == 0:
        first_valid = validation_loss(runner, valid_groups, config)
        log(f"step 0 valid_loss {first_valid:.4f}")
    progress.start(config.train.iterations, start, first_valid)
    # totals continue across resumes, so a resumed run reports the time and tokens of the whole run
    train_seconds = float(totals.get("seconds", 0.0))
    sequence_tokens = int(totals.get("sequence_tokens", 0))
    computed_tokens = int(totals.get("computed_tokens", 0))
    smoothed = float(totals.get("train_loss", float("nan")))
    valid = float(totals.get("valid_loss", first_valid))
    for step in range(start, config.train.iterations):
        batch = next(stream)
        cached = train_groups[batch.group]
        began = time.perf_counter()
        runner.model.train()
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, config)
        loss, _, computed = batch_loss(runner, cached, batch.members, config.train.precision)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        elapsed = time.perf_counter() - began
        train_seconds += elapsed
        tokens = _sequence_tokens(cached, batch)
        sequence_tokens += tokens
        computed_tokens += computed
        value = float(loss.detach())
        smoothed = value if math.isnan(smoothed) else 0.9 * smoothed + 0.1 * value
        rate = sequence_tokens / train_seconds
        rate_now = tokens / elapsed
        log(f"step {step + 1} loss {value:.4f} lr {learning_rate(step, config):.2e} tok/s {rate_now:.0f}")
        done = step + 1
        if done % config.train.eval_interval == 0 or done == config.train.iterations:
            valid = validation_loss(runner, valid_groups, config)
            log(f"step {done} valid_loss {valid:.4f} train_loss {smoothed:.4f}")
            totals = {
                "seconds": train_seconds,
                "sequence_tokens": sequence_tokens,
                "computed_tokens": computed_tokens,
                "train_loss": smoothed,
                "valid_loss": valid,
            }
            extra = {"lora_config": signature, "first_valid_loss": first_valid, "totals": totals}
            save_checkpoint(checkpoint, runner, optimizer, done, extra)
        progress.update(done, smoothed, valid, rate)
    progress.stop()
    torch.save(lora_state(runner.sites), out / ADAPTER)
    summary = TrainSummary(
        steps=config.train.iterations,
        seconds=round(train_seconds, 1),
        sequence_tokens=sequence_tokens,
        computed_tokens=computed_tokens,
        tokens_per_second=round(sequence_tokens / train_seconds, 1) if train_seconds else 0.0,
        train_loss=round(smoothed, 4),
        valid_loss=round(valid, 4),
        first_valid_loss=round(first_valid, 4),
        resumed_from=start,
    )
    log(f"done {json.dumps(asdict(summary))}")
    return summary
