"""Load the base model in torch (GGUF dequantized by transformers, or a Hugging Face folder) and run it in
two parts: frozen lower blocks, whose outputs are computed once, and adapted upper blocks, trained with a
prompt prefix (system prompt + tool list) that a whole batch shares.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from punie.train.config import LoraConfig
from punie.train.lora import LoraLinear, LoraSite, attach_lora, first_adapted_layer


@dataclass
class BaseModel:
    """The loaded base: the causal LM, its tokenizer and, when it came from one, the GGUF file."""

    model: Any
    tokenizer: Any
    gguf_path: Path | None
    name: str


def resolve_base(base: str) -> tuple[Path, str | None]:
    """(folder, gguf file name or None) for "embedded", a .gguf path or a Hugging Face model folder."""
    if base == "embedded":
        from punie.engine import embedded_model_path

        path = embedded_model_path()
        return path.parent, path.name
    path = Path(base).expanduser()
    if path.suffix == ".gguf":
        if not path.is_file():
            raise FileNotFoundError(f"base model GGUF not found: {path}")
        return path.parent, path.name
    if not (path / "config.json").is_file():
        raise FileNotFoundError(f"base model must be 'embedded', a .gguf file or a model folder: {base}")
    return path, None


def load_base(base: str) -> BaseModel:
    """Load the base model in float32 on CPU; never touches the network (HF_HUB_OFFLINE=1)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    _silence_gguf_progress()
    folder, gguf_file = resolve_base(base)
    kwargs: dict[str, Any] = {"gguf_file": gguf_file} if gguf_file else {}
    tokenizer = AutoTokenizer.from_pretrained(folder, **kwargs)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, **kwargs)
    model.eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    gguf_path = folder / gguf_file if gguf_file else None
    return BaseModel(model, tokenizer, gguf_path, (gguf_file or folder.name).removesuffix(".gguf"))


def _silence_gguf_progress() -> None:
    """transformers draws its own tqdm bar while dequantizing a GGUF; our progress output replaces it."""
    try:
        from transformers import modeling_gguf_pytorch_utils as gguf_utils
    except ImportError:  # pragma: no cover - older transformers
        return
    gguf_utils.tqdm = lambda iterable, *args, **kwargs: iterable


class PrefixKV:
    """A minimal KV cache for the decoder layers: record one prefix, then replay it under a batch.

    In record mode each layer's keys/values are kept and returned unchanged; in replay mode they are put
    in front of the batch's own keys/values (broadcast over the batch), so gradients reach the prefix.
    """

    def __init__(self) -> None:
        self.saved: dict[int, tuple[torch.Tensor, torch.Tensor]] = {}
        self.replay = False

    def update(self, key: torch.Tensor, value: torch.Tensor, layer_idx: int, *args: Any, **kwargs: Any):
        if not self.replay:
            self.saved[layer_idx] = (key, value)
            return key, value
        prefix_key, prefix_value = self.saved[layer_idx]
        batch = key.shape[0]
        return (
            torch.cat([prefix_key.expand(batch, -1, -1, -1), key], dim=2),
            torch.cat([prefix_value.expand(batch, -1, -1, -1), value], dim=2),
        )

    def get_seq_length(self, layer_idx: int = 0) -> int:  # pragma: no cover - cache protocol nicety
        first = next(iter(self.saved.values()), None)
        return 0 if first is None else int(first[0].shape[2])


def causal_mask(queries: int, prefix: int, dtype: torch.dtype) -> torch.Tensor:
    """Additive mask (1, 1, queries, prefix + queries): every query sees the prefix and earlier queries."""
    blocked = torch.ones(queries, queries, dtype=torch.bool).triu(1)
    mask = torch.zeros(queries, prefix + queries, dtype=dtype)
    mask[:, prefix:].masked_fill_(blocked, torch.finfo(dtype).min)
    return mask[None, None]


class SplitRunner:
    """Runs blocks [start, stop) of a llama-family model on hidden states, with an optional shared prefix."""

    def __init__(self, model: Any, lora: LoraConfig, device: Any = "cpu") -> None:
        self.device = torch.device(device)
        self.model = model
        self.body = model.model
        self.blocks: nn.ModuleList = self.body.layers
        self.n_layers = len(self.blocks)
        self.split = first_adapted_layer(self.n_layers, lora)
        self.sites: dict[LoraSite, LoraLinear] = attach_lora(self.blocks, lora)
        model.to(self.device)

    def to(self, device: Any) -> SplitRunner:
        """Move the model (with its adapter) to `device`; export and checks run on the CPU."""
        self.device = torch.device(device)
        self.model.to(self.device)
        return self

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        return self.body.embed_tokens(ids)

    def run(
        self,
        hidden: torch.Tensor,
        start_position: int,
        blocks: range,
        kv: PrefixKV,
        prefix_len: int = 0,
    ) -> torch.Tensor:
        """Run `blocks` over `hidden` (batch, length, dim) placed at positions start_position.. .

        With `kv.replay` the queries also attend to the recorded prefix of length `prefix_len`.
        """
        length = hidden.shape[1]
        positions = torch.arange(start_position, start_position + length, device=hidden.device).unsqueeze(0)
        mask = causal_mask(length, prefix_len, hidden.dtype).to(hidden.device)
        rotary = self.body.rotary_emb(hidden, positions)
        for index in blocks:
            output = self.blocks[index](
                hidden, attention_mask=mask, position_ids=positions, cache=kv, position_embeddings=rotary
            )
            hidden = output[0] if isinstance(output, tuple) else output
        return hidden

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """Final norm and LM head (apply to the selected positions only: the vocabulary is large)."""
        return self.model.lm_head(self.body.norm(hidden))

    @property
    def lower(self) -> range:
        return range(0, self.split)

    @property
    def upper(self) -> range:
        return range(self.split, self.n_layers)

    def full_logits(self, ids: torch.Tensor) -> torch.Tensor:
        """Plain forward of the whole model with the adapter (for checks and generation-free evaluation)."""
        hidden = self.run(self.embed(ids), 0, range(self.n_layers), PrefixKV())
        return self.logits(hidden)
