"""An email client API: send mail, search the inbox, mark messages read."""

# ruff: noqa: E501 - data tables read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.phrasing import listing
from punie.data.generator.toolsets.base import (
    PEOPLE,
    CallCase,
    Question,
    ToolSet,
    Unsupported,
    array,
    boolean,
    integer,
    make_tool,
    one_call,
    pick_date,
    request,
    string,
    to_json,
)

SUBJECTS = (
    "Q3 report",
    "Lunch on Friday?",
    "Invoice 4411",
    "Release notes",
    "Offsite agenda",
    "Contract draft",
)
BODIES = (
    "The report is ready for review.",
    "Can we move our call to 3pm?",
    "Please find the invoice attached.",
    "Thanks for your help today!",
    "The release went out this morning.",
)
TOPICS = ("invoice", "offsite", "contract", "password reset", "flight", "newsletter")
SENDERS = (
    "billing@acme.com",
    "hr@example.com",
    "noreply@airline.example",
    "ana@example.com",
    "news@weekly.example",
)

EMAIL = (
    make_tool(
        "send_email",
        "Send an email from the user's account.",
        {
            "to": array("Recipient addresses.", {"type": "string"}),
            "subject": string("Subject line."),
            "body": string("Plain-text message body."),
            "cc": array("Addresses to copy.", {"type": "string"}),
        },
        ["to", "subject", "body"],
    ),
    make_tool(
        "search_inbox",
        "Search the inbox; returns matching messages, newest first.",
        {
            "query": string("Words to look for in sender, subject or body."),
            "unread_only": boolean("Only unread messages."),
            "limit": integer("Maximum number of messages (default 10)."),
        },
        ["query"],
    ),
    make_tool(
        "mark_as_read",
        "Mark one message as read.",
        {"message_id": string("The message id, e.g. msg_5f2a.")},
        ["message_id"],
    ),
)


def send_email(rng: random.Random) -> CallCase:
    to = rng.sample(PEOPLE, rng.choice((1, 1, 2)))
    subject, body = rng.choice(SUBJECTS), rng.choice(BODIES)
    arguments: dict[str, object] = {"to": to, "subject": subject, "body": body}
    cc = ""
    if rng.random() < 0.25:
        copy = [rng.choice([p for p in PEOPLE if p not in to])]
        arguments["cc"] = copy
        cc = f" and cc {copy[0]}"
    text = request(
        rng.choice(
            (
                "[email|send an email to|write to|mail] {to} with the subject {subject} saying {body}{cc}",
                "send {to} an email: subject {subject}, body {body}{cc}",
                "[email|message] {to}{cc} - subject {subject} - {body}",
            )
        ),
        rng,
        to=listing(to),
        subject=f'"{subject}"',
        body=f'"{body}"',
        cc=cc,
    )
    message = f"msg_{rng.randrange(16**4):04x}"
    result = to_json({"message_id": message, "status": "sent", "to": to})
    answer = f'Sent "{subject}" to {listing(to)} (message id {message}).'
    return one_call(text, "send_email", arguments, result, answer, (message,))


def search_inbox(rng: random.Random) -> CallCase:
    topic = rng.choice(TOPICS)
    arguments: dict[str, object] = {"query": topic}
    unread = rng.random() < 0.35
    limit = rng.choice((0, 0, 3, 5))
    if unread:
        arguments["unread_only"] = True
    if limit:
        arguments["limit"] = limit
    text = request(
        rng.choice(
            (
                "[find|search for|look for] {last}{unread}emails about {topic}",
                "[do I have|are there] any {last}{unread}[emails|messages] [about|mentioning] {topic}",
                "[search|check] my inbox for {last}{unread}[messages|mail] about {topic}",
            )
        ),
        rng,
        topic=topic,
        unread="unread " if unread else "",
        last=f"the last {limit} " if limit else "",
    )
    count = rng.choice((0, 1, 2, 2))
    found = [
        {
            "id": f"msg_{rng.randrange(16**4):04x}",
            "from": rng.choice(SENDERS),
            "subject": f"{topic.capitalize()} {rng.choice(('update', 'reminder', 'details', 'question'))}",
            "date": pick_date(rng)[0],
        }
        for _ in range(count)
    ]
    result = to_json({"query": topic, "messages": found, "total": count})
    if not found:
        return one_call(
            text, "search_inbox", arguments, result, f"No emails match {topic!r}.", (topic,), ("unread_only",)
        )
    items = [f'"{m["subject"]}" from {m["from"]} ({m["date"]})' for m in found]
    answer = f"Found {count}: {listing(items)}."
    quotes = tuple(m["subject"] for m in found) + tuple(m["from"] for m in found)
    return one_call(text, "search_inbox", arguments, result, answer, quotes, ("unread_only",))


def mark_as_read(rng: random.Random) -> CallCase:
    message = f"msg_{rng.randrange(16**4):04x}"
    text = request("mark [message|email] {message} as read", rng, message=message)
    result = to_json({"message_id": message, "unread": False})
    return one_call(
        text,
        "mark_as_read",
        {"message_id": message},
        result,
        f"Message {message} is now marked as read.",
        (message,),
    )


EMAIL_SET = ToolSet(
    name="email",
    tools=EMAIL,
    capabilities={
        "send_email": "send email",
        "search_inbox": "search the inbox",
        "mark_as_read": "mark messages as read",
    },
    scenarios={"send_email": (send_email,), "search_inbox": (search_inbox,), "mark_as_read": (mark_as_read,)},
    questions=(
        Question(
            ("what does BCC mean [in an email|]", "what is bcc for"),
            "BCC (blind carbon copy) sends a copy to people the other recipients cannot see.",
        ),
        Question(
            ("what's the difference between reply and reply all",),
            "Reply answers only the sender; reply all also goes to everyone in To and CC.",
        ),
        Question(
            ("what is a phishing email", "how do I spot phishing"),
            "Phishing mail pretends to come from someone you trust to get you to click a link, share a password or "
            "pay; check the real sender address and don't trust urgent requests for credentials.",
        ),
        Question(
            ("what do SPF and DKIM do", "what is DKIM"),
            "SPF lists which servers may send mail for a domain and DKIM signs messages so receivers can check "
            "they weren't altered; both help stop spoofing.",
        ),
        Question(
            ("how long should an email subject line be",),
            "Keep it under about 50 characters, so it is not cut off on phones.",
        ),
    ),
    unsupported=(
        Unsupported(
            ("unsubscribe me from {sender}", "block {sender}"),
            "unsubscribe from or block senders",
            {"sender": SENDERS},
        ),
        Unsupported(("delete all emails older than a year", "empty my spam folder"), "delete emails"),
        Unsupported(
            ("set up an out-of-office [reply|auto-reply] [until Monday|for next week]",),
            "set up automatic replies",
        ),
        Unsupported(("add {person} to my contacts",), "manage contacts", {"person": PEOPLE}),
    ),
    aliases={
        "send_email": ("email_send", "compose_and_send", "sendEmail"),
        "search_inbox": ("find_emails", "search_mail", "searchInbox"),
        "mark_as_read": ("mark_read", "set_read", "markAsRead"),
    },
)
