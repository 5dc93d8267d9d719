"""A small Django project: one app with models, views, urls, admin, settings, tests and migrations."""

# ruff: noqa: E501 - data tables and generated file contents read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.project import CommandCase, EditCase, Project, SourceFile, WriteCase

# app -> [(model, [(field, django field)])]
APPS: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {
    "blog": [
        (
            "Post",
            [
                ("title", "CharField(max_length=200)"),
                ("body", "TextField()"),
                ("published_at", "DateTimeField(null=True, blank=True)"),
            ],
        ),
        (
            "Comment",
            [
                ("post", 'ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")'),
                ("author", "CharField(max_length=80)"),
                ("text", "TextField()"),
            ],
        ),
    ],
    "shop": [
        (
            "Product",
            [
                ("name", "CharField(max_length=120)"),
                ("price", "DecimalField(max_digits=8, decimal_places=2)"),
                ("stock", "PositiveIntegerField(default=0)"),
            ],
        ),
        (
            "Order",
            [
                ("customer_email", "EmailField()"),
                ("created_at", "DateTimeField(auto_now_add=True)"),
                ("paid", "BooleanField(default=False)"),
            ],
        ),
    ],
    "library": [
        ("Author", [("name", "CharField(max_length=100)"), ("born", "DateField(null=True)")]),
        (
            "Book",
            [
                ("title", "CharField(max_length=200)"),
                ("author", "ForeignKey(Author, on_delete=models.PROTECT)"),
                ("isbn", "CharField(max_length=13)"),
            ],
        ),
    ],
    "polls": [
        ("Question", [("question_text", "CharField(max_length=200)"), ("pub_date", "DateTimeField()")]),
        (
            "Choice",
            [
                ("question", "ForeignKey(Question, on_delete=models.CASCADE)"),
                ("choice_text", "CharField(max_length=200)"),
                ("votes", "IntegerField(default=0)"),
            ],
        ),
    ],
    "events": [
        ("Venue", [("name", "CharField(max_length=120)"), ("city", "CharField(max_length=80)")]),
        (
            "Event",
            [
                ("title", "CharField(max_length=150)"),
                ("venue", "ForeignKey(Venue, on_delete=models.CASCADE)"),
                ("starts_at", "DateTimeField()"),
                ("capacity", "PositiveIntegerField(default=100)"),
            ],
        ),
    ],
    "billing": [
        (
            "Customer",
            [("email", "EmailField(unique=True)"), ("company", "CharField(max_length=120, blank=True)")],
        ),
        (
            "Invoice",
            [
                ("customer", "ForeignKey(Customer, on_delete=models.CASCADE)"),
                ("amount", "DecimalField(max_digits=10, decimal_places=2)"),
                ("due_date", "DateField()"),
            ],
        ),
    ],
    "inventory": [
        ("Warehouse", [("code", "CharField(max_length=10, unique=True)"), ("address", "TextField()")]),
        (
            "StockItem",
            [
                ("sku", "CharField(max_length=32)"),
                ("warehouse", "ForeignKey(Warehouse, on_delete=models.CASCADE)"),
                ("quantity", "IntegerField(default=0)"),
            ],
        ),
    ],
    "forum": [
        ("Thread", [("subject", "CharField(max_length=200)"), ("locked", "BooleanField(default=False)")]),
        (
            "Reply",
            [
                ("thread", "ForeignKey(Thread, on_delete=models.CASCADE)"),
                ("body", "TextField()"),
                ("created_at", "DateTimeField(auto_now_add=True)"),
            ],
        ),
    ],
}
PROJECTS = ("mysite", "config", "core", "website", "backend", "portal")


def _models_py(models: list[tuple[str, list[tuple[str, str]]]]) -> str:
    lines = ["from django.db import models", ""]
    for name, fields in models:
        lines += ["", f"class {name}(models.Model):"]
        lines += [f"    {field} = models.{kind}" for field, kind in fields]
        lines += ["", "    def __str__(self):", f"        return str(self.{fields[0][0]})", ""]
    return "\n".join(lines).rstrip() + "\n"


