# Bản tin — the two commands a newcomer needs: `make serve` and `make test`.
VENV      := .venv
PY        := $(VENV)/bin/python
BIN       := $(VENV)/bin
CHROMIUM  := /usr/bin/chromium
SUDO      := $(if $(filter 0,$(shell id -u)),,sudo)
export PYTHONUTF8 := 1
# Editors see Bản tin's messages, not upstream's notices about MkDocs 2 and Material's end of life.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test check lint bench properties chromium clean

serve: $(VENV)/.installed
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

check: $(VENV)/.installed
	$(BIN)/bantin check content

test: $(VENV)/.installed-test chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(VENV)/.installed-test
	$(PY) bench/build.py

# Check => build, and the sanitizer's guarantees, over hundreds of generated files (the suite runs a few dozen).
properties: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=long $(BIN)/pytest tests/test_properties.py

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

# Browser tests drive Debian's Chromium through Playwright; its own browser download is never used.
chromium:
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
