"""A notes app API: create, search and append to notes."""

# ruff: noqa: E501 - data tables read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.phrasing import listing
from punie.data.generator.toolsets.base import (
    CallCase,
    Question,
    ToolSet,
    Unsupported,
    array,
    integer,
    make_tool,
    one_call,
    request,
    string,
    to_json,
)

NOTE_TITLES = ("Packing list", "Book ideas", "Meeting notes", "Gift ideas", "Garden plan", "Reading list")
NOTE_TEXTS = (
    "buy sunscreen",
    "call the plumber on Monday",
    "try the new ramen place",
    "renew passport",
    "back up the laptop",
)
TAGS = ("travel", "work", "home", "ideas", "todo")

NOTES = (
    make_tool(
        "create_note",
        "Create a note.",
        {
            "title": string("Note title."),
            "body": string("Note text."),
            "tags": array("Tags for the note.", {"type": "string"}),
        },
        ["title", "body"],
    ),
    make_tool(
        "find_notes",
        "Full-text search over the user's notes.",
        {
            "query": string("Words to search for."),
            "tag": string("Only notes with this tag."),
            "limit": integer("Maximum number of notes (default 10)."),
        },
        ["query"],
    ),
    make_tool(
        "append_to_note",
        "Append a line of text to an existing note.",
        {"note_id": string("The note id, e.g. n_104."), "text": string("Text to append.")},
        ["note_id", "text"],
    ),
)


def create_note(rng: random.Random) -> CallCase:
    title, body = rng.choice(NOTE_TITLES), rng.choice(NOTE_TEXTS)
    arguments: dict[str, object] = {"title": title, "body": body}
    tag = rng.choice(TAGS) if rng.random() < 0.4 else ""
    if tag:
        arguments["tags"] = [tag]
    text = request(
        rng.choice(
            (
                "[make|create|add|start] a note [called|titled] {title} [saying|with the text] {body}{tag}",
                "[jot down|note down|save a note]: {body} - title it {title}{tag}",
                "new note {title}: {body}{tag}",
            )
        ),
        rng,
        title=f'"{title}"',
        body=f'"{body}"' if rng.random() < 0.6 else body,
        tag=f", tagged {tag}" if tag else "",
    )
    note = f"n_{rng.randrange(100, 999)}"
    result = to_json({"note_id": note, "title": title, "tags": [tag] if tag else []})
    return one_call(text, "create_note", arguments, result, f'Saved the note "{title}" (id {note}).', (note,))


def find_notes(rng: random.Random) -> CallCase:
    query = rng.choice(("passport", "plumber", "ramen", "sunscreen", "birthday", "tomatoes"))
    arguments: dict[str, object] = {"query": query}
    tag = rng.choice(TAGS) if rng.random() < 0.3 else ""
    if tag:
        arguments["tag"] = tag
    text = request(
        rng.choice(
            (
                "[find|look up|search] my notes [about|on|mentioning] {query}{tag}",
                "do I have [a note|any notes] about {query}{tag}",
                "which [of my |]notes mention {query}{tag}",
            )
        ),
        rng,
        query=query,
        tag=f" tagged {tag}" if tag else "",
    )
    found = [
        {"note_id": f"n_{rng.randrange(100, 999)}", "title": title, "snippet": f"... {query} ..."}
        for title in rng.sample(NOTE_TITLES, rng.choice((0, 1, 1, 2)))
    ]
    result = to_json({"query": query, "notes": found})
    if not found:
        return one_call(text, "find_notes", arguments, result, f"No notes mention {query}.", (query,))
    items = [f'"{n["title"]}" ({n["note_id"]})' for n in found]
    answer = (
        f"{len(found)} {'note mentions' if len(found) == 1 else 'notes mention'} {query}: {listing(items)}."
    )
    return one_call(text, "find_notes", arguments, result, answer, tuple(n["note_id"] for n in found))


def append_to_note(rng: random.Random) -> CallCase:
    note, line = f"n_{rng.randrange(100, 999)}", rng.choice(NOTE_TEXTS)
    text = request(
        rng.choice(
            (
                "add {line} to note {note}",
                "append {line} to [my note|note] {note}",
                "put {line} at the end of note {note}",
            )
        ),
        rng,
        line=f'"{line}"',
        note=note,
    )
    lines = rng.randrange(2, 12)
    result = to_json({"note_id": note, "lines": lines})
    answer = f"Added it to {note}; the note now has {lines} lines."
    return one_call(
        text, "append_to_note", {"note_id": note, "text": line}, result, answer, (note, str(lines))
    )


NOTES_SET = ToolSet(
    name="notes",
    tools=NOTES,
    capabilities={
        "create_note": "create notes",
        "find_notes": "search notes",
        "append_to_note": "add text to a note",
    },
    scenarios={
        "create_note": (create_note,),
        "find_notes": (find_notes,),
        "append_to_note": (append_to_note,),
    },
    questions=(
        Question(
            ("what is the Zettelkasten method", "explain zettelkasten"),
            "Zettelkasten is a note-taking method built from small single-idea notes that link to each other, so "
            "ideas grow into a connected network.",
        ),
        Question(
            ("what is markdown", "what's markdown used for"),
            "Markdown is plain text with light markup - # for headings, * for emphasis, - for lists - that "
            "converts to HTML.",
        ),
        Question(
            ("what's the Cornell note-taking method",),
            "Cornell notes split the page into a notes column, a narrow cue column for keywords and questions, and "
            "a summary at the bottom.",
        ),
        Question(
            ("how do I remember what I read", "tips for remembering what I read"),
            "Write a short summary in your own words right after reading and review it a few days later; retrieval beats rereading.",
        ),
    ),
    unsupported=(
        Unsupported(
            ("[delete|remove] all my notes tagged {tag}", "delete note n_{num}"),
            "delete notes",
            {"tag": TAGS, "num": ("104", "311", "872")},
        ),
        Unsupported(
            ("share [my note|note] n_{num} with my team",), "share notes", {"num": ("104", "311", "872")}
        ),
        Unsupported(("export my notes as [a PDF|PDF|Word]",), "export notes"),
        Unsupported(
            ("rename the tag {tag} to {other}",), "rename tags", {"tag": TAGS, "other": ("personal", "later")}
        ),
    ),
    aliases={
        "create_note": ("new_note", "add_note", "createNote"),
        "find_notes": ("search_notes", "query_notes", "findNotes"),
        "append_to_note": ("add_to_note", "note_append", "appendToNote"),
    },
)
