"""Model specs for evaluation: bad specs fail clearly, before anything is loaded."""

from __future__ import annotations

import pytest

from punie.eval.targets import open_target


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("lora:/nonexistent/adapter.gguf", "adapter file not found"),
        ("/nonexistent/model.gguf", "model file not found"),
        ("mystery-model", "unknown model spec"),
        ("local:ftp://example", "must be http"),
    ],
)
def test_bad_model_specs_are_clear_errors(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        open_target(spec)


def test_a_local_target_points_at_the_url_and_model_name() -> None:
    target = open_target("local:http://127.0.0.1:9/v1/qwen3-coder")
    assert str(target.client.base_url).rstrip("/") == "http://127.0.0.1:9/v1"
    assert target.model == "qwen3-coder" and target.load_s == 0.0
