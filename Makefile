# Lexique: `make run` starts the site with demo data; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
# Linted and type-checked by `make test`: all of the code.
TYPED := lexique config

.PHONY: install install-test run test check bench clean lock

# `make run` installs what running the site needs and no more; `make test` adds the tools the tests
# use. Exact versions, with hashes, from the lock files (`make lock` refreshes them from pyproject.toml).
$(VENV)/.installed: requirements/base.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# pytest and its plugins, linters, type checkers, validators (the lock's "dev" extra, a superset of the above).
$(VENV)/.installed-test: $(VENV)/.installed requirements/dev.txt
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

# axe-core and Ace by DAISY, which only the tests run.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

install: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

install-test: install $(VENV)/.installed-test node_modules/.installed

# What the site writes as its own address (permalinks, citations, e-mail links, feeds) is the one `make run`
# serves, unless SITE_URL says otherwise (in the environment or in .env).
RUN_SITE_URL = $(or $(SITE_URL),$(shell sed -n 's/^SITE_URL=//p' .env 2>/dev/null | tail -n 1),http://$(HOST))

run: install
	DEBUG=1 $(PY) manage.py migrate --no-input -v0
	DEBUG=1 SITE_URL=$(RUN_SITE_URL) $(PY) manage.py seed_demo
	DEBUG=1 SITE_URL=$(RUN_SITE_URL) $(PY) manage.py runserver $(HOST)

test: install-test
	DJANGO_SETTINGS_MODULE=config.test_settings $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=config.test_settings $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check $(TYPED)
	$(VENV)/bin/mypy $(TYPED)
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

bench: install-test
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules db.sqlite3 media staticfiles .test-media

# Re-resolve the pinned versions after a change of pyproject.toml's dependencies.
lock: $(VENV)/.installed-test
	$(PY) -m uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -q -o requirements/base.txt
	$(PY) -m uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -q -o requirements/dev.txt
