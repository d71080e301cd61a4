# pcflab: two commands set everything up on a fresh machine with Python 3.11 and make.
#   make demo   run the steel report on the shipped data; prints where the report is
#   make test   run the whole test suite
# Also: make lint (ruff), make lab (JupyterLab on notebooks/), make system (Debian's chromium
# and fonts-noto-cjk for the browser and font tests), make clean.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.pcflab-installed
export NUMBA_CACHE_DIR ?= $(CURDIR)/.numba_cache
export MPLBACKEND ?= Agg

.PHONY: demo test test-fast lint lab clean install system

install: $(STAMP)

# Debian packages for the browser and font tests (chromium, fonts-noto-cjk); root or sudo.
system:
	@scripts/install-system-packages

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@# compile the numba kernels now, so that the first analysis loads them from the cache
	$(BIN)/pcflab warmup
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pcflab demo

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not notebook and not browser"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m jupytext --check "python -c pass" notebooks/*.ipynb >/dev/null

# Jupyter refuses to start as root without --allow-root (containers and CI run as root).
LAB_ARGS ?=
lab: $(STAMP)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS) notebooks/

clean:
	rm -rf $(VENV) .numba_cache .pytest_cache build *.egg-info
