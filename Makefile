# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The engine's hot modules, compiled in place with mypyc when a C compiler is present;
# `PURE=1 make test` (or demo, serve) removes them and runs the engine as pure Python.
ENGINE_MODULES := book matching settlement trading state ledger engine
ENGINE_PY := $(patsubst %,src/kazree/exchange/core/%.py,$(ENGINE_MODULES))
ENGINE    := $(VENV)/.engine
# Message catalogs: the .po files are edited by translators; the .mo files are compiled from
# them and committed, so that an install needs no build step (tests check they are current).
LOCALES := src/kazree/i18n/locales
ifdef PURE
.PHONY: $(ENGINE)
endif

.PHONY: demo serve test lint typecheck i18n clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(ENGINE): $(STAMP) build_engine.py $(ENGINE_PY)
	@if [ -n "$(PURE)" ]; then \
		$(BIN)/python build_engine.py --clean; rm -f $@; \
		echo "engine runs as pure Python: PURE is set"; \
	else \
		echo "compiling the exchange engine with mypyc (about 2 minutes)"; \
		$(BIN)/python build_engine.py $(ENGINE_MODULES) > $(VENV)/engine-build.log 2>&1 && touch $@ || { \
		$(BIN)/python build_engine.py --clean; touch $@; \
		echo "engine runs as pure Python: $$(tail -n 1 $(VENV)/engine-build.log)"; }; \
	fi

demo: $(ENGINE)
	$(BIN)/kazree demo

serve: $(ENGINE)
	$(BIN)/kazree serve --demo

test: $(ENGINE)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

i18n: $(STAMP)
	PYTHONPATH=src $(BIN)/pybabel extract -F babel.cfg --project kazree --no-wrap --no-location --sort-by-file \
		-o $(LOCALES)/kazree.pot src/kazree
	$(BIN)/pybabel update -i $(LOCALES)/kazree.pot -d $(LOCALES) -D kazree --no-wrap \
		--no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d $(LOCALES) -D kazree --statistics

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache out build/engine
	rm -f src/kazree/exchange/core/*.so
