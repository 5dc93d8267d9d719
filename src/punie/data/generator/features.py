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

from punie.data.options import HOWTO_SHARE, SEARCH_WEIGHT


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

# Twenty more features, most named by compound names: a slash pair, a dotted call or both ("csv.reader/csv.writer").
# The measured gap they address: with only the table above, "Find <unseen compound name> uses" is often
# answered directly ("Find os.path.join/os.path.exists uses": P(call) 0.005, while "Find itertools uses":
# 0.985). Opt-in (`compound_features`), so the shipped stream stays reproducible. The names the `features` eval
# suite asks about (punie.eval.suites.OUTSIDE_FEATURES) and the seed's "async/await" are deliberately not here.
COMPOUND_FEATURES: tuple[Feature, ...] = (
    Feature(
        ("copy/deepcopy", "copy.deepcopy"),
        r"\bcopy\.(deep)?copy\(|\bdeepcopy\(",
        "copy.copy(obj) makes a shallow copy that shares nested objects; copy.deepcopy(obj) copies them recursively, which is slower but leaves the original untouched.",
    ),
    Feature(
        ("argparse", "sys.argv", "argparse/sys.argv"),
        r"argparse|sys\.argv",
        'sys.argv is the raw list of command-line words; argparse.ArgumentParser() with add_argument("--name", type=int, default=1) parses them, checks types and writes --help for you.',
    ),
    Feature(
        ("defaultdict/Counter", "collections.defaultdict"),
        r"defaultdict|Counter\(",
        "collections.defaultdict(list) creates missing keys with a default value, and Counter(items) counts hashable items; most_common(n) returns the top n.",
    ),
    Feature(
        ("__eq__/__hash__", "equality methods"),
        r"def __(eq|hash)__",
        "Define __eq__ to compare by value and __hash__ from the same fields (hash((self.a, self.b))); objects that compare equal must hash equal, and defining __eq__ alone makes a class unhashable.",
    ),
    Feature(
        ("shutil.copy/shutil.move", "shutil"),
        r"\bshutil\.",
        "shutil.copy(src, dst) copies a file, shutil.copytree a directory, shutil.move renames across file systems, and shutil.rmtree deletes a tree; all take str or Path.",
    ),
    Feature(
        ("time.sleep/time.time", "time module"),
        r"\btime\.(sleep|time|monotonic|perf_counter)\(",
        "time.sleep(seconds) pauses the thread; measure durations with time.perf_counter() or time.monotonic(), not time.time(), which can jump when the clock is set.",
    ),
    Feature(
        ("random.choice/random.randint", "random module"),
        r"\brandom\.\w+\(",
        "random.choice(seq), random.randint(a, b) (both ends included) and random.shuffle(list) cover most needs; seed a random.Random(seed) for repeatable runs and use secrets for tokens.",
    ),
    Feature(
        ("str.join/str.split", ".join/.split"),
        r"\.(join|split)\(",
        '", ".join(words) glues strings with a separator and text.split(",") cuts them apart; split() with no argument splits on any run of whitespace.',
    ),
    Feature(
        ("ABC/abstractmethod", "abstract base classes"),
        r"\bABC\b|abstractmethod",
        "Subclass abc.ABC and mark methods with @abstractmethod; the class cannot be instantiated until a subclass implements every abstract method.",
    ),
    Feature(
        ("lru_cache/cache", "memoization"),
        r"lru_cache|@cache\b",
        "@functools.lru_cache(maxsize=128) remembers results per argument tuple, and @functools.cache is the unbounded version; arguments must be hashable.",
    ),
    Feature(
        ("Optional/Union", "optional types"),
        r"Optional\[|Union\[|\| None",
        "Optional[X] means X or None and Union[A, B] either type; since Python 3.10 write X | None and A | B instead.",
    ),
    Feature(
        ("setUp/tearDown", "test fixtures"),
        r"def (setUp|tearDown)\b|@pytest\.fixture",
        "unittest runs setUp before and tearDown after each test method; in pytest write a @pytest.fixture, yield the resource and clean up after the yield.",
    ),
    Feature(
        ("dict.get/dict.setdefault", "dict.get"),
        r"\.(get|setdefault)\(",
        "d.get(key, default) reads without raising KeyError, and d.setdefault(key, []).append(x) inserts the default only when the key is missing.",
    ),
    Feature(
        ("hashlib.sha256", "hashlib"),
        r"hashlib",
        "hashlib.sha256(data).hexdigest() hashes bytes (encode text first); for passwords use hashlib.scrypt or a dedicated library, never a bare fast hash.",
    ),
    Feature(
        ("csv.reader/csv.writer", "csv module"),
        r"\bcsv\.",
        'Open the file with newline="" and use csv.reader / csv.writer for rows, or csv.DictReader / csv.DictWriter to work with dicts keyed by the header.',
    ),
    Feature(
        ("requests.get/requests.post", "HTTP requests"),
        r"requests\.(get|post|put|delete)\(",
        "requests.get(url, params=..., timeout=10) and requests.post(url, json=payload, timeout=10) return a Response; call raise_for_status() and read .json() or .text.",
    ),
    Feature(
        ("nonlocal", "nonlocal variables"),
        r"\bnonlocal\b",
        "nonlocal name inside a nested function rebinds a variable of the enclosing function, for counters in closures; without it, assignment makes a new local.",
    ),
    Feature(
        ("del statements", "del"),
        r"^\s*del\b",
        "del name unbinds a variable, del d[key] removes a dict entry and del items[i:j] a slice of a list; objects are freed when nothing refers to them.",
    ),
    Feature(
        ("match/case", "pattern matching"),
        r"^\s*(match|case)\b",
        "match value: with case clauses compares against literals, unpacks sequences and mappings, and matches classes (case Point(x=0)); case _: is the fallback. It needs Python 3.10.",
    ),
    Feature(
        ("__slots__", "slots"),
        r"__slots__",
        '__slots__ = ("x", "y") in a class replaces the per-instance dict with fixed attributes: less memory and no accidental new attributes.',
    ),
)

WITH_COMPOUND = FEATURES + COMPOUND_FEATURES  # the table with compound features on


class FeatureMix(NamedTuple):
    """Which features the generator asks about and how often: `search_weight` is the "find the X uses"
    scenario's weight among the tool scenarios, `howto_share` the share of direct examples asking "how do I
    use X"."""

    table: tuple[Feature, ...]
    search_weight: float = SEARCH_WEIGHT
    howto_share: float = HOWTO_SHARE


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
