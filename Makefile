# Two commands: `make run` serves the app on sample data, `make test` runs every check.
# `make run` listens on this machine only; `make run ADDRESS=0.0.0.0 [PORT=8501]` serves an intranet (README).
# `make bench [SCALE=city|province|country]` runs the scale benchmark (figures: docs/benchmarks.md).
# Installs come from requirements.lock (every package pinned, with hashes); `make lock` refreshes it from requirements.txt.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum requirements.lock | cut -d' ' -f1)
PORT   ?= 8501
ADDRESS ?= 127.0.0.1
SCALE  ?= city

.PHONY: setup run test bench lint format sample templates lock clean

setup: $(STAMP)

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "weakorg needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
	rm -f $(VENV)/.installed-* && touch $@

run: setup
	$(BIN)/streamlit run dashboard.py --server.address $(ADDRESS) --server.port $(PORT) --server.headless true

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

# requirements.lock from requirements.txt: every package pinned for Python 3.11+ on any platform, with the hashes
# of its files (uv, in a throwaway virtualenv of its own, so the app's stays exactly what the lock says).
lock:
	test -x .venv-lock/bin/uv || ($(PYTHON) -m venv .venv-lock && .venv-lock/bin/python -m pip install -q uv)
	.venv-lock/bin/uv pip compile requirements.txt --universal --python-version 3.11 --generate-hashes \
		--no-header --quiet -o requirements.lock

clean:
	rm -rf $(VENV) .venv-lock .pytest_cache .ruff_cache
