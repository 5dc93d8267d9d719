"""CI smoke run of the whole recipe on the real embedded model: a few LoRA steps, resume, export the
adapter and a fused Q8_0 model (both checked numerically against torch), load them in llama.cpp, answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("gguf")
pytest.importorskip("llama_cpp")

pytestmark = [pytest.mark.slow, pytest.mark.train]

ROOT = Path(__file__).resolve().parents[2]


def _config(tmp_path: Path, iterations: int):
    from punie.train.config import load_config

    config = load_config(ROOT / "configs" / "smoke.toml")
    config.output_dir = tmp_path / "run"
    config.data.train = tmp_path / "data" / "train.jsonl"
    config.data.valid = tmp_path / "data" / "valid.jsonl"
    config.data.test = tmp_path / "data" / "test.jsonl"
    config.train.iterations = iterations
    config.train.eval_interval = 2
    config.export.adapter = tmp_path / "shipped" / "adapter.gguf"
    return config


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Train 2 steps (checkpoint at step 2), then continue the same run to step 3."""
    from punie.train.pipeline import quiet_threads, run_training

    quiet_threads()
    tmp_path = tmp_path_factory.mktemp("smoke")
    lines: list[str] = []
    first = run_training(_config(tmp_path, 2), lines.append, show_progress=False)
    lines.append(f"first run tokens {first.summary['train']['sequence_tokens']}")
    config = _config(tmp_path, 3)
    run = run_training(config, lines.append, show_progress=False)
    return config, run, lines


def test_training_logs_resumes_and_learns(trained) -> None:
    config, run, lines = trained
    assert any(line.startswith("data: wrote") for line in lines)
    assert any("resumed from" in line and "at step 2" in line for line in lines)
    assert run.summary["train"]["resumed_from"] == 2
    first_tokens = int(next(line for line in lines if line.startswith("first run tokens")).split()[-1])
    assert run.summary["train"]["sequence_tokens"] > first_tokens > 0  # totals continue across the resume
    assert any(line.startswith("step 3 valid_loss") for line in lines)
    assert (Path(config.output_dir) / "checkpoint.pt").is_file()
    assert run.summary["train"]["tokens_per_second"] > 0
    lora_b = [layer.lora_b.abs().sum().item() for layer in run.runner.sites.values()]
    assert all(value > 0 for value in lora_b)  # every adapted projection moved away from its zero init


def test_export_checks_load_and_answer(trained) -> None:
    from punie.engine import Delta, LlamaCppEngine
    from punie.train.pipeline import export_run, ship_adapter

    config, run, lines = trained
    exported = export_run(config, run, lines.append)
    assert exported.passed, exported.checks
    assert set(exported.checks) == {"adapter", "fused"}
    assert exported.adapter.stat().st_size < 1_000_000  # rank 4 on two blocks: a few hundred KB
    shipped = ship_adapter(config, exported.adapter, lines.append)
    assert shipped is not None and shipped.read_bytes() == exported.adapter.read_bytes()
    q8 = exported.quantized["Q8_0"]
    assert q8.stat().st_size < exported.fused.stat().st_size
    prompt = "<|im_start|>user\nWhat is a Python list?<|im_end|>\n<|im_start|>assistant\n"
    for model, lora in ((run.base.gguf_path, exported.adapter), (q8, None)):
        engine = LlamaCppEngine(model, lora_path=lora, n_ctx=512)
        text = "".join(d.text for d in engine.generate(prompt, max_tokens=12) if isinstance(d, Delta))
        engine.llama.close()
        assert text.strip()


def test_export_check_catches_a_wrong_qk_row_order(trained, monkeypatch, tmp_path) -> None:
    """The numeric check is not a formality: writing q/k rows in Hugging Face order fails it."""
    import torch

    from punie.train import export
    from punie.train.verify import amplified, check_adapter, probe_factor

    _config_unused, run, _ = trained
    ids = run.tokenizer.encode("<|im_start|>user\nShow me UserSerializer<|im_end|>\n<|im_start|>assistant\n")[
        0
    ]
    layout = export.HeadLayout.of(run.base.model.config)
    others = {
        s: layer.lora_b.detach().clone()
        for s, layer in run.runner.sites.items()
        if s.target not in ("q_proj", "k_proj")
    }
    try:
        with torch.no_grad():
            for site in others:
                run.runner.sites[site].lora_b.zero_()  # only q/k change the model now
        with amplified(run.runner, probe_factor(run.runner, ids)):
            right = export.write_adapter_gguf(tmp_path / "right.gguf", run.runner.sites, layout)
            good = check_adapter(run.runner, run.base.gguf_path, right, ids)
            monkeypatch.setattr(export, "rows_for_gguf", lambda site, rows, layout: rows)
            wrong = export.write_adapter_gguf(tmp_path / "wrong.gguf", run.runner.sites, layout)
            bad = check_adapter(run.runner, run.base.gguf_path, wrong, ids)
    finally:
        with torch.no_grad():
            for site, saved in others.items():
                run.runner.sites[site].lora_b.copy_(saved)
    assert good.passed, good.describe()
    assert not bad.passed, bad.describe()
