"""A math and statistics helper API: descriptive statistics, quadratic roots, compound interest."""

# ruff: noqa: E501 - data tables read better unwrapped

from __future__ import annotations

import random
import statistics

from punie.data.generator.toolsets.base import (
    CallCase,
    Question,
    ToolSet,
    Unsupported,
    array,
    integer,
    make_tool,
    number,
    one_call,
    request,
    to_json,
)

MEASURES = ["mean", "median", "stdev", "min", "max", "sum"]

MATH = (
    make_tool(
        "calculate_statistics",
        "Descriptive statistics of a list of numbers.",
        {
            "numbers": array("The data.", {"type": "number"}),
            "measures": array("Which measures (default all).", {"type": "string", "enum": MEASURES}),
        },
        ["numbers"],
    ),
    make_tool(
        "solve_quadratic",
        "Real roots of a*x^2 + b*x + c = 0.",
        {"a": number("Coefficient of x^2."), "b": number("Coefficient of x."), "c": number("Constant term.")},
        ["a", "b", "c"],
    ),
    make_tool(
        "compound_interest",
        "Final balance of a deposit with compound interest.",
        {
            "principal": number("Starting amount."),
            "annual_rate": number("Yearly interest rate in percent, e.g. 5 for 5%."),
            "years": integer("Number of years."),
            "compounds_per_year": integer("Compounding periods per year (default 1)."),
        },
        ["principal", "annual_rate", "years"],
    ),
)


def _measure(name: str, data: list[int]) -> float:
    functions = {
        "mean": statistics.mean,
        "median": statistics.median,
        "stdev": statistics.stdev,
        "min": min,
        "max": max,
        "sum": sum,
    }
    return round(float(functions[name](data)), 2)


def calculate_statistics(rng: random.Random) -> CallCase:
    data = [rng.randrange(1, 100) for _ in range(rng.randrange(4, 9))]
    shown = ", ".join(str(v) for v in data)
    wanted = rng.sample(MEASURES[:3], rng.choice((1, 2)))
    text = request(
        rng.choice(
            (
                "what's the {measures} of {data}",
                "[compute|calculate|give me] the {measures} of these numbers: {data}",
            )
        ),
        rng,
        measures=" and ".join(wanted),
        data=shown,
    )
    values = {name: _measure(name, data) for name in wanted}
    result = to_json({"count": len(data), **values})
    answer = "; ".join(f"{name} {value}" for name, value in values.items()).capitalize() + "."
    arguments = {"numbers": data, "measures": wanted}
    return one_call(
        text, "calculate_statistics", arguments, result, answer, tuple(str(v) for v in values.values())
    )


def _equation(a: int, b: int, c: int) -> str:
    """`2x^2 - 3x + 1 = 0` (zero terms left out)."""
    text = {1: "x^2", -1: "-x^2"}.get(a, f"{a}x^2")
    for coefficient, suffix in ((b, "x"), (c, "")):
        if coefficient:
            magnitude = "" if abs(coefficient) == 1 and suffix else str(abs(coefficient))
            text += f" {'+' if coefficient > 0 else '-'} {magnitude}{suffix}"
    return text + " = 0"


def solve_quadratic(rng: random.Random) -> CallCase:
    a = rng.choice((1, 1, 2, -1))
    first, second = rng.randrange(-6, 7), rng.randrange(-6, 7)
    b, c = -a * (first + second), a * first * second
    equation = _equation(a, b, c)
    text = request(
        rng.choice(
            ("solve {equation}", "find the roots of {equation}", "what are the solutions of {equation}")
        ),
        rng,
        equation=equation,
    )
    roots = sorted({first, second})
    result = to_json({"roots": roots, "discriminant": b * b - 4 * a * c})
    answer = f"x = {roots[0]}." if len(roots) == 1 else f"x = {roots[0]} or x = {roots[1]}."
    return one_call(
        text,
        "solve_quadratic",
        {"a": a, "b": b, "c": c},
        result,
        answer,
        tuple(str(r) for r in roots),
        ("a", "b", "c"),
    )


def compound_interest(rng: random.Random) -> CallCase:
    principal = rng.choice((1000, 2500, 5000, 10000))
    rate = rng.choice((2, 3.5, 4, 5, 6.25))
    years = rng.choice((3, 5, 10, 20))
    arguments: dict[str, object] = {"principal": principal, "annual_rate": rate, "years": years}
    per_year = rng.choice((0, 0, 4, 12))
    if per_year:
        arguments["compounds_per_year"] = per_year
    text = request(
        rng.choice(
            (
                "how much will {principal} grow to at {rate}% [a year|per year|annual interest] after {years} years{often}",
                "compound interest on {principal} at {rate}% for {years} years{often}",
            )
        ),
        rng,
        principal=principal,
        rate=rate,
        years=years,
        often={0: "", 4: ", compounded quarterly", 12: ", compounded monthly"}[per_year],
    )
    periods = per_year or 1
    final = round(principal * (1 + rate / 100 / periods) ** (periods * years), 2)
    result = to_json({"final_amount": final, "interest_earned": round(final - principal, 2)})
    answer = f"It grows to {final}, which is {round(final - principal, 2)} in interest."
    return one_call(
        text, "compound_interest", arguments, result, answer, (str(final),), ("compounds_per_year",)
    )


MATH_SET = ToolSet(
    name="math_stats",
    tools=MATH,
    capabilities={
        "calculate_statistics": "compute statistics of numbers",
        "solve_quadratic": "solve quadratic equations",
        "compound_interest": "compute compound interest",
    },
    scenarios={
        "calculate_statistics": (calculate_statistics,),
        "solve_quadratic": (solve_quadratic,),
        "compound_interest": (compound_interest,),
    },
    questions=(
        Question(
            ("what's the difference between mean and median", "mean vs median"),
            "The mean is the sum divided by the count; the median is the middle value when sorted, so it is not "
            "pulled by outliers.",
        ),
        Question(
            ("what is standard deviation",),
            "Standard deviation measures how far values typically are from the mean: the square root of the average squared deviation.",
        ),
        Question(
            ("what is a prime number",),
            "A whole number greater than 1 whose only divisors are 1 and itself, like 2, 3, 5, 7 and 11.",
        ),
        Question(
            ("what does the quadratic formula say", "what's the quadratic formula"),
            "For ax² + bx + c = 0, x = (-b ± √(b² - 4ac)) / (2a).",
        ),
        Question(
            ("solve 2x + y = 5 and x - y = 1", "what are x and y if 2x + y = 5 and x - y = 1"),
            "Adding the equations gives 3x = 6, so x = 2 and y = 1.",
        ),
    ),
    unsupported=(
        Unsupported(
            ("plot a histogram of 3, 7, 7, 9, 12", "draw a chart of these numbers: 4, 8, 15, 16"),
            "draw charts",
        ),
        Unsupported(
            ("fit a linear regression to these points: (1, 2), (2, 4), (3, 7)",), "fit regression models"
        ),
        Unsupported(("save these numbers to a spreadsheet",), "save spreadsheets"),
    ),
    aliases={
        "calculate_statistics": ("describe_numbers", "stats_summary", "calculateStatistics"),
        "solve_quadratic": ("quadratic_roots", "solve_equation", "solveQuadratic"),
        "compound_interest": ("calculate_compound_interest", "interest_calculator", "compoundInterest"),
    },
    workspace_overlap=True,
)
