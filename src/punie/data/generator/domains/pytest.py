"""A small library with a pytest suite: fixtures, parametrised tests, markers and failing runs."""

# ruff: noqa: E501 - data tables and generated file contents read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.project import CommandCase, EditCase, Project, SourceFile, WriteCase

# module -> (functions with bodies, a buggy expectation used by the failing run)
MODULES: dict[str, list[tuple[str, str, str]]] = {
    "pricing": [
        ("apply_discount", "price, percent", "return round(price * (1 - percent / 100), 2)"),
        ("add_tax", "price, rate=0.2", "return round(price * (1 + rate), 2)"),
    ],
    "text": [
        ("slugify", "title", 'return "-".join(title.lower().split())'),
        ("truncate", "text, limit=20", 'return text if len(text) <= limit else text[: limit - 1] + "…"'),
    ],
    "dates": [
        ("is_weekend", "day", "return day.weekday() >= 5"),
        ("quarter", "day", "return (day.month - 1) // 3 + 1"),
    ],
    "stats": [
        ("mean", "values", "return sum(values) / len(values)"),
        (
            "median",
            "values",
            "ordered = sorted(values)\n    mid = len(ordered) // 2\n    return ordered[mid]",
        ),
    ],
    "parsing": [
        ("parse_bool", "value", 'return value.strip().lower() in {"1", "true", "yes"}'),
        (
            "parse_size",
            "value",
            'number, unit = value[:-2], value[-2:]\n    return int(number) * {"kb": 1024, '
            '"mb": 1024**2}[unit.lower()]',
        ),
    ],
}
CASES = {
    "apply_discount": ("apply_discount(100, 15)", "85.0"),
    "add_tax": ("add_tax(10)", "12.0"),
    "slugify": ('slugify("Hello World")', '"hello-world"'),
    "truncate": ('truncate("short")', '"short"'),
    "is_weekend": ("is_weekend(date(2024, 6, 8))", "True"),
    "quarter": ("quarter(date(2024, 5, 1))", "2"),
    "mean": ("mean([1, 2, 3, 4])", "2.5"),
    "median": ("median([1, 2, 3, 4])", "2.5"),
    "parse_bool": ('parse_bool(" Yes ")', "True"),
    "parse_size": ('parse_size("2kb")', "2048"),
}
# what the failing run reports for the second function of each module
WRONG = {"add_tax": "12.01", "truncate": '"shor…"', "quarter": "1", "median": "3", "parse_size": "2000"}
LIBS = ("toolkit", "utils", "corelib", "helpers", "mylib")


