# plentysync: `make demo` runs the main job against the bundled sandboxes, `make test` runs the
# tests but the slow ones, `make test-slow` only those (CI runs both). Each creates .venv and
# installs what it needs on a fresh machine, the emulators'
# optional dependencies (the `sandbox` extra) included.

VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& echo $$p && break; done)
REDIS_PORT ?= 6379

.PHONY: install demo tui-demo test test-slow test-browser lint services format clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "plentysync needs Python 3.11 or newer"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,sandbox]'
	@touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(VENV)/bin/plentysync demo

# The terminal UI on the demo dataset, with the sandboxes started for it (q quits).
tui-demo: $(VENV)/.installed
	$(VENV)/bin/plentysync tui --demo

# Tests use the real Redis and PostgreSQL on 127.0.0.1; start them when they are down.
services:
	@if command -v redis-cli >/dev/null 2>&1 && ! redis-cli -p $(REDIS_PORT) ping >/dev/null 2>&1 \
		&& command -v redis-server >/dev/null 2>&1; then \
		echo "starting redis-server on 127.0.0.1:$(REDIS_PORT)"; \
		redis-server --daemonize yes --bind 127.0.0.1 --port $(REDIS_PORT) --save "" --appendonly no; \
		sleep 1; fi
	@if command -v pg_ctlcluster >/dev/null 2>&1 && ! pg_isready -h 127.0.0.1 -q 2>/dev/null; then \
		echo "starting PostgreSQL"; \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || true; \
		sleep 2; fi

test: $(VENV)/.installed services
	$(PY) -m pytest -m "not slow" --durations=15 $(PYTEST_ARGS)

# The heavy proofs (thousands of customers, fault scenarios), marked `slow`.
test-slow: $(VENV)/.installed services
	$(PY) -m pytest -m slow --durations=15 $(PYTEST_ARGS)

# The served TUI alone (part of test-slow): a tab closed mid-run, and the page in headless
# Chromium (Debian's chromium package; the browser test is skipped without it).
test-browser: $(VENV)/.installed services
	$(PY) -m pytest -m slow tests/tui/test_serve_tabs.py tests/tui/test_browser.py $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
