"""Commands any Python project answers: interpreter version, installed packages, directory listing, counts."""

from __future__ import annotations

import random

from punie.data.generator.project import CommandCase, Project


def generic_commands(project: Project, rng: random.Random) -> list[CommandCase]:
    python = f"3.{rng.choice([10, 11, 12, 13])}.{rng.randrange(1, 9)}"
    top = sorted({path.split("/")[0] for path in project.paths})
    py_files = [p for p in project.paths if p.endswith(".py")]
    line_count = sum(len(f.text.splitlines()) for f in project.python_files()) + 9 * (
        len(py_files) - len(project.python_files())
    )
    packages = [("pip", "24.2"), ("pytest", "8.3.3"), ("ruff", "0.6.9"), ("requests", "2.32.3")]
    extra = {
        "django": ("Django", "5.1.2"),
        "fastapi": ("fastapi", "0.115.2"),
        "flask": ("Flask", "3.0.3"),
        "sqlalchemy": ("SQLAlchemy", "2.0.36"),
        "celery": ("celery", "5.4.0"),
    }.get(project.domain)
    if extra:
        packages.append(extra)
    packages.sort(key=lambda item: item[0].lower())
    listing = "\n".join(f"{name:<18}{version}" for name, version in packages)
    ruff = f"0.{rng.choice([5, 6, 7])}.{rng.randrange(10)}"
    return [
        CommandCase(
            (
                "which python version [is this|are we] using",
                "what version of python is installed",
                "check the python version",
            ),
            "python --version",
            f"Python {python}",
            f"The project runs Python {python}.",
        ),
        CommandCase(
            ("what packages are installed", "list the installed packages", "what's in this environment"),
            "pip list",
            f"Package           Version\n----------------- -------\n{listing}",
            f"{len(packages)} packages are installed: "
            + ", ".join(f"{name} {version}" for name, version in packages)
            + ".",
        ),
        CommandCase(
            ("run ls", "list the current directory with ls", "what's in the working directory"),
            "ls",
            "\n".join(top),
            f"The workspace root holds {len(top)} entries: {', '.join(top)}.",
        ),
        CommandCase(
            (
                "how many lines of python are there",
                "count the lines of python code",
                "how big is the codebase in lines",
            ),
            "find . -name '*.py' | xargs wc -l | tail -1",
            f"  {line_count} total",
            f"There are {line_count} lines of Python in {len(py_files)} files.",
        ),
        CommandCase(
            ("is ruff installed", "which ruff version do we have"),
            "ruff --version",
            f"ruff {ruff}",
            f"Yes, ruff {ruff} is installed.",
        ),
    ]
