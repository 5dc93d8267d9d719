"""`punie doctor`: prove that a dataset, a chat template and the server's parser agree on tool-call text.

Every example is rendered exactly as the model will see it (`punie.chat.assistant_spans`), each assistant
turn is parsed back with the server's dialect, and the parsed calls are compared with the calls the data
means. Calls the data holds only as text (the legacy JSON-fence format) are recognised too, so the seed's
failure is reported for what it is: calls that reach the server as plain text.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from punie.calls import DIALECTS
from punie.calls.types import Dialect, Tool, ToolCall
from punie.chat import WORKSPACE_TOOLS, assistant_spans, compile_template, load_template, resolve_dialect
from punie.chat.messages import normalize_tool_calls
from punie.chat.template import ChatTemplate
from punie.data.io import LineError, iter_json_lines
from punie.data.records import Example
from punie.data.tokens import load_vocab as cached_vocab
from punie.models import embedded_model_path

DIALECT_NAMES = tuple(DIALECTS)  # every registered dialect, tried in turn for calls written as text
AUTO = "auto"
GGUF_TEMPLATE = "gguf"  # --template gguf: use the chat template stored in the GGUF file

_TAG = re.compile(r"</?[A-Za-z_][\w-]*(?:=|>)")
_FENCE = re.compile(r"```[A-Za-z]*")
_JSON_KEYS = ('"name"', '"arguments"')


@dataclass
class TurnProblem:
    """An assistant turn whose parsed calls differ from the calls the data means."""

    file: str
    line: int
    message: int  # index of the assistant message (in a pre-rendered text record: the assistant turn)
    kind: str  # plain_text | dropped | mismatch | extra_calls | unreadable_text_call
    detail: str
    expected: list[dict[str, Any]] = field(default_factory=list)
    parsed: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class MarkerReport:
    """Which call markers the template's instructions show, against those the server's dialect reads."""

    dialect_markers: list[str]
    instructed_markers: list[str]
    instructions_parse: bool  # the server's parser finds a call in the template's own example
    lists_tools: bool
    problems: list[str] = field(default_factory=list)


@dataclass
class TokenRow:
    """How one marker tokenizes under the GGUF vocabulary."""

    marker: str
    role: str
    ids: list[int]
    pieces: list[str]


@dataclass
class DoctorReport:
    data: str
    template: str
    dialect: str
    data_dialect: str
    examples: int = 0
    assistant_turns: int = 0
    structured_calls: int = 0
    text_calls: Counter = field(default_factory=Counter)  # calls found only as text, by dialect
    expected_calls: int = 0
    parsed_calls: int = 0
    matching_calls: int = 0
    examples_without_tools: int = 0
    text_records: int = 0  # pre-rendered {"text": ...} lines, checked without the template
    parser_warnings: int = 0
    bad_lines: list[str] = field(default_factory=list)
    problems: list[TurnProblem] = field(default_factory=list)
    markers: MarkerReport | None = None
    gguf: str = ""
    tokens: list[TokenRow] = field(default_factory=list)
    token_problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def plain_text_calls(self) -> int:
        return sum(len(p.expected) for p in self.problems if p.kind == "plain_text")

    @property
    def dropped_calls(self) -> int:
        return sum(len(p.expected) for p in self.problems if p.kind == "dropped")

    @property
    def misaligned_examples(self) -> int:
        return len({(p.file, p.line) for p in self.problems})

    @property
    def aligned(self) -> bool:
        marker_problems = self.markers.problems if self.markers else []
        return not (self.problems or self.bad_lines or marker_problems or self.token_problems)

    def verdict(self) -> str:
        records = self.examples + self.text_records
        checked = f"{records} examples, {self.assistant_turns} assistant turns"
        if self.aligned:
            return (
                f"ALIGNED: {checked}; {self.matching_calls}/{self.expected_calls} calls parse back "
                f"identically with {self.dialect}"
            )
        parts = []
        if self.problems:
            parts.append(f"{len(self.problems)} turns in {self.misaligned_examples} examples differ")
        if self.plain_text_calls:
            parts.append(
                f"{self.plain_text_calls} calls would reach the server as plain text "
                f"(0 structured calls parsed by {self.dialect})"
            )
        if self.dropped_calls:
            parts.append(
                f"{self.dropped_calls} calls are dropped by the template (the model never sees them)"
            )
        if self.bad_lines:
            parts.append(f"{len(self.bad_lines)} lines could not be read or rendered")
        if self.markers and self.markers.problems:
            parts.append(f"{len(self.markers.problems)} template instruction problems")
        if self.token_problems:
            parts.append(f"{len(self.token_problems)} tokenizer problems")
        return f"MISALIGNED: {checked}; " + "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["text_calls"] = dict(self.text_calls)
        data.update(
            aligned=self.aligned,
            verdict=self.verdict(),
            plain_text_calls=self.plain_text_calls,
            dropped_calls=self.dropped_calls,
        )
        return data


def _embedded_model_or_none() -> Path | None:
    try:
        return embedded_model_path()
    except FileNotFoundError:
        return None


def load_vocab(gguf: str | Path) -> Any:
    """A llama.cpp model with only its vocabulary loaded (fast; no weights)."""
    if not Path(gguf).is_file():
        raise ValueError(f"no GGUF file at {gguf}")
    return cached_vocab(gguf)


def resolve_template(spec: str | Path | None, vocab: Any = None) -> ChatTemplate:
    """Punie's template, a template file, or (`gguf`) the chat template stored in the GGUF."""
    if spec == GGUF_TEMPLATE:
        if vocab is None:
            raise ValueError("--template gguf needs a GGUF file (--gguf)")
        source = vocab.metadata.get("tokenizer.chat_template")
        if not source:
            raise ValueError("the GGUF file has no tokenizer.chat_template")
        return compile_template(source, name="gguf:tokenizer.chat_template")
    return load_template(spec)


