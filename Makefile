# Two commands: `make run` serves the app on sample data, `make test` runs every check.
# `make bench [SCALE=city|province|country]` runs the scale benchmark (figures: docs/benchmarks.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
PORT   ?= 8501
SCALE  ?= city

.PHONY: setup run test bench lint format sample templates clean

setup: $(STAMP)

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "weakorg needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

run: setup
	$(BIN)/streamlit run dashboard.py --server.port $(PORT) --server.headless true

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python -m weakorg bench --scale $(SCALE)

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

sample: setup
	$(BIN)/python -m weakorg sample -o sample_data

templates: setup
	$(BIN)/python -m weakorg template -o templates

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
