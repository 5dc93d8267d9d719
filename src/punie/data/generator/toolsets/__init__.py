"""The other-tool-sets family: small non-workspace APIs (calendar, CI, weather, ...) offered instead of, or
next to, Punie's workspace tools, so the model learns to call only an offered tool that fits and to answer
directly otherwise. Opt-in via `generate_examples(..., other_tools=share)`."""

from punie.data.generator.toolsets.base import OTHER_TOOLS_VERSION, CallCase, ToolSet
from punie.data.generator.toolsets.catalog import TOOLSETS, TOOLSETS_BY_NAME
from punie.data.generator.toolsets.family import OTHER_TOOLS_SYSTEM_PROMPT, SOURCE, other_tools_example

__all__ = [
    "OTHER_TOOLS_SYSTEM_PROMPT",
    "OTHER_TOOLS_VERSION",
    "SOURCE",
    "TOOLSETS",
    "TOOLSETS_BY_NAME",
    "CallCase",
    "ToolSet",
    "other_tools_example",
]
