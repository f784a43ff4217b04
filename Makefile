# The two commands: `make run` and `make test`. Everything else is a step of one of them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

export ENVIRONMENT ?= development

.PHONY: run test install catalogs extract-messages migrate lint typecheck pytest pytest-postgres clean audit bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

var/dev-secret-key:
	mkdir -p var
	umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(48))" > $@

catalogs: $(STAMP)
	$(BIN)/pybabel compile --statistics -d locales -D messages 2>&1 | grep -v '^compiling' || true

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l --add-comments=Translators: \
	  --sort-by-file --no-wrap --project=participation -o locales/messages.pot .
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-wrap \
	  --ignore-obsolete --no-fuzzy-matching
	# English is the source language: its catalog repeats every message (gettext's msgen).
	msgen --no-wrap -o locales/en/LC_MESSAGES/messages.po locales/en/LC_MESSAGES/messages.po

migrate: $(STAMP) var/dev-secret-key
	$(BIN)/participation migrate

# Serves the app and runs the mail worker beside it; in development mails land in var/mail/.
run: $(STAMP) var/dev-secret-key catalogs migrate
	$(BIN)/participation seed-demo --if-empty
	$(BIN)/participation worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/participation serve --host 127.0.0.1 --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# axe-core for the accessibility tests (tests/browser/package-lock.json pins it); npm
# keeps the package's old file dates, so the touch makes the file newer than the lock.
tests/browser/node_modules/axe-core/axe.min.js: tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund
	touch $@

pytest: $(STAMP) catalogs tests/browser/node_modules/axe-core/axe.min.js
	$(BIN)/pytest

# The same suite against PostgreSQL, when TEST_POSTGRES_URL names a server (.ci/run starts one),
# except the page matrix (tests/browser/test_accessibility.py): how pages render does not depend
# on the database, and the SQLite run checks it. The browser journeys run on both.
pytest-postgres: $(STAMP) catalogs tests/browser/node_modules/axe-core/axe.min.js
	@if [ -n "$$TEST_POSTGRES_URL" ]; then \
	  TEST_DATABASE_URL="$$TEST_POSTGRES_URL" $(BIN)/pytest -m "not page_matrix"; \
	else \
	  echo "TEST_POSTGRES_URL is not set: skipping the PostgreSQL run (.ci/run sets it)."; \
	fi

# The SQLite and PostgreSQL runs are independent (own servers, ports and databases): run them
# side by side, each one's output printed in one piece when it ends.
test: lint typecheck catalogs tests/browser/node_modules/axe-core/axe.min.js
	$(MAKE) --no-print-directory -j2 --output-sync=target pytest pytest-postgres

# The benchmark of README.md ("Performance"): a district-sized dataset, the Procfile's web
# command on SQLite and PostgreSQL (BENCH_POSTGRES_URL, default the local server), wrk on
# 127.0.0.1; prints a table and writes var/bench/bench.json. Needs wrk (apt-get install wrk).
bench: $(STAMP) catalogs
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) var/*.sqlite3* .pytest_cache .mypy_cache .ruff_cache

# Lighthouse (mobile) against a fresh server with demo data; reports in test-artifacts/lighthouse/.
AUDIT_NODE := tests/audit/node_modules/.installed

$(AUDIT_NODE): tests/audit/package.json tests/audit/package-lock.json
	cd tests/audit && npm ci --no-audit --no-fund
	touch $@

audit: $(STAMP) catalogs $(AUDIT_NODE)
	$(BIN)/python tests/audit/run_audit.py
