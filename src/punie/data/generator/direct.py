"""Direct-answer questions: concepts, comparisons and how-tos that need no project files.

Each entry is (domain, question templates, short answer). Several deliberately mention commands, files or
tests in general ("how do I rerun failed tests?") so the model learns that a how-to is answered directly
while a request about *this* project needs a tool.
"""

# ruff: noqa: E501 - data tables and generated file contents read better unwrapped

from __future__ import annotations

QA: list[tuple[str, tuple[str, ...], str]] = [
    # Django
    (
        "django",
        (
            "what is the difference between ForeignKey and OneToOneField in django",
            "[foreignkey|ForeignKey] vs OneToOneField - [when do I use which|what's the difference]",
        ),
        "A ForeignKey is many-to-one: many rows can point at the same target. OneToOneField is a ForeignKey with "
        "unique=True, so each target has at most one related row.",
    ),
    (
        "django",
        ("what does select_related do", "how is select_related different from prefetch_related"),
        "select_related follows foreign keys with a SQL JOIN in the same query; prefetch_related runs a separate "
        "query per relation and joins in Python, which also works for many-to-many.",
    ),
    (
        "django",
        ("how do I create a superuser in django", "what's the command to make a django admin user"),
        "Run `python manage.py createsuperuser` and answer the prompts for username, email and password.",
    ),
    (
        "django",
        ("what are django migrations", "explain [django |]migrations [briefly|in one sentence|]"),
        "Migrations are versioned Python files that record model changes; makemigrations writes them and migrate "
        "applies them to the database.",
    ),
    (
        "django",
        (
            "class based views or function based views in django[?| - which is better]",
            "should I use CBVs or FBVs",
        ),
        "Function views are simpler and explicit; class-based views save code for standard CRUD through generic "
        "views and mixins. Use whichever keeps the view readable.",
    ),
    (
        "django",
        ("what is a django queryset", "are django querysets lazy"),
        "A QuerySet is a lazy, chainable description of a database query; it only hits the database when you "
        "iterate, slice with a step, call len() or list() on it.",
    ),
    (
        "django",
        ("how do I add a field to a django model", "steps to add a new column to a django model"),
        "Add the field to the model class, run `python manage.py makemigrations`, then `python manage.py migrate`.",
    ),
    (
        "django",
        ("what is the N+1 query problem", "what does N+1 queries mean in an ORM"),
        "It is when code runs one query for a list and then one more per item; fix it in Django with "
        "select_related or prefetch_related.",
    ),
    (
        "django",
        ("what does DEBUG=True do in django", "why turn off DEBUG in production"),
        "DEBUG=True shows detailed error pages and serves static files; in production it leaks settings and "
        "source, so set DEBUG=False and configure ALLOWED_HOSTS.",
    ),
    (
        "django",
        ("what is a django signal", "when should I use django signals"),
        "Signals let code react to events such as post_save without the sender knowing; use them sparingly, "
        "since explicit calls are easier to follow.",
    ),
    # FastAPI
    (
        "fastapi",
        ("what is dependency injection in fastapi", "how does Depends work in fastapi"),
        "Depends declares a callable whose return value FastAPI passes to your endpoint; it resolves nested "
        "dependencies and runs cleanup for generator dependencies.",
    ),
    (
        "fastapi",
        ("async def or def for fastapi endpoints", "should my fastapi routes be async"),
        "Use async def when the endpoint awaits async I/O; plain def endpoints run in a thread pool, which is "
        "right for blocking libraries.",
    ),
    (
        "fastapi",
        ("what does response_model do", "what is response_model in fastapi"),
        "response_model declares the Pydantic model used to validate, filter and document the response.",
    ),
    (
        "fastapi",
        ("fastapi vs flask[?|, which should I pick]", "how is fastapi different from flask"),
        "FastAPI is async-first with type-hint validation and automatic OpenAPI docs; Flask is a minimal sync "
        "framework with a large extension ecosystem.",
    ),
    (
        "fastapi",
        ("how do I return a 404 in fastapi", "how to raise not found in fastapi"),
        'Raise `HTTPException(status_code=404, detail="Not found")` from the endpoint.',
    ),
    (
        "fastapi",
        ("how do I run a fastapi app", "what command starts a fastapi server"),
        "Run `uvicorn app.main:app --reload` for development, or `fastapi dev app/main.py` with the FastAPI CLI.",
    ),
    (
        "fastapi",
        ("what is pydantic used for", "what does pydantic do"),
        "Pydantic validates and converts data using type hints and serializes models to dicts and JSON.",
    ),
    (
        "fastapi",
        ("how do I test a fastapi app", "how to write tests for fastapi endpoints"),
        "Use `fastapi.testclient.TestClient(app)` with pytest and call `client.get(...)` or `client.post(...)`.",
    ),
    # Flask
    (
        "flask",
        ("what is a flask blueprint", "why use blueprints in flask"),
        "A Blueprint groups routes, templates and static files so a Flask app can be split into modules and "
        "registered with a URL prefix.",
    ),
    (
        "flask",
        ("what is the application factory pattern", "why use create_app in flask"),
        "A create_app() function builds and configures the app on demand, which allows several configurations "
        "and makes testing easier.",
    ),
    (
        "flask",
        ("what is flask's g object", "what's the difference between g and session in flask"),
        "`g` stores data for one request only; `session` is stored in a signed cookie and persists across requests.",
    ),
    (
        "flask",
        ("how do I get query parameters in flask", "how to read ?page=2 in a flask view"),
        'Use `request.args.get("page", type=int)`.',
    ),
    (
        "flask",
        ("how do I run flask in debug mode", "how to enable the flask debugger"),
        "Run `flask --app yourapp run --debug`.",
    ),
    (
        "flask",
        ("what does url_for do", "why use url_for instead of hardcoding urls"),
        "url_for builds a URL from an endpoint name and arguments, so links keep working when routes change.",
    ),
    # pytest
    (
        "pytest",
        ("how do I rerun only the failed tests with pytest", "what flag reruns failed tests in pytest"),
        "Use `pytest --lf` (last failed) or `pytest --ff` to run failures first.",
    ),
    (
        "pytest",
        ("what is a pytest fixture", "explain pytest fixtures"),
        "A fixture is a function decorated with @pytest.fixture that provides setup data or objects; tests "
        "receive it by naming it as a parameter.",
    ),
    (
        "pytest",
        ("what does conftest.py do", "what's conftest.py for"),
        "conftest.py holds fixtures and hooks shared by every test in its directory and below; no import needed.",
    ),
    (
        "pytest",
        ("how do I run a single test in pytest", "how to run just one test function"),
        "Pass its node id: `pytest tests/test_file.py::test_name`, or select by name with `-k`.",
    ),
    (
        "pytest",
        ("what's the difference between fixture scopes", "function vs session scope for fixtures"),
        "Scope sets how long a fixture lives: function (default) per test, then class, module, package and "
        "session, which is created once per run.",
    ),
    (
        "pytest",
        ("how do I parametrize a test", "how does pytest.mark.parametrize work"),
        'Decorate it with `@pytest.mark.parametrize("x, expected", [(1, 2), (3, 4)])`; pytest runs the test '
        "once per tuple.",
    ),
    (
        "pytest",
        ("how do I assert that an exception is raised in pytest", "testing exceptions with pytest"),
        "Use `with pytest.raises(ValueError):` around the code; add `match=` to check the message.",
    ),
    (
        "pytest",
        ("what is monkeypatch in pytest", "how do I mock an environment variable in pytest"),
        "The monkeypatch fixture patches attributes, dict items and env vars for one test, e.g. "
        '`monkeypatch.setenv("KEY", "v")`, and undoes them afterwards.',
    ),
    (
        "pytest",
        ("how do I see print output in pytest", "pytest hides my prints, how to show them"),
        "Run pytest with `-s` (short for --capture=no).",
    ),
    (
        "pytest",
        ("what does pytest -x do", "how to stop pytest at the first failure"),
        "`-x` stops the run at the first failing test; `--maxfail=N` stops after N failures.",
    ),
    (
        "pytest",
        ("unittest or pytest", "why do people prefer pytest over unittest"),
        "pytest uses plain assert statements, fixtures and a rich plugin ecosystem, and it also runs unittest tests.",
    ),
    # SQLAlchemy
    (
        "sqlalchemy",
        (
            "what is the difference between session.add and session.commit",
            "does session.add write to the database",
        ),
        "add() only stages an object in the session; commit() flushes pending changes to the database and ends "
        "the transaction.",
    ),
    (
        "sqlalchemy",
        ("what is lazy loading in sqlalchemy", "selectinload vs joinedload"),
        "Lazy loading queries a relationship on first access. joinedload fetches it with a JOIN in the same "
        "query; selectinload runs one extra SELECT ... IN query, which suits collections.",
    ),
    (
        "sqlalchemy",
        ("what is Mapped in sqlalchemy 2.0", "how do I declare columns in sqlalchemy 2"),
        "In SQLAlchemy 2.0 you annotate attributes with Mapped[type] and use mapped_column() for options, on a "
        "class derived from DeclarativeBase.",
    ),
    (
        "sqlalchemy",
        ("what is alembic", "how do database migrations work with sqlalchemy"),
        "Alembic is SQLAlchemy's migration tool: `alembic revision --autogenerate` writes a migration from model "
        "changes and `alembic upgrade head` applies it.",
    ),
    (
        "sqlalchemy",
        ("what does expire_on_commit do", "why are my objects expired after commit"),
        "With expire_on_commit=True (the default), commit() expires loaded attributes so the next access reloads "
        "them; set it to False to keep the values.",
    ),
    (
        "sqlalchemy",
        ("core vs orm in sqlalchemy", "what's the difference between sqlalchemy core and orm"),
        "Core is the SQL expression language working with tables and rows; the ORM maps classes to tables and "
        "tracks objects in a Session.",
    ),
    (
        "sqlalchemy",
        ("how do I avoid sql injection with sqlalchemy", "is text() safe in sqlalchemy"),
        "Use bound parameters: the expression API does it for you, and with text() pass values as `:name` "
        "parameters instead of formatting strings.",
    ),
    # Celery
    (
        "celery",
        ("what is celery", "what is celery used for"),
        "Celery is a distributed task queue: your code sends tasks to a broker such as Redis or RabbitMQ and "
        "worker processes execute them in the background.",
    ),
    (
        "celery",
        ("delay vs apply_async in celery", "what's the difference between delay and apply_async"),
        "delay(*args) is a shortcut for apply_async(args); apply_async also accepts options like countdown, eta "
        "and queue.",
    ),
    (
        "celery",
        ("what is celery beat", "how do I schedule periodic tasks in celery"),
        "Celery beat is a scheduler that sends tasks on a schedule defined in beat_schedule, e.g. with crontab().",
    ),
    (
        "celery",
        ("how do I retry a celery task", "how does self.retry work"),
        "Use @shared_task(bind=True, max_retries=3) and call `raise self.retry(exc=exc, countdown=60)` in the "
        "except block.",
    ),
    (
        "celery",
        ("what does acks_late do", "what is task_acks_late in celery"),
        "With acks_late the message is acknowledged after the task finishes, so a crashed worker's task is "
        "redelivered; tasks should then be idempotent.",
    ),
    (
        "celery",
        ("redis or rabbitmq for celery", "which broker should I use with celery"),
        "Both work: RabbitMQ is the most feature-complete broker, Redis is simpler to run and is often already "
        "in the stack.",
    ),
    (
        "celery",
        ("how do I start a celery worker", "command to run a celery worker"),
        "Run `celery -A yourproject worker --loglevel=INFO`.",
    ),
    # packaging
    (
        "packaging",
        ("what is pyproject.toml", "what goes in pyproject.toml"),
        "pyproject.toml holds the build system ([build-system]), project metadata ([project]) and tool settings "
        "such as [tool.ruff] or [tool.pytest.ini_options].",
    ),
    (
        "packaging",
        ("wheel vs sdist", "what's the difference between a wheel and an sdist"),
        "An sdist is a source archive that must be built on install; a wheel is a pre-built archive that pip "
        "installs by unpacking.",
    ),
    (
        "packaging",
        ("what does pip install -e do", "what is an editable install"),
        "`pip install -e .` installs the project in editable mode: imports point at your source tree, so "
        "changes apply without reinstalling.",
    ),
    (
        "packaging",
        ("how do I publish a package to pypi", "steps to upload to pypi"),
        "Build with `python -m build`, check with `twine check dist/*`, then upload with `twine upload dist/*`.",
    ),
    (
        "packaging",
        ("what is semantic versioning", "explain semver"),
        "MAJOR.MINOR.PATCH: bump MAJOR for breaking changes, MINOR for new compatible features and PATCH for "
        "bug fixes.",
    ),
    (
        "packaging",
        ("requirements.txt vs pyproject dependencies", "should I pin versions in pyproject.toml"),
        "pyproject.toml declares loose ranges a library needs; requirements.txt or a lock file pins exact "
        "versions for reproducible deployments.",
    ),
    (
        "packaging",
        ("what is a virtual environment", "why use a venv"),
        "A virtual environment is an isolated Python install with its own packages; create one with "
        "`python -m venv .venv`.",
    ),
    (
        "packaging",
        ("what is the src layout", "src layout vs flat layout"),
        "The src layout keeps the package under src/, so tests run against the installed package instead of "
        "the working directory.",
    ),
    (
        "packaging",
        ("how do I add a console script entry point", "how to make a command line entry point"),
        'Add it under [project.scripts], e.g. `mytool = "mypkg.cli:main"`, and reinstall the package.',
    ),
    # git
    (
        "git",
        ("what's the difference between git merge and git rebase", "merge or rebase?"),
        "merge joins histories with a merge commit; rebase replays your commits on top of another branch for a "
        "linear history. Don't rebase commits others already pulled.",
    ),
    (
        "git",
        ("how do I undo the last commit but keep the changes", "how to uncommit in git"),
        "Run `git reset --soft HEAD~1`: the commit is removed and its changes stay staged.",
    ),
    (
        "git",
        ("what does git stash do", "how do I stash my changes"),
        "`git stash` saves uncommitted changes and cleans the working tree; `git stash pop` brings them back.",
    ),
    (
        "git",
        ("git fetch vs git pull", "what's the difference between fetch and pull"),
        "fetch downloads remote commits without changing your branch; pull is fetch followed by a merge (or "
        "rebase).",
    ),
    (
        "git",
        ("how do I create a new branch in git", "command for a new git branch"),
        "Run `git switch -c branch-name` (or `git checkout -b branch-name`).",
    ),
    (
        "git",
        ("what is a detached HEAD", "what does detached head mean"),
        "HEAD points at a commit instead of a branch; new commits there belong to no branch unless you create "
        "one with `git switch -c`.",
    ),
    (
        "git",
        ("how do I write a good commit message", "commit message conventions"),
        "A short imperative subject (about 50 characters), a blank line, then a body explaining why.",
    ),
    (
        "git",
        ("how do I discard changes to a file", "revert a file to the last commit"),
        "Run `git restore path/to/file` to drop unstaged changes to it.",
    ),
    (
        "git",
        ("what does git cherry-pick do", "when would I use cherry-pick"),
        "cherry-pick applies the changes of one existing commit onto the current branch as a new commit.",
    ),
    (
        "git",
        ("what should go in .gitignore for python", "what to gitignore in a python project"),
        "Typically __pycache__/, *.pyc, virtual environments like .venv/, build/ and dist/, .pytest_cache/ and "
        ".env files.",
    ),
    # general Python
    (
        "python",
        ("what is a decorator in python", "explain python decorators"),
        "A decorator is a callable that takes a function and returns a replacement, applied with @name above "
        "the definition.",
    ),
    (
        "python",
        ("a list vs a tuple", "what's the difference between a list and a tuple"),
        "Lists are mutable; tuples are immutable and hashable when their items are, so they can be dict keys.",
    ),
    (
        "python",
        ("what is the GIL", "does python have real threads"),
        "The GIL lets one thread execute Python bytecode at a time in CPython, so threads help with I/O but not "
        "CPU-bound work; use processes for that.",
    ),
    (
        "python",
        ("what does if __name__ == '__main__' mean", 'why use if __name__ == "__main__"'),
        "The block runs only when the file is executed directly, not when it is imported.",
    ),
    (
        "python",
        ("what is a context manager", "how does the with statement work"),
        "A context manager defines __enter__ and __exit__; `with` calls them so setup and cleanup happen even "
        "when an exception is raised.",
    ),
    (
        "python",
        ("what are type hints", "do type hints change how python runs"),
        "Type hints annotate expected types; Python ignores them at runtime, while tools like mypy and editors "
        "check them.",
    ),
    (
        "python",
        ("what is a generator in python", "yield vs return"),
        "A function with yield returns a generator that produces values lazily, one per iteration, instead of "
        "building a whole list.",
    ),
    (
        "python",
        ("what's the difference between is and ==", "is vs == in python"),
        "`==` compares values; `is` checks that two names refer to the same object.",
    ),
    (
        "python",
        ("what is a dataclass", "why use dataclasses"),
        "@dataclass generates __init__, __repr__ and __eq__ from annotated fields, removing boilerplate.",
    ),
    (
        "python",
        ("how do f-strings work", "what is an f-string"),
        'An f-string, f"...", evaluates expressions inside braces, e.g. f"{name!r} has {n:.2f}".',
    ),
    (
        "python",
        ("what does asyncio do", "when should I use asyncio"),
        "asyncio runs many I/O-bound tasks concurrently in one thread using async/await; it does not speed up "
        "CPU-bound code.",
    ),
    (
        "python",
        ("how do I read a file in python", "best way to read a text file"),
        'Use `with open(path, encoding="utf-8") as f: text = f.read()`, or `Path(path).read_text()`.',
    ),
    # general questions that mention "my project" but need no files
    (
        "python",
        ("how do I check which python version I have", "what command shows the python version"),
        "Run `python --version` (or `python3 --version`).",
    ),
    (
        "python",
        ("how do I see which packages are installed", "what command lists installed pip packages"),
        "Run `pip list`, or `pip freeze` for exact pins in requirements format.",
    ),
    (
        "django",
        ("how should I structure a django project", "what's a good layout for a django project"),
        "Keep one project package for settings and root URLs, and one app per feature area with its own models, "
        "views, urls and tests.",
    ),
    (
        "fastapi",
        ("how should I organize a fastapi app", "what's a good folder layout for fastapi"),
        "Put the app in main.py, endpoints in routers/ modules with APIRouter, Pydantic schemas in schemas.py and "
        "shared dependencies in deps.py.",
    ),
    (
        "pytest",
        ("where should tests live in my project", "how should I lay out my tests folder"),
        "Use a top-level tests/ directory mirroring the package modules, with shared fixtures in tests/conftest.py.",
    ),
    (
        "packaging",
        ("should my project use a src layout", "is the src layout worth it for my package"),
        "Yes for libraries: with src/ your tests import the installed package, which catches packaging mistakes.",
    ),
    (
        "git",
        ("how often should I commit", "should I make small commits"),
        "Commit small, self-contained changes with clear messages; it keeps history reviewable and easy to revert.",
    ),
    # chat
    (
        "chat",
        ("hi", "hello", "hey there", "good morning"),
        "Hi! Ask me about your project or any Python question.",
    ),
    ("chat", ("thanks", "thank you", "thanks, that helped", "great, thanks"), "You're welcome!"),
    (
        "chat",
        ("what tools can you use", "which tools do you have", "what can you do in my workspace"),
        "I can use read_file, list_files, search, write_file, edit_file and run_command inside your workspace.",
    ),
    (
        "chat",
        ("what can you do", "what are you able to help with", "who are you"),
        "I'm Punie: I can read, search and edit files in your project, run commands like tests, and answer "
        "Python questions.",
    ),
]
