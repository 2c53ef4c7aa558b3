# Two entry points: `make run` and `make test`. Each creates .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint bench clean

$(PY):
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(VENV)/bin/support-console --demo

test: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy

bench: $(TEST_STAMP)
	$(PY) benchmarks/bench_calendar.py
	$(PY) benchmarks/bench_due.py
	$(PY) benchmarks/bench_demo.py
	$(PY) benchmarks/bench_queue.py
	$(PY) benchmarks/bench_sync.py
	$(PY) benchmarks/bench_recompute.py
	$(PY) benchmarks/bench_mail.py  # starts a throw-away Dovecot (dovecot-imapd)
	$(PY) benchmarks/bench_report.py  # builds 1,000,000 demo tickets once (kept in results/)
	$(PY) benchmarks/bench_team.py  # starts a throw-away PostgreSQL and PgBouncer

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis

# Update the translation sources from the code and compile them (tools/translations.py).
.PHONY: translations
translations: $(TEST_STAMP)
	$(PY) tools/translations.py