def _calls_as_dicts(calls: Iterable[ToolCall]) -> list[dict[str, Any]]:
    return [{"name": call.name, "arguments": call.arguments} for call in calls]


def _same_calls(expected: Sequence[ToolCall], parsed: Sequence[ToolCall]) -> bool:
    return len(expected) == len(parsed) and all(a.same_call(b) for a, b in zip(expected, parsed, strict=True))


def _first_difference(expected: Sequence[ToolCall], parsed: Sequence[ToolCall]) -> str:
    if len(expected) != len(parsed):
        return f"{len(expected)} calls in the data, {len(parsed)} parsed"
    for number, (want, got) in enumerate(zip(expected, parsed, strict=True), start=1):
        if want.name != got.name:
            return f"call {number}: name {want.name!r} parsed as {got.name!r}"
        if want.arguments != got.arguments:
            keys = sorted(set(want.arguments) | set(got.arguments))
            key = next(k for k in keys if want.arguments.get(k, ...) != got.arguments.get(k, ...))
            return (
                f"call {number} ({want.name}): argument {key!r} is "
                f"{want.arguments.get(key, '<missing>')!r} in the data, "
                f"{got.arguments.get(key, '<missing>')!r} parsed"
            )
    return "calls differ"


def text_calls(
    content: str, data_dialects: Sequence[Dialect], tools: list[Tool] | None
) -> tuple[list[ToolCall], str, list[str]]:
    """Calls written as text in an assistant's content: `(calls, dialect name, errors)`.

    The first dialect that finds calls wins. When none does but a dialect reports errors on text that
    holds its markers (e.g. a JSON fence with single-quoted pseudo-JSON), those errors are returned.
    """
    errors: list[str] = []
    for dialect in data_dialects:
        result = dialect.parse(content, tools)
        if result.calls:
            return result.calls, dialect.name, result.errors
        if result.errors and not errors and any(m in content for m in call_markers(dialect)):
            errors = [f"{dialect.name}: {error}" for error in result.errors]
    return [], "", errors


def call_markers(dialect: Dialect) -> list[str]:
    """The markers a dialect writes around calls (tags, fences and JSON keys), in order of appearance."""
    text = dialect.render_calls([ToolCall("probe_tool", {"probe_key": "probe value"})])
    found = [m.group(0) for m in _TAG.finditer(text)] + [m.group(0) for m in _FENCE.finditer(text)]
    found += [key for key in _JSON_KEYS if key in text]
    return list(dict.fromkeys(found))


