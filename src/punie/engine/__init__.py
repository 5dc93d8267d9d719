"""Inference engines: the Engine protocol and the llama.cpp engine on the embedded (or any GGUF) model.

`llama_cpp` is imported only when an engine is constructed, so importing this package stays light.
"""

from punie.engine.base import Delta, Engine, Finished, FinishReason, PromptTooLongError
from punie.engine.embedded import (
    EMBEDDED_MODEL_FILE,
    EMBEDDED_NAME,
    embedded_adapter_path,
    embedded_model_path,
    load_engine,
)
from punie.engine.llama import LlamaCppEngine, available_cores

__all__ = [
    "EMBEDDED_MODEL_FILE",
    "EMBEDDED_NAME",
    "Delta",
    "Engine",
    "FinishReason",
    "Finished",
    "LlamaCppEngine",
    "PromptTooLongError",
    "available_cores",
    "embedded_adapter_path",
    "embedded_model_path",
    "load_engine",
]
