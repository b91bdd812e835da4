# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast lint format bench bench-stores clean system-deps

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,pandas]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/kg build corpus --out out

# The whole suite, nothing skipped: KG_REQUIRE_ALL=1 turns a skip (missing browser, server, data) into a failure.
test: system-deps $(STAMP)
	$(VENV)/bin/ruff check kg tests bench build_graph.py
	$(VENV)/bin/ruff format --check kg tests bench build_graph.py
	$(VENV)/bin/mypy kg
	KG_REQUIRE_ALL=1 $(PY) -m pytest -q

# Everything but the slow (whole builds, servers) and browser tests: under a minute; no root needed.
test-fast: $(STAMP)
	$(VENV)/bin/ruff check kg tests bench build_graph.py
	$(VENV)/bin/ruff format --check kg tests bench build_graph.py
	$(VENV)/bin/mypy kg
	$(PY) -m pytest -q -m "not slow and not browser"

lint: $(STAMP)
	$(VENV)/bin/ruff check kg tests bench build_graph.py
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format kg tests bench build_graph.py
	$(VENV)/bin/ruff check --fix kg tests bench build_graph.py

# Benchmarks: the goals of issue #15 (bench/goals.py): clean and incremental builds, floor, memory, out/, exports,
# queries, overview, and a 1,000-document build on a local Dask cluster; writes bench/results/goals.{json,md} and
# the goals section of bench/README.md. The full size: make bench BENCH_ARGS="--sizes 1000,10000".
BENCH_ARGS ?= --sizes 50,100 --dask-docs 1000
bench: $(STAMP)
	$(PY) -m bench.goals $(BENCH_ARGS)

# The older store comparison (rdflib memory against Oxigraph, every query; bench/run.py): about an hour.
bench-stores: $(STAMP)
	$(PY) -m bench.run $(STORES_ARGS)

# Debian packages listed in .ci/apt-packages.txt (browser, fonts, servers): installs the missing ones as root or
# with password-less sudo; otherwise stops at once with one line naming them.
APT_LIST := .ci/apt-packages.txt
APT_MISSING = $(shell for p in $$(grep -E '^[a-z0-9]' $(APT_LIST)); do \
	dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done)
APT_SUDO = $(shell if [ "$$(id -u)" = 0 ]; then echo root; elif sudo -n true 2>/dev/null; then echo sudo -n; fi)

system-deps:
	$(if $(APT_MISSING),$(if $(APT_SUDO),,$(error missing Debian packages: $(APT_MISSING) (install them as root: apt-get install $(APT_MISSING)))))
	$(if $(APT_MISSING),@echo "installing: $(APT_MISSING)")
	$(if $(APT_MISSING),@$(filter-out root,$(APT_SUDO)) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $(filter-out root,$(APT_SUDO)) apt-get install -y -qq --no-install-recommends $(APT_MISSING) >/dev/null)
	@true

clean:
	rm -rf out .pytest_cache
