# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint format bench clean system-deps

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/kg build corpus --out out

test: $(STAMP)
	$(VENV)/bin/ruff check kg tests bench build_graph.py
	$(VENV)/bin/ruff format --check kg tests bench build_graph.py
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check kg tests bench build_graph.py

format: $(STAMP)
	$(VENV)/bin/ruff format kg tests bench build_graph.py
	$(VENV)/bin/ruff check --fix kg tests bench build_graph.py

# Benchmarks: synthetic corpora of 10, 100 and 1,000 documents on rdflib's memory store and Oxigraph;
# writes bench/results/results.{json,md} and scaling.svg (see bench/README.md; BENCH_ARGS="--sizes 10,100,1000,10000").
bench: $(STAMP)
	$(PY) -m bench.run $(BENCH_ARGS)

# Debian packages listed in .ci/apt-packages.txt (browser, fonts, servers); needs root or sudo.
system-deps:
	@pkgs="$$(grep -v '^#' .ci/apt-packages.txt | tr '\n' ' ')"; \
	missing=""; for p in $$pkgs; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  echo "installing:$$missing"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

clean:
	rm -rf out .pytest_cache
