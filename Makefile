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

.PHONY: venv models render test lint typecheck pytest bench clean

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

pytest: models
	$(BIN)/pytest

test: lint typecheck pytest

bench: models
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
