# Two commands set everything up from a bare python3: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: demo test lint typecheck unit bench goldens clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps make re-runs cheap; they are re-made whenever pyproject.toml changes.
$(VENV)/.runtime-installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[dev]'
	touch $@ $(VENV)/.runtime-installed

demo: $(VENV)/.runtime-installed
	@mkdir -p out
	$(BIN)/newsclean clean fixtures/demo -o out/demo.jsonl --errors out/demo.errors.jsonl --fresh

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

unit: $(VENV)/.dev-installed
	$(BIN)/pytest -q

test: lint typecheck unit

bench: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/bench_textdumps.py
	$(BIN)/python benchmarks/bench_langid.py
	$(BIN)/python benchmarks/bench_html.py all --write
	$(BIN)/python benchmarks/bench_memory.py

# Rewrite fixtures/golden/ from the current code; review the diff before committing.
goldens: $(VENV)/.dev-installed
	$(BIN)/python tests/regenerate_goldens.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
