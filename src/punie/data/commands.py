"""`punie data ...`: generate, convert, validate, split, stats and render datasets.

Only typer, the standard library and the generator's option defaults (`punie.data.options`) are imported
here; the work happens in punie.data modules imported inside each command.
"""

from __future__ import annotations

from pathlib import Path

import typer

from punie.data.options import HOWTO_SHARE, SEARCH_WEIGHT, GeneratorOptions

data_app = typer.Typer(
    name="data",
    help="Datasets of tool-calling conversations: generate, convert, validate, split, inspect, render.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


GENERATE_HELP = (
    "Generate a seeded synthetic dataset of tool-calling and direct-answer conversations.\n"
    "\n"
    "Domains: Django, FastAPI, Flask, pytest, SQLAlchemy, Celery, packaging, git. Tool "
    "examples call Punie's six workspace tools with realistic results and grounded answers; "
    "direct examples answer general questions.\n"
    "\n"
    "Example:\n"
    "\n"
    "    punie data generate --n 2000 --seed 0 --tool-ratio 0.7 --out data/gen.jsonl\n"
    "\n"
    "With --other-tools 0.2, a fifth of the examples offer other apps' tools (calendar, CI, weather, "
    "...), alone or next to the workspace tools, and either call an offered tool that fits or answer "
    "directly.\n"
    "\n"
    "    punie data generate --n 2000 --other-tools 0.2 --out data/gen.jsonl"
)

SPLIT_HELP = (
    "Split into train/valid/test, stratified, with near-duplicate prompts kept in one split.\n"
    "\n"
    "Strata: kind (tool/direct) and first tool. Near-duplicates: same normalised text (case, "
    "punctuation, whitespace) or word-set Jaccard >= threshold; moved examples are listed, "
    "then a leakage check runs.\n"
    "\n"
    "Example:\n"
    "\n"
    "    punie data split data/gen.jsonl --out-dir data/splits --ratios 0.8,0.1,0.1 --seed 0"
)

OVERLAP_HELP = (
    "Check how much of a held-out file a training set already holds, and write the clean part.\n"
    "\n"
    "Counts held-out examples whose whole conversation is in the training files, and those whose "
    "prompt is a near-duplicate of a training prompt (the split's rule). Use it before comparing a "
    "model on a split it was not made with, e.g. an adapter trained before the generator changed.\n"
    "\n"
    "Example:\n"
    "\n"
    "    punie data overlap new/test.jsonl --train old/train.jsonl --train old/valid.jsonl --out clean.jsonl"
)

STATS_HELP = (
    "Print counts, tool/direct ratio, tool histograms and token lengths of a dataset.\n"
    "\n"
    "Token lengths are of the text punie.chat renders, counted with the embedded SmolLM2 "
    "vocabulary.\n"
    "\n"
    "Example:\n"
    "\n"
    "    punie data stats data/splits/train.jsonl --json stats.json"
)

CONVERT_HELP = (
    "Convert legacy data into records, or export records to mlx-lm/TRL files.\n"
    "\n"
    "Legacy: calls as fenced JSON, Qwen3 XML or Hermes text; results as `Tool result:` user "
    'messages or <tool_response> blocks; mlx-lm ChatML {"text"} lines. Every input line is '
    "converted or listed as rejected with file:line and reason; repairs are counted and "
    "recorded in each record's meta.\n"
    "\n"
    "Examples:\n"
    "\n"
    "    punie data convert ../shared/legacy/*.jsonl --out data/legacy.jsonl --rejects "
    "data/rejects.jsonl\n"
    "\n"
    "    punie data convert data/splits/train.jsonl --from records --to mlx-text --out "
    "mlx/train.jsonl"
)

VALIDATE_HELP = (
    "Validate records; every error names file, line and field (exit code 1 if any).\n"
    "\n"
    "Checks: calls name declared tools, arguments fit the schemas, roles are in a valid order, "
    "each tool result answers a call, the last turn is the assistant's, meta is flat, and each "
    'field keeps one type across the file (so datasets.load_dataset("json") can read it).\n'
    "\n"
    "Example:\n"
    "\n"
    "    punie data validate data/splits/train.jsonl data/splits/valid.jsonl"
)

RENDER_HELP = (
    'Print (or export as {"text"} JSONL) the exact text the model trains on.\n'
    "\n"
    "Rendered by punie.chat, the same renderer the server uses.\n"
    "\n"
    "Examples:\n"
    "\n"
    "    punie data render data/splits/train.jsonl -i 1 -i 2\n"
    "\n"
    "    punie data render data/splits/train.jsonl --out mlx/train.jsonl"
)


def register(app: typer.Typer) -> None:
    from punie.data.doctor_command import register as register_doctor

    app.add_typer(data_app, name="data")
    register_doctor(app)


@data_app.command("generate", help=GENERATE_HELP)
def generate(
    n: int = typer.Option(2000, "--n", "-n", min=0, help="Number of examples."),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same seed gives the same file."),
    tool_ratio: float = typer.Option(
        0.7, "--tool-ratio", min=0.0, max=1.0, help="Share of tool-calling examples."
    ),
    other_tools: float = typer.Option(
        0.0,
        "--other-tools",
        min=0.0,
        max=1.0,
        help="Share of examples offering other (non-workspace) tool sets; --tool-ratio applies to the rest.",
    ),
    feature_questions: bool = typer.Option(
        True,
        "--feature-questions/--no-feature-questions",
        help="Python-feature requests asked both ways: 'find the try/except uses' (search) and 'how do "
        "I use try/except' (direct). --no-feature-questions gives generator v7's stream as before.",
    ),
    compound_features: bool = typer.Option(
        False,
        "--compound-features/--no-compound-features",
        help="With feature questions: twenty more features named by compound names ('csv.reader/csv.writer', "
        "'copy/deepcopy') among the feature requests, at the same share. Off gives the stream as before.",
    ),
    feature_search_weight: float = typer.Option(
        SEARCH_WEIGHT,
        "--feature-search-weight",
        min=0.0,
        help="With feature questions: weight of 'find the X uses' among the tool scenarios.",
    ),
    feature_howto_share: float = typer.Option(
        HOWTO_SHARE,
        "--feature-howto-share",
        min=0.0,
        max=1.0,
        help="With feature questions: share of direct examples asking 'how do I use X'.",
    ),
    shell_tools: float = typer.Option(
        0.0,
        "--shell-tools",
        min=0.0,
        max=1.0,
        help="Share of examples offered only run_command + read_file: searches become grep, listings find "
        "(conversations that edit or write keep the six tools). 0 gives the stream as before.",
    ),
    out: Path = typer.Option(Path("data/generated.jsonl"), "--out", "-o", help="Output JSONL file."),
) -> None:
    from punie.data.cli_support import progress_bar
    from punie.data.generator import OTHER_TOOLS, example_kinds, generate_example
    from punie.data.io import write_examples

    options = GeneratorOptions(
        feature_questions=feature_questions,
        compound_features=compound_features,
        feature_search_weight=feature_search_weight,
        feature_howto_share=feature_howto_share,
        shell_tools=shell_tools,
    )
    kinds = example_kinds(n, seed, tool_ratio, other_tools)
    replies = {"tool": 0, "direct": 0}

    def produce():
        with progress_bar("generating", total=n) as advance:
            for index, kind in enumerate(kinds):
                example = generate_example(index, kind, seed, options)
                replies[example.kind] += 1
                yield example
                advance()

    written = write_examples(out, produce())
    others = kinds.count(OTHER_TOOLS)
    family = f", {others} from other tool sets" if others else ""
    typer.echo(
        f"wrote {written} examples to {out} "
        f"({replies['tool']} tool, {replies['direct']} direct{family}, seed {seed})"
    )


@data_app.command("split", help=SPLIT_HELP)
def split(
    source: Path = typer.Argument(..., exists=True, dir_okay=False, help="Input JSONL of records."),
    out_dir: Path = typer.Option(..., "--out-dir", "-o", help="Directory for train/valid/test.jsonl."),
    ratios: str = typer.Option("0.8,0.1,0.1", "--ratios", help="train,valid,test shares (sum to 1)."),
    seed: int = typer.Option(0, "--seed", help="Random seed for the shuffle."),
    threshold: float = typer.Option(
        0.9, "--threshold", help="Word-set Jaccard at which prompts count as near-duplicates."
    ),
    show_moves: int = typer.Option(10, "--show-moves", help="How many moved examples to list."),
) -> None:
    from punie.data.io import DataError, read_examples, write_examples
    from punie.data.split import SPLIT_NAMES, cross_split_duplicates, parse_ratios, split_examples, stratum

    try:
        shares = parse_ratios(ratios)
        examples = read_examples(source)
    except (ValueError, DataError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    result = split_examples(examples, shares, seed=seed, threshold=threshold)
    parts = {name: [examples[i] for i in result.splits[name]] for name in SPLIT_NAMES}
    for name in SPLIT_NAMES:
        write_examples(out_dir / f"{name}.jsonl", parts[name])
    strata = sorted({stratum(e) for e in examples})
    typer.echo(f"{len(examples)} examples from {source} -> {out_dir}/{{train,valid,test}}.jsonl")
    typer.echo(f"{'stratum':<24}" + "".join(f"{name:>8}" for name in SPLIT_NAMES))
    for key in strata:
        row = [sum(1 for e in parts[name] if stratum(e) == key) for name in SPLIT_NAMES]
        typer.echo(f"{key:<24}" + "".join(f"{n:>8}" for n in row))
    typer.echo(f"{'total':<24}" + "".join(f"{len(parts[name]):>8}" for name in SPLIT_NAMES))
    typer.echo(
        f"near-duplicate groups: {result.groups} ({result.grouped_examples} examples); "
        f"moved to keep groups together: {len(result.moves)}"
    )
    for move in result.moves[:show_moves]:
        typer.echo(
            f"  line {move.index + 1}: {move.from_split} -> {move.to_split} (group of {move.group_size}): "
            f"{move.prompt[:70]!r}"
        )
    if len(result.moves) > show_moves:
        typer.echo(f"  ... and {len(result.moves) - show_moves} more (--show-moves N to list them)")
    leaks = cross_split_duplicates(parts, threshold)
    typer.echo(f"leakage check: {len(leaks)} near-duplicate prompts across splits")
    if leaks:
        raise typer.Exit(1)


@data_app.command("overlap", help=OVERLAP_HELP)
def overlap_command(
    held_out: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="Held-out JSONL (e.g. a test split)."
    ),
    train: list[Path] = typer.Option(
        ..., "--train", exists=True, dir_okay=False, help="Training JSONL; repeat."
    ),
    threshold: float = typer.Option(
        0.9, "--threshold", help="Word-set Jaccard at which prompts count as near-duplicates."
    ),
    out: Path = typer.Option(None, "--out", "-o", help="Write the held-out examples with no overlap here."),
    show: int = typer.Option(5, "--show", help="How many overlapping prompts to list."),
) -> None:
    from punie.data.io import DataError, read_examples, write_examples
    from punie.data.split import overlap

    try:
        seen = [example for path in train for example in read_examples(path)]
        examples = read_examples(held_out)
    except DataError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    found = overlap(seen, examples, threshold)
    typer.echo(
        f"{held_out}: {len(examples)} examples; training: {len(seen)} examples in {len(train)} file(s)"
    )
    typer.echo(f"identical conversations: {len(found.identical)}")
    typer.echo(f"near-duplicate prompts:  {len(found.near_prompt)} (threshold {threshold})")
    typer.echo(f"clean (neither):         {len(found.clean)}")
    for position in sorted(set(found.identical) | set(found.near_prompt))[:show]:
        typer.echo(f"  line {position + 1}: {examples[position].user_prompt[:70]!r}")
    if out is not None:
        written = write_examples(out, [examples[i] for i in found.clean])
        typer.echo(f"wrote {written} clean examples to {out}")


@data_app.command("stats", help=STATS_HELP)
def stats(
    source: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSONL file of records."),
    tokens: bool = typer.Option(
        True, "--tokens/--no-tokens", help="Count tokens with the embedded model's vocabulary."
    ),
    gguf: Path = typer.Option(None, "--gguf", help="Count tokens with this GGUF's vocabulary instead."),
    json_out: Path = typer.Option(None, "--json", help="Also write the statistics as JSON here."),
) -> None:
    import json

    from punie.data.cli_support import progress_bar
    from punie.data.io import DataError, read_examples
    from punie.data.stats import add_token_lengths, count_examples

    try:
        examples = read_examples(source)
    except DataError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    result = count_examples(examples)
    if tokens and examples:
        from punie.data.tokens import Tokenizer

        tokenizer = Tokenizer(gguf)
        with progress_bar("counting tokens", total=len(examples)) as advance:
            add_token_lengths(result, examples, tokenizer.count, progress=advance)
    data = result.to_dict()
    typer.echo(f"file: {source}")
    typer.echo(
        f"examples: {data['examples']}  tool: {data['tool']}  direct: {data['direct']}  "
        f"tool ratio: {data['tool_ratio']:.3f}"
    )
    for title, key in (
        ("first tool of each tool example", "first_tool"),
        ("all calls by tool", "calls_by_tool"),
        ("calls per tool example", "calls_per_tool_example"),
        ("domains", "domains"),
        ("scenarios", "scenarios"),
    ):
        counts = data[key]
        if not counts:
            continue
        typer.echo(f"{title}:")
        top = max(counts.values())
        for name, count in counts.items():
            typer.echo(f"  {name:<20}{count:>6}  {'#' * max(1, round(30 * count / top))}")
    for key, title in (
        ("tokens", "tokens per example (whole rendered text)"),
        ("assistant_tokens", "assistant tokens per example (trained on)"),
    ):
        if key in data:
            t = data[key]
            typer.echo(
                f"{title}: min {t['minimum']}  median {t['median']}  mean {t['mean']}  p95 {t['p95']}  "
                f"max {t['maximum']}  total {t['total']}"
            )
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(data, indent=2) + "\n")


