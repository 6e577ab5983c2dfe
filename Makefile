# Two set-up commands for a newcomer: `make run` and `make test`. Everything else is called by them.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Runs a command with DATABASE_URL / REDIS_URL, starting embedded servers under var/ when they are unset.
EMBED := $(BIN)/python -m coordination.embedded --
IS_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo yes)
# Variables that make `manage.py check --deploy` see a production configuration.
PROD_ENV := DEBUG=false SECRET_KEY=quality-check-$$(date +%s)-not-a-real-secret-key-but-long-enough-for-the-check \
	ALLOWED_HOSTS=coordination.example.org DATABASE_URL=postgres://localhost/coordination \
	REDIS_URL=redis://localhost:6379/0 STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage

.PHONY: install system-deps run test quality format bench messages clean backup restore faults loadtest

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	@[ -n "$(PYTHON)" ] || { echo "Python 3.11 is required (apt-get install python3 python3-venv)."; exit 1; }
	@$(PYTHON) -c "import ensurepip" 2>/dev/null || { \
	  if [ "$(IS_ROOT)" = yes ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	  else echo "The venv module is missing: sudo apt-get install python3-venv"; exit 1; fi; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$(IS_ROOT)" = yes ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
	  else echo "npm is required to install the front-end assets: sudo apt-get install nodejs npm"; exit 1; fi; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages: Chromium for the browser tests, Pango and fonts for WeasyPrint, gettext for catalogues.
DEBIAN_PACKAGES := chromium fonts-dejavu-core fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0 gettext poppler-utils
system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$(IS_ROOT)" = yes ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Missing Debian packages: $$missing. Install them with: sudo apt-get install $$missing"; exit 1; fi; \
	fi

# Compiles the gettext catalogues (French is the source language, so the interface works without them).
messages:
	@if command -v msgfmt >/dev/null; then \
	  for po in $$(find locale */locale coordination/*/locale -name '*.po' 2>/dev/null); do msgfmt --check-format -o "$${po%.po}.mo" "$$po" || exit 1; done; \
	else echo "gettext is not installed: the interface stays in French only (apt-get install gettext)."; fi

run: install messages
	DEBUG=$${DEBUG:-true} $(EMBED) $(BIN)/python -m coordination.devserver

test: install system-deps messages
	$(EMBED) $(BIN)/pytest -m "not faults" --durations=30 $(PYTEST_ARGS)

quality: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(PROD_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(PROD_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(EMBED) $(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules var

# --- production strength (issue 15; docs/operations.md) ---
# The fault tests start real processes (a private Redis, gunicorn, Celery workers, a private PostgreSQL 16):
# about 10 minutes on 2 cores, so they run here and not in `make test`.
faults: install system-deps messages
	$(EMBED) $(BIN)/pytest tests/faults -m faults $(PYTEST_ARGS)

# `make backup [DIR=path]`: pg_dump (custom format) + media files into one archive with a .sha256 (var/backups/).
backup: install
	$(EMBED) $(BIN)/python manage.py backup $(if $(DIR),--output "$(DIR)")

# `make restore FILE=var/backups/coordination-….tar [ARGS=--force]`: into an empty database (refuses otherwise).
restore: install
	@[ -n "$(FILE)" ] || { echo "Usage: make restore FILE=var/backups/coordination-<time>.tar [ARGS=--force]"; exit 2; }
	$(EMBED) $(BIN)/python manage.py restore "$(FILE)" $(ARGS)

# `make loadtest [USERS=50 SPAWN=2 DURATION=5m PERSONS=100000 WAIT="5 15" HOST=…]`: Locust against gunicorn + workers.
loadtest: install
	$(EMBED) $(BIN)/python -m bench.loadtest --users $${USERS:-50} --spawn-rate $${SPAWN:-2} \
	  --duration $${DURATION:-5m} --persons $${PERSONS:-100000} --wait "$${WAIT:-5 15}" $(if $(HOST),--host "$(HOST)") $(ARGS)
