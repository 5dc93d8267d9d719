"""A database admin API: list tables, describe a table, run SQL."""

# ruff: noqa: E501 - data tables read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.phrasing import listing
from punie.data.generator.toolsets.base import (
    CallCase,
    Question,
    ToolSet,
    Unsupported,
    boolean,
    make_tool,
    one_call,
    request,
    string,
    to_json,
)

DATABASES = ("analytics", "shop_prod", "inventory", "crm")
TABLES = {
    "orders": [
        ("id", "bigint"),
        ("customer_id", "bigint"),
        ("total", "numeric(10,2)"),
        ("created_at", "timestamptz"),
    ],
    "customers": [("id", "bigint"), ("email", "text"), ("name", "text"), ("country", "char(2)")],
    "invoices": [("id", "bigint"), ("order_id", "bigint"), ("amount", "numeric(10,2)"), ("paid", "boolean")],
    "products": [("id", "bigint"), ("sku", "text"), ("price", "numeric(10,2)"), ("stock", "integer")],
}

DATABASE = (
    make_tool(
        "list_tables",
        "List the tables of a database.",
        {"database": string("Database name."), "schema": string("Schema name (default public).")},
        ["database"],
    ),
    make_tool(
        "describe_table",
        "Show a table's columns and types.",
        {"database": string("Database name."), "table": string("Table name.")},
        ["database", "table"],
    ),
    make_tool(
        "run_sql_query",
        "Run one SQL statement and return the rows.",
        {
            "database": string("Database name."),
            "query": string("The SQL statement."),
            "read_only": boolean("Run in a read-only transaction."),
        },
        ["database", "query"],
    ),
)


def list_tables(rng: random.Random) -> CallCase:
    database = rng.choice(DATABASES)
    arguments: dict[str, object] = {"database": database}
    schema = rng.choice(("", "", "public", "billing"))
    if schema:
        arguments["schema"] = schema
    text = request(
        rng.choice(
            (
                "[list|show] the tables in [the |]{database} [database|db]{schema}",
                "what tables does {database} have{schema}",
            )
        ),
        rng,
        database=database,
        schema=f" in the {schema} schema" if schema else "",
    )
    names = rng.sample(list(TABLES), rng.choice((2, 3, 4)))
    result = to_json({"database": database, "tables": names})
    return one_call(
        text,
        "list_tables",
        arguments,
        result,
        f"{database} has {len(names)} tables: {listing(names)}.",
        tuple(names),
    )


def describe_table(rng: random.Random) -> CallCase:
    database, table = rng.choice(DATABASES), rng.choice(list(TABLES))
    text = request(
        rng.choice(
            (
                "describe the {table} table in {database}",
                "what columns does {table} have in [the |]{database} [db|database]",
                "show me the schema of {table} on {database}",
            )
        ),
        rng,
        table=table,
        database=database,
    )
    columns = TABLES[table]
    result = "\n".join(f"{name}\t{kind}" for name, kind in columns)
    answer = (
        f"{table} has {len(columns)} columns: "
        + ", ".join(f"{name} ({kind})" for name, kind in columns)
        + "."
    )
    return one_call(
        text,
        "describe_table",
        {"database": database, "table": table},
        result,
        answer,
        tuple(n for n, _ in columns),
    )


def run_sql_query(rng: random.Random) -> CallCase:
    database, table = rng.choice(DATABASES), rng.choice(list(TABLES))
    count = rng.randrange(0, 50000)
    if rng.random() < 0.5:
        text = request(
            rng.choice(
                (
                    "how many rows are in {table} [in|on] {database}",
                    "count the {table} in [the |]{database} [database|db]",
                )
            ),
            rng,
            table=table,
            database=database,
        )
        query, derived = f"SELECT COUNT(*) FROM {table};", ("query", "read_only")
    else:
        query = f"SELECT COUNT(*) FROM {table} WHERE id > {rng.randrange(1, 500)};"
        text = request(
            "[run|execute] {query} on {database}{ro}",
            rng,
            query=query,
            database=database,
            ro=" read-only" if rng.random() < 0.4 else "",
        )
        derived = ("read_only",)
    arguments: dict[str, object] = {"database": database, "query": query}
    if "read-only" in text:
        arguments["read_only"] = True
    result = f"count\n-----\n{count}\n(1 row)"
    return one_call(
        text, "run_sql_query", arguments, result, f"The query returned {count}.", (str(count),), derived
    )


DATABASE_SET = ToolSet(
    name="database",
    tools=DATABASE,
    capabilities={
        "list_tables": "list database tables",
        "describe_table": "describe a table's columns",
        "run_sql_query": "run SQL queries",
    },
    scenarios={
        "list_tables": (list_tables,),
        "describe_table": (describe_table,),
        "run_sql_query": (run_sql_query,),
    },
    questions=(
        Question(
            ("what is a primary key",),
            "A primary key is a column (or set of columns) whose value uniquely identifies each row; it can't be null.",
        ),
        Question(
            ("what's the difference between INNER JOIN and LEFT JOIN", "inner join vs left join"),
            "INNER JOIN keeps only rows that match in both tables; LEFT JOIN keeps every row of the left table and "
            "fills the right side with NULL when there's no match.",
        ),
        Question(
            ("what is database normalization",),
            "Normalization splits data into tables so each fact is stored once, which avoids duplicates and update anomalies.",
        ),
        Question(
            ("what does an index do in a database", "why add an index"),
            "An index is a sorted lookup structure (usually a B-tree) that finds rows without scanning the whole table, at the cost of slower writes.",
        ),
    ),
    unsupported=(
        Unsupported(
            ("resize the {database} server to 8 GB of RAM", "scale up the {database} database server"),
            "resize database servers",
            {"database": DATABASES},
        ),
        Unsupported(
            ("restore {database} from last night's backup",), "restore backups", {"database": DATABASES}
        ),
        Unsupported(
            ("[show|graph] the CPU usage of the {database} server",),
            "show server metrics",
            {"database": DATABASES},
        ),
    ),
    aliases={
        "list_tables": ("show_tables", "db_list_tables", "listTables"),
        "describe_table": ("table_schema", "get_table_columns", "describeTable"),
        "run_sql_query": ("execute_sql", "sql_query", "runQuery"),
    },
    workspace_overlap=True,
    substitutes=("list_tables", "describe_table"),
)
