"""A Celery worker setup: the app with broker and beat schedule, tasks with retries, and worker commands."""

# ruff: noqa: E501 - data tables and generated file contents read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.project import CommandCase, EditCase, Project, SourceFile, WriteCase

TASKS = {
    "emails": [("send_welcome_email", "user_id"), ("send_password_reset", "user_id, token")],
    "reports": [("build_daily_report", "day"), ("export_csv", "report_id")],
    "images": [("make_thumbnail", "image_id, size=256"), ("strip_exif", "image_id")],
    "billing": [("charge_invoice", "invoice_id"), ("retry_failed_payments", "")],
    "sync": [("sync_inventory", "warehouse_id"), ("pull_exchange_rates", "")],
}
PACKAGES = ("proj", "worker", "app", "jobs")


def build(rng: random.Random) -> Project:
    pkg = rng.choice(PACKAGES)
    group = rng.choice(list(TASKS))
    tasks = TASKS[group]
    broker = rng.choice(["redis://localhost:6379/0", "amqp://guest@localhost//", "redis://redis:6379/1"])
    retries = rng.choice([3, 5])
    hour = rng.choice([2, 3, 6])
    periodic = tasks[1][0]
    celery_py = (
        "\n".join(
            [
                "from celery import Celery",
                "from celery.schedules import crontab",
                "",
                f'app = Celery("{pkg}", broker="{broker}", include=["{pkg}.{group}"])',
                "app.conf.update(",
                "    task_acks_late=True,",
                "    worker_prefetch_multiplier=1,",
                '    timezone="UTC",',
                ")",
                "app.conf.beat_schedule = {",
                f'    "{periodic.replace("_", "-")}-nightly": {{',
                f'        "task": "{pkg}.{group}.{periodic}",',
                f'        "schedule": crontab(hour={hour}, minute=0),',
                "    },",
                "}",
            ]
        )
        + "\n"
    )
    task_lines = [
        "import logging",
        "",
        "from celery import shared_task",
        "",
        "log = logging.getLogger(__name__)",
        "",
    ]
    first, first_args = tasks[0]
    task_lines += [
        "",
        f"@shared_task(bind=True, max_retries={retries}, default_retry_delay=60)",
        f"def {first}(self, {first_args}):",
        "    try:",
        f'        log.info("{first} started")',
        "    except ConnectionError as exc:",
        "        raise self.retry(exc=exc)",
    ]
    second, second_args = tasks[1]
    task_lines += ["", "", "@shared_task", f"def {second}({second_args}):", f'    log.info("{second} done")']
    tasks_py = "\n".join(task_lines) + "\n"
    files = [
        SourceFile(
            f"{pkg}/celery.py",
            celery_py,
            f"creates the Celery app with broker {broker} and schedules "
            f"{periodic} every day at {hour}:00 UTC",
            ("the celery app", "the celery config", "the celery module"),
        ),
        SourceFile(
            f"{pkg}/{group}.py",
            tasks_py,
            f"defines the tasks {first} (retries up to {retries} times) and {second}",
            (f"the {group} tasks module", "the tasks module"),
        ),
    ]
    other = [
        f"{pkg}/__init__.py",
        f"tests/test_{group}.py",
        "docker-compose.yml",
        "requirements.txt",
        "Procfile",
    ]
    host = rng.choice(["worker1", "celery-0", "w1", "box"])
    active_count = rng.randrange(0, 3)
    commands = [
        CommandCase(
            ("which tasks does the worker know", "list the registered celery tasks", "show registered tasks"),
            f"celery -A {pkg} inspect registered",
            f"->  celery@{host}: OK\n    * {pkg}.{group}.{first}\n    * {pkg}.{group}.{second}\n\n1 node online.",
            f"celery@{host} has two tasks registered: {pkg}.{group}.{first} and {pkg}.{group}.{second}.",
        ),
        CommandCase(
            ("is the celery worker up", "check the worker status", "are any workers online"),
            f"celery -A {pkg} status",
            f"->  celery@{host}: OK\n\n1 node online.",
            f"Yes, one worker is online: celery@{host}.",
        ),
        CommandCase(
            ("what is the worker doing right now", "show the active tasks", "any tasks running right now"),
            f"celery -A {pkg} inspect active",
            f"->  celery@{host}: OK\n"
            + (
                "    - empty -"
                if active_count == 0
                else "\n".join(
                    f"    * {{'id': '{rng.randrange(16**8):08x}-…', 'name': '{pkg}.{group}.{first}', "
                    f"'args': [{rng.randrange(100, 999)}]}}"
                    for _ in range(active_count)
                )
            ),
            "No tasks are running on the worker."
            if active_count == 0
            else f"{active_count} {first} task{'s are' if active_count > 1 else ' is'} running on celery@{host}.",
        ),
        CommandCase(
            (f"run the {group} task tests", "test the celery tasks"),
            f"pytest tests/test_{group}.py -q",
            "..                                                                       [100%]\n2 passed in 0.27s",
            "Both task tests passed.",
        ),
    ]
    new_retries = retries + 2
    edits = [
        EditCase(
            (f"let {first} retry {new_retries} times", f"increase max_retries for {first} to {new_retries}"),
            f"{pkg}/{group}.py",
            f"max_retries={retries}",
            f"max_retries={new_retries}",
            f"{first} now retries up to {new_retries} times.",
        ),
        EditCase(
            (f"run {periodic} at {hour + 1}am instead", f"move the nightly {periodic} to {hour + 1}:00"),
            f"{pkg}/celery.py",
            f"crontab(hour={hour}, minute=0)",
            f"crontab(hour={hour + 1}, minute=0)",
            f"{periodic} is now scheduled at {hour + 1}:00 UTC.",
        ),
    ]
    writes = [
        WriteCase(
            ("add a cleanup task that deletes old results", f"create {pkg}/cleanup.py with a purge task"),
            f"{pkg}/cleanup.py",
            "from celery import shared_task\n\n\n@shared_task\ndef purge_old_results(days=30):\n"
            '    """Delete task results older than `days`."""\n    return days\n',
            f"Created {pkg}/cleanup.py with the purge_old_results task; add it to the app's include list.",
        ),
    ]
    return Project("celery", files, other, commands, edits, writes)
