# Two commands matter: `make demo` and `make test`. Both create .venv and install first:
# `make demo` the runtime only, `make test` the dev tools too (and Debian's PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev
NODE := tests/node/node_modules/.installed
BROWSER_NODE := tests/browser/node/node_modules/.installed
BENCH_SCALE ?= full

.PHONY: demo test bench lint install system-deps clean

$(RUNTIME): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	scripts/install_python $(VENV) -e .
	touch $(RUNTIME)

$(DEV): $(RUNTIME)
	scripts/install_python $(VENV) -e '.[dev]'
	touch $(DEV)

# IAB's reference consent-string libraries, for the differential tests (pinned in the lock file)
$(NODE): tests/node/package.json tests/node/package-lock.json
	npm ci --prefix tests/node --no-audit --no-fund --loglevel=error
	touch $(NODE)

# axe-core for the console's browser tests, and htmx checked against the vendored copy
$(BROWSER_NODE): tests/browser/node/package.json tests/browser/node/package-lock.json
	npm ci --prefix tests/browser/node --no-audit --no-fund --loglevel=error
	touch $(BROWSER_NODE)

install: $(DEV)

system-deps:
	scripts/system_deps postgresql
	scripts/system_deps chromium fonts-noto-cjk
	scripts/system_deps dovecot-imapd swaks

demo: $(RUNTIME)
	$(BIN)/frontoffice demo run

test: $(DEV) $(NODE) $(BROWSER_NODE) system-deps
	scripts/run_tests

lint: $(DEV)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

bench: $(DEV) system-deps
	scripts/run_bench

clean:
	rm -rf $(VENV) .frontoffice demo-data .pytest_cache .mypy_cache .ruff_cache
