PYTHON ?= python3
PIP := $(PYTHON) -m pip
# llama.cpp is built from source by llama-cpp-python. A -march=native build enables the AMX kernels on
# Sapphire Rapids CPUs, which crash (SIGSEGV in ggml_backend_amx_mul_mat) inside VMs like ours, so we build
# with explicit AVX2/AVX-512 and AMX off. Skipped entirely when a working llama_cpp is already installed.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AVX512=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_BF16=ON \
	-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF

.PHONY: install dev demo test lint bench adapter clean llama system-deps

llama:  ## build llama-cpp-python once (about 5-11 minutes), unless a working one is installed
	@$(PYTHON) -c "import llama_cpp" 2>/dev/null || \
		CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=2 \
		$(PIP) install --no-cache-dir 'llama-cpp-python==0.3.36'

install: llama  ## install punie (editable) with its runtime dependencies
	$(PIP) install -q -e .

dev: llama  ## install punie with the dev and train extras
	$(PIP) install -q -e '.[dev,train]'

demo: install  ## ask the embedded model a question about the bundled sample project
	punie ask "Find where the Book model is defined" \
		--workspace examples/sample_project --yes

system-deps:  ## Debian packages the tests need (headless Chromium for the HTML report test); idempotent
	@test -x /usr/bin/chromium || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

test: dev lint system-deps  ## install dev dependencies and run the whole test suite
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