def build(rng: random.Random) -> Project:
    lib = rng.choice(LIBS)
    module = rng.choice(list(MODULES))
    funcs = MODULES[module]
    src_lines = []
    if module == "dates":
        src_lines += ["from datetime import date", ""]
    for name, args, body in funcs:
        src_lines += ["", f"def {name}({args}):", f"    {body}", ""]
    source = "\n".join(src_lines).strip() + "\n"
    imports = ", ".join(name for name, _, _ in funcs)
    test_lines = ["import pytest", ""]
    if module == "dates":
        test_lines += ["from datetime import date", ""]
    test_lines += [f"from {lib}.{module} import {imports}", ""]
    for name, _, _ in funcs:
        call, expected = CASES[name]
        test_lines += ["", f"def test_{name}():", f"    assert {call} == {expected}"]
    test_lines += [
        "",
        "",
        "@pytest.mark.slow",
        f"def test_{funcs[0][0]}_many_values(big_input):",
        f"    assert all({funcs[0][0]} is not None for _ in big_input)",
    ]
    tests = "\n".join(test_lines) + "\n"
    failing = funcs[1][0]
    fail_line = (
        next(i for i, line in enumerate(tests.splitlines(), 1) if line.startswith(f"def test_{failing}(")) + 1
    )
    conftest = (
        "\n".join(
            [
                "import pytest",
                "",
                "",
                '@pytest.fixture(scope="session")',
                "def big_input():",
                "    return list(range(10_000))",
            ]
        )
        + "\n"
    )
    pytest_ini = "[pytest]\naddopts = -ra\nmarkers =\n    slow: takes more than a second\ntestpaths = tests\n"
    files = [
        SourceFile(
            f"src/{lib}/{module}.py",
            source,
            f"defines {funcs[0][0]} and {funcs[1][0]}",
            (f"the {module} module",),
        ),
        SourceFile(
            f"tests/test_{module}.py",
            tests,
            f"tests {funcs[0][0]} and {funcs[1][0]}, plus a slow test using the big_input fixture",
            (f"the {module} tests",),
        ),
        SourceFile(
            "tests/conftest.py",
            conftest,
            "defines the session-scoped big_input fixture",
            ("the conftest", "conftest.py", "the conftest file"),
        ),
        SourceFile(
            "pytest.ini",
            pytest_ini,
            "registers the slow marker and sets testpaths = tests",
            ("the pytest config", "pytest.ini"),
        ),
    ]
    other = [
        f"src/{lib}/__init__.py",
        "tests/__init__.py",
        "pyproject.toml",
        "README.md",
        ".github/workflows/ci.yml",
    ]
    got = WRONG[failing]
    call, expected = CASES[failing]
    n_ok = 2
    fail_out = (
        f"..F.                                                                     [100%]\n"
        f"=================================== FAILURES ===================================\n"
        f"{'_' * 20} test_{failing} {'_' * 20}\n\n    def test_{failing}():\n"
        f">       assert {call} == {expected}\nE       AssertionError: assert {got} == {expected}\n\n"
        f"tests/test_{module}.py:{fail_line}: AssertionError\n"
        f"=========================== short test summary info ============================\n"
        f"FAILED tests/test_{module}.py::test_{failing} - AssertionError: assert {got} == {expected}\n"
        f"========================= 1 failed, {n_ok + 1} passed in 0.09s ========================="
    )
    collected = "\n".join(f"tests/test_{module}.py::test_{name}" for name, _, _ in funcs)
    collected += f"\ntests/test_{module}.py::test_{funcs[0][0]}_many_values\n\n4 tests collected in 0.01s"
    cov = rng.randrange(62, 99)
    commands = [
        CommandCase(
            (
                "run the tests",
                "run pytest",
                "run the whole test suite",
                "are the tests passing",
                "test everything",
            ),
            "pytest",
            fail_out,
            f"test_{failing} fails: {call} returned {got}, expected {expected} (tests/test_{module}.py:{fail_line}); "
            f"the other {n_ok + 1} tests pass.",
            1,
        ),
        CommandCase(
            ("rerun only the failed tests", "run the last failures again", "re-run what failed"),
            "pytest --lf -q",
            f"F                                                                        [100%]\n"
            f"FAILED tests/test_{module}.py::test_{failing} - AssertionError: assert {got} == {expected}\n"
            "1 failed in 0.05s",
            f"test_{failing} still fails ({got} != {expected}).",
            1,
        ),
        CommandCase(
            (
                "list the tests without running them",
                "which tests does pytest collect",
                "collect the tests only",
            ),
            "pytest --collect-only -q",
            collected,
            f"pytest collects 4 tests, all in tests/test_{module}.py: "
            + ", ".join(f"test_{n}" for n, _, _ in funcs)
            + f" and test_{funcs[0][0]}_many_values.",
        ),
        CommandCase(
            ("what's the test coverage", "run the tests with coverage", f"how well is {lib} covered"),
            f"pytest --cov={lib} -q",
            f"....                                                                     [100%]\n"
            f"---------- coverage: platform linux, python 3.12.3 ----------\n"
            f"Name                      Stmts   Miss  Cover\n"
            f"src/{lib}/__init__.py          0      0   100%\n"
            f"src/{lib}/{module}.py{'':>{max(1, 17 - len(module))}}8      {max(0, round(8 * (100 - cov) / 100))}"
            f"   {cov}%\nTOTAL                         8      {max(0, round(8 * (100 - cov) / 100))}   {cov}%\n"
            "4 passed in 0.31s",
            f"Coverage is {cov}% (src/{lib}/{module}.py is the only module with statements).",
        ),
        CommandCase(
            ("run only the slow tests", "run the tests marked slow"),
            "pytest -m slow -q",
            ".                                                                        [100%]\n"
            "1 passed, 3 deselected in 0.22s",
            f"The one slow test, test_{funcs[0][0]}_many_values, passed (3 others deselected).",
        ),
    ]
    edits = [
        EditCase(
            ("make the big_input fixture function-scoped", "change the scope of big_input to function"),
            "tests/conftest.py",
            '@pytest.fixture(scope="session")',
            '@pytest.fixture(scope="function")',
            "big_input is now function-scoped, so each test gets a fresh list.",
        ),
        EditCase(
            ("add --strict-markers to the pytest options", "make pytest fail on unknown markers"),
            "pytest.ini",
            "addopts = -ra",
            "addopts = -ra --strict-markers",
            "pytest.ini now passes --strict-markers, so unregistered markers are errors.",
        ),
    ]
    first = funcs[0][0]
    call0, expected0 = CASES[first]
    writes = [
        WriteCase(
            (
                f"write a parametrized test for {first}",
                f"add tests/test_{first}_params.py with pytest.mark.parametrize",
            ),
            f"tests/test_{first}_params.py",
            f"import pytest\n\nfrom {lib}.{module} import {first}\n\n\n"
            f'@pytest.mark.parametrize(("call", "expected"), [(lambda: {call0}, {expected0})])\n'
            f"def test_{first}(call, expected):\n    assert call() == expected\n",
            f"Created tests/test_{first}_params.py with a parametrized test_{first}.",
        ),
    ]
    return Project("pytest", files, other, commands, edits, writes)
