"""A small FastAPI service: app factory, one router, Pydantic schemas, a dependency and tests."""

# ruff: noqa: E501 - data tables and generated file contents read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.project import CommandCase, EditCase, Project, SourceFile, WriteCase

# resource -> (model name, fields)
RESOURCES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "items": ("Item", [("name", "str"), ("price", "float"), ("in_stock", "bool = True")]),
    "users": ("User", [("email", "str"), ("full_name", "str | None = None"), ("is_active", "bool = True")]),
    "orders": ("Order", [("customer_id", "int"), ("total", "float"), ("status", 'str = "pending"')]),
    "notes": ("Note", [("title", "str"), ("body", 'str = ""'), ("pinned", "bool = False")]),
    "tickets": ("Ticket", [("subject", "str"), ("priority", "int = 3"), ("closed", "bool = False")]),
    "books": ("Book", [("title", "str"), ("author", "str"), ("year", "int | None = None")]),
    "products": ("Product", [("sku", "str"), ("name", "str"), ("price", "float")]),
    "tasks": ("Task", [("title", "str"), ("done", "bool = False"), ("due", "str | None = None")]),
}
PACKAGES = ("app", "api", "service", "backend")


def build(rng: random.Random) -> Project:
    resource = rng.choice(list(RESOURCES))
    model, fields = RESOURCES[resource]
    pkg = rng.choice(PACKAGES)
    title = rng.choice(
        ["Inventory API", "Notes API", "Shop Backend", "Tracker", "Library API", "Orders Service"]
    )
    single = model.lower()
    prefix = f"/{resource}"
    create_status = rng.choice([200, 201])
    main = (
        "\n".join(
            [
                "from fastapi import FastAPI",
                "",
                f"from {pkg}.routers import {resource}",
                "",
                f'app = FastAPI(title="{title}")',
                f'app.include_router({resource}.router, prefix="{prefix}", tags=["{resource}"])',
                "",
                "",
                '@app.get("/health")',
                "async def health() -> dict[str, str]:",
                '    return {"status": "ok"}',
            ]
        )
        + "\n"
    )
    router = (
        "\n".join(
            [
                "from fastapi import APIRouter, Depends, HTTPException",
                "",
                f"from {pkg}.deps import get_db",
                f"from {pkg}.schemas import {model}Create, {model}Read",
                "",
                "router = APIRouter()",
                "",
                "",
                f'@router.get("/", response_model=list[{model}Read])',
                f"async def list_{resource}(db=Depends(get_db)):",
                f'    return db.all("{resource}")',
                "",
                "",
                f'@router.get("/{{{single}_id}}", response_model={model}Read)',
                f"async def get_{single}({single}_id: int, db=Depends(get_db)):",
                f'    {single} = db.get("{resource}", {single}_id)',
                f"    if {single} is None:",
                f'        raise HTTPException(status_code=404, detail="{model} not found")',
                f"    return {single}",
                "",
                "",
                f'@router.post("/", response_model={model}Read, status_code={create_status})',
                f"async def create_{single}(payload: {model}Create, db=Depends(get_db)):",
                f'    return db.insert("{resource}", payload.model_dump())',
            ]
        )
        + "\n"
    )
    schema_fields = [f"    {name}: {kind}" for name, kind in fields]
    schemas = (
        "\n".join(
            [
                "from pydantic import BaseModel",
                "",
                "",
                f"class {model}Create(BaseModel):",
                *schema_fields,
                "",
                "",
                f"class {model}Read({model}Create):",
                "    id: int",
            ]
        )
        + "\n"
    )
    deps = (
        "\n".join(
            [
                "from collections.abc import Iterator",
                "",
                f"from {pkg}.storage import Database",
                "",
                "",
                "def get_db() -> Iterator[Database]:",
                "    db = Database()",
                "    try:",
                "        yield db",
                "    finally:",
                "        db.close()",
            ]
        )
        + "\n"
    )
    first_field = fields[0][0]
    example_value = {"str": '"demo"', "int": "1", "float": "9.5"}.get(fields[0][1].split(" ")[0], '"demo"')
    tests = (
        "\n".join(
            [
                "from fastapi.testclient import TestClient",
                "",
                f"from {pkg}.main import app",
                "",
                "client = TestClient(app)",
                "",
                "",
                "def test_health():",
                '    assert client.get("/health").json() == {"status": "ok"}',
                "",
                "",
                f"def test_create_{single}():",
                f'    response = client.post("{prefix}/", json={{"{first_field}": {example_value}}})',
                "    assert response.status_code == 201",
                "",
                "",
                f"def test_missing_{single}_is_404():",
                f'    assert client.get("{prefix}/12345").status_code == 404',
            ]
        )
        + "\n"
    )
    files = [
        SourceFile(
            f"{pkg}/main.py",
            main,
            f'creates the FastAPI app "{title}", mounts the {resource} router '
            f"at {prefix} and adds a /health endpoint",
            ("the main module", "main.py", "the app entry point"),
        ),
        SourceFile(
            f"{pkg}/routers/{resource}.py",
            router,
            f"has three endpoints: list_{resource}, get_{single} "
            f"and create_{single} (POST, status {create_status})",
            (f"the {resource} router",),
        ),
        SourceFile(
            f"{pkg}/schemas.py",
            schemas,
            f"defines {model}Create and {model}Read (which adds id)",
            ("the schemas module", "the schemas file", "schemas.py"),
        ),
        SourceFile(
            f"{pkg}/deps.py",
            deps,
            "defines get_db, a dependency that yields a Database and closes it",
            ("the dependencies module", "deps.py"),
        ),
        SourceFile(
            f"tests/test_{resource}.py",
            tests,
            f"tests /health, creating a {single} and the 404 case",
            (f"the {resource} tests",),
        ),
    ]
    other = [
        f"{pkg}/__init__.py",
        f"{pkg}/routers/__init__.py",
        f"{pkg}/storage.py",
        "tests/__init__.py",
        "tests/conftest.py",
        "pyproject.toml",
        "README.md",
        "Dockerfile",
        ".env.example",
    ]
    fail = create_status != 201
    test_out_fail = (
        f"..F                                                                      [100%]\n"
        f"=================================== FAILURES ===================================\n"
        f"_______________________________ test_create_{single} _______________________________\n"
        f"    def test_create_{single}():\n"
        f'        response = client.post("{prefix}/", json={{"{first_field}": {example_value}}})\n'
        f">       assert response.status_code == 201\nE       assert 200 == 201\n"
        f"tests/test_{resource}.py:14: AssertionError\n"
        f"=========================== short test summary info ============================\n"
        f"FAILED tests/test_{resource}.py::test_create_{single} - assert 200 == 201\n"
        f"========================= 1 failed, 2 passed in 0.41s =========================="
    )
    test_out_ok = (
        "...                                                                      [100%]\n3 passed in 0.38s"
    )
    commands = [
        CommandCase(
            ("run the api tests", f"run the {resource} tests", "do the endpoint tests pass", "run pytest"),
            f"pytest tests/test_{resource}.py -q" if rng.random() < 0.5 else "pytest -q",
            test_out_fail if fail else test_out_ok,
            f"test_create_{single} fails: the POST returned 200 but the test expects 201; the other 2 tests pass."
            if fail
            else "All 3 tests passed.",
            1 if fail else 0,
        ),
        CommandCase(
            (
                "which fastapi version is installed",
                "what version of fastapi do we have",
                "check the fastapi version",
            ),
            "pip show fastapi",
            f"Name: fastapi\nVersion: 0.{rng.choice([110, 111, 115, 118])}.{rng.randrange(4)}\n"
            "Summary: FastAPI framework, high performance, easy to learn, fast to code, ready for production\n"
            "Requires: pydantic, starlette, typing-extensions",
            "",
        ),
        CommandCase(
            (f"lint the {pkg} package", "run ruff on the code", "check the code style"),
            f"ruff check {pkg}",
            f"{pkg}/routers/{resource}.py:1:43: F401 [*] `fastapi.HTTPException` imported but unused\n"
            "Found 1 error.\n[*] 1 fixable with the `--fix` option."
            if rng.random() < 0.4
            else "All checks passed!",
            "",
        ),
    ]
    # answers that depend on the generated output
    version_line = commands[1].output.splitlines()[1]
    commands[1] = CommandCase(
        commands[1].asks,
        commands[1].command,
        commands[1].output,
        f"FastAPI {version_line.split(': ')[1]} is installed.",
    )
    lint = commands[2]
    commands[2] = CommandCase(
        lint.asks,
        lint.command,
        lint.output,
        "Ruff reports no problems."
        if lint.output.startswith("All")
        else f"One issue: an unused import of HTTPException in {pkg}/routers/{resource}.py "
        "(F401, fixable with --fix).",
        0 if lint.output.startswith("All") else 1,
    )
    edits = [
        EditCase(
            (
                f"make create_{single} return 201",
                f"set the status code of the POST {prefix} endpoint to 201",
                "the create endpoint should answer 201 Created",
            ),
            f"{pkg}/routers/{resource}.py",
            f"status_code={create_status})",
            "status_code=201)",
            f"create_{single} now returns 201."
            if fail
            else f"create_{single} already used 201; the line is unchanged.",
        )
        if fail
        else EditCase(
            (f'rename the API title to "{title} v2"', f"change the app title to {title} v2"),
            f"{pkg}/main.py",
            f'title="{title}"',
            f'title="{title} v2"',
            f'The app title is now "{title} v2".',
        ),
        EditCase(
            (
                f"mount the {resource} router under /api/v1{prefix}",
                f"add an /api/v1 prefix to the {resource} routes",
            ),
            f"{pkg}/main.py",
            f'prefix="{prefix}"',
            f'prefix="/api/v1{prefix}"',
            f"The {resource} router is now mounted at /api/v1{prefix}.",
        ),
    ]
    writes = [
        WriteCase(
            (
                "add a conftest with a TestClient fixture",
                "create tests/conftest.py providing a client fixture",
            ),
            "tests/conftest.py",
            f"import pytest\nfrom fastapi.testclient import TestClient\n\nfrom {pkg}.main import app\n\n\n"
            "@pytest.fixture\ndef client():\n    return TestClient(app)\n",
            "Created tests/conftest.py with a client fixture that returns a TestClient for the app.",
        ),
    ]
    return Project("fastapi", files, other, commands, edits, writes)
