"""train.device: "auto" picks an accelerator torch can use, and asking for a missing one is a clear error."""

from __future__ import annotations

import pytest
import torch

from punie.train.device import autocast_device_type, resolve_device
from punie.train.trainer import autocast


def test_auto_uses_a_gpu_only_when_torch_sees_one() -> None:
    device = resolve_device("auto")
    assert device.type == "cuda" if torch.cuda.is_available() else device.type in ("cpu", "mps")
    assert resolve_device("cpu") == torch.device("cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA GPU")
def test_asking_for_cuda_without_a_gpu_says_why() -> None:
    with pytest.raises(RuntimeError, match=r"sees no CUDA GPU.*auto"):
        resolve_device("cuda")
    with pytest.raises(RuntimeError, match="sees no CUDA GPU"):
        resolve_device("cuda:1")


def test_autocast_follows_the_device_and_precision() -> None:
    assert autocast_device_type(torch.device("cpu")) == "cpu"
    assert autocast_device_type(torch.device("cuda", 0)) == "cuda"
    with autocast("bf16", torch.device("cpu")):
        product = torch.ones(2, 2) @ torch.ones(2, 2)
    assert product.dtype == torch.bfloat16
    with autocast("fp32", torch.device("cpu")):
        assert (torch.ones(2, 2) @ torch.ones(2, 2)).dtype == torch.float32
