"""Python language features asked about two ways: "find the X uses" (search this project) or "how do I use X"
(answer from general knowledge).

The same feature names appear on both sides so that the deciding words are the request's verb and shape,
not the topic: "find try/except uses" needs `search`, "when should I use try/except" needs no tool. Several
names pair two constructs with a slash ("json.loads/json.dumps"), a shape users write for both kinds.
On by default since the shipped adapter was trained with them (`--no-feature-questions` gives generator
v7's stream, byte for byte).
"""

# ruff: noqa: E501 - a data table reads better unwrapped

from __future__ import annotations

from typing import NamedTuple


class Feature(NamedTuple):
    names: tuple[str, ...]  # how users name it; each fits "find {c} uses" and "how do I use {c}"
    pattern: str  # the regular expression a `search` for it uses
    answer: str  # the direct answer to "how/when do I use it"


FEATURES: tuple[Feature, ...] = (
    Feature(
        ("asyncio", "asyncio module"),
        r"asyncio",
        "Define coroutines with async def, await other coroutines inside them, start the program with asyncio.run(main()) and run several at once with asyncio.gather or a TaskGroup.",
    ),
    Feature(
        ("try/except", "exception handling"),
        r"\bexcept\b",
        "Wrap only the code that can fail in try:, catch specific exceptions (except ValueError as exc:), put the success path in else and cleanup in finally; avoid a bare except.",
    ),
    Feature(
        ("lambda", "lambda functions"),
        r"\blambda\b",
        "lambda args: expression makes a small anonymous function, handy as a key= or a callback; anything longer deserves a def with a name.",
    ),
    Feature(
        ("f-strings", "f-string formatting"),
        r"\bf[\"']",
        'Prefix the string with f and put expressions in braces: f"{name!r} has {count:,} items"; format specs go after a colon.',
    ),
    Feature(
        ("decorators",),
        r"^\s*@\w",
        "A decorator takes a function and returns a replacement; write @decorator above the def, and use functools.wraps in the wrapper to keep the name and docstring.",
    ),
    Feature(
        ("type hints", "type annotations"),
        r"->",
        "Annotate parameters and return values, as in def f(x: int) -> str:; Python ignores them at run time and checkers such as mypy or pyright verify them.",
    ),
    Feature(
        ("context managers", "with statements"),
        r"^\s*(async )?with\b",
        "with resource as r: runs the resource's __enter__ and guarantees its __exit__, even on an error; write your own with contextlib.contextmanager around a single yield.",
    ),
    Feature(
        ("list comprehensions",),
        r"\[[^\]]* for ",
        "[expr for item in items if cond] builds a list in one expression; switch to a plain loop when it needs several conditions or side effects.",
    ),
    Feature(
        ("generators", "yield"),
        r"\byield\b",
        "A function containing yield returns a generator that produces values lazily, one per next(); use it for large or endless sequences.",
    ),
    Feature(
        ("dataclasses", "@dataclass"),
        r"@dataclass",
        "Put @dataclass on a class with typed fields and it writes __init__, __repr__ and __eq__ for you; frozen=True makes instances immutable.",
    ),
    Feature(
        ("os.environ", "environment variables"),
        r"os\.environ|getenv",
        'Read a variable with os.environ.get("NAME", default) or os.getenv; os.environ["NAME"] raises KeyError when it is unset, and values are always strings.',
    ),
    Feature(
        ("json.loads/json.dumps", "json module"),
        r"json\.(loads?|dumps?)",
        "json.loads parses a JSON string into Python objects and json.dumps turns them back into a string; json.load and json.dump do the same with files.",
    ),
    Feature(
        ("classmethod/staticmethod",),
        r"@(classmethod|staticmethod)",
        "A @classmethod receives the class as cls, which suits alternative constructors; a @staticmethod receives nothing implicit and is a plain function kept in the class.",
    ),
    Feature(
        ("@property", "properties"),
        r"@property",
        "@property turns a method into an attribute computed on access; add @name.setter to allow assignment.",
    ),
    Feature(
        ("mock/patch", "unittest.mock"),
        r"\bmock\b|patch\(",
        'patch("module.name") replaces the object where it is looked up, for a with block or a test; Mock and MagicMock make fake objects, and assert_called_once_with checks how they were called.',
    ),
    Feature(
        ("isinstance", "isinstance checks"),
        r"isinstance\(",
        "isinstance(obj, (A, B)) is true when obj is an A or a B or a subclass of either; prefer it to comparing type(obj).",
    ),
    Feature(
        ("super()", "super calls"),
        r"super\(\)",
        "super().method(...) calls the next class in the method resolution order, usually the parent; call super().__init__(...) when you override __init__.",
    ),
    Feature(
        ("global variables", "global keyword"),
        r"\bglobal\b",
        "global name inside a function lets it rebind a module-level variable; prefer passing values or keeping state in a class, since globals make code hard to test.",
    ),
    Feature(
        ("regular expressions", "re.search/re.match"),
        r"\bre\.\w+\(",
        're.search finds a match anywhere, re.match only at the start and re.fullmatch the whole string; compile patterns you reuse with re.compile and write them as raw strings r"...".',
    ),
    Feature(
        ("pathlib", "Path objects"),
        r"\bPath\(|pathlib",
        'Path("dir") / "file.txt" builds paths; read_text, write_text, exists, glob and mkdir(parents=True) cover most file work.',
    ),
    Feature(
        ("threading", "threads"),
        r"\bthreading\b|Thread\(",
        "threading.Thread(target=fn, args=(...)).start() runs fn concurrently; threads help I/O-bound work, and shared data needs a Lock.",
    ),
    Feature(
        ("assert statements", "assert"),
        r"^\s*assert\b",
        'assert cond, "message" raises AssertionError when cond is false; pytest builds on it, but do not validate input with it because python -O removes asserts.',
    ),
    Feature(
        ("raise statements", "custom exceptions"),
        r"\braise\b",
        'raise ValueError("why") reports an error to the caller; a bare raise inside except re-raises, and raise NewError() from exc keeps the original cause.',
    ),
    Feature(
        ("*args/**kwargs", "args and kwargs"),
        r"\*\*?\w*(args|kwargs)",
        "*args collects extra positional arguments as a tuple and **kwargs extra keyword arguments as a dict; the same stars unpack sequences and dicts in a call.",
    ),
    Feature(
        ("datetime", "datetime.now"),
        r"\bdatetime\b",
        "Use datetime.now(timezone.utc) for timezone-aware timestamps, timedelta for arithmetic, and isoformat / fromisoformat to convert to and from text.",
    ),
    Feature(
        ("subprocess.run", "subprocess"),
        r"subprocess",
        'subprocess.run(["cmd", "arg"], check=True, capture_output=True, text=True) runs a command; pass a list rather than a shell string unless you really need shell=True.',
    ),
    Feature(
        ("loggers", "logging module"),
        r"\blog(ging|ger)\b",
        "Create logger = logging.getLogger(__name__) in each module, call logger.info, warning or exception, and configure handlers once at startup, e.g. with logging.basicConfig.",
    ),
    Feature(
        ("enumerate/zip",),
        r"\b(enumerate|zip)\(",
        "enumerate(items, start=1) yields (index, item) pairs; zip(a, b) pairs items from several iterables and stops at the shortest (strict=True raises on a length mismatch).",
    ),
    Feature(
        ("walrus operator", ":="),
        r":=",
        ":= assigns inside an expression, as in while (line := f.readline()): or if (m := pattern.match(text)):; keep it to short conditions.",
    ),
    Feature(
        ("Enum", "enums"),
        r"\bEnum\b",
        "Subclass enum.Enum and list members as class attributes (RED = 1); compare members with is, get one by value with Color(1) or by name with Color['RED'], and use StrEnum when they must act as strings.",
    ),
)

# Requests about this project: search it.
FIND_ASKS = (
    "find [all |the |every |]{c} uses",
    "find [all |]uses of {c}",
    "where do we use {c}",
    "where [is|are] {c} used [in the code|]",
    "[show|list] [me |]every place that uses {c}",
    "do we use {c} anywhere",
    "search for {c} [uses|usages|]",
    "grep [the code |]for {c}",
    "[list|show] the {c} usages",
    "which files use {c}",
    "how many {c} uses are there",
)

# General questions about the feature itself: answer directly.
HOWTO_ASKS = (
    "how do I use {c}",
    "when should I use {c}",
    "how [does|do] {c} work",
    "what [is|are] {c} for",
    "explain {c} [with an example|]",
    "[give me|show me] an example of {c}",
    "how to use {c} [properly|correctly|]",
    "what's the right way to use {c}",
    "is it good practice to use {c}",
)
