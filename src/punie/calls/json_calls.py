"""Reading `{"name": ..., "arguments": ...}` call objects (hermes_json and json_fence bodies)."""

from __future__ import annotations

import ast
import json
import warnings
from dataclasses import dataclass
from typing import Any


@dataclass
class CallObject:
    """The outcome of reading one JSON body: a call (name + arguments), or why it is not one."""

    name: str = ""
    arguments: dict[str, Any] | None = None
    problem: str = ""  # set when the body is not a usable call
    note: str = ""  # set when the body was repaired (e.g. a Python literal instead of JSON)
    call_shaped: bool = False  # the body is an object with "name" and "arguments"/"parameters"


def load_object(body: str) -> tuple[Any, str, str]:
    """(value, problem, note): strict JSON first, then a Python literal (legacy single-quoted data)."""
    text = body.strip()
    try:
        return json.loads(text), "", ""
    except ValueError as error:
        json_problem = f"invalid JSON ({error})"
    except RecursionError:
        return None, "invalid JSON (nested too deeply)", ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = ast.literal_eval(text)
        if isinstance(value, tuple) and len(value) == 1:  # `{...},`: a comma after the object
            return json.loads(json.dumps(value[0])), "", f"{json_problem}; ignored a comma after the object"
        return json.loads(json.dumps(value)), "", f"{json_problem}; read as a Python literal"
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None, json_problem, ""


def read_call_object(body: str) -> CallObject:
    value, problem, note = load_object(body)
    if problem:
        return CallObject(problem=problem)
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        return CallObject(problem='not a {"name": ..., "arguments": ...} object', note=note)
    has_arguments = "arguments" in value or "parameters" in value
    arguments = value["arguments"] if "arguments" in value else value.get("parameters")
    if arguments is None:
        arguments = {}
    if isinstance(arguments, str):
        decoded, arguments_problem, _ = load_object(arguments) if arguments.strip() else ({}, "", "")
        if arguments_problem or not isinstance(decoded, dict):
            problem = f"arguments given as a string: {arguments_problem or 'not an object'}"
            return CallObject(value["name"], None, problem, note, has_arguments)
        arguments = decoded
    if not isinstance(arguments, dict):
        problem = f"arguments must be an object, got {type(arguments).__name__}"
        return CallObject(value["name"], None, problem, note, has_arguments)
    return CallObject(value["name"], arguments, "", note, has_arguments)