def check_example(
    example: Example,
    file: str,
    line: int,
    template: ChatTemplate,
    server: Dialect,
    data_dialects: Sequence[Dialect],
    report: DoctorReport,
) -> None:
    """Render one example, parse each assistant turn back, and add what differs to `report`."""
    tools = example.tool_objects
    if not tools:
        report.examples_without_tools += 1
    text, spans = assistant_spans(example.messages, tools, dialect=server, template=template)
    assistant_indexes = [i for i, m in enumerate(example.messages) if m.get("role") == "assistant"]
    if len(spans) != len(assistant_indexes):
        raise ValueError(f"{len(assistant_indexes)} assistant messages but {len(spans)} rendered turns")
    for index, (start, end) in zip(assistant_indexes, spans, strict=True):
        message = example.messages[index]
        turn = text[start:end].removesuffix(template.end_of_turn) if template.end_of_turn else text[start:end]
        structured = None
        if message.get("tool_calls"):
            structured = [
                ToolCall(c["function"]["name"], c["function"]["arguments"])
                for c in normalize_tool_calls(message["tool_calls"])
            ]
        content = str(message.get("content") or "")
        _check_turn(report, file, line, index, turn, structured, content, tools, server, data_dialects)


_CHATML_ASSISTANT = re.compile(r"<\|im_start\|>assistant\n(.*?)(?:<\|im_end\|>|$)", re.DOTALL)


def check_text_record(
    text: str, file: str, line: int, server: Dialect, data_dialects: Sequence[Dialect], report: DoctorReport
) -> None:
    """A pre-rendered mlx-lm `{"text": ...}` ChatML record: parse each assistant turn as it stands."""
    report.text_records += 1
    for number, match in enumerate(_CHATML_ASSISTANT.finditer(text)):
        turn = match.group(1)
        _check_turn(report, file, line, number, turn, None, turn, [], server, data_dialects)


def _check_turn(
    report: DoctorReport,
    file: str,
    line: int,
    index: int,
    turn: str,
    structured: list[ToolCall] | None,
    content: str,
    tools: list[Tool],
    server: Dialect,
    data_dialects: Sequence[Dialect],
) -> None:
    """Compare the calls one assistant turn means with what the server's parser reads from its text."""
    report.assistant_turns += 1
    unreadable: list[str] = []
    if structured is not None:
        expected = structured
        report.structured_calls += len(expected)
    else:
        expected, source, unreadable = text_calls(content, data_dialects, tools or None)
        if expected:
            report.text_calls[source] += len(expected)
    parsed = server.parse(turn, tools or None)
    report.expected_calls += len(expected)
    report.parsed_calls += len(parsed.calls)
    report.parser_warnings += bool(parsed.errors)
    problem = _compare(expected, parsed.calls, turn, unreadable, server.name)
    if problem is None:
        report.matching_calls += len(expected)
        return
    kind, detail = problem
    report.problems.append(
        TurnProblem(
            file,
            line,
            index,
            kind,
            detail,
            _calls_as_dicts(expected),
            _calls_as_dicts(parsed.calls),
            list(parsed.errors) + unreadable,
        )
    )


def _compare(
    expected: list[ToolCall], parsed: list[ToolCall], turn: str, unreadable: list[str], dialect: str
) -> tuple[str, str] | None:
    """`(kind, detail)` when the parsed calls differ from the expected ones, else None."""
    if _same_calls(expected, parsed):
        if not expected and unreadable:
            return (
                "unreadable_text_call",
                f"the content looks like a call but no parser can read it: {unreadable[0]}",
            )
        return None
    names = ", ".join(call.name for call in expected)
    if expected and not parsed and not any(call.name in turn for call in expected):
        return "dropped", f"the template drops the call(s) ({names}): they are not in the rendered text"
    if expected and not parsed:
        noun = "call" if len(expected) == 1 else "calls"
        return "plain_text", (
            f"{len(expected)} {noun} ({names}) would reach the server as plain text: "
            f"0 structured calls parsed by {dialect}"
        )
    if parsed and not expected:
        return "extra_calls", f"{dialect} finds {len(parsed)} call(s) in a turn that has none"
    return "mismatch", _first_difference(expected, parsed)


