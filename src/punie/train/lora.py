"""LoRA layers for a frozen causal LM: `W x + (alpha / r) * B A x`, attached to the last N blocks.

Small and explicit on purpose: the same tensors are checkpointed, exported as a llama.cpp LoRA GGUF and
merged into a fused model, so nothing hides behind a library's naming scheme.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import torch
from torch import nn

from punie.train.config import ATTENTION_TARGETS, LoraConfig


class LoraLinear(nn.Module):
    """A frozen linear layer plus a trainable low-rank update."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float, dropout: float) -> None:
        super().__init__()
        self.base = base
        self.rank = rank
        self.alpha = alpha
        self.scale = alpha / rank
        self.lora_a = nn.Parameter(torch.empty(rank, base.in_features))
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, rank))
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        for parameter in base.parameters():
            parameter.requires_grad_(False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        update = self.dropout(x) @ self.lora_a.t() @ self.lora_b.t()
        return self.base(x) + update * self.scale

    def delta(self) -> torch.Tensor:
        """The weight update `scale * B @ A` (out_features x in_features)."""
        return (self.lora_b @ self.lora_a) * self.scale


@dataclass(frozen=True)
class LoraSite:
    """Where one LoRA layer sits: transformer block index and projection name (e.g. 12, "q_proj")."""

    layer: int
    target: str

    @property
    def key(self) -> str:
        return f"layers.{self.layer}.{self.target}"


def _parent(block: nn.Module, target: str) -> nn.Module:
    return block.self_attn if target in ATTENTION_TARGETS else block.mlp


def first_adapted_layer(n_layers: int, config: LoraConfig) -> int:
    """Index of the first block that gets LoRA (blocks below it stay exactly the base model)."""
    return 0 if config.layers in (0, None) or config.layers >= n_layers else n_layers - config.layers


def attach_lora(blocks: nn.ModuleList, config: LoraConfig) -> dict[LoraSite, LoraLinear]:
    """Freeze everything and wrap the target projections of the last `config.layers` blocks."""
    for parameter in blocks.parameters():
        parameter.requires_grad_(False)
    sites: dict[LoraSite, LoraLinear] = {}
    for index in range(first_adapted_layer(len(blocks), config), len(blocks)):
        for target in config.targets:
            parent = _parent(blocks[index], target)
            base = getattr(parent, target)
            if not isinstance(base, nn.Linear):
                raise TypeError(f"block {index}: {target} is {type(base).__name__}, expected a Linear layer")
            layer = LoraLinear(base, config.rank, config.alpha, config.dropout)
            setattr(parent, target, layer)
            sites[LoraSite(index, target)] = layer
    return sites


def lora_parameters(sites: dict[LoraSite, LoraLinear]) -> Iterator[nn.Parameter]:
    for layer in sites.values():
        yield layer.lora_a
        yield layer.lora_b


def lora_state(sites: dict[LoraSite, LoraLinear]) -> dict[str, torch.Tensor]:
    """The trainable tensors by name (`layers.12.q_proj.lora_a`), detached copies."""
    state: dict[str, torch.Tensor] = {}
    for site, layer in sites.items():
        state[f"{site.key}.lora_a"] = layer.lora_a.detach().clone()
        state[f"{site.key}.lora_b"] = layer.lora_b.detach().clone()
    return state


def load_lora_state(sites: dict[LoraSite, LoraLinear], state: dict[str, torch.Tensor]) -> None:
    """Copy saved tensors into the LoRA layers; a missing or misshapen tensor is an error."""
    with torch.no_grad():
        for site, layer in sites.items():
            for part in ("lora_a", "lora_b"):
                name = f"{site.key}.{part}"
                if name not in state:
                    raise KeyError(
                        f"checkpoint has no tensor {name}; was it trained with another LoRA config?"
                    )
                getattr(layer, part).copy_(state[name])
