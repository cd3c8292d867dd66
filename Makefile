# `make run` starts the product on its embedded defaults; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install run chat test test-unit test-integration lint eval bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: install
	$(BIN)/supportgraph serve --with-worker

chat: install
	$(BIN)/supportgraph chat

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-unit: install
	$(BIN)/python -m pytest -q -m unit

test-integration: install
	$(BIN)/python -m pytest -q -m integration

eval: install
	$(BIN)/supportgraph eval ../shared/kb/dev_queries.jsonl --out dev.results.jsonl

bench: install
	$(BIN)/python -m bench.api_latency
	$(BIN)/python -m bench.graph_turn

clean:
	rm -rf $(VENV) .supportgraph .pytest_cache .mypy_cache .ruff_cache
