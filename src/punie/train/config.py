"""The training recipe as a TOML file: model, data, LoRA, optimisation, export and the quality gate.

Relative paths in the file are resolved against the directory the command runs in (the repository root
for `make adapter`), so a config can be checked in next to the code it builds.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from punie.data.recipe import DatasetRecipe
from punie.train.device import DEVICE_CHOICES

ATTENTION_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj")
MLP_TARGETS = ("gate_proj", "up_proj", "down_proj")
QUANT_TYPES = ("Q8_0", "Q5_0", "Q5_K_M", "Q4_K_M", "Q4_0", "Q4_1", "Q6_K")


class ConfigError(ValueError):
    """A config file that cannot be used; the message names the file and the offending key."""


@dataclass
class DataConfig:
    train: Path = Path("data/train.jsonl")
    valid: Path = Path("data/valid.jsonl")
    test: Path = Path("data/test.jsonl")
    dialect: str = "qwen3_xml"
    generate: DatasetRecipe | None = None  # makes the three files when they are missing


@dataclass
class LoraConfig:
    rank: int = 16
    alpha: float = 32.0
    dropout: float = 0.05
    targets: tuple[str, ...] = ATTENTION_TARGETS + MLP_TARGETS
    layers: int = 8  # adapt only the last N transformer blocks (0 = all)


@dataclass
class OptimConfig:
    iterations: int = 300
    batch_size: int = 8
    learning_rate: float = 2e-4
    warmup: int = 20
    weight_decay: float = 0.0
    max_seq_len: int = 2048
    seed: int = 0
    eval_interval: int = 50
    eval_batches: int = 8  # validation batches per evaluation (0 = the whole validation split)
    threads: int = 0  # 0 = every available core
    precision: str = "bf16"  # "bf16" (autocast; fast on CPUs with AMX/AVX512-BF16) or "fp32"
    device: str = "auto"  # "auto" (a CUDA GPU when torch sees one, else the CPU), "cpu", "cuda[:N]", "mps"


@dataclass
class ExportConfig:
    adapter: Path | None = None  # where to copy the final adapter GGUF (the shipped artifact)
    fused: bool = True  # also write a merged float16 GGUF
    quantize: tuple[str, ...] = ("Q8_0",)
    card_notes: Path | None = None  # Markdown appended to the generated MODEL_CARD.md


@dataclass
class GateConfig:
    enabled: bool = True
    limit: int = 0  # evaluate at most this many test examples (0 = all)
    margin: float = 0.05  # an artifact may lose at most this much accuracy against the unquantized model
    required: tuple[str, ...] = ("adapter",)  # artifacts that must pass; the adapter ships only if it does
    fail: bool = True  # also exit non-zero when any other artifact is refused (else a loud warning)
    max_tokens: int = 160
    seed_queries: bool = True


@dataclass
class TrainConfig:
    base: str = "embedded"  # "embedded", a .gguf file, or a Hugging Face model folder
    output_dir: Path = Path("runs/train")
    data: DataConfig = field(default_factory=DataConfig)
    lora: LoraConfig = field(default_factory=LoraConfig)
    train: OptimConfig = field(default_factory=OptimConfig)
    export: ExportConfig = field(default_factory=ExportConfig)
    gate: GateConfig = field(default_factory=GateConfig)
    source: Path | None = None

    def validate(self) -> None:
        where = str(self.source or "config")
        bad = [t for t in self.lora.targets if t not in ATTENTION_TARGETS + MLP_TARGETS]
        if bad:
            raise ConfigError(
                f"{where}: lora.targets: unknown module(s) {bad}; use {ATTENTION_TARGETS + MLP_TARGETS}"
            )
        if self.lora.rank < 1 or self.lora.layers < 0:
            raise ConfigError(f"{where}: lora.rank must be >= 1 and lora.layers >= 0")
        if not 0.0 <= self.lora.dropout < 1.0:
            raise ConfigError(f"{where}: lora.dropout must be in [0, 1)")
        if self.train.iterations < 1 or self.train.batch_size < 1 or self.train.max_seq_len < 16:
            raise ConfigError(f"{where}: train.iterations, train.batch_size must be >= 1, max_seq_len >= 16")
        if self.train.learning_rate <= 0:
            raise ConfigError(f"{where}: train.learning_rate must be > 0")
        if self.train.precision not in ("bf16", "fp32"):
            raise ConfigError(f"{where}: train.precision must be 'bf16' or 'fp32'")
        if self.train.device.split(":")[0] not in DEVICE_CHOICES:
            raise ConfigError(f"{where}: train.device must be 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps'")
        unknown = [q for q in self.export.quantize if q not in QUANT_TYPES]
        if unknown:
            raise ConfigError(f"{where}: export.quantize: unknown type(s) {unknown}; use {QUANT_TYPES}")


def _build(cls: type, table: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {unknown}; known: {sorted(known)}")
    values: dict[str, Any] = {}
    for name, value in table.items():
        kind = str(known[name].type)
        if "Path" in kind and value is not None:
            value = Path(value)
        elif "tuple" in kind and isinstance(value, list):
            value = tuple(value)
        values[name] = value
    try:
        return cls(**values)
    except ValueError as exc:  # a value the class itself rejects, e.g. a share above 1
        raise ConfigError(f"{where}: {exc}") from exc


def load_config(path: str | Path) -> TrainConfig:
    """Read a TOML recipe; unknown keys and bad values are errors that name the file and key."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    where = str(path)
    sections = {"data", "lora", "train", "export", "gate"}
    top = {k: v for k, v in raw.items() if k not in sections}
    config = _build(TrainConfig, top, where)
    data_table = dict(raw.get("data", {}))
    generate = data_table.pop("generate", None)
    config.data = _build(DataConfig, data_table, f"{where} [data]")
    if generate is not None:
        config.data.generate = _build(DatasetRecipe, generate, f"{where} [data.generate]")
    config.lora = _build(LoraConfig, raw.get("lora", {}), f"{where} [lora]")
    config.train = _build(OptimConfig, raw.get("train", {}), f"{where} [train]")
    config.export = _build(ExportConfig, raw.get("export", {}), f"{where} [export]")
    config.gate = _build(GateConfig, raw.get("gate", {}), f"{where} [gate]")
    config.source = path
    config.validate()
    return config