def check_markers(template: ChatTemplate, server: Dialect, tools: list[Tool]) -> MarkerReport:
    """Compare the call format the template's instructions show with the markers the server parses."""
    probe = [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "hello"},
    ]
    rendered = assistant_spans(probe, tools, dialect=server, template=template)[0]
    lists_tools = all(tool.name in rendered for tool in tools)
    instructions = _without_tool_listing(rendered)
    own = call_markers(server)
    others = [
        m
        for name in DIALECT_NAMES
        if name != server.name
        for m in call_markers(resolve_dialect(name))
        if m not in own
    ]
    instructed = [m for m in dict.fromkeys(own + others) if m in instructions]
    problems = []
    if not lists_tools:
        problems.append(
            "the template does not show the tools to the model (their names are not in its output)"
        )
    missing = [m for m in own if m not in instructions]
    if missing:
        problems.append(
            f"the template's instructions never show {', '.join(missing)}, which the "
            f"{server.name} parser needs"
        )
    foreign = [m for m in dict.fromkeys(others) if m in instructions]
    if foreign:
        problems.append(f"the template instructs {', '.join(foreign)}, which {server.name} does not parse")
    return MarkerReport(own, instructed, bool(server.parse(instructions, None).calls), lists_tools, problems)


def _without_tool_listing(text: str) -> str:
    start, end = text.find("<tools>"), text.find("</tools>")
    return text[:start] + text[end + len("</tools>") :] if 0 <= start < end else text


def marker_tokens(vocab: Any, server: Dialect, template: ChatTemplate) -> tuple[list[TokenRow], list[str]]:
    """Tokenize each call marker and the end-of-turn token; the end of turn must be one token."""
    rows: list[TokenRow] = []
    problems: list[str] = []
    response = server.render_tool_response("x")
    response_markers = [m.group(0) for m in _TAG.finditer(response)]
    wanted = [(m, "call marker") for m in call_markers(server)] + [
        (m, "tool result") for m in response_markers
    ]
    if template.end_of_turn:
        wanted.append((template.end_of_turn, "end of turn"))
    for marker, role in wanted:
        ids = list(vocab.tokenize(marker.encode(), add_bos=False, special=True))
        pieces = [vocab.detokenize([i], special=True).decode("utf-8", "replace") for i in ids]
        rows.append(TokenRow(marker, role, ids, pieces))
        if role == "end of turn" and len(ids) != 1:
            problems.append(
                f"end of turn {marker!r} is {len(ids)} tokens in this vocabulary, not one special "
                "token: generation would not stop at the end of a turn"
            )
    return rows, problems


def run_doctor(
    data: str | Path,
    *,
    template: str | Path | None = None,
    dialect: str = "qwen3_xml",
    data_dialect: str = AUTO,
    gguf: str | Path | None = None,
    tokenize: bool = True,
    on_line: Callable[[], None] | None = None,
) -> DoctorReport:
    """Check every example of the JSONL file `data`; see the module docstring."""
    server = resolve_dialect(dialect)
    names = DIALECT_NAMES if data_dialect == AUTO else (data_dialect,)
    data_dialects = [resolve_dialect(name) for name in names]
    gguf_path = Path(gguf) if gguf else _embedded_model_or_none()
    vocab = None
    if gguf_path and (tokenize or template == GGUF_TEMPLATE):
        try:
            vocab = load_vocab(gguf_path)
        except ImportError:
            if template == GGUF_TEMPLATE:
                raise ValueError("--template gguf needs llama-cpp-python, which is not installed") from None
    chat_template = resolve_template(template, vocab)
    report = DoctorReport(str(data), chat_template.name, server.name, data_dialect, gguf=str(gguf_path or ""))
    first_tools: list[Tool] = []
    for line, value in iter_json_lines(data):
        if on_line:
            on_line()
        if isinstance(value, LineError):
            report.bad_lines.append(str(value))
            continue
        try:
            if isinstance(value, dict) and isinstance(value.get("text"), str) and "messages" not in value:
                check_text_record(value["text"], str(data), line, server, data_dialects, report)
                continue
            example = Example.from_dict(value)
        except TypeError as exc:
            report.bad_lines.append(f"{data}:{line}: {exc}")
            continue
        report.examples += 1
        try:
            first_tools = first_tools or example.tool_objects
            check_example(example, str(data), line, chat_template, server, data_dialects, report)
        except ValueError as exc:  # includes template errors
            report.bad_lines.append(f"{data}:{line}: cannot render: {exc}")
    try:
        report.markers = check_markers(chat_template, server, first_tools or list(WORKSPACE_TOOLS))
    except ValueError as exc:
        report.markers = MarkerReport(
            [], [], False, False, [f"the template fails on a probe conversation: {exc}"]
        )
    if vocab is not None and tokenize:
        report.tokens, report.token_problems = marker_tokens(vocab, server, chat_template)
    elif tokenize:
        report.notes.append(
            "no GGUF vocabulary (file or llama-cpp-python missing): marker tokenization skipped"
        )
    if report.text_calls:
        formats = ", ".join(f"{n} as {name} text" for name, n in report.text_calls.items())
        report.notes.append(
            f"calls held only as text in assistant content (no structured tool_calls): {formats}"
        )
    if report.text_records:
        report.notes.append(
            f'{report.text_records} lines are pre-rendered text ({{"text": ...}}): their assistant turns '
            "were parsed as written; the chat template does not apply to them"
        )
    if report.examples_without_tools:
        report.notes.append(
            f"{report.examples_without_tools} examples declare no tools, so the model is "
            "never shown the tools it calls"
        )
    if report.parser_warnings:
        report.notes.append(f"{report.parser_warnings} assistant turns made the parser report errors")
    return report


