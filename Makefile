# HubBooks developer commands. `make demo` and `make test` set everything up themselves on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
SAM_VENV := .venv-sam
BIN := $(VENV)/bin
export SAM_CLI_TELEMETRY := 0
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup up demo test lint typecheck pytest unit functional e2e ui-install ui-test ui-lint ui-build \
	placeholder-check hubspot-config deploy-tools sam-validate sam-build bench redrive clean

help:
	@echo "make demo   - start the local sandbox, run the narrated end-to-end scenario, stop (exit 1 on failure)"
	@echo "make up     - run the whole integration locally in the foreground (Ctrl-C stops it)"
	@echo "make test   - lint, type-check, all test tiers, sam validate --lint and sam build"
	@echo "make bench  - run the benchmarks and print their numbers (cold start, card data, webhook ack, fault suite, sync backfill)"
	@echo "make redrive QUEUE=webhook|sync [STACK=hubbooks-dev] - move dead-lettered messages back to their queue"
	@echo "make hubspot-config STAGE=prod [HUBSPOT_ACCOUNT_ID=123] - write the HubSpot profile and UI settings from the stack"

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

# What deploying needs, and nothing more (no browser, no test tools): the SAM CLI and boto3 in .venv-sam.
deploy-tools: $(SAM_VENV)/bin/.installed

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

# The HubSpot project's UI (Node 20+). npm ci installs from the lockfile (the only step that needs the registry);
# after it, tests, lint and the builds run offline.
UI_INSTALLED := hubspot/node_modules/.package-lock.json
$(UI_INSTALLED): hubspot/package.json hubspot/package-lock.json hubspot/src/app/cards/package.json \
		hubspot/src/app/settings/package.json hubspot/src/app/packages/shared/package.json
	cd hubspot && npm ci --no-audit --no-fund --loglevel=error
	touch $@

ui-install: $(UI_INSTALLED)

# Renders the cards and the settings page with @hubspot/ui-extensions/testing.
ui-test: $(UI_INSTALLED)
	cd hubspot && npm test

# HubSpot's ESLint rules for UI extensions (no-parent-imports and the rest), warnings counted as errors.
ui-lint: $(UI_INSTALLED)
	cd hubspot && npm run lint

# Each extension built alone from its own folder with HubSpot's builder (@hubspot/ui-extensions-dev-server), then
# the project read with the HubSpot CLI's parser and a CI config profile (every ${VARIABLE} filled, workspaces found).
ui-build: $(UI_INSTALLED)
	cd hubspot && npm run build && npm run check-project

placeholder-check: $(BIN)/.installed
	$(BIN)/python -m scripts.check_placeholders

# Writes hubspot/hsprofile.$(STAGE).json and the UI settings module from stack hubbooks-$(STAGE)'s outputs.
# Runs in the SAM virtualenv (boto3 only): deploying needs nothing else from this repository.
STAGE ?=
HUBSPOT_ACCOUNT_ID ?=
AWS_REGION ?=
hubspot-config: $(SAM_VENV)/bin/.installed
	@if [ -z "$(STAGE)" ]; then echo "usage: make hubspot-config STAGE=dev|prod [HUBSPOT_ACCOUNT_ID=<id>] [AWS_REGION=<region>]" >&2; exit 2; fi
	$(SAM_VENV)/bin/python -m scripts.hubspot_config --stage "$(STAGE)" \
		$(if $(HUBSPOT_ACCOUNT_ID),--hubspot-account-id "$(HUBSPOT_ACCOUNT_ID)") \
		$(if $(AWS_REGION),--region "$(AWS_REGION)")

sam-validate: $(SAM_VENV)/bin/.installed
	$(SAM_VENV)/bin/sam validate --lint

# sam build needs a real python3.11 on PATH (pyenv shims confuse its binary check): the venv's interpreter is one.
# Then the artefact gets its bytecode (SAM ships sources only; Lambda cannot write .pyc files).
sam-build: $(SAM_VENV)/bin/.installed $(BIN)/.installed
	PATH="$(CURDIR)/$(BIN):$$PATH" $(SAM_VENV)/bin/sam build
	$(BIN)/python -m scripts.compile_bytecode .aws-sam/build

test: lint typecheck placeholder-check pytest ui-lint ui-build ui-test sam-validate sam-build

bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks.cold_start
	$(BIN)/python -m benchmarks.card_data
	$(BIN)/python -m benchmarks.webhook_ack
	$(BIN)/python -m benchmarks.fault_suite
	$(BIN)/python -m benchmarks.sync_backfill

# Dead letters back to their source queue (SQS StartMessageMoveTask), for a deployed stack; see scripts/redrive.py.
STACK ?= hubbooks-dev
redrive: $(BIN)/.installed
	@test -n "$(QUEUE)" || { echo "usage: make redrive QUEUE=webhook|sync [STACK=$(STACK)]"; exit 2; }
	$(BIN)/python -m scripts.redrive --queue $(QUEUE) --stack $(STACK) $(REDRIVE_ARGS)
	# The card API's property-based test, with many more generated requests than `make test` runs.
	HUBBOOKS_API_EXAMPLES=200 $(PYTEST) -q tests/functional/test_api_properties.py

clean:
	rm -rf .aws-sam .mypy_cache .ruff_cache hubspot/dist
