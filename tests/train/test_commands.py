"""`punie train` on the command line: help with an example, clear errors for bad recipes."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from punie.cli import app

runner = CliRunner()


def test_help_lists_the_stages_and_an_example() -> None:
    result = runner.invoke(app, ["train", "--help"])
    assert result.exit_code == 0
    for word in ("export", "quantize", "gate", "configs/embedded_adapter.toml"):
        assert word in result.output


def test_bad_recipe_is_a_clear_error(tmp_path: Path) -> None:
    recipe = tmp_path / "bad.toml"
    recipe.write_text("[lora]\nrank = 0\n")
    result = runner.invoke(app, ["train", "--config", str(recipe)])
    assert result.exit_code == 2
    assert "bad.toml" in result.output and "lora.rank" in result.output


def test_quantize_rejects_unknown_type(tmp_path: Path) -> None:
    source = tmp_path / "m.gguf"
    source.write_bytes(b"GGUF")
    result = runner.invoke(app, ["train", "quantize", str(source), "--type", "Q3_X"])
    assert result.exit_code == 1 and "unknown quantization" in result.output


def test_an_adapter_exported_where_it_ships_is_kept_in_place(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Experiment configs ship to their own run folder: the adapter is already there (no SameFileError)."""
    from punie.train.config import TrainConfig
    from punie.train.pipeline import ship_adapter

    monkeypatch.chdir(tmp_path)
    adapter = Path("runs/x/adapter.gguf")
    adapter.parent.mkdir(parents=True)
    adapter.write_bytes(b"lora")
    config = TrainConfig()
    config.export.adapter = Path("runs/x/adapter.gguf")
    lines: list[str] = []
    assert ship_adapter(config, tmp_path / adapter, lines.append) == config.export.adapter
    assert adapter.read_bytes() == b"lora" and "kept at" in lines[0]
    config.export.adapter = Path("models/shipped.gguf")
    assert ship_adapter(config, adapter, lines.append) == Path("models/shipped.gguf")
    assert Path("models/shipped.gguf").read_bytes() == b"lora" and "shipped adapter to" in lines[1]
