# certif: `make run` to try it, `make test` to check it, `make lint` to lint it, `make bench` to measure it.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export FLASK_APP := app

.PHONY: run test lint test-postgres bench setup clean

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) est introuvable"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

## Serve on http://127.0.0.1:5000 (migrates, imports referentials, loads demo data on first start).
run: $(STAMP)
	$(BIN)/flask setup --demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## The whole suite: rules, routes and real-browser tests (Debian's Chromium).
test: $(STAMP)
	$(BIN)/python -m pytest

## Lint with ruff (rules in pyproject.toml); any finding fails.
lint: $(STAMP)
	$(BIN)/ruff check .

## The same suite (less the SQLite checks and browser tests) on PostgreSQL:
## CERTIF_TEST_DATABASE_URL=postgresql://user:pass@host/db make test-postgres (the database is wiped).
test-postgres: $(STAMP)
	@test -n "$$CERTIF_TEST_DATABASE_URL" || { echo "CERTIF_TEST_DATABASE_URL n'est pas défini"; exit 2; }
	$(BIN)/python -m pytest -m "not sqlite_only and not browser"

## 40 simulated jurors against gunicorn; prints the figures the README quotes.
bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache
