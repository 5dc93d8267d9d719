"""Every tool set of the family, in a fixed order (the order seeds depend on)."""

from __future__ import annotations

from punie.data.generator.toolsets import (
    calendar_app,
    ci,
    converter,
    database,
    email_client,
    issues,
    math_stats,
    notes,
    packages,
    recipes,
    shipping,
    smart_home,
    translation,
    weather,
)
from punie.data.generator.toolsets.base import ToolSet

TOOLSETS: tuple[ToolSet, ...] = (
    calendar_app.CALENDAR_SET,
    email_client.EMAIL_SET,
    notes.NOTES_SET,
    issues.ISSUES_SET,
    ci.CI_SET,
    database.DATABASE_SET,
    packages.PACKAGE_SET,
    converter.CONVERTER_SET,
    translation.TRANSLATION_SET,
    math_stats.MATH_SET,
    shipping.SHIPPING_SET,
    recipes.RECIPES_SET,
    smart_home.SMART_HOME_SET,
    weather.WEATHER_SET,
)
TOOLSETS_BY_NAME: dict[str, ToolSet] = {toolset.name: toolset for toolset in TOOLSETS}
