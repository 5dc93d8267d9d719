"""Tool-use scenarios over a synthetic project: the user asks, the assistant calls, the answer quotes it.

Each scenario returns the conversation after the system prompt, or None when the project cannot support it
(the generator then picks another scenario).
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable

from punie.calls.types import ToolCall
from punie.data.generator.domains.common import generic_commands
from punie.data.generator.features import FEATURES, FIND_ASKS, Feature, FeatureMix
from punie.data.generator.phrasing import TOOL_SUFFIXES, listing
from punie.data.generator.phrasing import phrase as _phrase
from punie.data.generator.project import (
    Project,
    command_result,
    edit_result,
    list_result,
    read_result,
    search_result,
    write_result,
)
from punie.data.generator.searches import DOMAIN_SEARCHES
from punie.data.records import Message, answer_message, assistant_call_message, tool_message, user_message

Turns = list[Message]


def phrase(template: str, rng: random.Random, **values: object) -> str:
    """A tool request: the common phrasing plus, sometimes, a trailing aside ("... in this repo")."""
    return _phrase(template, rng, suffixes=TOOL_SUFFIXES, suffix_rate=0.2, **values)


Scenario = Callable[[Project, random.Random], Turns | None]


def _call(name: str, result: str, **arguments: object) -> Turns:
    return [assistant_call_message([ToolCall(name, dict(arguments))]), tool_message(name, result)]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _names(items: list[str], limit: int = 4) -> str:
    """`a, b and c`, or past `limit` items: `a, b, c, d and 3 more`."""
    if len(items) <= limit:
        return listing(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"


READ_ASKS = (
    "[show|show me|open|display|print|cat|view|pull up|let me see] {path}",
    "[show|print|display] [me |]the contents of {path}",
    "what's in {path}",
    "what does {path} [contain|look like|do]",
    "read {path} [and tell me what it does|and summarize it|]",
    "[can|could] you [open|read] {path}",
    "[summarize|explain] {path}",
    "i want to see {path}",
    "{path} - what's in there",
    "[take a look at|look at|check] {path}",
)


def read_whole(project: Project, rng: random.Random) -> Turns | None:
    source = rng.choice(project.files)
    text = phrase(rng.choice(READ_ASKS), rng, path=source.path)
    answer = rng.choice(
        [f"{source.path} {source.summary}.", f"It {source.summary}.", f"This file {source.summary}."]
    )
    return [
        user_message(text),
        *_call("read_file", read_result(source.text), path=source.path),
        answer_message(answer),
    ]


RANGE_ASKS = (
    "show lines {a}-{b} of {path}",
    "[show|print|read] {path} lines {a} to {b}",
    "what's on lines {a}-{b} in {path}",
    "[open|read] {path} from line {a} to {b}",
    "read {path}:{a}-{b}",
)


def read_range(project: Project, rng: random.Random) -> Turns | None:
    candidates = [f for f in project.files if len(f.text.splitlines()) >= 8]
    if not candidates:
        return None
    source = rng.choice(candidates)
    lines = source.text.splitlines()
    start = rng.randrange(1, len(lines) - 4)
    end = min(len(lines), start + rng.randrange(3, 9))
    text = phrase(rng.choice(RANGE_ASKS), rng, path=source.path, a=start, b=end)
    chosen = [(n, lines[n - 1].strip()) for n in range(start, end + 1) if lines[n - 1].strip()]
    defs = [(n, t) for n, t in chosen if re.match(r"(async def|def|class|@)", t)]
    number, quoted = (defs or chosen)[0]
    answer = f"Line {number} is `{quoted}`" + (
        f"; the range ends with `{chosen[-1][1]}`." if len(chosen) > 1 else "."
    )
    return [
        user_message(text),
        *_call(
            "read_file",
            read_result(source.text, start, end),
            path=source.path,
            start_line=start,
            end_line=end,
        ),
        answer_message(answer),
    ]


DEFINE_ASKS = (
    "where is {name} defined",
    "find [the definition of|where we define] {name}",
    "which file [defines|has] {name}",
    "locate {name}",
    "where's [the |]{name} {kind}",
    "find the {name} {kind}",
    "[search for|grep for|look for] the {kind} {name}",
    "in which module is {name}",
)


def search_definition(project: Project, rng: random.Random) -> Turns | None:
    definitions = [d for d in project.definitions() if d.kind != "method" or rng.random() < 0.3]
    if not definitions:
        return None
    target = rng.choice(definitions)
    keyword = "class" if target.kind == "class" else "def"
    pattern = rng.choice([f"{keyword} {target.name}", f"{keyword} {target.name}\\b"])
    hits = project.search(pattern)
    kind = {"class": "class", "function": "function", "method": "method"}[target.kind]
    text = phrase(rng.choice(DEFINE_ASKS), rng, name=target.name, kind=kind)
    answer = rng.choice(
        [
            f"{target.name} is defined in {target.path} at line {target.line}: `{target.text}`.",
            f"It's in {target.path}, line {target.line} (`{target.text}`).",
            f"{target.path}:{target.line} defines it: `{target.text}`.",
        ]
    )
    return [
        user_message(text),
        *_call("search", search_result(hits, pattern), pattern=pattern),
        answer_message(answer),
    ]


USAGE_ASKS = (
    "where is {name} used",
    "find [all |every |]usages of {name}",
    "[search|grep] [the code|the project|everything|] for {name}",
    "which files [use|reference|mention] {name}",
    "who calls {name}",
    "find references to {name}",
    "search for {name}",
    "show me everywhere {name} appears",
    "find [all |]{name} uses",
    "where do we use {name}",
    "[list|show] the uses of {name}",
)
SCOPED_ASKS = (
    "search {where} for {name}",
    "find {name} in {where}",
    "[grep|look] for {name} [inside|in] {where}",
    "where does {name} appear in {where}",
)


def search_usages(project: Project, rng: random.Random) -> Turns | None:
    names = sorted({d.name for d in project.definitions() if not d.name.startswith("__")})
    if not names:
        return None
    name = rng.choice(names)
    folders = sorted({path.split("/")[0] for path in project.paths if "/" in path})
    scoped = bool(folders) and rng.random() < 0.3
    where = rng.choice(folders) if scoped else ""
    hits = project.search(name, where)
    if scoped:
        text = phrase(rng.choice(SCOPED_ASKS), rng, name=name, where=where + rng.choice(["", "/"]))
        call = _call("search", search_result(hits, name), pattern=name, path=where)
    else:
        text = phrase(rng.choice(USAGE_ASKS), rng, name=name)
        call = _call("search", search_result(hits, name), pattern=name)
    if not hits:
        answer = (
            f"No matches: {name} does not appear in {where}/."
            if where
            else f"{name} does not appear anywhere."
        )
    else:
        files = sorted({path for path, _, _ in hits})
        places = [f"{path}:{line}" for path, line, _ in hits]
        if len(hits) == 1:
            path, line, found = hits[0]
            answer = f"{name} appears only once, at {path}:{line}: `{found.strip()}`."
        else:
            answer = f"{name} appears {len(hits)} times, in {_names(files)}" + (
                f" ({_names(places, 3)})." if len(hits) <= 3 else "."
            )
    return [user_message(text), *call, answer_message(answer)]


MARKER_ASKS = {
    "TODO": (
        "find [all |the |]TODO comments",
        "are there any TODOs [left|in the code]",
        "list the todos",
        "grep for TODO",
    ),
    "print\\(": (
        "find [leftover |]print calls",
        "are there print statements [in the code|left]",
        "search for print(",
    ),
    "import os": ("which files import os", "where do we import os"),
    "@pytest.fixture": ("list [all |]the pytest fixtures", "which fixtures are defined", "find the fixtures"),
    "async def": ("find the async functions", "which functions are async", "where do we use async def"),
    "await ": ("find the await expressions", "where do we await things", "list the awaits"),
    "subprocess": ("find subprocess uses", "where do we call subprocess", "do we use subprocess anywhere"),
    "logging": ("find the logging calls", "where do we log", "find logging uses"),
}


def search_marker(project: Project, rng: random.Random) -> Turns | None:
    pattern = rng.choice(list(MARKER_ASKS))
    hits = project.search(pattern)
    text = phrase(rng.choice(MARKER_ASKS[pattern]), rng)
    if hits:
        answer = f"Found {len(hits)}: " + "; ".join(f"{p}:{n} `{t.strip()}`" for p, n, t in hits[:3]) + "."
    else:
        answer = "No matches in the workspace."
    return [
        user_message(text),
        *_call("search", search_result(hits, pattern), pattern=pattern),
        answer_message(answer),
    ]


def search_feature(
    project: Project, rng: random.Random, features: tuple[Feature, ...] = FEATURES
) -> Turns | None:
    """A language feature searched for in this project ("find the try/except uses"; see `features`)."""
    found = {feature: project.search(feature.pattern) for feature in features}
    present = [feature for feature in features if found[feature]]
    pool = present if present and rng.random() < 0.5 else features  # about half the requests find something
    feature = rng.choice(pool)
    name = rng.choice(feature.names)
    hits = found[feature]
    text = phrase(rng.choice(FIND_ASKS), rng, c=name)
    if hits:
        files = sorted({path for path, _, _ in hits})
        answer = (
            f"{_cap(name)}: {len(hits)} {'use' if len(hits) == 1 else 'uses'} in {_names(files)}, e.g. "
            + "; ".join(f"{p}:{n} `{t.strip()}`" for p, n, t in hits[:2])
            + "."
        )
    else:
        answer = f"No matches for {name} in this project."
    return [
        user_message(text),
        *_call("search", search_result(hits, feature.pattern), pattern=feature.pattern),
        answer_message(answer),
    ]


LIST_ASKS = (
    ("list [all |]the python files", "**/*.py", "Python files"),
    ("what python files [are there|do we have]", "**/*.py", "Python files"),
    ("[list|show|find] [all |]the test files", "**/test_*.py", "test files"),
    ("which test files exist", "**/test_*.py", "test files"),
    ("[what's|what is] in the {dir} [folder|directory|dir]", "{dir}/**", "files under {dir}/"),
    ("list [the |]files in {dir}", "{dir}/*", "files directly in {dir}/"),
    ("[show|list] everything under {dir}", "{dir}/**", "files under {dir}/"),
    ("[list|show] the [html |]templates", "**/*.html", "templates"),
    ("[find|list] the toml files", "**/*.toml", "TOML files"),
    ("which migrations [exist|are there]", "**/migrations/0*.py", "migrations"),
    ("[list|find] the markdown files", "**/*.md", "Markdown files"),
    ("give me a [tree|listing] of the project", "**", "files in the project"),
)


def list_files(project: Project, rng: random.Random) -> Turns | None:
    template, pattern, label = rng.choice(LIST_ASKS)
    folder = ""
    if "{dir}" in template:
        folders = sorted({p.rsplit("/", 1)[0] for p in project.paths if "/" in p})
        folder = rng.choice(folders)
        pattern = pattern.replace("{dir}", folder)
        label = label.replace("{dir}", folder)
    matches = project.glob(pattern)
    if not matches and rng.random() < 0.7:
        return None
    text = phrase(template, rng, dir=folder)
    if matches:
        answer = f"There {'is' if len(matches) == 1 else 'are'} {len(matches)} {label}: {_names(matches, 5)}."
        if len(matches) == 1:
            answer = answer.replace(" files", " file").replace("migrations", "migration")
    else:
        answer = f"There are no {label} in this project."
    return [
        user_message(text),
        *_call("list_files", list_result(matches, pattern), pattern=pattern),
        answer_message(answer),
    ]


def run_command(project: Project, rng: random.Random) -> Turns | None:
    case = rng.choice(generic_commands(project, rng) if rng.random() < 0.15 else project.commands)
    text = phrase(rng.choice(case.asks), rng)
    result = command_result(case.exit_code, case.output)
    arguments: dict[str, object] = {"command": case.command}
    if rng.random() < 0.08:
        arguments["timeout"] = rng.choice([60, 120, 300])
    return [user_message(text), *_call("run_command", result, **arguments), answer_message(case.answer)]


def _unique(project: Project, path: str, old: str) -> bool:
    return any(f.path == path and f.text.count(old) == 1 for f in project.files)


def edit_file(project: Project, rng: random.Random) -> Turns | None:
    """An edit asked right after the file was read: its text is in context, so edit_file comes first.

    A fresh edit request (no file content seen yet) starts with read_file instead (`read_then_edit`):
    the exact `old` text cannot be known before reading, and one request shape gets one first call.
    """
    cases = [c for c in project.edits if _unique(project, c.path, c.old)]
    if not cases:
        return None
    case = rng.choice(cases)
    source = project.file(case.path)
    shown = phrase(rng.choice(READ_ASKS), rng, path=case.path)
    text = phrase(rng.choice(case.asks), rng, path=case.path)
    summary = rng.choice(
        [f"{case.path} {source.summary}.", f"It {source.summary}.", f"This file {source.summary}."]
    )
    return [
        user_message(shown),
        *_call("read_file", read_result(source.text), path=case.path),
        answer_message(summary),
        user_message(text),
        *_call(
            "edit_file",
            edit_result(case.path, source.text, case.old, case.new),
            path=case.path,
            old=case.old,
            new=case.new,
        ),
        answer_message(case.answer),
    ]


def read_then_edit(project: Project, rng: random.Random) -> Turns | None:
    cases = [c for c in project.edits if _unique(project, c.path, c.old)]
    if not cases:
        return None
    case = rng.choice(cases)
    text = phrase(rng.choice(case.asks), rng, path=case.path)
    if case.path not in text:
        text = text.rstrip(".!?") + rng.choice([f" in {case.path}", f" ({case.path})"])
    source = project.file(case.path)
    return [
        user_message(text),
        *_call("read_file", read_result(source.text), path=case.path),
        *_call(
            "edit_file",
            edit_result(case.path, project.file(case.path).text, case.old, case.new),
            path=case.path,
            old=case.old,
            new=case.new,
        ),
        answer_message(case.answer),
    ]


def look_before_write(project: Project, text: str, path: str) -> Turns:
    """What to look at before writing a new file, or nothing when the request names the file.

    "add tests/test_x.py ..." names its file: write it. "write a test for mean" does not: find `def mean`
    first (the test must import it from the right module). Any other unnamed file ("add a cleanup task"):
    list the folder it will go in, to follow the project's layout. One request shape gets one first call.
    """
    if path in text or path.rsplit("/", 1)[-1] in text:
        return []
    for definition in project.definitions():
        if re.search(rf"\b{re.escape(definition.name)}\b", text):
            pattern = f"{'class' if definition.kind == 'class' else 'def'} {definition.name}"
            return _call("search", search_result(project.search(pattern), pattern), pattern=pattern)
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    pattern = f"{folder}/*" if folder else "*"
    return _call("list_files", list_result(project.glob(pattern), pattern), pattern=pattern)


def write_file(project: Project, rng: random.Random) -> Turns | None:
    case = rng.choice(project.writes)
    text = phrase(rng.choice(case.asks), rng, path=case.path)
    look = look_before_write(project, text, case.path)
    call = _call("write_file", write_result(case.path, case.content), path=case.path, content=case.content)
    return [user_message(text), *look, *call, answer_message(case.answer)]


OPEN_DEF_ASKS = (
    "show me the {name} {kind}",
    "open the file that defines {name}",
    "how is {name} implemented",
    "what does [the|our] {name} {kind} do",
    "show me the code for {name}",
    "explain the {name} {kind} in this project",
)


def search_then_read(project: Project, rng: random.Random) -> Turns | None:
    definitions = [d for d in project.definitions() if d.kind != "method"]
    if not definitions:
        return None
    target = rng.choice(definitions)
    keyword = "class" if target.kind == "class" else "def"
    pattern = f"{keyword} {target.name}"
    hits = project.search(pattern)
    source = project.file(target.path)
    text = phrase(rng.choice(OPEN_DEF_ASKS), rng, name=target.name, kind=target.kind)
    body = source.text.splitlines()[target.line - 1 : target.line + 5]
    detail = next((line.strip() for line in body[1:] if line.strip()), "")
    answer = f"{target.name} is in {target.path} (line {target.line})" + (
        f"; its body starts with `{detail}`." if detail else "."
    )
    return [
        user_message(text),
        *_call("search", search_result(hits, pattern), pattern=pattern),
        *_call("read_file", read_result(source.text), path=target.path),
        answer_message(answer),
    ]


FIND_FILE_ASKS = (
    "open {ref}",
    "show me {ref}",
    "what's in {ref}",
    "find {ref} and show it to me",
    "where is {ref}? show it",
)


def list_then_read(project: Project, rng: random.Random) -> Turns | None:
    candidates = [f for f in project.files if f.refs]
    if not candidates:
        return None
    source = rng.choice(candidates)
    basename = source.path.rsplit("/", 1)[-1]
    pattern = f"**/{basename}"
    matches = project.glob(pattern)
    ref = rng.choice(source.refs)
    text = phrase(rng.choice(FIND_FILE_ASKS), rng, ref=ref)
    turns = [user_message(text), *_call("list_files", list_result(matches, pattern), pattern=pattern)]
    if len(matches) > 1:
        turns.append(
            answer_message(f"Several files match {basename}: {_names(matches)}. Which one do you mean?")
        )
        return turns
    turns += [
        *_call("read_file", read_result(source.text), path=source.path),
        answer_message(f"{source.path} {source.summary}."),
    ]
    return turns


_FAILURE_LOCATION = re.compile(r"(?:File \"|^)([\w./-]+\.py)(?:\", line |:)(\d+)", re.MULTILINE)
WHY_FAIL_ASKS = (
    "why [are|is] the test[s|] failing",
    "the tests fail, find out why",
    "figure out why pytest fails",
    "run the tests and tell me what's broken",
    "what's breaking the test suite",
)


def run_then_read(project: Project, rng: random.Random) -> Turns | None:
    failing = [c for c in project.commands if c.exit_code != 0 and _FAILURE_LOCATION.search(c.output)]
    failing = [
        c
        for c in failing
        if any(f.path == _FAILURE_LOCATION.search(c.output).group(1) for f in project.files)
    ]
    if not failing:
        return None
    case = rng.choice(failing)
    match = _FAILURE_LOCATION.search(case.output)
    assert match is not None
    path, line = match.group(1), int(match.group(2))
    source = project.file(path)
    start, end = max(1, line - 3), line + 1
    quoted = source.text.splitlines()[line - 1].strip()
    text = phrase(rng.choice(WHY_FAIL_ASKS), rng)
    return [
        user_message(text),
        *_call("run_command", command_result(case.exit_code, case.output), command=case.command),
        *_call("read_file", read_result(source.text, start, end), path=path, start_line=start, end_line=end),
        answer_message(f"{case.answer} The failing line {line} is `{quoted}`."),
    ]


TWO_FILE_ASKS = (
    "show me {a} and {b}",
    "open {a} and {b}",
    "[read|compare] {a} and {b}",
    "what's in {a} and {b}",
)


def read_two(project: Project, rng: random.Random) -> Turns | None:
    if len(project.files) < 2:
        return None
    first, second = rng.sample(project.files, 2)
    text = phrase(rng.choice(TWO_FILE_ASKS), rng, a=first.path, b=second.path)
    calls = [ToolCall("read_file", {"path": first.path}), ToolCall("read_file", {"path": second.path})]
    return [
        user_message(text),
        assistant_call_message(calls),
        tool_message("read_file", read_result(first.text)),
        tool_message("read_file", read_result(second.text)),
        answer_message(f"{first.path} {first.summary}; {second.path} {second.summary}."),
    ]


_NAME = re.compile(r"(?:class|def)\s+(\w+)")


def _hit_label(project: Project, path: str, line: int, text: str) -> str:
    """A short name for a search hit: the class/function it defines (or decorates), else the line itself."""
    lines = project.file(path).text.splitlines()
    for candidate in lines[line - 1 : line + 2]:
        match = _NAME.search(candidate)
        if match:
            return f"{match.group(1)} ({path}:{line})"
    return f"`{text.strip()}` ({path}:{line})"


def search_framework(project: Project, rng: random.Random) -> Turns | None:
    options = DOMAIN_SEARCHES.get(project.domain, [])
    if not options:
        return None
    asks, pattern, label = rng.choice(options)
    hits = project.search(pattern)
    text = phrase(rng.choice(asks), rng)
    if hits:
        names = [_hit_label(project, path, line, hit) for path, line, hit in hits]
        answer = f"{len(hits)} {label if len(hits) > 1 else label.rstrip('s')}: {_names(names, 4)}."
    else:
        answer = f"No {label} found in the workspace."
    return [
        user_message(text),
        *_call("search", search_result(hits, pattern), pattern=pattern),
        answer_message(answer),
    ]


MISSING_ASKS = ("[show|open|read] {path}", "what's in {path}", "[cat|print] {path}")
MISSING_FILES = (
    "app/utils.py",
    "src/helpers.py",
    "docs/index.md",
    "config/settings.toml",
    "tests/test_api.py",
    "scripts/deploy.sh",
    "core/models.py",
    "setup.cfg",
    "Makefile",
    "app/services/payment.py",
)


def read_missing(project: Project, rng: random.Random) -> Turns | None:
    """The file does not exist: the answer reports the tool's error instead of inventing contents."""
    candidates = [p for p in MISSING_FILES if p not in project.paths]
    path = rng.choice(candidates)
    text = phrase(rng.choice(MISSING_ASKS), rng, path=path)
    answer = rng.choice(
        [
            f"{path} does not exist in this workspace.",
            f'There is no {path} here; the read failed with "no such file".',
        ]
    )
    return [
        user_message(text),
        *_call("read_file", f"Error: no such file: {path}", path=path),
        answer_message(answer),
    ]