def build(rng: random.Random) -> Project:
    app = rng.choice(list(APPS))
    site = rng.choice(PROJECTS)
    models = APPS[app]
    first, second = models[0][0], models[1][0]
    lower = first.lower()
    paginate = rng.choice([10, 20, 25])
    debug = rng.choice([True, False])
    tz = rng.choice(["UTC", "Europe/Paris", "America/New_York", "Europe/Berlin"])
    db_engine = rng.choice(["sqlite3", "postgresql"])
    has_todo = rng.random() < 0.5

    views = (
        "\n".join(
            [
                "from django.shortcuts import get_object_or_404, render",
                "from django.views.generic import DetailView, ListView",
                "",
                f"from .models import {first}, {second}",
                "",
                "",
                f"class {first}ListView(ListView):",
                f"    model = {first}",
                f"    paginate_by = {paginate}",
                "",
                "",
                f"class {first}DetailView(DetailView):",
                f"    model = {first}",
                "",
                "",
                f"def {second.lower()}_list(request, pk):",
                f"    {lower} = get_object_or_404({first}, pk=pk)",
                *(["    # TODO: filter out hidden entries"] if has_todo else []),
                f"    items = {second}.objects.filter({lower}={lower})"
                if any(f == lower for f, _ in models[1][1])
                else f"    items = {second}.objects.all()",
                f'    return render(request, "{app}/{second.lower()}_list.html", {{"items": items}})',
            ]
        )
        + "\n"
    )
    urls = (
        "\n".join(
            [
                "from django.urls import path",
                "",
                "from . import views",
                "",
                f'app_name = "{app}"',
                "urlpatterns = [",
                f'    path("", views.{first}ListView.as_view(), name="{lower}-list"),',
                f'    path("<int:pk>/", views.{first}DetailView.as_view(), name="{lower}-detail"),',
                f'    path("<int:pk>/{second.lower()}s/", views.{second.lower()}_list, name="{second.lower()}-list"),',
                "]",
            ]
        )
        + "\n"
    )
    admin = (
        "\n".join(
            [
                "from django.contrib import admin",
                "",
                f"from .models import {first}, {second}",
                "",
                f"admin.site.register({first})",
                f"admin.site.register({second})",
            ]
        )
        + "\n"
    )
    settings = (
        "\n".join(
            [
                "from pathlib import Path",
                "",
                "BASE_DIR = Path(__file__).resolve().parent.parent",
                'SECRET_KEY = "django-insecure-change-me"',
                f"DEBUG = {debug}",
                'ALLOWED_HOSTS = ["localhost"]',
                "",
                "INSTALLED_APPS = [",
                '    "django.contrib.admin",',
                '    "django.contrib.auth",',
                '    "django.contrib.contenttypes",',
                '    "django.contrib.staticfiles",',
                f'    "{app}",',
                "]",
                "",
                "DATABASES = {",
                '    "default": {',
                f'        "ENGINE": "django.db.backends.{db_engine}",',
                '        "NAME": BASE_DIR / "db.sqlite3",'
                if db_engine == "sqlite3"
                else f'        "NAME": "{app}",',
                "    }",
                "}",
                f'TIME_ZONE = "{tz}"',
                "USE_TZ = True",
            ]
        )
        + "\n"
    )
    test_name = f"test_{lower}_list_page"
    tests = (
        "\n".join(
            [
                "from django.test import TestCase",
                "from django.urls import reverse",
                "",
                "",
                f"class {first}ViewTests(TestCase):",
                f"    def {test_name}(self):",
                f'        response = self.client.get(reverse("{app}:{lower}-list"))',
                "        self.assertEqual(response.status_code, 200)",
                "",
                f"    def test_missing_{lower}_returns_404(self):",
                f'        response = self.client.get(reverse("{app}:{lower}-detail", args=[999]))',
                "        self.assertEqual(response.status_code, 404)",
            ]
        )
        + "\n"
    )

    field_names = ", ".join(f for f, _ in models[0][1])
    files = [
        SourceFile(
            f"{app}/models.py",
            _models_py(models),
            f"defines the {first} and {second} models",
            (f"the {app} models module", f"the models file of the {app} app", "models.py"),
        ),
        SourceFile(
            f"{app}/views.py",
            views,
            f"has {first}ListView (paginated by {paginate}), {first}DetailView and the "
            f"{second.lower()}_list function view",
            (f"the {app} views module", "views.py"),
        ),
        SourceFile(
            f"{app}/urls.py",
            urls,
            f'routes three URLs under the "{app}" namespace, including {lower}-list and {lower}-detail',
            (f"the {app} url conf", "urls.py", f"the {app} urls module"),
        ),
        SourceFile(
            f"{app}/admin.py",
            admin,
            f"registers {first} and {second} with the admin site",
            ("the admin file", "admin.py"),
        ),
        SourceFile(
            f"{site}/settings.py",
            settings,
            f'sets DEBUG = {debug}, uses the {db_engine} database and TIME_ZONE "{tz}"',
            ("the settings", "the Django settings", "settings.py"),
        ),
        SourceFile(
            f"{app}/tests/test_views.py",
            tests,
            f"has {first}ViewTests with {test_name} and test_missing_{lower}_returns_404",
            ("the view tests",),
        ),
    ]
    other = [
        "manage.py",
        f"{site}/__init__.py",
        f"{site}/urls.py",
        f"{site}/wsgi.py",
        f"{site}/asgi.py",
        f"{app}/__init__.py",
        f"{app}/apps.py",
        f"{app}/tests/__init__.py",
        f"{app}/migrations/__init__.py",
        f"{app}/migrations/0001_initial.py",
        f"{app}/migrations/0002_{second.lower()}.py",
        f"{app}/templates/{app}/{lower}_list.html",
        f"{app}/templates/{app}/{lower}_detail.html",
        "requirements.txt",
        "README.md",
    ]
    n_tests = 2
    secs = rng.choice(["0.012", "0.034", "0.051", "0.108"])
    ok_out = (
        f"Found {n_tests} test(s).\nCreating test database for alias 'default'...\n"
        f"System check identified no issues (0 silenced).\n..\n"
        f"----------------------------------------------------------------------\n"
        f"Ran {n_tests} tests in {secs}s\n\nOK\nDestroying test database for alias 'default'..."
    )
    fail_out = (
        f"Found {n_tests} test(s).\nCreating test database for alias 'default'...\n"
        f"F.\n======================================================================\n"
        f"FAIL: {test_name} ({app}.tests.test_views.{first}ViewTests.{test_name})\n"
        f"----------------------------------------------------------------------\n"
        f"Traceback (most recent call last):\n"
        f'  File "{app}/tests/test_views.py", line 8, in {test_name}\n'
        f"    self.assertEqual(response.status_code, 200)\nAssertionError: 302 != 200\n\n"
        f"----------------------------------------------------------------------\n"
        f"Ran {n_tests} tests in {secs}s\n\nFAILED (failures=1)"
    )
    new_field = rng.choice(["slug", "updated_at", "is_featured", "notes"])
    migration = f"0003_{lower}_{new_field}"
    passing = rng.random() < 0.6
    commands = [
        CommandCase(
            (
                f"run the {app} tests",
                "run the django tests",
                f"[execute|run] manage.py test for {app}",
                f"do the {app} tests pass",
                "are the tests passing",
            ),
            f"python manage.py test {app}",
            ok_out if passing else fail_out,
            f"All {n_tests} tests in {app} passed."
            if passing
            else f"1 of {n_tests} tests failed: {test_name} got status 302 instead of 200 "
            f"({app}/tests/test_views.py, line 8).",
            0 if passing else 1,
        ),
        CommandCase(
            (
                "run the django system check",
                "check the project for configuration problems",
                "does manage.py check report anything",
            ),
            "python manage.py check",
            "System check identified no issues (0 silenced).",
            "The system check found no issues.",
        ),
        CommandCase(
            (
                f"show [the|which] migrations [for {app}|of the {app} app]",
                f"which {app} migrations are applied",
                "list the migrations and whether they ran",
            ),
            f"python manage.py showmigrations {app}",
            f"{app}\n [X] 0001_initial\n [X] 0002_{second.lower()}\n [ ] {migration}",
            f"0001_initial and 0002_{second.lower()} are applied; {migration} is not applied yet.",
        ),
        CommandCase(
            (
                f"make the migrations for {app}",
                f"create a migration for the new {new_field} field",
                "generate migrations for my model changes",
            ),
            f"python manage.py makemigrations {app}",
            f"Migrations for '{app}':\n  {app}/migrations/{migration}.py\n    - Add field {new_field} to {lower}",
            f"Created {app}/migrations/{migration}.py, which adds the {new_field} field to {first}.",
        ),
        CommandCase(
            ("apply the migrations", "migrate the database", "run migrate"),
            "python manage.py migrate",
            f"Operations to perform:\n  Apply all migrations: admin, auth, contenttypes, {app}\n"
            f"Running migrations:\n  Applying {app}.{migration}... OK",
            f"Applied {app}.{migration}; the database is up to date.",
        ),
    ]
    edits = [
        EditCase(
            (
                "[turn off|disable] debug [mode|] in [the settings|settings.py]",
                "set DEBUG to False" if debug else "set DEBUG to True",
                "switch DEBUG [off|on] in {path}".replace("[off|on]", "off" if debug else "on"),
            ),
            f"{site}/settings.py",
            f"DEBUG = {debug}",
            f"DEBUG = {not debug}",
            f"DEBUG is now {not debug} in {site}/settings.py.",
        ),
        EditCase(
            (
                f"change the pagination of {first}ListView to {paginate * 2}",
                f"show {paginate * 2} items per page in the {lower} list",
                f"set paginate_by to {paginate * 2}",
            ),
            f"{app}/views.py",
            f"    paginate_by = {paginate}",
            f"    paginate_by = {paginate * 2}",
            f"{first}ListView now paginates by {paginate * 2}.",
        ),
        EditCase(
            (
                f"set the time zone to {'UTC' if tz != 'UTC' else 'Europe/London'}",
                f"change TIME_ZONE to {'UTC' if tz != 'UTC' else 'Europe/London'} in the settings",
            ),
            f"{site}/settings.py",
            f'TIME_ZONE = "{tz}"',
            f'TIME_ZONE = "{"UTC" if tz != "UTC" else "Europe/London"}"',
            f'TIME_ZONE is now "{"UTC" if tz != "UTC" else "Europe/London"}".',
        ),
    ]
    form = (
        f"from django import forms\n\nfrom .models import {first}\n\n\nclass {first}Form(forms.ModelForm):\n"
        f"    class Meta:\n        model = {first}\n        fields = [{', '.join(repr(f) for f, _ in models[0][1][:2])}]\n"
    )
    writes = [
        WriteCase(
            (
                f"create a ModelForm for {first} in {app}/forms.py",
                f"add a forms.py with a {first}Form",
                f"write a django form for the {first} model",
            ),
            f"{app}/forms.py",
            form.replace("'", '"'),
            f"Created {app}/forms.py with {first}Form (fields: {', '.join(f for f, _ in models[0][1][:2])}).",
        ),
    ]
    del field_names
    return Project("django", files, other, commands, edits, writes)
