"""A Python package's packaging files: pyproject.toml, requirements, version, and build/pip commands."""

# ruff: noqa: E501 - data tables and generated file contents read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.project import CommandCase, EditCase, Project, SourceFile, WriteCase

NAMES = ("acme-tools", "tinyhttp", "datakit", "quickcsv", "pyweather", "taskrunner", "mdlint", "geoutils")
DEPS = [
    ("requests", ">=2.31"),
    ("click", ">=8.1"),
    ("pydantic", ">=2.6"),
    ("rich", ">=13"),
    ("httpx", ">=0.27"),
    ("attrs", ">=23.2"),
    ("pyyaml", ">=6.0"),
    ("jinja2", ">=3.1"),
]
BACKENDS = [
    ("hatchling", "hatchling.build"),
    ("setuptools>=68", "setuptools.build_meta"),
    ("flit_core>=3.9", "flit_core.buildapi"),
]


def build(rng: random.Random) -> Project:
    name = rng.choice(NAMES)
    module = name.replace("-", "_")
    major, minor, patch = rng.randrange(0, 3), rng.randrange(0, 12), rng.randrange(0, 9)
    version = f"{major}.{minor}.{patch}"
    deps = sorted(rng.sample(DEPS, 3))
    backend, backend_api = rng.choice(BACKENDS)
    py = rng.choice(["3.9", "3.10", "3.11"])
    pyproject = (
        "\n".join(
            [
                "[build-system]",
                f'requires = ["{backend}"]',
                f'build-backend = "{backend_api}"',
                "",
                "[project]",
                f'name = "{name}"',
                f'version = "{version}"',
                f'requires-python = ">={py}"',
                "dependencies = [",
                *[f'    "{dep}{spec}",' for dep, spec in deps],
                "]",
                "",
                "[project.optional-dependencies]",
                'dev = ["pytest>=8", "ruff"]',
                "",
                "[project.scripts]",
                f'{name} = "{module}.cli:main"',
            ]
        )
        + "\n"
    )
    requirements = "\n".join(f"{dep}=={spec[2:]}" for dep, spec in deps) + "\n"
    init = f'"""{name}: a small Python package."""\n\n__version__ = "{version}"\n'
    dep_names = ", ".join(dep for dep, _ in deps)
    files = [
        SourceFile(
            "pyproject.toml",
            pyproject,
            f"declares {name} {version} (Python >={py}, built with "
            f"{backend.split('>')[0]}) depending on {dep_names}",
            ("the pyproject", "the project metadata", "the packaging config"),
        ),
        SourceFile(
            "requirements.txt", requirements, f"pins {dep_names}", ("the requirements", "the pinned deps")
        ),
        SourceFile(
            f"src/{module}/__init__.py", init, f'sets __version__ = "{version}"', ("the package init",)
        ),
    ]
    other = [
        f"src/{module}/cli.py",
        f"src/{module}/core.py",
        "tests/test_core.py",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        ".gitignore",
    ]
    wheel = f"{module}-{version}-py3-none-any.whl"
    sdist = f"{module}-{version}.tar.gz"
    outdated_dep, outdated_spec = deps[0]
    current = outdated_spec[2:]
    latest = current.split(".")[0] + "." + str(int(current.split(".")[1]) + 2)
    new_version = f"{major}.{minor + 1}.0"
    commands = [
        CommandCase(
            ("build the package", "build a wheel and sdist", "make the distribution files"),
            "python -m build",
            f"* Creating isolated environment: venv+pip...\n* Building sdist...\n* Building wheel from sdist\n"
            f"Successfully built {sdist} and {wheel}",
            f"Built dist/{sdist} and dist/{wheel}.",
        ),
        CommandCase(
            (
                "install the project in editable mode",
                "pip install it for development",
                "do an editable install",
            ),
            'pip install -e ".[dev]"',
            f"Obtaining file:///home/dev/{name}\n  Installing build dependencies ... done\n"
            f"Successfully installed {name}-{version}",
            f"{name} {version} is installed in editable mode with the dev extras.",
        ),
        CommandCase(
            (
                "which dependencies are outdated",
                "are any packages out of date",
                "check for outdated packages",
            ),
            "pip list --outdated",
            f"Package    Version Latest Type\n---------- ------- ------ -----\n"
            f"{outdated_dep:<10} {current:<7} {latest:<6} wheel",
            f"Only {outdated_dep} is outdated: {current} installed, {latest} available.",
        ),
        CommandCase(
            ("check the distribution files before uploading", "run twine check", "validate the built dists"),
            "twine check dist/*",
            f"Checking dist/{wheel}: PASSED\nChecking dist/{sdist}: PASSED",
            "Both distribution files passed twine check.",
        ),
        CommandCase(
            (
                "are there broken requirements",
                "check the installed dependencies are compatible",
                "run pip check",
            ),
            "pip check",
            "No broken requirements found.",
            "pip check found no broken requirements.",
        ),
    ]
    extra = rng.choice([d for d in DEPS if d not in deps])
    edits = [
        EditCase(
            (
                f"bump the version to {new_version}",
                f"release {new_version}: update the version in {{path}}",
                f"set the project version to {new_version}",
            ),
            "pyproject.toml",
            f'version = "{version}"',
            f'version = "{new_version}"',
            f"pyproject.toml now says version {new_version} (was {version}).",
        ),
        EditCase(
            (f"add {extra[0]} to the dependencies", f"we need {extra[0]}{extra[1]} as a dependency"),
            "pyproject.toml",
            "dependencies = [",
            f'dependencies = [\n    "{extra[0]}{extra[1]}",',
            f'Added "{extra[0]}{extra[1]}" to the dependencies in pyproject.toml.',
        ),
        EditCase(
            ("require python 3.12 or newer", "drop support for old pythons, require >=3.12"),
            "pyproject.toml",
            f'requires-python = ">={py}"',
            'requires-python = ">=3.12"',
            f"requires-python is now >=3.12 (was >={py}).",
        ),
    ]
    writes = [
        WriteCase(
            ("add a MANIFEST.in that includes the license and changelog", "create MANIFEST.in"),
            "MANIFEST.in",
            "include LICENSE\ninclude CHANGELOG.md\nrecursive-include tests *.py\n",
            "Created MANIFEST.in including LICENSE, CHANGELOG.md and the tests.",
        ),
        WriteCase(
            ("create a requirements-dev.txt with pytest and ruff", "write the dev requirements file"),
            "requirements-dev.txt",
            "-r requirements.txt\npytest>=8\nruff\n",
            "Created requirements-dev.txt: it includes requirements.txt plus pytest and ruff.",
        ),
    ]
    return Project("packaging", files, other, commands, edits, writes)
