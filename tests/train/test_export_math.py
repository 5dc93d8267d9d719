"""q/k row order between Hugging Face and GGUF, checked against transformers' own GGUF loader."""

from __future__ import annotations

import numpy as np
import pytest

from punie.train.export import to_gguf_rows


def test_rows_interleave_rotary_halves_per_head() -> None:
    # one head of dimension 4: HF rows [x0, x1, y0, y1] (two rotary halves) -> GGUF [x0, y0, x1, y1]
    rows = np.array([[0.0], [1.0], [10.0], [11.0]])
    assert to_gguf_rows(rows, heads=1).ravel().tolist() == [0.0, 10.0, 1.0, 11.0]


def test_heads_are_reordered_independently() -> None:
    rows = np.arange(8, dtype=np.float32).reshape(8, 1)
    # two heads of 4 rows: [0 1 2 3 | 4 5 6 7] -> [0 2 1 3 | 4 6 5 7]
    assert to_gguf_rows(rows, heads=2).ravel().tolist() == [0, 2, 1, 3, 4, 6, 5, 7]


@pytest.mark.parametrize(("heads", "kv_heads", "rows"), [(9, 9, 576), (9, 3, 192)])
def test_transformers_gguf_loader_undoes_our_order(heads: int, kv_heads: int, rows: int) -> None:
    """What we write is exactly what transformers reads back (its loader reverses llama.cpp's order)."""
    gguf_utils = pytest.importorskip("transformers.modeling_gguf_pytorch_utils")
    processor = gguf_utils.LlamaTensorProcessor(
        config={"num_attention_heads": heads, "num_key_value_heads": kv_heads}
    )
    weights = np.random.default_rng(0).standard_normal((rows, 16)).astype(np.float32)
    written = to_gguf_rows(weights, kv_heads)
    name = "blk.0.attn_q.weight" if heads == kv_heads else "blk.0.attn_k.weight"
    restored = processor.process(written, name).weights
    assert np.array_equal(restored, weights)
    assert not np.array_equal(written, weights)
