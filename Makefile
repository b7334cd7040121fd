# Practica — the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= $(or $(PRACTICA_TEST_DATABASE_URL),postgresql://postgres@127.0.0.1:5432/test)
PYTEST_WORKERS ?= auto
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
export HOST PORT

.PHONY: run test lint format setup chromium test-sqlite test-postgres clean bench

## Create .venv, install the locked Python and npm dependencies.
setup: $(VENV)/.synced node_modules/.installed $(VENV)/.openbadges

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(BIN)/uv pyproject.toml uv.lock
	$(BIN)/uv sync --frozen --quiet
	@touch $@

# 1EdTech's Open Badges validator for the recognition tests: pinned, --no-deps (its own pins
# don't import on 3.11). After every sync, since `uv sync` removes what the lock doesn't list.
$(VENV)/.openbadges: $(VENV)/.synced requirements/openbadges-validator.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -r requirements/openbadges-validator.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## Set up everything, migrate, load the demo once, and serve on http://$(HOST):$(PORT).
run: setup
	$(BIN)/practica migrate --noinput -v0
	$(BIN)/practica collectstatic --noinput -v0
	$(BIN)/practica demo
	$(BIN)/practica serve --host $(HOST) --port $(PORT)

## Lint, then the whole suite on SQLite and (when reachable) on PostgreSQL.
test: setup chromium lint
	@$(MAKE) --no-print-directory test-sqlite
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres && echo "== Backends tested: SQLite and PostgreSQL ($(PG_TEST_URL))"; \
	else \
		echo "== PostgreSQL at $(PG_TEST_URL) is not reachable: tested on SQLite ONLY"; \
	fi

test-sqlite: setup
	@echo "== Test suite on SQLite"
	env -u PRACTICA_TEST_DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) -q

test-postgres: setup
	@echo "== Test suite on PostgreSQL ($(PG_TEST_URL))"
	PRACTICA_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy practica

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Debian's Chromium for the browser tests (never Playwright's own download).
chromium:
	@test -x /usr/bin/chromium || { \
		echo "== Installing Debian's chromium for the browser tests"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## The speed benchmark (bench/run.py: dataset cached under var/bench/, wrk from Debian).
## BENCH_DEMO=1 also runs the demo-pages bench (bench/pages.py).
bench: setup
	@command -v wrk >/dev/null || { \
		echo "== Installing Debian's wrk (the load generator)"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/run.py
	@if [ -n "$(BENCH_DEMO)" ]; then $(BIN)/python bench/pages.py; fi

clean:
	rm -rf $(VENV) node_modules var
