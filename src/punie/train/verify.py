"""Numeric check of an export: the same tokens through torch and through llama.cpp, logits compared.

The adapter's effect (adapted minus base logits) must agree between torch and llama.cpp; a wrong q/k row
order or a wrong scale shows up as a low correlation, not as a subtle difference.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from punie.train.model import SplitRunner


@dataclass
class ExportCheck:
    tokens: int
    delta_correlation: float  # corr(torch adapted - base, llama.cpp adapted - base) over all logits
    argmax_agreement: float  # share of positions where both pick the same next token
    max_abs_diff: float  # adapted logits, torch vs llama.cpp
    delta_scale: float  # mean |delta| in torch, for context

    amplification: float = 1.0  # LoRA B scaled by this for the check (see `amplified`)

    @property
    def passed(self) -> bool:
        return self.delta_correlation >= MIN_CORRELATION

    def describe(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        probe = f" at {self.amplification:.0f}x amplification" if self.amplification != 1.0 else ""
        return (
            f"{verdict}{probe}: {self.tokens} tokens, delta correlation {self.delta_correlation:.4f}, "
            f"argmax agreement {self.argmax_agreement:.1%}, max |diff| {self.max_abs_diff:.3f} "
            f"(mean |delta| {self.delta_scale:.3f})"
        )


MIN_CORRELATION = 0.75  # measured: a correct export gives >= 0.9, a wrong q/k row order about 0
TARGET_DELTA = 1.5  # mean |logit change| the probe aims for, well above llama.cpp's Q4_1 rounding noise


@contextmanager
def amplified(runner: SplitRunner, factor: float) -> Iterator[None]:
    """Temporarily multiply every LoRA B by `factor`.

    Export is linear in B, so checking an amplified adapter checks the same code path with a logit change
    large enough to stand out from quantization noise (a lightly trained adapter changes logits by
    less than llama.cpp's own rounding).
    """
    saved = {site: layer.lora_b.detach().clone() for site, layer in runner.sites.items()}
    try:
        with torch.no_grad():
            for layer in runner.sites.values():
                layer.lora_b.mul_(factor)
        yield
    finally:
        with torch.no_grad():
            for site, layer in runner.sites.items():
                layer.lora_b.copy_(saved[site])


def probe_factor(runner: SplitRunner, ids: list[int]) -> float:
    """How much to amplify the adapter so its mean logit change is about TARGET_DELTA."""
    change = float(
        np.abs(torch_logits(runner, ids, adapted=True) - torch_logits(runner, ids, adapted=False)).mean()
    )
    if change == 0.0:
        raise ValueError("the adapter does not change the model at all (LoRA B is zero); nothing to check")
    return float(min(max(TARGET_DELTA / change, 1.0), 1e4))


@torch.no_grad()
def torch_logits(runner: SplitRunner, ids: list[int], adapted: bool) -> np.ndarray:
    runner.model.eval()
    saved = {site: layer.scale for site, layer in runner.sites.items()}
    try:
        if not adapted:
            for layer in runner.sites.values():
                layer.scale = 0.0
        return runner.full_logits(torch.tensor([ids]))[0].float().numpy()
    finally:
        for site, layer in runner.sites.items():
            layer.scale = saved[site]


def llama_logits(model: str | Path, ids: list[int], lora: str | Path | None = None) -> np.ndarray:
    from llama_cpp import Llama

    llama = Llama(
        str(model),
        lora_path=str(lora) if lora else None,
        n_ctx=max(512, len(ids) + 8),
        logits_all=True,
        verbose=False,
    )
    try:
        llama.eval(ids)
        return np.array(llama.scores[: len(ids)], dtype=np.float32)
    finally:
        llama.close()


def compare(
    torch_base: np.ndarray, torch_adapted: np.ndarray, llama_base: np.ndarray, llama_adapted: np.ndarray
) -> ExportCheck:
    delta_torch = (torch_adapted - torch_base).ravel()
    delta_llama = (llama_adapted - llama_base).ravel()
    correlation = float(np.corrcoef(delta_torch, delta_llama)[0, 1])
    agreement = float(np.mean(torch_adapted.argmax(-1) == llama_adapted.argmax(-1)))
    return ExportCheck(
        tokens=torch_base.shape[0],
        delta_correlation=correlation,
        argmax_agreement=agreement,
        max_abs_diff=float(np.abs(torch_adapted - llama_adapted).max()),
        delta_scale=float(np.abs(delta_torch).mean()),
    )


def check_adapter(runner: SplitRunner, base_gguf: Path, adapter_gguf: Path, ids: list[int]) -> ExportCheck:
    """Adapter GGUF loaded by llama.cpp on the base GGUF vs the torch model with the same adapter."""
    return compare(
        torch_logits(runner, ids, adapted=False),
        torch_logits(runner, ids, adapted=True),
        llama_logits(base_gguf, ids),
        llama_logits(base_gguf, ids, lora=adapter_gguf),
    )


def check_fused(runner: SplitRunner, base_gguf: Path, fused_gguf: Path, ids: list[int]) -> ExportCheck:
    """A fused GGUF in llama.cpp vs the torch model with the adapter."""
    return compare(
        torch_logits(runner, ids, adapted=False),
        torch_logits(runner, ids, adapted=True),
        llama_logits(base_gguf, ids),
        llama_logits(fused_gguf, ids),
    )
