"""A small Flask app: an application factory, a blueprint, config classes and pytest fixtures."""

# ruff: noqa: E501 - data tables and generated file contents read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.project import CommandCase, EditCase, Project, SourceFile, WriteCase

BLUEPRINTS = {
    "auth": [
        ("login", "/login", "GET, POST"),
        ("logout", "/logout", "GET"),
        ("register", "/register", "GET, POST"),
    ],
    "blog": [
        ("index", "/", "GET"),
        ("create", "/create", "GET, POST"),
        ("delete", "/<int:id>/delete", "POST"),
    ],
    "admin": [("dashboard", "/", "GET"), ("users", "/users", "GET"), ("settings", "/settings", "GET, POST")],
    "shop": [("catalog", "/", "GET"), ("cart", "/cart", "GET"), ("checkout", "/checkout", "POST")],
    "api": [("status", "/status", "GET"), ("items", "/items", "GET"), ("add_item", "/items", "POST")],
}
PACKAGES = ("flaskr", "webapp", "myapp", "portal", "site")


def build(rng: random.Random) -> Project:
    pkg = rng.choice(PACKAGES)
    bp = rng.choice(list(BLUEPRINTS))
    routes = BLUEPRINTS[bp]
    url_prefix = "" if bp in ("blog", "shop") else f"/{bp}"
    db_uri = rng.choice(
        ["sqlite:///app.db", "postgresql://localhost/" + pkg, "sqlite:///instance/dev.sqlite"]
    )
    secret = rng.choice(["dev", "change-me", "not-secret"])
    init = (
        "\n".join(
            [
                "from flask import Flask",
                "",
                "",
                'def create_app(config_object="config.DevelopmentConfig"):',
                "    app = Flask(__name__, instance_relative_config=True)",
                "    app.config.from_object(config_object)",
                "",
                f"    from {pkg}.{bp} import bp as {bp}_bp",
                "",
                f"    app.register_blueprint({bp}_bp"
                + (f', url_prefix="{url_prefix}")' if url_prefix else ")"),
                "    return app",
            ]
        )
        + "\n"
    )
    view_lines = [
        "from flask import Blueprint, redirect, render_template, request, url_for",
        "",
        f'bp = Blueprint("{bp}", __name__)',
        "",
    ]
    for name, rule, methods in routes:
        method_list = ", ".join(f'"{m.strip()}"' for m in methods.split(","))
        view_lines += ["", f'@bp.route("{rule}", methods=[{method_list}])', f"def {name}():"]
        if "POST" in methods and "GET" in methods:
            view_lines += [
                '    if request.method == "POST":',
                f'        return redirect(url_for("{bp}.{routes[0][0]}"))',
            ]
        view_lines += [f'    return render_template("{bp}/{name}.html")']
    blueprint = "\n".join(view_lines) + "\n"
    config = (
        "\n".join(
            [
                "class Config:",
                f'    SECRET_KEY = "{secret}"',
                f'    SQLALCHEMY_DATABASE_URI = "{db_uri}"',
                "    TESTING = False",
                "",
                "",
                "class DevelopmentConfig(Config):",
                "    DEBUG = True",
                "",
                "",
                "class TestingConfig(Config):",
                "    TESTING = True",
                '    SQLALCHEMY_DATABASE_URI = "sqlite://"',
            ]
        )
        + "\n"
    )
    conftest = (
        "\n".join(
            [
                "import pytest",
                "",
                f"from {pkg} import create_app",
                "",
                "",
                "@pytest.fixture",
                "def app():",
                '    return create_app("config.TestingConfig")',
                "",
                "",
                "@pytest.fixture",
                "def client(app):",
                "    return app.test_client()",
            ]
        )
        + "\n"
    )
    names = ", ".join(name for name, _, _ in routes)
    files = [
        SourceFile(
            f"{pkg}/__init__.py",
            init,
            f"defines create_app, which loads the config and registers the "
            f"{bp} blueprint" + (f" at {url_prefix}" if url_prefix else ""),
            ("the app factory", "the package init"),
        ),
        SourceFile(
            f"{pkg}/{bp}.py",
            blueprint,
            f"defines the {bp} blueprint with the views {names}",
            (f"the {bp} blueprint", f"the {bp} views module"),
        ),
        SourceFile(
            "config.py",
            config,
            f'has Config (SECRET_KEY "{secret}", database {db_uri}), '
            "DevelopmentConfig with DEBUG = True and TestingConfig",
            ("the config", "the config module"),
        ),
        SourceFile(
            "tests/conftest.py",
            conftest,
            "provides the app fixture (TestingConfig) and a client fixture",
            ("the conftest", "the fixtures file"),
        ),
    ]
    other = [
        "wsgi.py",
        "requirements.txt",
        f"{pkg}/templates/base.html",
        *[f"{pkg}/templates/{bp}/{name}.html" for name, _, _ in routes],
        f"{pkg}/static/style.css",
        f"tests/test_{bp}.py",
        "tests/test_factory.py",
        "instance/.gitkeep",
    ]
    route_rows = [f"{bp}.{name:<14}{methods:<11}{url_prefix}{rule}" for name, rule, methods in routes]
    n_pass = rng.randrange(4, 12)
    commands = [
        CommandCase(
            (
                "list the flask routes",
                "show all routes",
                "which urls does the app expose",
                "what endpoints exist",
            ),
            f"flask --app {pkg} routes",
            "Endpoint        Methods    Rule\n--------------  ---------  ------------------\n"
            + "\n".join(route_rows)
            + "\nstatic          GET        /static/<path:filename>",
            f"The app has {len(routes)} {bp} routes ({names}) plus the static route.",
        ),
        CommandCase(
            ("run the tests", "run the test suite", "are all tests green", "run pytest quietly"),
            "pytest -q",
            "." * n_pass
            + f"{'':<{max(1, 72 - n_pass)}}[100%]\n{n_pass} passed in 0.{rng.randrange(10, 99)}s",
            f"All {n_pass} tests passed.",
        ),
        CommandCase(
            ("upgrade the database", "apply the flask-migrate migrations", "run db upgrade"),
            f"flask --app {pkg} db upgrade",
            "INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\n"
            "INFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n"
            "INFO  [alembic.runtime.migration] Running upgrade 3f2a1c -> 9b7e44, add users table",
            "The database was upgraded to revision 9b7e44 (add users table).",
        ),
    ]
    new_secret = rng.choice(['os.environ["SECRET_KEY"]', 'os.environ.get("SECRET_KEY", "dev")'])
    edits = [
        EditCase(
            (
                "read the secret key from the environment",
                "stop hardcoding SECRET_KEY in config.py",
                "make SECRET_KEY come from an env var",
            ),
            "config.py",
            f'    SECRET_KEY = "{secret}"',
            f"    SECRET_KEY = {new_secret}",
            f"SECRET_KEY now comes from {new_secret} (add `import os` at the top of config.py).",
        ),
        EditCase(
            (
                f"rename the {routes[1][0]} view to {routes[1][0]}_view",
                f"rename function {routes[1][0]} in {{path}}",
            ),
            f"{pkg}/{bp}.py",
            f"def {routes[1][0]}():",
            f"def {routes[1][0]}_view():",
            f'Renamed {routes[1][0]} to {routes[1][0]}_view; url_for("{bp}.{routes[1][0]}") calls must be updated.',
        ),
    ]
    writes = [
        WriteCase(
            ("add a test that the app factory uses the testing config", "write tests/test_factory.py"),
            "tests/test_factory.py",
            f"from {pkg} import create_app\n\n\ndef test_config():\n    assert not create_app().testing\n"
            '    assert create_app("config.TestingConfig").testing\n',
            "Created tests/test_factory.py with test_config, which checks the testing flag for both configs.",
        ),
        WriteCase(
            ("create a wsgi entry point", "add wsgi.py for gunicorn"),
            "wsgi.py",
            f"from {pkg} import create_app\n\napp = create_app()\n",
            "Created wsgi.py; run it with `gunicorn wsgi:app`.",
        ),
    ]
    return Project("flask", files, other, commands, edits, writes)
