"""Punie: a local-first Python coding agent and the toolkit that makes small models reliable at tool calling."""

__version__ = "0.1.0"