def write_json(report: DoctorReport, path: str | Path) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n", "utf-8")


def _format_calls(calls: list[dict[str, Any]]) -> str:
    if not calls:
        return "-"
    return "\n".join(f"{c['name']}({json.dumps(c['arguments'], ensure_ascii=False)})" for c in calls)


def print_report(report: DoctorReport, console: Any, *, show: int = 20) -> None:
    """Print the report with rich: summary, differing turns, markers, tokens, notes, verdict."""
    from rich.table import Table

    summary = Table(title="punie doctor", show_header=False, title_justify="left")
    summary.add_column(style="bold")
    summary.add_column()
    text_calls = ", ".join(f"{n} {name}" for name, n in report.text_calls.items()) or "0"
    for label, value in (
        ("data", report.data),
        ("template", report.template),
        ("server parser", report.dialect),
        ("examples read", report.examples),
        ("unreadable lines", len(report.bad_lines)),
        ("assistant turns", report.assistant_turns),
        ("structured calls in data", report.structured_calls),
        ("calls held as text in data", text_calls),
        ("calls parsed back", f"{report.parsed_calls} ({report.matching_calls} identical)"),
        ("turns that differ", len(report.problems)),
        ("calls reaching server as plain text", report.plain_text_calls),
        ("calls dropped by the template", report.dropped_calls),
    ):
        summary.add_row(label, str(value))
    console.print(summary)

    if report.problems:
        table = Table(
            title=f"turns that differ (first {min(show, len(report.problems))} of {len(report.problems)})"
        )
        for column in ("where", "msg", "problem", "data means", "server parses"):
            table.add_column(column, overflow="fold")
        for problem in report.problems[:show]:
            table.add_row(
                f"{Path(problem.file).name}:{problem.line}",
                str(problem.message),
                problem.detail,
                _format_calls(problem.expected),
                _format_calls(problem.parsed),
            )
        console.print(table)
    for line in report.bad_lines[:show]:
        console.print(f"[red]unreadable:[/red] {line}")

    if report.markers:
        markers = report.markers
        console.print(f"call markers {report.dialect} parses: {' '.join(markers.dialect_markers)}")
        console.print(
            f"call markers the template's instructions show: {' '.join(markers.instructed_markers) or '-'}"
            f"; its example parses as a call: {'yes' if markers.instructions_parse else 'no'}"
        )
        for problem in markers.problems:
            console.print(f"[red]template:[/red] {problem}")

    if report.tokens:
        table = Table(title=f"marker tokens under {Path(report.gguf).name}")
        for column in ("marker", "role", "n", "pieces", "ids"):
            table.add_column(column)
        for row in report.tokens:
            pieces = " ".join(repr(piece) for piece in row.pieces)
            table.add_row(repr(row.marker), row.role, str(len(row.ids)), pieces, " ".join(map(str, row.ids)))
        console.print(table)
    for problem in report.token_problems:
        console.print(f"[red]tokenizer:[/red] {problem}")
    for note in report.notes:
        console.print(f"note: {note}")
    style = "bold green" if report.aligned else "bold red"
    console.print(f"[{style}]{report.verdict()}[/{style}]", soft_wrap=True)
