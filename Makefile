# The README's commands. `make run` and `make test` set up everything they need themselves.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
PYTEST := $(VENV)/bin/pytest -p no:cacheprovider
# The test tiers are pytest markers (pyproject.toml; README, "Development"). The fast tier is
# what carries none of these: it needs no PostgreSQL, Redis, Celery worker or browser.
FAST_TIER := not e2e and not celery_worker and not faults and not slow and not migrations
HOST ?= 127.0.0.1
PORT ?= 8000
# Python writes its byte code (__pycache__/, gitignored) even where the environment says not to
# (PYTHONDONTWRITEBYTECODE, set on the test machines): without it every process recompiles the
# app and pytest rewrites every test module again (each xdist process, Celery worker and
# subprocess): collecting the suite took 11 s instead of 3 s per process.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: help setup setup-dev run test check lint schema lock bench test-system-deps clean messages

help:
	@echo "make run    - install, migrate, load demo data and start the app on http://$(HOST):$(PORT)"
	@echo "make test   - install, start throwaway PostgreSQL/Redis/Celery/Chromium and run every test"
	@echo "make check  - lint and the fast tests (no services, no browser, no worker): the inner loop"
	@echo "make setup  - install Python and npm packages and build static files (starts nothing)"
	@echo "make lint   - ruff and makemigrations --check"
	@echo "make schema - regenerate the committed OpenAPI schema"
	@echo "make bench  - run the benchmarks (see tests/bench/README.md)"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Stamp files: reinstall only when a lock file changes.
$(VENV)/.installed-runtime: requirements.lock | $(VENV)/bin/python
	$(PIP) install --disable-pip-version-check -q -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(VENV)/bin/python
	$(PIP) install --disable-pip-version-check -q -r requirements-dev.lock
	touch $@ $(VENV)/.installed-runtime

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/vendor/.built: node_modules/.installed
	npm run --silent build
	touch $@

# English UI strings; Dutch is the source language and needs no catalogue.
locale/en/LC_MESSAGES/%.mo: locale/en/LC_MESSAGES/%.po
	@if command -v msgfmt >/dev/null; then msgfmt -o $@ $<; else echo "msgfmt (gettext) ontbreekt: Engelse vertaling overgeslagen"; fi

# After changing user-facing text: collect the new msgids, then translate them in the .po files
# (tests/wmo/test_translations.py fails while one is missing, fuzzy or untranslated).
MAKEMESSAGES_IGNORE := -i tests -i staticfiles -i node_modules -i static/vendor -i bench-data -i media -i uploads
messages:
	DJANGO_SETTINGS_MODULE=wmo.settings.test $(MANAGE) makemessages -l en --no-location $(MAKEMESSAGES_IGNORE)
	DJANGO_SETTINGS_MODULE=wmo.settings.test $(MANAGE) makemessages -d djangojs -l en --no-location $(MAKEMESSAGES_IGNORE)

# Collected (hashed, compressed) only when a static file or an installed package changed: the
# whole collection takes about 25 s, most of a second `make run`'s start otherwise.
STATIC_SOURCES := $(shell find static -type f -not -path 'static/vendor/*' 2>/dev/null)
staticfiles/staticfiles.json: $(STATIC_SOURCES) static/vendor/.built $(VENV)/.installed-runtime
	DJANGO_SETTINGS_MODULE=wmo.settings.dev $(MANAGE) collectstatic --noinput -v0
	touch $@

collect: staticfiles/staticfiles.json locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/djangojs.mo

setup: $(VENV)/.installed-runtime static/vendor/.built collect

setup-dev: $(VENV)/.installed-dev static/vendor/.built collect

run: setup
	@ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || echo "Let op: de PDF-kwartaalrapportage heeft Pango nodig (apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
	@export DJANGO_SETTINGS_MODULE=wmo.settings.dev; \
	$(MANAGE) migrate --noinput -v0 && \
	$(MANAGE) seed_demo && \
	$(MANAGE) create_demo_users && \
	{ $(MANAGE) compute_demo_indicators & } && \
	echo "" && echo "De app draait op http://$(HOST):$(PORT)/ (stoppen met Ctrl+C)" && \
	exec $(MANAGE) runserver $(HOST):$(PORT)

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=wmo.settings.test $(MANAGE) makemigrations --check --dry-run

# Debian packages the tests need: PostgreSQL, Redis, Chromium, gettext. Installed only if missing.
test-system-deps:
	@bash tests/harness/system-deps.sh

test: setup-dev test-system-deps lint
	@echo "Indicatordefinities op SQLite (de ingebouwde standaard); daarna alles op PostgreSQL:"
	env -u DATABASE_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND $(PYTEST) -q tests/indicators/test_definitions.py
	bash tests/harness/with-services.sh bash tests/harness/suite.sh
	bash tests/harness/smoke-embedded.sh
	@if docker compose version >/dev/null 2>&1; then \
		DJANGO_SECRET_KEY=config-check WMO_PSEUDONYM_KEY=config-check docker compose -f docker-compose.yml config -q && echo "docker compose config: ok"; \
	else echo "docker compose niet aanwezig: docker-compose.yml alleen door tests/wmo/test_deployment.py gecontroleerd"; fi

check: lint
	env -u DATABASE_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND -u WMO_TEST_REQUIRE_SERVICES \
		$(PYTEST) -q -n 2 --dist worksteal -m "$(FAST_TIER)"

schema: setup-dev
	DJANGO_SETTINGS_MODULE=wmo.settings.test $(MANAGE) spectacular --format openapi-json --file wmo/api/openapi.json --validate --fail-on-warn

lock: $(VENV)/bin/python
	$(PIP) install -q uv
	$(VENV)/bin/uv pip compile pyproject.toml -o requirements.lock -q
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev -o requirements-dev.lock -q

bench: setup-dev test-system-deps
	bash tests/harness/with-services.sh bash tests/bench/run.sh

clean:
	rm -rf staticfiles static/vendor tests/artifacts
