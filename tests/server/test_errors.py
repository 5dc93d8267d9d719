"""Every bad request gets a 4xx with an OpenAI-style error body that names the problem."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from punie.engine.testing import ScriptedEngine
from punie.server import create_app

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "read_file",
            "description": "Read a file",
            "parameters": {
                "type": "object",
                "properties": {"path": {"type": "string"}},
                "required": ["path"],
            },
        },
    }
]
USER = {"role": "user", "content": "hi"}


@pytest.fixture(scope="module")
def engine() -> ScriptedEngine:
    return ScriptedEngine(["fine"], name="scripted-model", aliases=("embedded",), context_size=200)


@pytest.fixture(scope="module")
def client(engine: ScriptedEngine) -> TestClient:
    return TestClient(create_app(engine))


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    assert body["error"]["message"]
    return body["error"]


def test_malformed_json(client: TestClient) -> None:
    error = error_of(
        client.post(
            "/v1/chat/completions",
            content=b'{"model": "default", "messages": [',
            headers={"content-type": "application/json"},
        ),
        400,
    )
    assert "not valid JSON" in error["message"]
    assert error["type"] == "invalid_request_error"


def test_body_not_an_object(client: TestClient) -> None:
    error = error_of(client.post("/v1/chat/completions", json=[1, 2]), 400)
    assert "JSON object" in error["message"]


@pytest.mark.parametrize(
    ("patch", "param"),
    [
        ({"messages": "hello"}, "messages"),
        ({"messages": []}, "messages"),
        ({"messages": None}, "messages"),
        ({"model": 7}, "model"),
        ({"temperature": "hot"}, "temperature"),
        ({"temperature": 3}, "temperature"),
        ({"top_p": 1.5}, "top_p"),
        ({"max_tokens": "10"}, "max_tokens"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"max_completion_tokens": 2.5}, "max_completion_tokens"),
        ({"seed": "x"}, "seed"),
        ({"stream": "yes"}, "stream"),
        ({"stop": 5}, "stop"),
        ({"stop": ["a", "b", "c", "d", "e"]}, "stop"),
        ({"n": 2}, "n"),
        ({"tools": {"name": "x"}}, "tools"),
        ({"tools": [{"type": "function", "function": {"description": "no name"}}]}, "tools[0].function.name"),
        ({"tool_choice": "sometimes"}, "tool_choice"),
        ({"tool_choice": {"type": "function", "function": {"name": "nope"}}, "tools": TOOLS}, "tool_choice"),
        ({"tool_choice": "required"}, "tool_choice"),
        ({"stream_options": "usage"}, "stream_options"),
        ({"messages": [{"role": "user", "content": 5}]}, "messages[0].content"),
        ({"messages": [{"role": "user"}]}, "messages[0].content"),
        ({"messages": ["hi"]}, "messages[0]"),
        (
            {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]},
            "messages[0].content[0]",
        ),
    ],
)
def test_wrong_types_and_values(client: TestClient, patch: dict[str, Any], param: str) -> None:
    body = {"model": "default", "messages": [USER], **patch}
    error = error_of(client.post("/v1/chat/completions", json=body), 400)
    assert error["param"] == param, error


def test_unknown_role(client: TestClient) -> None:
    body = {"model": "default", "messages": [{"role": "wizard", "content": "hi"}]}
    error = error_of(client.post("/v1/chat/completions", json=body), 400)
    assert error["param"] == "messages[0].role"
    assert "wizard" in error["message"]


def test_tool_message_without_matching_call(client: TestClient) -> None:
    messages = [
        USER,
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "read_file", "arguments": '{"path": "a"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_2", "content": "text"},
    ]
    error = error_of(
        client.post("/v1/chat/completions", json={"model": "default", "messages": messages, "tools": TOOLS}),
        400,
    )
    assert error["param"] == "messages[2].tool_call_id"
    assert "call_2" in error["message"]


def test_tool_message_before_any_call(client: TestClient) -> None:
    messages = [USER, {"role": "tool", "tool_call_id": "call_1", "content": "text"}]
    error = error_of(
        client.post("/v1/chat/completions", json={"model": "default", "messages": messages}), 400
    )
    assert error["param"] == "messages[1].tool_call_id"


def test_assistant_call_with_bad_arguments(client: TestClient) -> None:
    messages = [
        USER,
        {
            "role": "assistant",
            "tool_calls": [
                {"id": "c", "type": "function", "function": {"name": "read_file", "arguments": "{not json"}}
            ],
        },
    ]
    error = error_of(
        client.post("/v1/chat/completions", json={"model": "default", "messages": messages}), 400
    )
    assert error["param"] == "messages[1].tool_calls[0].function.arguments"


def test_prompt_over_context(client: TestClient, engine: ScriptedEngine) -> None:
    calls_before = len(engine.prompts)
    body = {"model": "default", "messages": [{"role": "user", "content": "word " * 500}]}
    error = error_of(client.post("/v1/chat/completions", json=body), 400)
    assert error["code"] == "context_length_exceeded"
    assert "200" in error["message"]
    assert len(engine.prompts) == calls_before  # nothing was generated


def test_prompt_over_context_streaming_is_still_a_4xx(client: TestClient) -> None:
    body = {"model": "default", "stream": True, "messages": [{"role": "user", "content": "word " * 500}]}
    error = error_of(client.post("/v1/chat/completions", json=body), 400)
    assert error["code"] == "context_length_exceeded"


def test_unknown_model(client: TestClient) -> None:
    error = error_of(client.post("/v1/chat/completions", json={"model": "gpt-9", "messages": [USER]}), 404)
    assert error["code"] == "model_not_found"
    assert error["param"] == "model"
    assert "gpt-9" in error["message"]


@pytest.mark.parametrize("model", ["default", "embedded", "scripted-model"])
def test_known_model_names(client: TestClient, model: str) -> None:
    response = client.post("/v1/chat/completions", json={"model": model, "messages": [USER]})
    assert response.status_code == 200
    assert response.json()["choices"][0]["message"]["content"] == "fine"


def test_unknown_route_and_method(client: TestClient) -> None:
    error_of(client.get("/v1/nothing"), 404)
    error = error_of(client.get("/v1/chat/completions"), 405)
    assert error["type"] == "invalid_request_error"


def test_models_and_health(client: TestClient) -> None:
    models = client.get("/v1/models").json()
    assert [m["id"] for m in models["data"]] == ["scripted-model", "embedded"]
    assert client.get("/health").json()["status"] == "ok"


def test_error_bodies_are_json_even_for_garbage_bytes(client: TestClient) -> None:
    response = client.post("/v1/chat/completions", content=b"\xff\xfe\x00garbage")
    error = error_of(response, 400)
    assert json.dumps(error)


def test_developer_role_and_text_parts_are_accepted(client: TestClient, engine: ScriptedEngine) -> None:
    messages = [
        {"role": "developer", "content": "Be terse."},
        {
            "role": "user",
            "content": [{"type": "text", "text": "part one, "}, {"type": "text", "text": "part two"}],
        },
    ]
    response = client.post("/v1/chat/completions", json={"model": "default", "messages": messages})
    assert response.status_code == 200, response.text
    assert "<|im_start|>system\nBe terse." in engine.prompts[-1]
    assert "part one, part two" in engine.prompts[-1]


def test_parallel_tool_calls_must_be_a_boolean(client: TestClient) -> None:
    body = {"model": "default", "messages": [USER], "parallel_tool_calls": "no"}
    assert error_of(client.post("/v1/chat/completions", json=body), 400)["param"] == "parallel_tool_calls"
