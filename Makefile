# One-command set-up: `make run` serves the app with a demo board, `make test`
# runs the whole suite. Both install whatever is missing first, and skip what
# is already there so a second run is fast.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .make
STATIC := app/static/govuk
GOVUK_DIST := node_modules/govuk-frontend/dist/govuk
FLASK := $(BIN)/flask --app wsgi
# Debian packages the app and its tests need: fonts with Welsh letters for
# PDFs, WeasyPrint's libraries, PostgreSQL for the database tests, poppler for
# reading PDFs back, Chromium for browser tests.
DEB_PACKAGES := fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
	libharfbuzz-subset0 postgresql poppler-utils chromium

export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install run test test-fast lint demo bench clean system-packages translations translations-extract

help:
	@echo "make run    install everything, load the demo board, serve on http://127.0.0.1:5000"
	@echo "make test   install everything and run the whole test suite"
	@echo "make lint   ruff, mypy and the import contracts between the layers"
	@echo "make bench  run the benchmarks in bench/ (see docs/performance.md)"

install: system-packages $(STAMPS)/python $(STAMPS)/assets translations

# apt-get runs only when a package is missing; `apt-get update` once, first.
system-packages:
	@missing=""; for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMPS)/python: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	@mkdir -p $(STAMPS) && touch $@

# GOV.UK Frontend from the npm registry, at the version the Jinja macros
# target (package-lock.json), copied into an ignored static folder.
$(STAMPS)/assets: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(STATIC) && mkdir -p $(STATIC)
	cp $(GOVUK_DIST)/govuk-frontend.min.css $(GOVUK_DIST)/govuk-frontend.min.js $(STATIC)/
	cp -r $(GOVUK_DIST)/assets $(STATIC)/assets
	@mkdir -p $(STAMPS) && touch $@

# Welsh: the .po catalogue is committed; the compiled .mo is built here.
TRANSLATIONS := app/translations
translations: $(STAMPS)/python
	@$(BIN)/pybabel compile -d $(TRANSLATIONS) > /dev/null

# After adding or changing text in the code: refresh the catalogue, then
# translate the new entries in app/translations/cy/LC_MESSAGES/messages.po.
translations-extract: $(STAMPS)/python
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l --no-location --sort-output -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-wrap --ignore-obsolete

instance/secret_key:
	@mkdir -p instance
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(48))" > $@
	@chmod 600 $@

run: install instance/secret_key
	@export SECRET_KEY="$$(cat instance/secret_key)" SESSION_COOKIE_SECURE=0 \
		SAIT_BASE_URL="$${SAIT_BASE_URL:-http://127.0.0.1:5000}"; \
	$(FLASK) db upgrade && \
	$(FLASK) sait demo --if-empty && \
	echo "Serving on http://127.0.0.1:5000 (Ctrl+C to stop)" && \
	$(BIN)/gunicorn --bind 127.0.0.1:5000 --workers 2 --access-logfile - 'wsgi:app'

# Style and likely bugs (ruff), types (mypy) and the layers' import
# contracts (import-linter); each is configured in pyproject.toml.
lint: $(STAMPS)/python
	$(BIN)/ruff check app tests bench migrations
	$(BIN)/mypy
	$(BIN)/lint-imports

# The suite runs on PYTEST_WORKERS pytest-xdist workers, each with its own
# SQLite files, PostgreSQL database and browser server; `make test
# PYTEST_WORKERS=0` runs it in one process.
PYTEST_WORKERS ?= 2

test: install lint
	$(BIN)/python -m pytest -p no:cacheprovider -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The unit tests alone: no database server, no browser.
test-fast: $(STAMPS)/python
	$(BIN)/python -m pytest -p no:cacheprovider tests/unit $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) $(STAMPS) node_modules $(STATIC)
