# Every target installs what it needs: a fresh clone runs `make test` or `make translate` directly.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
TORCH   = torch==2.13.0

.PHONY: install test test-fast serve translate test-models models bench catalogs compile \
        pretranslate check-catalogs system-deps clean

install: $(STAMP)

# torch first, pinned to the local CPU wheel, so that nothing later pulls a CUDA build.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check $(TORCH)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

system-deps:
	scripts/system-deps.sh

test: install system-deps
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

serve: install
	$(BIN)/flask --app service run

# Batch run (docs/batch.md): make translate IN=/srv/cms/export OUT=/srv/www/editions
IN  ?= examples/articles
OUT ?= out/editions
translate: install
	$(BIN)/l10n translate $(IN) $(OUT)

test-models: install
	$(BIN)/python scripts/build_test_models.py

models: install
	$(BIN)/l10n models install

# Benchmarks (docs/bench.md): builds a random Argos-sized model into bench/work/ first.
bench: install
	$(BIN)/pip install -q --disable-pip-version-check -e '.[bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) out .pytest_cache

# UI string catalogs (docs/translators.md): extract the strings and merge them into every .po,
# compile the .mo files, pre-translate empty entries by machine (fuzzy), check the catalogs.
catalogs: install
	$(BIN)/l10n catalogs extract
	$(BIN)/l10n catalogs update

compile: install
	$(BIN)/l10n catalogs compile

pretranslate: install
	$(BIN)/l10n catalogs pretranslate

check-catalogs: install
	$(BIN)/l10n catalogs check
