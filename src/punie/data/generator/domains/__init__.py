"""Synthetic project builders, one per domain: each returns a `Project` from a seeded RNG."""

from __future__ import annotations

import random
from collections.abc import Callable

from punie.data.generator.domains import celery, django, fastapi, flask, git, packaging, pytest, sqlalchemy
from punie.data.generator.project import Project

BUILDERS: dict[str, Callable[[random.Random], Project]] = {
    "django": django.build,
    "fastapi": fastapi.build,
    "flask": flask.build,
    "pytest": pytest.build,
    "sqlalchemy": sqlalchemy.build,
    "celery": celery.build,
    "packaging": packaging.build,
    "git": git.build,
}
