# Bootstrap only: create .venv with the pinned dependencies, then hand over to invoke (tasks.py).
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
INVOKE := $(VENV)/bin/invoke

.PHONY: demo build test setup
setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

demo: $(STAMP)
	$(INVOKE) demo

build: $(STAMP)
	$(INVOKE) demo --no-serve

test: $(STAMP)
	$(INVOKE) test