# name -> (scenario, weight)
SCENARIOS: dict[str, tuple[Scenario, int]] = {
    "read_file": (read_whole, 14),
    "read_range": (read_range, 4),
    "search_definition": (search_definition, 9),
    "search_usages": (search_usages, 7),
    "search_marker": (search_marker, 3),
    "search_feature": (search_feature, 5),
    "list_files": (list_files, 10),
    "run_command": (run_command, 20),
    "edit_file": (edit_file, 7),
    "write_file": (write_file, 7),
    "search_then_read": (search_then_read, 6),
    "list_then_read": (list_then_read, 4),
    "read_then_edit": (read_then_edit, 4),
    "run_then_read": (run_then_read, 3),
    "read_two": (read_two, 2),
    "search_framework": (search_framework, 8),
    "read_missing": (read_missing, 2),
}


OPT_IN = {"search_feature"}  # only with feature questions on (off, the stream is generator v7 byte for byte)


def pick_scenario(rng: random.Random, features: FeatureMix | None = None) -> tuple[str, Scenario]:
    """A weighted random scenario; `features` sets search_feature's table and weight (None: it is off)."""
    names = [name for name in SCENARIOS if features or name not in OPT_IN]
    weights = [SCENARIOS[name][1] for name in names]
    if features:
        weights[names.index("search_feature")] = features.search_weight
    name = rng.choices(names, weights=weights)[0]
    if name == "search_feature" and features:
        return name, functools.partial(search_feature, features=features.table)
    return name, SCENARIOS[name][0]


def scenario_turns(
    project: Project, rng: random.Random, features: FeatureMix | None = None
) -> tuple[str, Turns]:
    """A weighted random scenario that fits `project`: (its name, its turns)."""
    for _ in range(50):
        name, scenario = pick_scenario(rng, features)
        turns = scenario(project, rng)
        if turns is not None:
            return name, turns
    raise RuntimeError(f"no scenario fits the {project.domain} project")  # pragma: no cover
