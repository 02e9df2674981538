# Lexique: `make run` starts the site with demo data; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
# The layers that carry type hints: linted and type-checked by `make test`.
TYPED := lexique/services lexique/selectors/__init__.py lexique/selectors/published.py \
	lexique/search/keys.py lexique/search/ranking.py

.PHONY: install run test check bench clean lock

# Exact versions, with hashes, from the lock files (`make lock` refreshes them from pyproject.toml).
$(VENV)/.installed: requirements/dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

install: $(VENV)/.installed node_modules/.installed
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

run: install
	DEBUG=1 $(PY) manage.py migrate --no-input -v0
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver $(HOST)

test: install
	DJANGO_SETTINGS_MODULE=config.test_settings $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=config.test_settings $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check $(TYPED)
	$(VENV)/bin/mypy $(TYPED)
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules db.sqlite3 media staticfiles .test-media

# Re-resolve the pinned versions after a change of pyproject.toml's dependencies.
lock: $(VENV)/.installed
	$(PY) -m uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -q -o requirements/base.txt
	$(PY) -m uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -q -o requirements/dev.txt
