# Two entry points for a fresh machine with Python 3.11+ (see README):
#   make demo      install with the real Traefik, run a broken example and diagnose it live
#   make test      install with the test tools, then lint, type-check and run every test
# make example checks the bundled example projects without running anything.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo example test install install-dev lint bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

demo: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[demo]'
	$(BIN)/traefik-doctor demo

example: install
	-$(BIN)/traefik-doctor check examples/broken-app
	@echo
	@echo "The clean example:"
	$(BIN)/traefik-doctor check examples/clean-app

lint: install-dev
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/python -m mypy

test: lint
	$(BIN)/pytest

bench: install-dev
	$(BIN)/python bench/run.py
