"""punie.chat: render conversations (messages, tools, calls) to model text through a chat template.

One function, `render_conversation`, produces the text for serving and for training; `assistant_spans`
gives the same text plus the character spans that training puts loss on.
"""

from punie.chat.messages import normalize_messages, normalize_tools
from punie.chat.prompts import SYSTEM_PROMPT, WORKSPACE_TOOLS
from punie.chat.render import DEFAULT_DIALECT, assistant_spans, render_conversation, resolve_dialect
from punie.chat.template import ChatTemplate, TemplateError, compile_template, load_template

__all__ = [
    "DEFAULT_DIALECT",
    "SYSTEM_PROMPT",
    "WORKSPACE_TOOLS",
    "ChatTemplate",
    "TemplateError",
    "assistant_spans",
    "compile_template",
    "load_template",
    "normalize_messages",
    "normalize_tools",
    "render_conversation",
    "resolve_dialect",
]
