"""Framework-aware searches: "find all Django models", "list the Celery tasks", ... per domain.

Each entry is (prompt templates, regex for the `search` tool, what the matches are called in the answer).
Results are computed by running the regex over the synthetic project.
"""

from __future__ import annotations

DOMAIN_SEARCHES: dict[str, list[tuple[tuple[str, ...], str, str]]] = {
    "django": [
        (
            (
                "find all [the |]django models",
                "which models are defined [in this project|here|]",
                "list the model classes",
                "what models do we have",
            ),
            r"class \w+\(models\.Model\)",
            "models",
        ),
        (
            ("find all [the |]django view classes", "list the class-based views", "which views are there"),
            r"class \w+View\(",
            "view classes",
        ),
        (
            ("where are the url patterns defined", "find the url routes", "list the urls"),
            r"path\(",
            "URL patterns",
        ),
        (
            ("which models are registered in the admin", "find admin registrations"),
            r"admin\.site\.register",
            "admin registrations",
        ),
    ],
    "fastapi": [
        (
            (
                "list the api endpoints",
                "what routes does the api have",
                "find all [the |]endpoints",
                "which endpoints exist",
            ),
            r"@(app|router)\.(get|post|put|delete)",
            "endpoints",
        ),
        (
            ("find the pydantic models", "which schemas are defined", "list the request and response models"),
            r"class \w+\(\w*BaseModel\w*\)|class \w+\(\w+Create\)",
            "schemas",
        ),
        (
            ("where do we use Depends", "find the dependencies injected with Depends"),
            r"Depends\(",
            "uses of Depends",
        ),
    ],
    "flask": [
        (
            (
                "find all [the |]flask routes",
                "list the route decorators",
                "which urls are handled [in the code|]",
            ),
            r"@bp\.route\(",
            "routes",
        ),
        (
            ("where are blueprints registered", "find register_blueprint calls"),
            r"register_blueprint",
            "blueprint registrations",
        ),
        (("find the config classes", "which config classes exist"), r"^class \w+", "config classes"),
    ],
    "pytest": [
        (
            (
                "find all [the |]test functions",
                "list every test function",
                "which test functions are defined",
            ),
            r"def test_",
            "test functions",
        ),
        (
            ("find the fixtures", "which fixtures are defined", "list the pytest fixtures"),
            r"@pytest\.fixture",
            "fixtures",
        ),
        (("which tests are marked slow", "find the slow tests"), r"@pytest\.mark\.slow", "slow-marked tests"),
    ],
    "sqlalchemy": [
        (
            ("which tables are defined", "find the table names", "list the ORM tables"),
            r"__tablename__",
            "tables",
        ),
        (
            ("find the relationships", "where are relationships declared", "list the relationship() calls"),
            r"relationship\(",
            "relationships",
        ),
        (("where do we create the engine", "find create_engine"), r"create_engine\(", "engine setups"),
    ],
    "celery": [
        (
            ("find all [the |]celery tasks", "which tasks are defined", "list the shared tasks"),
            r"@shared_task",
            "tasks",
        ),
        (("where is the broker configured", "find the broker url"), r"broker=", "broker settings"),
        (
            ("find the periodic task schedule", "where is beat configured"),
            r"beat_schedule|crontab\(",
            "schedule lines",
        ),
    ],
    "packaging": [
        (
            ("where is the version defined", "find the version string", "which files set the version"),
            r"version",
            "version lines",
        ),
        (
            ("where are the dependencies declared", "find where the dependencies are declared"),
            r"dependencies",
            "dependency declarations",
        ),
    ],
    "git": [
        (
            ("what does the gitignore ignore", "find the ignore rules for caches"),
            r"cache",
            "cache ignore rules",
        ),
    ],
}
