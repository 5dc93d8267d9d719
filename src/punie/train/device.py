"""Where training runs: "auto" picks a CUDA GPU, then Apple's MPS, then the CPU."""

from __future__ import annotations

from typing import Any

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")


def resolve_device(name: str) -> Any:
    """The torch device for a config's `train.device` ("auto", "cpu", "cuda", "cuda:N" or "mps").

    Asking for an accelerator that torch cannot use is an error that says why, not a silent CPU run.
    """
    import torch

    cuda = torch.cuda.is_available()
    mps = hasattr(torch.backends, "mps") and torch.backends.mps.is_available()
    if name == "auto":
        return torch.device("cuda" if cuda else "mps" if mps else "cpu")
    device = torch.device(name)
    if device.type == "cuda" and not cuda:
        raise RuntimeError(
            f"train.device is {name!r} but torch {torch.__version__} sees no CUDA GPU "
            '(a CPU-only torch build, or no driver); use device = "auto" or "cpu"'
        )
    if device.type == "cuda" and device.index is not None and device.index >= torch.cuda.device_count():
        visible = torch.cuda.device_count()
        raise RuntimeError(f"train.device is {name!r} but only {visible} GPU(s) are visible")
    if device.type == "mps" and not mps:
        raise RuntimeError(f"train.device is {name!r} but MPS is not available on this machine")
    return device


def autocast_device_type(device: Any) -> str:
    """torch.autocast's device_type for `device` (MPS autocast is not used: bf16 there is fp32)."""
    return "cuda" if device.type == "cuda" else "cpu"
