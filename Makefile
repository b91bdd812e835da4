# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint format bench clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/kg build corpus --out out

test: $(STAMP)
	$(VENV)/bin/ruff check kg tests build_graph.py
	$(VENV)/bin/ruff format --check kg tests build_graph.py
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check kg tests build_graph.py

format: $(STAMP)
	$(VENV)/bin/ruff format kg tests build_graph.py
	$(VENV)/bin/ruff check --fix kg tests build_graph.py

clean:
	rm -rf out .pytest_cache
