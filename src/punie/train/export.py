"""Write GGUF files: the adapter alone (llama.cpp LoRA format) and the base merged with it (float16).

llama.cpp stores the q/k projection rows of llama-architecture models interleaved per rotary pair, while
Hugging Face keeps each head's two rotary halves apart; transformers undoes that order when it loads a
GGUF, so every row-space tensor we write for q/k (merged weights, LoRA B) is put back into GGUF order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from punie.train.lora import LoraLinear, LoraSite

GGUF_NAMES = {
    "q_proj": "attn_q",
    "k_proj": "attn_k",
    "v_proj": "attn_v",
    "o_proj": "attn_output",
    "gate_proj": "ffn_gate",
    "up_proj": "ffn_up",
    "down_proj": "ffn_down",
}
MOSTLY_F16 = 1  # llama_ftype value for "all 2-D tensors float16"


@dataclass(frozen=True)
class HeadLayout:
    """Attention head counts (needed to reorder q/k rows)."""

    n_head: int
    n_head_kv: int

    @classmethod
    def of(cls, model_config: object) -> HeadLayout:
        heads = int(model_config.num_attention_heads)
        return cls(heads, int(getattr(model_config, "num_key_value_heads", heads) or heads))


def to_gguf_rows(rows: np.ndarray, heads: int) -> np.ndarray:
    """Reorder a q/k projection's output rows from Hugging Face (halves) to GGUF (interleaved) order.

    Within each head, HF row i of the first half and row i of the second half become GGUF rows 2i, 2i+1.
    """
    total = rows.shape[0]
    half = total // heads // 2
    grouped = rows.reshape(heads, 2, half, *rows.shape[1:])
    return np.ascontiguousarray(grouped.swapaxes(1, 2).reshape(rows.shape))


def gguf_tensor_name(site: LoraSite) -> str:
    return f"blk.{site.layer}.{GGUF_NAMES[site.target]}.weight"


def rows_for_gguf(site: LoraSite, rows: np.ndarray, layout: HeadLayout) -> np.ndarray:
    """Put a row-space tensor of `site` (weight delta or LoRA B) into GGUF row order."""
    if site.target == "q_proj":
        return to_gguf_rows(rows, layout.n_head)
    if site.target == "k_proj":
        return to_gguf_rows(rows, layout.n_head_kv)
    return rows


def _numpy(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().float().cpu().numpy()


def base_architecture(base_gguf: Path | None) -> str:
    if base_gguf is None:
        return "llama"
    import gguf

    field = gguf.GGUFReader(str(base_gguf)).fields.get("general.architecture")
    return str(field.contents()) if field is not None else "llama"


def write_adapter_gguf(
    path: str | Path,
    sites: Mapping[LoraSite, LoraLinear],
    layout: HeadLayout,
    *,
    architecture: str = "llama",
    name: str = "punie-adapter",
    dtype: type = np.float16,
) -> Path:
    """The LoRA adapter as a llama.cpp adapter GGUF (`--lora` / `Llama(lora_path=...)`)."""
    import gguf

    alphas = {layer.alpha for layer in sites.values()}
    if len(alphas) != 1:
        raise ValueError(f"all LoRA layers must share one alpha to export, got {sorted(alphas)}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(str(path), architecture)
    writer.add_type("adapter")
    writer.add_name(name)
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", float(alphas.pop()))
    for site in sorted(sites, key=lambda s: (s.layer, list(GGUF_NAMES).index(s.target))):
        layer = sites[site]
        base_name = gguf_tensor_name(site)
        lora_a = _numpy(layer.lora_a)  # (rank, in)
        lora_b = rows_for_gguf(site, _numpy(layer.lora_b), layout)  # (out, rank)
        writer.add_tensor(f"{base_name}.lora_a", lora_a.astype(dtype))
        writer.add_tensor(f"{base_name}.lora_b", lora_b.astype(dtype))
    _finish(writer)
    return path


def _finish(writer: object) -> None:
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def write_fused_gguf(
    path: str | Path, base_gguf: str | Path, sites: Mapping[LoraSite, LoraLinear], layout: HeadLayout
) -> Path:
    """Base GGUF (dequantized) plus the LoRA deltas, written as float16 with every metadata key copied."""
    import gguf
    from gguf.quants import dequantize

    reader = gguf.GGUFReader(str(base_gguf))
    arch_field = reader.fields["general.architecture"]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(str(path), str(arch_field.contents()))
    for field in reader.fields.values():
        if field.name.startswith("GGUF.") or field.name == "general.architecture":
            continue
        if field.name == "general.file_type":
            writer.add_file_type(MOSTLY_F16)
            continue
        main = field.types[0]
        sub = field.types[-1] if main == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(field.name, field.contents(), main, sub_type=sub)
    deltas = {
        gguf_tensor_name(site): rows_for_gguf(site, _numpy(layer.delta()), layout)
        for site, layer in sites.items()
    }
    for tensor in reader.tensors:
        values = dequantize(tensor.data, tensor.tensor_type).astype(np.float32)
        if tensor.name in deltas:
            delta = deltas.pop(tensor.name)
            if delta.shape != values.shape:
                raise ValueError(
                    f"{tensor.name}: LoRA delta {delta.shape} does not match base {values.shape}"
                )
            values = values + delta
        writer.add_tensor(tensor.name, values.astype(np.float16) if values.ndim >= 2 else values)
    if deltas:
        raise ValueError(f"base GGUF has no tensors named {sorted(deltas)}")
    _finish(writer)
    return path


QUANT_FTYPES = {
    "Q8_0": "LLAMA_FTYPE_MOSTLY_Q8_0",
    "Q6_K": "LLAMA_FTYPE_MOSTLY_Q6_K",
    "Q5_0": "LLAMA_FTYPE_MOSTLY_Q5_0",
    "Q5_K_M": "LLAMA_FTYPE_MOSTLY_Q5_K_M",
    "Q4_K_M": "LLAMA_FTYPE_MOSTLY_Q4_K_M",
    "Q4_0": "LLAMA_FTYPE_MOSTLY_Q4_0",
    "Q4_1": "LLAMA_FTYPE_MOSTLY_Q4_1",
}


def quantize_gguf(source: str | Path, target: str | Path, kind: str, threads: int = 0) -> Path:
    """Quantize a GGUF with llama.cpp's own quantizer (`llama_model_quantize`)."""
    import ctypes

    import llama_cpp

    if kind not in QUANT_FTYPES:
        raise ValueError(f"unknown quantization {kind!r}; choose from {sorted(QUANT_FTYPES)}")
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = getattr(llama_cpp, QUANT_FTYPES[kind])
    params.nthread = threads
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    status = llama_cpp.llama_model_quantize(str(source).encode(), str(target).encode(), ctypes.byref(params))
    if status != 0 or not target.is_file():
        raise RuntimeError(f"llama.cpp failed to quantize {source} to {kind} (status {status})")
    return target
