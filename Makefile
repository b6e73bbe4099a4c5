# HubBooks developer commands. `make demo` and `make test` set everything up themselves on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
SAM_VENV := .venv-sam
BIN := $(VENV)/bin
export SAM_CLI_TELEMETRY := 0
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup up demo test lint typecheck pytest unit functional e2e ui-test sam-validate sam-build bench redrive clean

help:
	@echo "make demo   - start the local sandbox, run the narrated end-to-end scenario, stop (exit 1 on failure)"
	@echo "make up     - run the whole integration locally in the foreground (Ctrl-C stops it)"
	@echo "make test   - lint, type-check, all test tiers, sam validate --lint and sam build"
	@echo "make bench  - run the benchmarks and print their numbers"
	@echo "make redrive QUEUE=webhook|sync [STACK=hubbooks-dev] - move dead-lettered messages back to their queue"

$(BIN)/.installed: requirements-dev.txt layers/shared/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(SAM_VENV)/bin/.installed: requirements-sam.txt
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/pip install --quiet -r requirements-sam.txt
	touch $@

# Debian's chromium drives the browser tests (Playwright must not download a browser of its own).
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi

setup: $(BIN)/.installed $(SAM_VENV)/bin/.installed /usr/bin/chromium

up: $(BIN)/.installed
	$(BIN)/python -m sandbox

demo: $(BIN)/.installed
	$(BIN)/python -m sandbox.demo

lint: $(BIN)/.installed
	$(BIN)/ruff check --no-cache .

typecheck: $(BIN)/.installed
	$(BIN)/mypy layers/shared functions sandbox benchmarks scripts

# Exit code 5 means pytest collected nothing: a broken path or marker must fail the build, never pass it.
PYTEST = $(BIN)/pytest
pytest: $(BIN)/.installed /usr/bin/chromium
	$(PYTEST) tests

unit: $(BIN)/.installed
	$(PYTEST) tests/unit

functional: $(BIN)/.installed
	$(PYTEST) tests/functional

e2e: $(BIN)/.installed
	$(PYTEST) tests/e2e -m e2e

# The HubSpot app's UI extensions, rendered with @hubspot/ui-extensions/testing (Node 20+, no network at test time).
ui-test:
	cd hubspot && npm ci --no-audit --no-fund --loglevel=error && npm test

sam-validate: $(SAM_VENV)/bin/.installed
	$(SAM_VENV)/bin/sam validate --lint

# sam build needs a real python3.11 on PATH (pyenv shims confuse its binary check): the venv's interpreter is one.
sam-build: $(SAM_VENV)/bin/.installed $(BIN)/.installed
	PATH="$(CURDIR)/$(BIN):$$PATH" $(SAM_VENV)/bin/sam build

test: lint typecheck pytest ui-test sam-validate sam-build

bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks.card_data

# Dead letters back to their source queue (SQS StartMessageMoveTask), for a deployed stack; see scripts/redrive.py.
STACK ?= hubbooks-dev
redrive: $(BIN)/.installed
	@test -n "$(QUEUE)" || { echo "usage: make redrive QUEUE=webhook|sync [STACK=$(STACK)]"; exit 2; }
	$(BIN)/python -m scripts.redrive --queue $(QUEUE) --stack $(STACK) $(REDRIVE_ARGS)

clean:
	rm -rf .aws-sam .mypy_cache .ruff_cache
