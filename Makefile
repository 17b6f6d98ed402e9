# Two entry points for a fresh machine with Python 3.11+ (see README):
#   make example   install, then check the bundled example project that has real faults
#   make test      install with the test tools, then lint, type-check and run every test
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: example test install install-dev lint bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

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
