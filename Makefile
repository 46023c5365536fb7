# Anti-trafficking country reports. `make help` lists the targets.
# `make` builds every report; `make test` runs the tests. Both bootstrap what they need.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
COUNTRY ?= Kazakhstan
REGION ?=
JOBS   ?= 0
REPORTS ?= reports
N      ?= 10

# User values reach commands as environment variables, never as recipe text: a shell never
# parses them (COUNTRY='x"; touch pwned' is just an unknown country) and $(value ...) keeps
# make from expanding them (COUNTRY='$$(shell ...)' would run when make exports it).
override COUNTRY := $(value COUNTRY)
override REGION  := $(value REGION)
override REPORTS := $(value REPORTS)
override JOBS    := $(value JOBS)
override N       := $(value N)
export TR_COUNTRY := $(COUNTRY)
export TR_REGION  := $(REGION)
export TR_REPORTS := $(REPORTS)
export TR_JOBS    := $(JOBS)
export TR_N       := $(N)

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.PHONY: all help setup report reports test test-fast lint check-data data narratives conflicts coverage clean distclean bench lock jupyter

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'
	@printf '  variables: COUNTRY=%s REGION=%s JOBS=%s (0 = all cores) REPORTS=%s N=%s\n' "$$TR_COUNTRY" "$$TR_REGION" "$$TR_JOBS" "$$TR_REPORTS" "$$TR_N"
	@printf '  VENV=%s (an existing environment is used as it is: make VENV="$$CONDA_PREFIX")\n' "$(VENV)"

# The Python packages come first: the system check then finds a browser the way the build will (TR_CHROMIUM,
# an installed Chromium or Chrome, playwright's own), and can name this environment's playwright command.
# VENV may be an existing environment (a conda env: make VENV="$$CONDA_PREFIX"); it is used as it is.
$(STAMP): requirements.txt pyproject.toml scripts/system_packages.sh src/trafficking_reports/browser.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing pinned packages into $(VENV) ..."
	@$(PY) -m pip install -q --disable-pip-version-check --no-deps -r requirements.txt
	@$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	@$(PY) -m pip check -q --disable-pip-version-check >/dev/null || $(PY) -m pip check
	@$(PY) -m ipykernel install --sys-prefix --name trafficking-reports --display-name "Python (trafficking-reports)" >/dev/null
	@TR_PYTHON="$(PY)" bash scripts/system_packages.sh build
	@touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	@TR_PYTHON="$(PY)" bash scripts/system_packages.sh test
	@$(PY) -m pip install -q --disable-pip-version-check --no-deps -r requirements-dev.txt
	@$(PY) -m pip check -q --disable-pip-version-check >/dev/null || $(PY) -m pip check
	@touch $@

all: reports ## build every country's and region's report, the index and the global overview (incremental)

setup: $(STAMP) ## install the pinned packages into VENV, register the kernel, check for a browser and git

reports: $(STAMP)
	@$(PY) -m trafficking_reports build --all --jobs="$$TR_JOBS" --out="$$TR_REPORTS"

report: $(STAMP) ## build one report: make report COUNTRY=Kazakhstan, or a region's: make report REGION="Central Asia"
	@if [ -n "$$TR_REGION" ]; then $(PY) -m trafficking_reports report --out="$$TR_REPORTS" --region="$$TR_REGION"; \
	 else $(PY) -m trafficking_reports report --out="$$TR_REPORTS" -- "$$TR_COUNTRY"; fi

test: $(DEV_STAMP) ## run every test (unit, data, notebook end to end)
	@$(PY) -m pytest -q

test-fast: $(DEV_STAMP) ## run the tests that do not execute notebooks
	@$(PY) -m pytest -q -m "not integration and not slow"

lint: $(DEV_STAMP) ## ruff over src, tests, scripts and bench
	@$(PY) -m ruff check src tests scripts bench

check-data: $(STAMP) ## validate data/ (schema, keys, sources, values)
	@$(PY) -m trafficking_reports check-data

data: $(STAMP) ## re-run the importers on ../shared/raw (or TR_RAW_DIR) and the narrative rows, then validate
	@$(PY) -m trafficking_reports import-data
	@$(PY) -m trafficking_reports import-narratives
	@$(PY) -m trafficking_reports check-data

narratives: $(STAMP) ## turn the gathered narrative rows (curation/narratives) into facts, then validate
	@$(PY) -m trafficking_reports import-narratives
	@$(PY) -m trafficking_reports check-data

conflicts: $(STAMP) ## list facts where sources disagree
	@$(PY) -m trafficking_reports conflicts

coverage: $(STAMP) ## print the coverage table and keep it in docs/coverage.md
	@$(PY) -m trafficking_reports coverage --write docs/coverage.md

bench: $(DEV_STAMP) ## our build against the naive loop (serial and parallel), same outputs, N countries (N=10), medians of 3
	@TR_PYTHON="$(PY)" bash scripts/system_packages.sh bench
	@$(PY) bench/bench_build.py --countries "$$TR_N"

jupyter: $(STAMP) ## open the notebooks in Jupyter with the project's kernel
	@$(VENV)/bin/jupyter lab notebooks/

lock: ## re-pin requirements.txt from a clean venv (needs network to PyPI)
	@rm -rf /tmp/tr-lock && $(PYTHON) -m venv /tmp/tr-lock && /tmp/tr-lock/bin/pip install -q . && \
	 { echo "# Pinned runtime environment (pip freeze of a clean venv). Regenerate with: make lock"; \
	   echo "# Installed with --no-deps, so exactly these. Left out: rfc3987-syntax and lark, which jupyter-events pulls in"; \
	   echo "# through jsonschema[format-nongpl]; rfc3987-syntax builds a grammar when jsonschema is imported (1.2 s in"; \
	   echo "# every process that imports nbformat), for an IRI format check nothing here uses."; \
	   /tmp/tr-lock/bin/pip freeze --exclude trafficking-reports --exclude rfc3987-syntax --exclude lark; } > requirements.txt

clean: ## remove generated reports (refuses an empty REPORTS, the checkout or a folder that is not reports)
	@$(PYTHON) scripts/clean_reports.py

distclean: clean ## also remove the virtual environment (one make made: never a conda env passed as VENV)
	@if [ -f "$(VENV)/pyvenv.cfg" ]; then rm -rf "$(VENV)"; else echo "$(VENV) is not a virtual environment (no pyvenv.cfg): left as it is" >&2; fi
