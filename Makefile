# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

# A development configuration for `make run`: DEBUG on, local SQLite under var/.
DEV_ENV := DEBUG=1 SECRET_KEY=dev-only-not-secret ALLOWED_HOSTS=127.0.0.1,localhost \
	SECURE_SSL_REDIRECT=0
# Tests run with DEBUG off, as production does.
TEST_ENV := DEBUG=0 SECRET_KEY=test-only-not-secret ALLOWED_HOSTS=testserver,localhost,127.0.0.1 \
	SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 STATIC_MANIFEST=0

.PHONY: dirs run serve test install install-dev browser lint format migrate bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

dirs:
	mkdir -p var/static

run: install dirs
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py load_admin_units
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) PORT=$(PORT) PYTHON=$(BIN)/python scripts/run_dev.sh

# gunicorn on the local configuration (DEBUG off, SQLite under var/, plain HTTP);
# background jobs need a consumer too: `manage.py run_huey` beside it.
SERVE_ENV := DEBUG=0 SECRET_KEY=serve-local-not-secret ALLOWED_HOSTS=127.0.0.1,localhost \
	SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0

serve: install dirs
	$(SERVE_ENV) $(BIN)/python manage.py migrate --no-input
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(SERVE_ENV) GUNICORN_BIND=127.0.0.1:$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py

test: install-dev dirs
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

# axe-core for the accessibility checks of the browser tests, from the npm registry.
var/npm/node_modules/axe-core/axe.min.js: | dirs
	npm install --silent --no-audit --no-fund --prefix var/npm axe-core@4

browser: var/npm/node_modules/axe-core/axe.min.js

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-dev dirs
	$(TEST_ENV) $(BIN)/python -m tests.benchmarks.bench_import
	$(TEST_ENV) $(BIN)/python -m tests.benchmarks.bench_pages
	$(TEST_ENV) $(BIN)/python -m tests.benchmarks.bench_reports

clean:
	rm -rf $(VENV) var/db.sqlite3
