PYTHON ?= python3
PIP := $(PYTHON) -m pip

.PHONY: install dev demo test lint bench adapter clean

install:  ## install punie (editable) with its runtime dependencies
	$(PIP) install -q -e .

dev:  ## install punie with the dev and train extras
	$(PIP) install -q -e '.[dev,train]'

demo: install  ## ask the embedded model a question about the bundled sample project
	punie ask "Which web framework does this project use, and where are its routes defined?" \
		--workspace examples/sample_project --yes

test: dev lint  ## install dev dependencies and run the whole test suite
	$(PYTHON) -m pytest -q

lint:
	$(PYTHON) -m ruff check src tests benchmarks

bench:  ## run every benchmark (prints tables, writes JSON under benchmarks/results/)
	$(PYTHON) benchmarks/parse.py
	$(PYTHON) benchmarks/server.py

adapter: dev  ## rebuild the shipped LoRA adapter for the embedded model from scratch
	punie train --config configs/embedded_adapter.toml

clean:
	rm -rf build dist .pytest_cache .ruff_cache src/*.egg-info
