"""The synthetic dataset generator: domains, phrasing, tool scenarios and direct answers."""

from punie.data.generator.core import (
    GENERATOR_VERSION,
    OTHER_TOOLS,
    example_kinds,
    generate_example,
    generate_examples,
)

__all__ = ["GENERATOR_VERSION", "OTHER_TOOLS", "example_kinds", "generate_example", "generate_examples"]
