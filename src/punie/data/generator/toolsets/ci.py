"""A CI system API: trigger builds, check their status, read their logs."""

# ruff: noqa: E501 - data tables read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.toolsets.base import (
    CallCase,
    Question,
    ToolSet,
    Unsupported,
    boolean,
    integer,
    make_tool,
    one_call,
    request,
    string,
    to_json,
)

PIPELINES = ("web-frontend", "api", "mobile-ios", "data-pipeline", "docs-site")
BRANCHES = ("main", "release/2.4", "feature/search-v2", "fix/login-timeout", "develop")

CI = (
    make_tool(
        "trigger_build",
        "Start a CI build of a pipeline on a branch.",
        {
            "pipeline": string("Pipeline name."),
            "branch": string("Git branch to build."),
            "run_tests": boolean("Run the test stage (default true)."),
        },
        ["pipeline", "branch"],
    ),
    make_tool(
        "get_build_status",
        "Get the status of a CI build.",
        {"build_id": integer("Build number.")},
        ["build_id"],
    ),
    make_tool(
        "get_build_log",
        "Get the end of a CI build's log.",
        {"build_id": integer("Build number."), "tail_lines": integer("How many last lines (default 50).")},
        ["build_id"],
    ),
)


def trigger_build(rng: random.Random) -> CallCase:
    pipeline, branch = rng.choice(PIPELINES), rng.choice(BRANCHES)
    arguments: dict[str, object] = {"pipeline": pipeline, "branch": branch}
    tests = rng.choice(("", "", " without tests", " and skip the tests", " with tests"))
    if tests:
        arguments["run_tests"] = tests == " with tests"
    text = request(
        rng.choice(
            (
                "[start|trigger|kick off|run] a build of {pipeline} on {branch}{tests}",
                "[build|rebuild] the {pipeline} pipeline [on|from] {branch}{tests}",
            )
        ),
        rng,
        pipeline=pipeline,
        branch=branch,
        tests=tests,
    )
    build = rng.randrange(1000, 9999)
    result = to_json({"build_id": build, "pipeline": pipeline, "branch": branch, "status": "queued"})
    answer = f"Build {build} of {pipeline} on {branch} is queued."
    return one_call(text, "trigger_build", arguments, result, answer, (str(build),), ("run_tests",))


def get_build_status(rng: random.Random) -> CallCase:
    build = rng.randrange(1000, 9999)
    text = request(
        rng.choice(
            (
                "what's the status of build {build}",
                "did build {build} pass",
                "is build {build} [done|finished] yet",
            )
        ),
        rng,
        build=build,
    )
    state = rng.choice(("passed", "failed", "running"))
    seconds = rng.randrange(60, 900)
    if state == "failed":
        step = rng.choice(("test", "lint", "deploy"))
        result = to_json({"build_id": build, "status": state, "failed_step": step, "duration_s": seconds})
        answer = f"Build {build} failed at the {step} step after {seconds} s."
        quotes: tuple[str, ...] = (step, str(seconds))
    elif state == "passed":
        result = to_json({"build_id": build, "status": state, "duration_s": seconds})
        answer, quotes = f"Build {build} passed in {seconds} s.", (str(seconds),)
    else:
        result = to_json({"build_id": build, "status": state, "stage": "test", "elapsed_s": seconds})
        answer, quotes = f"Build {build} is still running (test stage, {seconds} s so far).", (str(seconds),)
    return one_call(text, "get_build_status", {"build_id": build}, result, answer, quotes)


def get_build_log(rng: random.Random) -> CallCase:
    build = rng.randrange(1000, 9999)
    arguments: dict[str, object] = {"build_id": build}
    lines = rng.choice((0, 0, 20, 100))
    if lines:
        arguments["tail_lines"] = lines
    text = request(
        rng.choice(
            (
                "[show|get] [me |]the {last}log [for|of] build {build}",
                "why did build {build} fail? show the {last}log",
            )
        ),
        rng,
        build=build,
        last=f"last {lines} lines of the " if lines else "",
    )
    error = rng.choice(
        (
            "FAILED tests/test_api.py::test_login - AssertionError: 500 != 200",
            "error: could not resolve dependency left-pad@^2.0.0",
            "ERROR: Ran out of memory (exit code 137)",
        )
    )
    result = f"[build {build}] step test\n... \n{error}\nBuild failed."
    return one_call(
        text, "get_build_log", arguments, result, f"The log ends with the failure: {error}", (error,)
    )


CI_SET = ToolSet(
    name="ci",
    tools=CI,
    capabilities={
        "trigger_build": "start CI builds",
        "get_build_status": "check a build's status",
        "get_build_log": "fetch build logs",
    },
    scenarios={
        "trigger_build": (trigger_build,),
        "get_build_status": (get_build_status,),
        "get_build_log": (get_build_log,),
    },
    questions=(
        Question(
            ("what is continuous integration", "what does CI mean"),
            "Continuous integration means merging small changes often and having every push built and tested "
            "automatically, so breakages show up early.",
        ),
        Question(
            ("what's the difference between continuous delivery and continuous deployment",),
            "With continuous delivery every change is ready to release but a person triggers the deploy; "
            "continuous deployment releases every passing change automatically.",
        ),
        Question(
            ("what is a flaky test", "why are some tests flaky"),
            "A flaky test passes and fails on the same code, usually because of timing, test order or shared state.",
        ),
        Question(
            ("what's a build artifact",),
            "An artifact is a file a build produces and keeps - a wheel, a binary, a container image or a test report.",
        ),
    ),
    unsupported=(
        Unsupported(
            ("cancel build {num}", "stop build {num}"), "cancel builds", {"num": ("4211", "7730", "9051")}
        ),
        Unsupported(
            ("roll back the [production|prod] deploy", "revert yesterday's release"), "roll back deployments"
        ),
        Unsupported(
            ("update the CI secret {secret}",),
            "manage CI secrets",
            {"secret": ("API_TOKEN", "NPM_TOKEN", "AWS_KEY")},
        ),
        Unsupported(
            ("[create|add] a new pipeline for {pipeline}",),
            "create pipelines",
            {"pipeline": ("billing", "search-indexer")},
        ),
    ),
    aliases={
        "trigger_build": ("start_build", "run_pipeline", "triggerBuild"),
        "get_build_status": ("build_status", "check_build", "getBuildStatus"),
        "get_build_log": ("fetch_build_log", "build_log", "getBuildLog"),
    },
    substitutes=("get_build_status",),
)
