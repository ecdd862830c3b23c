# sectorkit: two commands do all the set-up on a fresh machine with Python 3.11.
#   make demo   create .venv, prepare the example workspace, serve the worksheets with Voila
#   make test   create .venv, install Chromium and PostgreSQL via apt if missing, lint with ruff, run every test
#               (the storage tests run on SQLite and on a private throwaway PostgreSQL cluster)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8866

.PHONY: demo test install chromium postgresql benchmarks clean-notebooks

install: $(STAMP)

$(STAMP): environment.yml pyproject.toml scripts/requirements.py scripts/install_voila_template.py \
         tools/voila_bundle/page_bundle.py share/jupyter/voila/templates/sectorkit/chunks.json
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), "sectorkit needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(PYTHON) scripts/requirements.py environment.yml > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python scripts/install_voila_template.py
	touch $(STAMP)

chromium:
	@if ! test -x /usr/bin/chromium; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "Chromium is needed for the browser tests: sudo apt-get install -y chromium chromium-driver"; exit 1; fi; \
	fi

# PostgreSQL's server programs (initdb, pg_ctl): tests/support/postgres.py starts a private cluster with them
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; \
	  else echo "PostgreSQL is needed for the storage tests: sudo apt-get install -y postgresql"; exit 1; fi; \
	fi

demo: $(STAMP)
	$(BIN)/sectorkit init-example
	@echo ""
	@echo "  Start here (home page):      http://127.0.0.1:$(PORT)/voila/render/sheet.ipynb"
	@echo "  Trainer view (all regions):  http://127.0.0.1:$(PORT)/voila/render/sheet.ipynb?sheet=trainer"
	@echo "  (Ctrl-C stops the server; answers are kept in $${SECTORKIT_HOME:-$$HOME/.sectorkit})"
	@echo ""
	$(BIN)/sectorkit serve worksheets/ --no-browser --port=$(PORT)

test: $(STAMP) chromium postgresql
	$(BIN)/ruff check lib tests benchmarks scripts tools
	$(BIN)/python -m pytest

benchmarks: $(STAMP) chromium postgresql
	$(BIN)/python benchmarks/voila_ttfw.py
	$(BIN)/python benchmarks/server_memory.py
	$(BIN)/python benchmarks/lmi.py
	$(BIN)/python benchmarks/network.py
	$(BIN)/python benchmarks/reports.py
	$(BIN)/python benchmarks/voila_load.py
	$(BIN)/python benchmarks/team_load.py

clean-notebooks: $(STAMP)
	$(BIN)/python scripts/clean_notebooks.py modules/*.ipynb worksheets/*.ipynb benchmarks/notebooks/*.ipynb
