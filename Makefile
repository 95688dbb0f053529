# Set-up is part of every target: a fresh machine with Python 3.11 needs nothing else.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The spaCy model comes from a local wheel folder when there is one, else from spaCy's host.
WHEELS ?= ../shared/wheels
MODEL := en_core_web_sm
STAMP := $(VENV)/.evkg-installed

.PHONY: setup run test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "==> Installing evkg and its dependencies into $(VENV) (spaCy, rdflib, pyshacl…: a minute or so)"
	$(BIN)/python -m pip install --progress-bar on -e ".[test]"
	@echo "==> Installing the spaCy model $(MODEL)"
	@if $(BIN)/python -c "import $(MODEL)" 2>/dev/null; then \
		echo "$(MODEL) already installed"; \
	elif [ -d "$(WHEELS)" ]; then \
		$(BIN)/python -m pip install --progress-bar on --no-index --find-links "$(WHEELS)" $(MODEL); \
	else \
		$(BIN)/python -m spacy download $(MODEL); \
	fi
	touch $(STAMP)

run: setup
	$(BIN)/evkg build data/articles -o out
	$(BIN)/evkg query who-blamed-whom --data out --format table

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/bench.py

clean:
	rm -rf out .pytest_cache build dist
