"""A package registry API (PyPI, npm, crates.io): package info, versions, search."""

# ruff: noqa: E501 - data tables read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.phrasing import listing
from punie.data.generator.toolsets.base import (
    USERS,
    CallCase,
    Question,
    ToolSet,
    Unsupported,
    integer,
    make_tool,
    one_call,
    request,
    string,
    to_json,
)

REGISTRY_WORDS = {
    "pypi": ("on PyPI", "PyPI package"),
    "npm": ("on npm", "npm package"),
    "crates": ("on crates.io", "crate"),
}
PACKAGES = {
    "pypi": (
        ("requests", "2.32.3", "Apache-2.0"),
        ("httpx", "0.28.1", "BSD-3-Clause"),
        ("rich", "13.9.4", "MIT"),
        ("pydantic", "2.10.3", "MIT"),
    ),
    "npm": (
        ("lodash", "4.17.21", "MIT"),
        ("express", "4.21.2", "MIT"),
        ("axios", "1.7.9", "MIT"),
        ("chalk", "5.3.0", "MIT"),
    ),
    "crates": (
        ("serde", "1.0.216", "MIT OR Apache-2.0"),
        ("tokio", "1.42.0", "MIT"),
        ("clap", "4.5.23", "MIT OR Apache-2.0"),
        ("anyhow", "1.0.94", "MIT OR Apache-2.0"),
    ),
}
SEARCHES = {
    "pypi": (("yaml parser", ("PyYAML", "ruamel.yaml")), ("http client", ("httpx", "requests", "urllib3"))),
    "npm": (("date formatting", ("date-fns", "dayjs")), ("cli colors", ("chalk", "picocolors"))),
    "crates": (("http client", ("reqwest", "ureq")), ("command line parser", ("clap", "argh"))),
}
REGISTRY = {"type": "string", "description": "Which registry.", "enum": ["pypi", "npm", "crates"]}

PACKAGE_TOOLS = (
    make_tool(
        "get_package_info",
        "Latest version, license and summary of a package.",
        {"name": string("Package name."), "registry": REGISTRY},
        ["name", "registry"],
    ),
    make_tool(
        "list_versions",
        "Published versions of a package, newest first.",
        {
            "name": string("Package name."),
            "registry": REGISTRY,
            "limit": integer("How many versions (default 10)."),
        },
        ["name", "registry"],
    ),
    make_tool(
        "search_packages",
        "Search a registry by keywords.",
        {
            "query": string("Search words."),
            "registry": REGISTRY,
            "limit": integer("Maximum results (default 5)."),
        },
        ["query", "registry"],
    ),
)


def _registry(rng: random.Random) -> tuple[str, str, str]:
    """(registry enum value, "on PyPI" form, "PyPI package" form)."""
    registry = rng.choice(list(REGISTRY_WORDS))
    on, noun = REGISTRY_WORDS[registry]
    return registry, on, noun


def get_package_info(rng: random.Random) -> CallCase:
    registry, on, noun = _registry(rng)
    name, version, license_ = rng.choice(PACKAGES[registry])
    text = request(
        rng.choice(
            (
                "what's the latest version of {name} {on}",
                "[look up|check] the {name} {noun}",
                "which license does the {name} {noun} use",
            )
        ),
        rng,
        name=name,
        on=on,
        noun=noun,
    )
    result = to_json({"name": name, "latest_version": version, "license": license_})
    answer = f"The latest {name} is {version}, licensed {license_}."
    return one_call(
        text,
        "get_package_info",
        {"name": name, "registry": registry},
        result,
        answer,
        (version, license_),
        ("registry",),
    )


def _older(version: str, count: int) -> list[str]:
    """`version` and the releases before it (patch releases back to .0, then the previous minor's .4)."""
    major, minor, patch = (int(part) for part in version.split("."))
    versions = []
    for _ in range(count):
        versions.append(f"{major}.{minor}.{patch}")
        if patch > 0:
            patch -= 1
        elif minor > 0:
            minor, patch = minor - 1, 4
        else:
            break
    return versions


def list_versions(rng: random.Random) -> CallCase:
    registry, on, noun = _registry(rng)
    name, version, _ = rng.choice(PACKAGES[registry])
    limit = rng.choice((3, 5))
    text = request(
        rng.choice(
            (
                "[list|show] the last {limit} versions of the {name} {noun}",
                "what are the {limit} newest {name} releases {on}",
            )
        ),
        rng,
        limit=limit,
        name=name,
        noun=noun,
        on=on,
    )
    versions = _older(version, limit)
    result = to_json({"name": name, "versions": versions})
    answer = f"The last {len(versions)} {name} releases: {listing(versions)}."
    arguments = {"name": name, "registry": registry, "limit": limit}
    return one_call(text, "list_versions", arguments, result, answer, tuple(versions), ("registry",))


def search_packages(rng: random.Random) -> CallCase:
    registry, on, _ = _registry(rng)
    query, names = rng.choice(SEARCHES[registry])
    text = request(
        rng.choice(
            (
                "[search|look] {on} for a {query}",
                "is there a good {query} package {on}",
                "find {query} packages {on}",
            )
        ),
        rng,
        query=query,
        on=on,
    )
    result = to_json({"query": query, "results": [{"name": name} for name in names]})
    answer = f"Top matches for {query}: {listing(names)}."
    return one_call(
        text, "search_packages", {"query": query, "registry": registry}, result, answer, names, ("registry",)
    )


PACKAGE_SET = ToolSet(
    name="package_registry",
    tools=PACKAGE_TOOLS,
    capabilities={
        "get_package_info": "look up a package",
        "list_versions": "list a package's versions",
        "search_packages": "search a package registry",
    },
    scenarios={
        "get_package_info": (get_package_info,),
        "list_versions": (list_versions,),
        "search_packages": (search_packages,),
    },
    questions=(
        Question(
            ("what is semantic versioning", "explain semver"),
            "Semantic versioning is MAJOR.MINOR.PATCH: bump MAJOR for breaking changes, MINOR for new compatible "
            "features and PATCH for fixes.",
        ),
        Question(
            ("what does the caret in ^1.2.3 mean in package.json",),
            "^1.2.3 allows any version from 1.2.3 up to, but not including, 2.0.0.",
        ),
        Question(
            ("what is a lockfile for", "why commit a lockfile"),
            "A lockfile pins the exact version of every dependency, including transitive ones, so every install is the same.",
        ),
    ),
    unsupported=(
        Unsupported(
            ("publish my package to {registry}", "upload a new release to {registry}"),
            "publish packages",
            {"registry": ("PyPI", "npm", "crates.io")},
        ),
        Unsupported(
            ("yank version {version} of {name}",),
            "yank releases",
            {"version": ("1.0.3", "2.1.0"), "name": ("requests", "lodash", "serde")},
        ),
        Unsupported(("add {user} as an owner of my package",), "manage package owners", {"user": USERS}),
    ),
    aliases={
        "get_package_info": ("package_info", "lookup_package", "getPackageInfo"),
        "list_versions": ("package_versions", "get_versions", "listVersions"),
        "search_packages": ("find_packages", "registry_search", "searchPackages"),
    },
    workspace_overlap=True,
    substitutes=("get_package_info",),
)
