# The two commands a new user needs: `make run` and `make test`. Both set up what they need.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=

.PHONY: run test lint typecheck unit browser-deps golden bench semantic clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## run: install, then ingest the bundled seeds, build today's edition and deliver it to the outbox
run: $(STAMP)
	$(VENV)/bin/digest run

## test: install (and headless Chromium for the browser tests), lint, check the layers, type-check, run every test
test: $(STAMP) browser-deps lint typecheck unit

lint: $(STAMP)
	$(VENV)/bin/ruff check digest tests bench
	$(VENV)/bin/ruff format --check digest tests bench
	$(VENV)/bin/lint-imports --no-cache  # the layers of docs/architecture.md

typecheck: $(STAMP)
	$(VENV)/bin/mypy

unit: $(STAMP)
	@$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure here"; exit 1; fi; \
	exit $$rc

# Debian's chromium drives the preview in the browser tests; installed when missing.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing and cannot be installed without root: browser tests will skip"; fi; }

## semantic: the optional sentence-embedding extra for threading (threads.semantic = true).
# torch comes first, pinned: otherwise pip would fetch the newest build with GBs of CUDA.
semantic: $(STAMP)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[semantic]'

## golden: regenerate the committed golden edition (review the diff before committing)
golden: $(STAMP)
	$(PY) -m tests.golden_edition

## bench: every benchmark; each prints its numbers
bench: $(STAMP)
	for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) .digest outbox site .mypy_cache .ruff_cache .pytest_cache
