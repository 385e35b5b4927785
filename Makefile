# briefgen — every target bootstraps .venv from pyproject.toml on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NATIVE := $(VENV)/.native
# briefgen.native compiles the extract package: a change to any of its sources compiles it again.
NATIVE_SOURCES := $(wildcard briefgen/extract/*.py)

TOPIC      ?=
REGIONS    ?=
BRIEF_LANG ?= en
INPUT      ?= seeds
TO         ?=
DRY_RUN    ?=
RESEND     ?=

comma := ,
lang_suffix := $(if $(filter zh,$(BRIEF_LANG)),.zh,)
brief_args = --input "$(INPUT)" --lang $(BRIEF_LANG) $(if $(REGIONS),--regions "$(REGIONS)",)

.DEFAULT_GOAL := help
.PHONY: help brief briefs facts eval email test bench clean setup

help: ## show this help
	@echo "briefgen — comparative, sourced briefs from Chinese work reports"
	@echo
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: TOPIC=talent BRIEF_LANG=en|zh REGIONS=\"中山,江门\" INPUT=seeds TO=addr DRY_RUN=1 RESEND=1"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,native]'
	@# An editable install leaves the package uncompiled; without bytecode every run compiles it.
	@$(BIN)/python -m compileall -q briefgen
	@touch $@

# Extraction compiled with mypyc (~40 s). If it fails, briefgen says why and runs it as plain Python;
# the stamp keeps make from trying again until a source or the install changes.
$(NATIVE): $(STAMP) $(NATIVE_SOURCES)
	-@BRIEFGEN_PURE=1 $(BIN)/python -c 'import sys, briefgen.native; sys.exit(briefgen.native.build())'
	@touch $@

setup: $(NATIVE) ## create .venv, install briefgen with its dependencies, compile extraction

brief: $(NATIVE) ## build output/$(TOPIC).pdf and .html (TOPIC=..., BRIEF_LANG, REGIONS)
	@if [ -z "$(TOPIC)" ]; then \
	  echo "make brief: set TOPIC, one of:" >&2; $(BIN)/briefgen topics >&2; exit 2; fi
	$(BIN)/briefgen brief $(TOPIC) $(brief_args) --out output/$(TOPIC)$(lang_suffix).pdf

briefs: $(NATIVE) ## every topic, both languages
	@for t in $$($(BIN)/briefgen topics --names); do \
	  for l in en zh; do \
	    sfx=$$( [ $$l = zh ] && echo .zh ); \
	    $(BIN)/briefgen brief $$t --input "$(INPUT)" --lang $$l --out output/$$t$$sfx.pdf || exit 1; \
	  done; done

facts: $(NATIVE) ## output/facts.csv and output/facts.parquet
	$(BIN)/briefgen facts "$(INPUT)" --format csv -o output/facts.csv
	$(BIN)/briefgen facts "$(INPUT)" --format parquet -o output/facts.parquet

eval: $(NATIVE) ## score extraction against the gold of the seeds, then place and time on tests/data/unseen
	$(BIN)/python -m briefgen.tools.evaluate
	@echo; echo "== tests/data/unseen (kinds of document the seeds lack; its gold samples their facts)"
	$(BIN)/python -m briefgen.tools.evaluate --seeds tests/data/unseen --gold tests/data/unseen/gold.jsonl --limit 10

email: $(NATIVE) ## mail the brief (TOPIC=..., TO=..., DRY_RUN=1 writes output/TOPIC.eml)
	@if [ -z "$(TOPIC)" ] || [ -z "$(TO)" ]; then echo "make email: set TOPIC and TO" >&2; exit 2; fi
	$(BIN)/briefgen email $(TOPIC) --input "$(INPUT)" --lang $(BRIEF_LANG) \
	  $(foreach a,$(subst $(comma), ,$(TO)),--to $(a)) $(if $(DRY_RUN),--dry-run,) $(if $(RESEND),--resend,)

test: $(NATIVE) ## run the test suite
	$(BIN)/python -m pytest -q

bench: $(NATIVE) ## benchmark report (speed is measured here, never in tests)
	$(BIN)/python -m briefgen.tools.bench

clean: ## remove outputs and caches (keeps .venv)
	rm -rf output/* .cache .pytest_cache
	@touch output/.gitkeep
