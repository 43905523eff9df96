# certif: `make run` to try it, `make test` to check it, `make lint` to lint it, `make bench` to measure it.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
VNU    := node_modules/vnu-jar/build/dist/vnu.jar
export FLASK_APP := app

.PHONY: run test lint test-postgres bench setup clean

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) est introuvable"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

# The Nu HTML checker that tests/test_html_validity.py runs over every page, pinned by
# package-lock.json; run with Debian's Java (its install script, which downloads one, is skipped).
$(VNU): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm est introuvable (apt-get install npm)"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(VNU)

## Serve on http://127.0.0.1:5000 (migrates, imports referentials, loads demo data on first start);
## `make run PORT=8080` (or PORT in the environment) serves on another port.
PORT ?= 5000
run: $(STAMP)
	$(BIN)/flask setup --demo
	@echo "certif : http://127.0.0.1:$(PORT)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

## The whole suite: rules, routes and real-browser tests (Debian's Chromium), spread over
## the machine's cores (pytest-xdist; every test has its own SQLite file and server port);
## `make test PYTEST_WORKERS=0` runs it in one process.
PYTEST_WORKERS ?= auto
test: $(STAMP) $(VNU)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --maxprocesses 4 --durations 15

## Lint with ruff (rules in pyproject.toml); any finding fails.
lint: $(STAMP)
	$(BIN)/ruff check .

## The same suite (less the SQLite checks and browser tests) on PostgreSQL, in one process
## (the tests share the one database):
## CERTIF_TEST_DATABASE_URL=postgresql://user:pass@host/db make test-postgres (the database is wiped).
test-postgres: $(STAMP) $(VNU)
	@test -n "$$CERTIF_TEST_DATABASE_URL" || { echo "CERTIF_TEST_DATABASE_URL n'est pas défini"; exit 2; }
	$(BIN)/python -m pytest -p no:xdist -m "not sqlite_only and not browser" --durations 15

## 40 simulated jurors against gunicorn; prints the figures the README quotes.
bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache node_modules
