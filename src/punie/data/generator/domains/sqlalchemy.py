"""A SQLAlchemy 2.0 data layer: declarative models, a session factory, queries and Alembic migrations."""

# ruff: noqa: E501 - data tables and generated file contents read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.project import CommandCase, EditCase, Project, SourceFile, WriteCase

# (parent, child, parent columns, child columns)
SCHEMAS = [
    (
        "User",
        "Address",
        [("email", "String(120)", True), ("name", "String(50)", False)],
        [("street", "String(200)", False), ("city", "String(80)", False)],
    ),
    (
        "Customer",
        "Order",
        [("email", "String(120)", True), ("company", "String(100)", False)],
        [("total", "Numeric(10, 2)", False), ("status", "String(20)", False)],
    ),
    (
        "Author",
        "Book",
        [("name", "String(100)", False), ("country", "String(60)", False)],
        [("title", "String(200)", False), ("isbn", "String(13)", True)],
    ),
    (
        "Project",
        "Task",
        [("name", "String(80)", True), ("owner", "String(80)", False)],
        [("title", "String(150)", False), ("done", "Boolean", False)],
    ),
    (
        "Team",
        "Player",
        [("name", "String(60)", True), ("city", "String(60)", False)],
        [("name", "String(80)", False), ("number", "Integer", False)],
    ),
]
PY_TYPES = {"String": "str", "Numeric": "Decimal", "Boolean": "bool", "Integer": "int"}
PACKAGES = ("app", "db", "store", "models")


def _column(name: str, kind: str, unique: bool) -> str:
    py = PY_TYPES[kind.split("(")[0]]
    extra = ", unique=True" if unique else ""
    return f"    {name}: Mapped[{py}] = mapped_column({kind}{extra})"


def build(rng: random.Random) -> Project:
    parent, child, pcols, ccols = rng.choice(SCHEMAS)
    pkg = rng.choice(PACKAGES)
    ptable, ctable = parent.lower() + "s", child.lower() + "s"
    url = rng.choice(["sqlite:///app.db", "postgresql+psycopg://localhost/app", "sqlite:///./data.sqlite"])
    echo = rng.choice([True, False])
    types = sorted({kind.split("(")[0] for _, kind, _ in pcols + ccols})
    models = (
        "\n".join(
            [
                *(["from decimal import Decimal", ""] if "Numeric" in types else []),
                f"from sqlalchemy import ForeignKey, {', '.join(types)}",
                "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship",
                "",
                "",
                "class Base(DeclarativeBase):",
                "    pass",
                "",
                "",
                f"class {parent}(Base):",
                f'    __tablename__ = "{ptable}"',
                "",
                "    id: Mapped[int] = mapped_column(primary_key=True)",
                *[_column(*col) for col in pcols],
                f'    {ctable}: Mapped[list["{child}"]] = relationship(back_populates="{parent.lower()}")',
                "",
                "",
                f"class {child}(Base):",
                f'    __tablename__ = "{ctable}"',
                "",
                "    id: Mapped[int] = mapped_column(primary_key=True)",
                *[_column(*col) for col in ccols],
                f'    {parent.lower()}_id: Mapped[int] = mapped_column(ForeignKey("{ptable}.id"))',
                f'    {parent.lower()}: Mapped[{parent}] = relationship(back_populates="{ctable}")',
            ]
        )
        + "\n"
    )
    session = (
        "\n".join(
            [
                "from sqlalchemy import create_engine",
                "from sqlalchemy.orm import sessionmaker",
                "",
                f'engine = create_engine("{url}", echo={echo})',
                "SessionLocal = sessionmaker(bind=engine, expire_on_commit=False)",
            ]
        )
        + "\n"
    )
    key = pcols[0][0]
    queries = (
        "\n".join(
            [
                "from sqlalchemy import select",
                "from sqlalchemy.orm import Session, selectinload",
                "",
                f"from {pkg}.models import {parent}",
                "",
                "",
                f"def get_{parent.lower()}_by_{key}(session: Session, {key}: str) -> {parent} | None:",
                f"    return session.scalar(select({parent}).where({parent}.{key} == {key}))",
                "",
                "",
                f"def {ptable}_with_{ctable}(session: Session) -> list[{parent}]:",
                f"    return list(session.scalars(select({parent}).options(selectinload({parent}.{ctable}))))",
            ]
        )
        + "\n"
    )
    rev1, rev2 = f"{rng.randrange(16**6):06x}", f"{rng.randrange(16**6):06x}"
    migration = (
        "\n".join(
            [
                f'"""create {ptable} and {ctable}"""',
                "import sqlalchemy as sa",
                "from alembic import op",
                "",
                f'revision = "{rev1}"',
                "down_revision = None",
                "",
                "",
                "def upgrade() -> None:",
                f'    op.create_table("{ptable}", sa.Column("id", sa.Integer(), primary_key=True))',
                f'    op.create_table("{ctable}", sa.Column("id", sa.Integer(), primary_key=True))',
                "",
                "",
                "def downgrade() -> None:",
                f'    op.drop_table("{ctable}")',
                f'    op.drop_table("{ptable}")',
            ]
        )
        + "\n"
    )
    files = [
        SourceFile(
            f"{pkg}/models.py",
            models,
            f"defines Base and the {parent} and {child} models; {child} has a foreign key to {ptable}.id",
            ("the models module", "the ORM models file", "models.py"),
        ),
        SourceFile(
            f"{pkg}/session.py",
            session,
            f"creates the engine for {url} (echo={echo}) and SessionLocal",
            ("the session setup", "the engine config", "session.py"),
        ),
        SourceFile(
            f"{pkg}/queries.py",
            queries,
            f"has get_{parent.lower()}_by_{key} and {ptable}_with_{ctable}, "
            "which eager-loads with selectinload",
            ("the query helpers", "queries.py"),
        ),
        SourceFile(
            f"alembic/versions/{rev1}_create_{ptable}.py",
            migration,
            f"is revision {rev1}, creating the {ptable} and {ctable} tables",
            ("the first migration",),
        ),
    ]
    other = [
        f"{pkg}/__init__.py",
        "alembic.ini",
        "alembic/env.py",
        "alembic/script.py.mako",
        f"alembic/versions/{rev2}_add_{child.lower()}_index.py",
        "tests/test_queries.py",
        "pyproject.toml",
    ]
    new_col = rng.choice(["created_at", "notes", "archived"])
    commands = [
        CommandCase(
            (
                "which alembic revision is the database at",
                "what's the current migration",
                "check alembic current",
            ),
            "alembic current",
            f"INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\n{rev2} (head)",
            f"The database is at {rev2}, which is the head revision.",
        ),
        CommandCase(
            ("show the migration history", "list the alembic revisions"),
            "alembic history",
            f"{rev1} -> {rev2} (head), add {child.lower()} index\n<base> -> {rev1}, create {ptable} and {ctable}",
            f"There are two revisions: {rev1} (create {ptable} and {ctable}) and {rev2} (add {child.lower()} index, "
            "the head).",
        ),
        CommandCase(
            (
                f"autogenerate a migration for the new {new_col} column",
                f"create an alembic revision adding {new_col} to {ptable}",
            ),
            f'alembic revision --autogenerate -m "add {new_col} to {ptable}"',
            f"INFO  [alembic.autogenerate.compare] Detected added column '{ptable}.{new_col}'\n"
            f"  Generating alembic/versions/{rev2[::-1]}_add_{new_col}_to_{ptable}.py ...  done",
            f"Alembic detected the new {ptable}.{new_col} column and wrote "
            f"alembic/versions/{rev2[::-1]}_add_{new_col}_to_{ptable}.py.",
        ),
        CommandCase(
            ("upgrade the database to head", "apply all migrations", "run alembic upgrade"),
            "alembic upgrade head",
            f"INFO  [alembic.runtime.migration] Running upgrade {rev1} -> {rev2}, add {child.lower()} index",
            f"Upgraded from {rev1} to {rev2} (add {child.lower()} index).",
        ),
    ]
    ccol, ckind, _ = ccols[0]
    if ckind.startswith("String"):
        size = int(ckind[7:-1])
        widen = (f"make {child}.{ccol} longer", f"allow {size * 2} characters in {ctable}.{ccol}")
        edits = [
            EditCase(
                widen,
                f"{pkg}/models.py",
                f"mapped_column({ckind})",
                f"mapped_column(String({size * 2}))",
                f"{child}.{ccol} is now String({size * 2}); generate a migration to apply it.",
            )
        ]
    else:
        edits = []
    edits.append(
        EditCase(
            (
                "turn [on|off] sql echo".replace("[on|off]", "off" if echo else "on"),
                f"{'stop' if echo else 'start'} logging the SQL statements",
            ),
            f"{pkg}/session.py",
            f"echo={echo})",
            f"echo={not echo})",
            f"The engine now uses echo={not echo}.",
        )
    )
    writes = [
        WriteCase(
            (
                f"add a count_{ctable} helper in a new file",
                f"create {pkg}/counts.py with a function counting {ctable}",
            ),
            f"{pkg}/counts.py",
            f"from sqlalchemy import func, select\nfrom sqlalchemy.orm import Session\n\nfrom {pkg}.models import {child}"
            f"\n\n\ndef count_{ctable}(session: Session) -> int:\n"
            f"    return session.scalar(select(func.count()).select_from({child}))\n",
            f"Created {pkg}/counts.py with count_{ctable}, which runs SELECT count(*) on {ctable}.",
        ),
    ]
    return Project("sqlalchemy", files, other, commands, edits, writes)
