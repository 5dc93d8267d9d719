"""Punie: a local-first Python coding agent, and the toolkit that makes small models reliable at tool calling.

Layers, each importing only from those listed before it: `calls` (the tool-call contract), `chat` (prompt
rendering), `data` (datasets), `engine` (llama.cpp), `server` (OpenAI-compatible HTTP), `agent` (PydanticAI,
tools, ACP), `train` (LoRA -> GGUF, optional extra) and `eval` (suites, scoring, profile).
"""

__version__ = "0.1.0"
