"""An issue tracker API: open, get and list issues."""

# ruff: noqa: E501 - data tables read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.phrasing import listing
from punie.data.generator.toolsets.base import (
    USERS,
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

REPOS = ("acme/webshop", "octo-org/api-gateway", "mira/notes-app", "data-team/etl", "kestrel/cli")
ISSUE_TITLES = (
    "Login page returns 500 on empty password",
    "Dark mode setting is not saved",
    "CSV export drops the header row",
    "Broken link in the README",
    "Search is slow with more than 10k items",
)
LABELS = ("bug", "docs", "enhancement", "performance")

ISSUES = (
    make_tool(
        "create_issue",
        "Open a new issue in a repository.",
        {
            "repo": string("Repository as owner/name."),
            "title": string("Issue title."),
            "body": string("Issue description."),
            "labels": array("Labels to apply.", {"type": "string"}),
        },
        ["repo", "title"],
    ),
    make_tool(
        "get_issue",
        "Get one issue by number.",
        {"repo": string("Repository as owner/name."), "number": integer("Issue number.")},
        ["repo", "number"],
    ),
    make_tool(
        "list_issues",
        "List issues in a repository, newest first.",
        {
            "repo": string("Repository as owner/name."),
            "state": string("Issue state (default open).", ["open", "closed", "all"]),
            "label": string("Only issues with this label."),
            "limit": integer("Maximum number of issues (default 20)."),
        },
        ["repo"],
    ),
)


def create_issue(rng: random.Random) -> CallCase:
    repo, title = rng.choice(REPOS), rng.choice(ISSUE_TITLES)
    arguments: dict[str, object] = {"repo": repo, "title": title}
    label = rng.choice(LABELS) if rng.random() < 0.4 else ""
    if label:
        arguments["labels"] = [label]
    text = request(
        rng.choice(
            (
                "[open|file|create] an issue in {repo} [titled|called] {title}{label}",
                "[report|log] a bug [in|on] {repo}: {title}{label}",
                "new issue for {repo}: {title}{label}",
            )
        ),
        rng,
        repo=repo,
        title=f'"{title}"',
        label=f" with the label {label}" if label else "",
    )
    number = rng.randrange(40, 900)
    url = f"https://tracker.example.com/{repo}/issues/{number}"
    result = to_json({"number": number, "url": url, "state": "open"})
    return one_call(
        text,
        "create_issue",
        arguments,
        result,
        f"Opened issue #{number} in {repo}: {url}",
        (str(number), url),
    )


def get_issue(rng: random.Random) -> CallCase:
    repo, number = rng.choice(REPOS), rng.randrange(1, 900)
    text = request(
        rng.choice(
            (
                "[show me|get|pull up] issue #{number} in {repo}",
                "what's the status of {repo}#{number}",
                "is issue {number} in {repo} [fixed|closed|still open]",
            )
        ),
        rng,
        repo=repo,
        number=number,
    )
    arguments = {"repo": repo, "number": number}
    if rng.random() < 0.15:
        result = to_json({"error": "not found", "repo": repo, "number": number})
        return one_call(
            text, "get_issue", arguments, result, f"Issue #{number} doesn't exist in {repo}.", (str(number),)
        )
    title, state, owner, comments = (
        rng.choice(ISSUE_TITLES),
        rng.choice(("open", "closed")),
        rng.choice(USERS),
        rng.randrange(0, 15),
    )
    result = to_json(
        {"number": number, "title": title, "state": state, "assignee": owner, "comments": comments}
    )
    answer = f'#{number} "{title}" is {state}, assigned to {owner}, with {comments} comments.'
    return one_call(text, "get_issue", arguments, result, answer, (title, state, owner))


def list_issues(rng: random.Random) -> CallCase:
    repo = rng.choice(REPOS)
    arguments: dict[str, object] = {"repo": repo}
    state = rng.choice(("", "open", "closed"))
    label = rng.choice(LABELS) if rng.random() < 0.4 else ""
    limit = rng.choice((0, 0, 5, 10))
    for key, value in (("state", state), ("label", label), ("limit", limit)):
        if value:
            arguments[key] = value
    text = request(
        rng.choice(
            (
                "[list|show] the {last}{state}issues in {repo}{label}",
                "what are the {last}{state}issues in {repo}{label}",
            )
        ),
        rng,
        repo=repo,
        state=f"{state} " if state else "",
        label=f" labelled {label}" if label else "",
        last=f"last {limit} " if limit else "",
    )
    found = [
        {"number": rng.randrange(1, 900), "title": title}
        for title in rng.sample(ISSUE_TITLES, rng.choice((0, 1, 2, 3)))
    ]
    result = to_json({"repo": repo, "issues": found})
    if not found:
        return one_call(text, "list_issues", arguments, result, f"No matching issues in {repo}.", (repo,))
    items = [f"#{i['number']} {i['title']}" for i in found]
    return one_call(
        text, "list_issues", arguments, result, f"{repo}: {listing(items)}.", tuple(i["title"] for i in found)
    )


ISSUES_SET = ToolSet(
    name="issue_tracker",
    tools=ISSUES,
    capabilities={
        "create_issue": "open issues",
        "get_issue": "look up an issue",
        "list_issues": "list issues",
    },
    scenarios={"create_issue": (create_issue,), "get_issue": (get_issue,), "list_issues": (list_issues,)},
    questions=(
        Question(
            ("what's the difference between an issue and a pull request", "issue vs pull request"),
            "An issue tracks a bug, task or idea to discuss; a pull request proposes concrete code changes to merge "
            "into a branch.",
        ),
        Question(
            ("what makes a good bug report", "how do I write a good bug report"),
            "Steps to reproduce, what you expected, what happened instead, and your version and environment - "
            "plus logs or a screenshot if you have them.",
        ),
        Question(
            ("what does triage mean for issues", "what is issue triage"),
            "Triage is reviewing new issues to confirm them, label them, set a priority and assign an owner.",
        ),
    ),
    unsupported=(
        Unsupported(
            ("merge pull request #{num} in {repo}",),
            "merge pull requests",
            {"num": ("12", "87", "203"), "repo": REPOS},
        ),
        Unsupported(
            ("close issue #{num} in {repo}", "reopen {repo}#{num}"),
            "close or reopen issues",
            {"num": ("12", "87", "203"), "repo": REPOS},
        ),
        Unsupported(
            ("assign issue #{num} in {repo} to {user}",),
            "assign issues",
            {"num": ("12", "87", "203"), "repo": REPOS, "user": USERS},
        ),
        Unsupported(
            ("comment [on|under] issue #{num} that it's fixed",),
            "comment on issues",
            {"num": ("12", "87", "203")},
        ),
    ),
    aliases={
        "create_issue": ("open_issue", "new_issue", "createIssue"),
        "get_issue": ("fetch_issue", "issue_details", "getIssue"),
        "list_issues": ("find_issues", "query_issues", "listIssues"),
    },
)
