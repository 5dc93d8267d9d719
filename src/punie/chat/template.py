"""Chat templates: Punie's own ChatML template, or any jinja2 chat template a user supplies.

Templates run in a sandboxed jinja2 environment configured like Hugging Face's (`trim_blocks`,
`lstrip_blocks`, `tojson`, `raise_exception`), so a model's own `chat_template` renders here as it does
in `transformers`. Punie's template also uses `render_calls` and `render_tool_response`, bound to a dialect.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

DEFAULT_TEMPLATE = "punie"
BUILTIN_TEMPLATES = {"punie": "punie_chatml.jinja"}
_END_OF_TURN_MARKERS = ("<|im_end|>", "<|eot_id|>", "<|end|>", "<end_of_turn>", "</s>")


class TemplateError(ValueError):
    """A template could not be loaded or rendered."""


@dataclass(frozen=True)
class ChatTemplate:
    """A compiled jinja2 chat template and the token that closes a turn in its output."""

    name: str
    source: str
    end_of_turn: str = "<|im_end|>"
    _compiled: jinja2.Template = field(repr=False, compare=False, default=None)  # type: ignore[assignment]

    def render(self, **context: Any) -> str:
        try:
            return self._compiled.render(**context)
        except jinja2.TemplateError as exc:
            raise TemplateError(f"template {self.name!r} failed to render: {exc}") from exc


def _raise_exception(message: str) -> None:
    raise TemplateError(message)


def _tojson(
    value: Any,
    ensure_ascii: bool = False,
    indent: int | None = None,
    separators=None,
    sort_keys: bool = False,
) -> str:
    return json.dumps(
        value, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys
    )


@functools.cache
def _environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"]
    )
    env.filters["tojson"] = _tojson
    env.globals["raise_exception"] = _raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
    return env


def compile_template(source: str, name: str = "<string>", end_of_turn: str | None = None) -> ChatTemplate:
    """Compile jinja2 source into a ChatTemplate; `end_of_turn` is guessed from the source when omitted."""
    try:
        compiled = _environment().from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template {name!r} has a syntax error on line {exc.lineno}: {exc.message}"
        ) from exc
    if end_of_turn is None:
        end_of_turn = next((marker for marker in _END_OF_TURN_MARKERS if marker in source), "")
    return ChatTemplate(name=name, source=source, end_of_turn=end_of_turn, _compiled=compiled)


@functools.cache
def _builtin(name: str) -> ChatTemplate:
    source = resources.files("punie.chat").joinpath("templates", BUILTIN_TEMPLATES[name]).read_text("utf-8")
    return compile_template(source, name=name, end_of_turn="<|im_end|>")


def load_template(name_or_path: str | Path | ChatTemplate | None = None) -> ChatTemplate:
    """A chat template by built-in name (`"punie"`), or from a file.

    Files may be a jinja template (`.jinja`, `.j2`, anything else read as text) or a Hugging Face
    `tokenizer_config.json` / `chat_template.json` with a `chat_template` entry (the `tool_use` variant
    is preferred when several are named).
    """
    if name_or_path is None:
        return _builtin(DEFAULT_TEMPLATE)
    if isinstance(name_or_path, ChatTemplate):
        return name_or_path
    if isinstance(name_or_path, str) and name_or_path in BUILTIN_TEMPLATES:
        return _builtin(name_or_path)
    path = Path(name_or_path)
    if not path.is_file():
        raise TemplateError(
            f"no chat template {str(name_or_path)!r}: not a built-in name {sorted(BUILTIN_TEMPLATES)} "
            "and not an existing file"
        )
    text = path.read_text("utf-8")
    if path.suffix == ".json":
        text = _template_from_json(path, text)
    return compile_template(text, name=str(path))


def _template_from_json(path: Path, text: str) -> str:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TemplateError(f"{path}: not valid JSON ({exc})") from None
    template = data.get("chat_template") if isinstance(data, dict) else None
    if isinstance(template, list):  # named variants: [{"name": "default", "template": "..."}, ...]
        by_name = {entry.get("name"): entry.get("template") for entry in template if isinstance(entry, dict)}
        template = by_name.get("tool_use") or by_name.get("default")
    if not isinstance(template, str):
        raise TemplateError(f"{path}: no 'chat_template' string in this JSON file")
    return template