@data_app.command("convert", help=CONVERT_HELP)
def convert(
    sources: list[Path] = typer.Argument(..., exists=True, dir_okay=False, help="Input JSONL file(s)."),
    from_format: str = typer.Option(
        "auto",
        "--from",
        help="Input format: legacy ({messages} with text calls), mlx-text ({text}), records, auto.",
    ),
    to_format: str = typer.Option(
        "records",
        "--to",
        help="Output: records (Punie JSONL), mlx-text ({text} rendered), messages ({messages, tools}).",
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Output JSONL file."),
    rejects: Path = typer.Option(
        None, "--rejects", help="Write rejected lines (file, line, reason, raw) here."
    ),
    dialect: str = typer.Option("qwen3_xml", "--dialect", help="Call dialect for --to mlx-text."),
    tools: str = typer.Option(
        "inferred",
        "--tools",
        help="Declared tools of legacy records: inferred (from the calls seen) or "
        "workspace (Punie's six tools, plus inferred ones for other calls).",
    ),
    show: int = typer.Option(20, "--show", help="How many rejected lines to print."),
) -> None:
    from punie.data.cli_support import progress_bar
    from punie.data.convert import (
        FORMATS,
        TOOL_MODES,
        ConversionReport,
        Rejected,
        convert_file,
        to_messages,
        to_mlx_text,
    )
    from punie.data.io import LineError, count_lines, iter_examples, write_json_lines
    from punie.data.validate import validate_example

    if from_format not in (*FORMATS, "records") or to_format not in ("records", "mlx-text", "messages"):
        typer.echo(
            "error: --from must be auto|legacy|mlx-text|records and --to records|mlx-text|messages", err=True
        )
        raise typer.Exit(2)
    if tools not in TOOL_MODES:
        typer.echo(f"error: --tools must be one of {', '.join(TOOL_MODES)}", err=True)
        raise typer.Exit(2)
    reports: list[ConversionReport] = []
    total = sum(count_lines(path) for path in sources)
    with progress_bar("converting", total=total) as advance:
        for path in sources:
            if from_format == "records":
                report = ConversionReport(str(path))
                for number, value in iter_examples(path):
                    report.lines += 1
                    advance()
                    if isinstance(value, LineError):
                        report.rejected.append(Rejected(str(path), number, value.message))
                        continue
                    issues = validate_example(value)
                    if issues:
                        report.rejected.append(Rejected(str(path), number, "; ".join(map(str, issues[:3]))))
                    else:
                        report.converted.append((number, value))
            else:
                report = convert_file(path, from_format, progress=advance, tools_mode=tools)
            reports.append(report)

    def exported():
        for report in reports:
            for _, example in report.converted:
                if to_format == "mlx-text":
                    yield to_mlx_text(example, dialect)
                elif to_format == "messages":
                    yield to_messages(example)
                else:
                    yield example.to_dict()

    written = write_json_lines(out, exported())
    all_rejected = [item for report in reports for item in report.rejected]
    if rejects:
        write_json_lines(
            rejects,
            ({"file": r.file, "line": r.line, "reason": r.reason, "raw": r.raw} for r in all_rejected),
        )
    for report in reports:
        typer.echo(report.summary())
    lines = sum(report.lines for report in reports)
    typer.echo(
        f"total: in {lines} = converted {written} + rejected {len(all_rejected)} -> {out} ({to_format})"
    )
    for item in all_rejected[:show]:
        typer.echo(f"  rejected {item}")
    if len(all_rejected) > show:
        typer.echo(f"  ... and {len(all_rejected) - show} more" + (f" (all in {rejects})" if rejects else ""))


@data_app.command("validate", help=VALIDATE_HELP)
def validate(
    sources: list[Path] = typer.Argument(..., exists=True, dir_okay=False, help="JSONL file(s) of records."),
    show: int = typer.Option(30, "--show", help="How many errors to print per file."),
) -> None:
    from punie.data.cli_support import progress_bar
    from punie.data.io import count_lines
    from punie.data.validate import validate_file

    failed = False
    for path in sources:
        with progress_bar(f"validating {path.name}", total=count_lines(path)) as advance:
            report = validate_file(path, progress=lambda _line: advance())
        typer.echo(f"{path}: {report.lines} lines, {report.valid} valid, {len(report.errors)} error(s)")
        for error in report.errors[:show]:
            typer.echo(f"  {error}")
        if len(report.errors) > show:
            typer.echo(f"  ... and {len(report.errors) - show} more")
        failed = failed or not report.ok
    if failed:
        raise typer.Exit(1)


@data_app.command("render", help=RENDER_HELP)
def render(
    source: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSONL file of records."),
    index: list[int] = typer.Option(
        None, "--index", "-i", help="Line number(s) to print (1-based); default: all."
    ),
    out: Path = typer.Option(None, "--out", "-o", help='Write {"text"} JSONL here instead of printing.'),
    dialect: str = typer.Option(
        "qwen3_xml", "--dialect", help="Call dialect: qwen3_xml, hermes_json, json_fence."
    ),
) -> None:
    from punie.data.cli_support import progress_bar
    from punie.data.convert import to_mlx_text
    from punie.data.io import DataError, read_examples, write_json_lines

    try:
        examples = read_examples(source)
    except DataError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    chosen = (
        [(i, examples[i - 1]) for i in index if 1 <= i <= len(examples)]
        if index
        else list(enumerate(examples, start=1))
    )
    if index and len(chosen) != len(index):
        typer.echo(f"error: --index must be between 1 and {len(examples)}", err=True)
        raise typer.Exit(2)
    if out:
        with progress_bar("rendering", total=len(chosen)) as advance:

            def texts():
                for _, example in chosen:
                    yield to_mlx_text(example, dialect)
                    advance()

            written = write_json_lines(out, texts())
        typer.echo(f"wrote {written} rendered examples to {out}")
        return
    for number, example in chosen:
        typer.echo(f"===== {source}:{number} ({example.kind}) =====")
        typer.echo(to_mlx_text(example, dialect)["text"])
