# The two commands a fresh machine needs:
#   make render   create .venv, prepare the models, render the example lesson
#   make test     create .venv, prepare the models, run lint, types and the whole test suite
# Both are idempotent: a second run reuses the venv (reinstalled only when pyproject.toml or the lock
# changes) and the prepared models (checked against their pinned sha256).
#
# The venv is installed from requirements.lock, the exact versions the tests passed with. After
# changing dependencies in pyproject.toml, refresh it with `make lock` and commit both files.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements.lock
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | sha256sum | cut -c1-16)
UV_VERSION := 0.13.8
EXAMPLE ?= lesson_specs/examples/math-g8-pythagoras.yaml
OUT ?= out

.PHONY: venv lock models render test lint typecheck pytest bench clean system-deps test-scale test-fast messages

venv: $(STAMP)

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check
	rm -f $(VENV)/.installed-*
	touch $@

# Re-resolve every dependency (with the dev extra) to the newest versions pyproject.toml allows, for
# Python 3.11 on any platform. uv runs from its own throwaway venv, so it never enters .venv.
lock:
	test -x $(VENV)-uv/bin/uv || ($(PYTHON) -m venv $(VENV)-uv && $(VENV)-uv/bin/pip install --quiet uv==$(UV_VERSION))
	$(VENV)-uv/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 --universal \
	  --upgrade --custom-compile-command "make lock" --quiet -o $(LOCK)

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

# Everything that needs no prepared model, no Chromium and no servers of its own: render tests run
# on the tiny voice built by tests/tiny_voice.py (markers: pyproject.toml, assigned in tests/conftest.py).
# These tests share no server or port, so they run on every core (pytest-xdist).
FAST := not real_voice and not whisper and not prepared_models and not browser and not slow and not scale
test-fast: venv
	$(BIN)/pytest -m "$(FAST)" -n auto

# Translations: extract every _() / N_() message, merge them into each catalog (then translate the
# new entries in i18n/locale/*/LC_MESSAGES/lessonaudio.po), compile. Commit .pot, .po and .mo.
messages: venv
	$(BIN)/pybabel extract -F i18n/babel.cfg --no-location --sort-output --project lessonaudio \
	  -o i18n/lessonaudio.pot .
	$(BIN)/pybabel update -i i18n/lessonaudio.pot -d i18n/locale -D lessonaudio --no-fuzzy-matching \
	  --ignore-obsolete
	$(BIN)/pybabel compile -d i18n/locale -D lessonaudio --statistics

test-scale: models
	$(BIN)/pytest -m scale

bench: models
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) $(VENV)-uv $(OUT) .pytest_cache .mypy_cache .ruff_cache
