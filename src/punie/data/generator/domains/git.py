"""A git working copy of a Python project: status, log, diff, branches, blame and stash."""

# ruff: noqa: E501 - data tables and generated file contents read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.project import CommandCase, EditCase, Project, SourceFile, WriteCase

AUTHORS = ("Ana Lima", "Ben Ode", "Chen Wei", "Dara Kim", "Eli Moss", "Fay Kahn")
SUBJECTS = (
    "Fix off-by-one in pagination",
    "Add retry to HTTP client",
    "Bump version to {v}",
    "Refactor config loading",
    "Add tests for parser",
    "Drop Python 3.8 support",
    "Update README",
    "Handle empty input in slugify",
    "Use pathlib for file paths",
    "Cache settings lookup",
)
MODULES = ("client.py", "config.py", "parser.py", "cli.py", "utils.py", "models.py", "api.py")


def _sha(rng: random.Random) -> str:
    return f"{rng.randrange(16**7):07x}"


def build(rng: random.Random) -> Project:
    pkg = rng.choice(("app", "src/tool", "lib", "core"))
    modified = rng.sample(MODULES, 2)
    untracked = rng.choice(["notes.txt", "scratch.py", "tests/test_new.py", ".env"])
    branch = rng.choice(["main", "feature/login", "fix/pagination", "develop", "feat/cache"])
    others = [b for b in ("main", "develop", "feature/login", "fix/pagination", "feat/cache") if b != branch]
    shas = [_sha(rng) for _ in range(5)]
    subjects = [s.replace("{v}", f"1.{rng.randrange(9)}.0") for s in rng.sample(SUBJECTS, 5)]
    authors = [rng.choice(AUTHORS) for _ in range(5)]
    gitignore = "__pycache__/\n*.pyc\n.venv/\ndist/\n.pytest_cache/\n"
    path0 = f"{pkg}/{modified[0]}"
    old_line = rng.choice(["TIMEOUT = 10", "RETRIES = 2", "PAGE_SIZE = 20", "DEBUG = False"])
    key, value = old_line.split(" = ")
    new_value = {"10": "30", "2": "5", "20": "50", "False": "True"}[value]
    module_text = f'"""Shared settings."""\n\n{old_line}\nLOG_LEVEL = "INFO"\n'
    files = [
        SourceFile(
            ".gitignore",
            gitignore,
            "ignores __pycache__, *.pyc, .venv, dist and .pytest_cache",
            ("the gitignore", "the ignore file"),
        ),
        SourceFile(path0, module_text, f'sets {old_line} and LOG_LEVEL = "INFO"', ()),
    ]
    other = [f"{pkg}/{m}" for m in MODULES if m != modified[0]] + [
        "README.md",
        "pyproject.toml",
        "tests/test_app.py",
    ]
    status = (
        f"On branch {branch}\nChanges not staged for commit:\n"
        f'  (use "git add <file>..." to update what will be committed)\n'
        f"\tmodified:   {pkg}/{modified[0]}\n\tmodified:   {pkg}/{modified[1]}\n\n"
        f'Untracked files:\n  (use "git add <file>..." to include in what will be committed)\n\t{untracked}\n\n'
        'no changes added to commit (use "git add" and/or "git commit -a")'
    )
    log = "\n".join(f"{sha} {subject}" for sha, subject in zip(shas, subjects, strict=True))
    diff = (
        f"diff --git a/{path0} b/{path0}\nindex {shas[0]}..{shas[1]} 100644\n--- a/{path0}\n+++ b/{path0}\n"
        f'@@ -1,4 +1,4 @@\n """Shared settings."""\n \n-{key} = {new_value}\n+{old_line}\n LOG_LEVEL = "INFO"'
    )
    branches = "\n".join(
        sorted([f"* {branch}"] + [f"  {b}" for b in rng.sample(others, 2)], key=lambda s: s[2:])
    )
    new_branch = rng.choice(["feature/export", "fix/typo", "chore/deps", "feature/search"])
    stash_count = rng.randrange(0, 3)
    commands = [
        CommandCase(
            (
                "what's changed",
                "git status",
                "which files have I modified",
                "show me the status of the repo",
                "do I have uncommitted changes",
            ),
            "git status",
            status,
            f"On {branch}: {pkg}/{modified[0]} and {pkg}/{modified[1]} are modified (unstaged) and {untracked} "
            "is untracked.",
        ),
        CommandCase(
            (
                "show the last 5 commits",
                "what are the recent commits",
                "show the git log",
                "what was committed lately",
            ),
            "git log --oneline -5",
            log,
            f'The latest commit is {shas[0]} "{subjects[0]}"; before it: "{subjects[1]}" and "{subjects[2]}".',
        ),
        CommandCase(
            (f"what did I change in {path0}", f"show the diff for {path0}", f"diff {path0}"),
            f"git diff {path0}",
            diff,
            f"In {path0} you changed {key} from {new_value} to {value}.",
        ),
        CommandCase(
            ("which branch am I on", "list the branches", "what branches exist", "show local branches"),
            "git branch",
            branches,
            f"You are on {branch}; the other local branches are "
            + " and ".join(line.strip() for line in branches.splitlines() if not line.startswith("*"))
            + ".",
        ),
        CommandCase(
            (
                f"create a branch called {new_branch}",
                f"make a new branch {new_branch} and switch to it",
                f"start {new_branch}",
            ),
            f"git switch -c {new_branch}",
            f"Switched to a new branch '{new_branch}'",
            f"Created and switched to {new_branch}.",
        ),
        CommandCase(
            ("who wrote the last commit", "who made the latest commit and when", "show the author of HEAD"),
            "git log -1 --format='%an, %ar: %s'",
            f"{authors[0]}, {rng.randrange(2, 50)} hours ago: {subjects[0]}",
            "",
        ),
        CommandCase(
            ("do I have anything stashed", "list the stashes", "show git stash list"),
            "git stash list",
            ""
            if stash_count == 0
            else "\n".join(
                f"stash@{{{i}}}: WIP on {branch}: {shas[i]} {subjects[i]}" for i in range(stash_count)
            ),
            "There are no stashes."
            if stash_count == 0
            else f"There {'is 1 stash' if stash_count == 1 else f'are {stash_count} stashes'}, the newest made on {branch}.",
        ),
    ]
    who = commands[5]
    commands[5] = CommandCase(
        who.asks,
        who.command,
        who.output,
        f'{who.output.split(":")[0]} wrote the last commit ("{subjects[0]}").',
    )
    edits = [
        EditCase(
            ("add .env to the gitignore", "ignore .env files in git", "make git ignore .env"),
            ".gitignore",
            ".pytest_cache/",
            ".pytest_cache/\n.env",
            ".env is now listed in .gitignore.",
        ),
        EditCase(
            (f"change {key} to {new_value} in {path0}", f"set {key} = {new_value}"),
            path0,
            old_line,
            f"{key} = {new_value}",
            f"{key} is now {new_value} in {path0}.",
        ),
    ]
    writes = [
        WriteCase(
            (
                "create a .gitattributes that normalizes line endings",
                "add a gitattributes file for LF endings",
            ),
            ".gitattributes",
            "* text=auto eol=lf\n*.png binary\n",
            "Created .gitattributes: text files use LF endings and PNGs are treated as binary.",
        ),
    ]
    return Project("git", files, other, commands, edits, writes)
