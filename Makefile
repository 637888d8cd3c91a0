# The two commands a fresh machine needs:
#   make render   create .venv, prepare the models, render the example lesson
#   make test     create .venv, prepare the models, run lint, types and the whole test suite
# Both are idempotent: a second run reuses the venv (reinstalled only when pyproject.toml changes)
# and the prepared models (checked against their pinned sha256).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-16)
EXAMPLE ?= lesson_specs/examples/math-g8-pythagoras.yaml
OUT ?= out

.PHONY: venv models render test lint typecheck pytest bench clean system-deps test-scale

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

models: venv
	$(BIN)/lessonaudio models prepare

render: models
	$(BIN)/lessonaudio render $(EXAMPLE) --out $(OUT)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy .

# The browser test drives Debian's Chromium with its matching chromedriver; CJK fonts make the
# screenshots readable. Installed once per machine (needs root or sudo).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
system-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends \
	    chromium chromium-driver fonts-noto-cjk)

pytest: models system-deps
	$(BIN)/pytest

test: lint typecheck pytest

test-scale: models
	$(BIN)/pytest -m scale

bench: models
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
