# Two commands: `make run` and `make test`. Both build .venv from pinned versions first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint typecheck docs bench sea-lanes clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,docs,plot,forecast,dask,store,postgres,web,fast,xlsx]'
	touch $(STAMP)

run: $(STAMP)
	mkdir -p out
	$(BIN)/corridor compare Shanghai Belgrade --map out/shanghai-belgrade.html

test: $(STAMP) lint typecheck docs
	$(BIN)/pytest

# The inner loop: everything but the slow, browser, PostgreSQL and other-process tests (see the
# markers in pyproject.toml). `make test` and CI still run them all.
test-fast: $(STAMP)
	$(BIN)/pytest -m "not slow and not browser and not postgres and not e2e"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# The documentation site, into site/: fails on any warning (broken link, bad docstring), and on
# any page that would load a script, style or font from another host.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet
	$(BIN)/python tools/check_site_offline.py site

bench: $(STAMP)
	$(BIN)/python benchmarks/route.py

# Recompute src/corridor/data/sea_lanes.csv from the searoute maritime network.
sea-lanes: $(STAMP)
	$(BIN)/python -m corridor.network.sea

clean:
	rm -rf $(VENV) out site .pytest_cache .mypy_cache .ruff_cache
