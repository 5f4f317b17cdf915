# One entry point for people and CI. `make demo` sets everything up and runs the demo;
# `make check` runs lint, types and tests. Both create .venv on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup demo check lint types test bench bench-1m clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# The CPU build of torch first: an unpinned torch would pull a CUDA build of several GB.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(VENV)/bin/emlit demo

check: setup lint types test

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types:
	$(VENV)/bin/mypy

test:
	$(VENV)/bin/pytest -q

# Every benchmark prints its figures (see BENCHMARKS.md); about 15 minutes in all on an idle
# machine. `make bench-1m` adds the million-claim store (TUI, export, linking): about an hour.
bench: setup
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" && set -e && \
	$(PY) bench/bench_ingest.py && \
	$(PY) bench/bench_ingest_library.py && \
	$(PY) bench/bench_tagger.py && \
	$(PY) bench/bench_encoders.py && \
	$(PY) bench/bench_relation_oracle.py && \
	$(PY) bench/bench_ann.py --quick && \
	$(PY) bench/bench_linking.py && \
	$(PY) bench/bench_poll_load.py && \
	rm -f $(VENV)/bench-100k.db* && $(PY) bench/make_big_db.py --out $(VENV)/bench-100k.db && \
	$(PY) bench/bench_tui.py --db $(VENV)/bench-100k.db && \
	$(PY) bench/bench_export.py --db $(VENV)/bench-100k.db

# The million-claim stores take a while to build (the linking one with its index most of
# all): they are built once into BIG (outside the repository) and reused by later runs.
BIG ?= $(VENV)/big
bench-1m: setup
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" && set -e && mkdir -p $(BIG) && \
	{ test -f $(BIG)/big1m.db || $(PY) bench/make_big_db.py --out $(BIG)/big1m.db --claims 1000000; } && \
	$(PY) bench/bench_tui.py --db $(BIG)/big1m.db && \
	$(PY) bench/bench_export.py --db $(BIG)/big1m.db --skip-graph && \
	$(PY) bench/bench_linking.py --claims 100000 --new 1000 2000 --db $(BIG)/link100k.db --reuse --no-export && \
	$(PY) bench/bench_linking.py --claims 1000000 --new 1000 2000 --db $(BIG)/link1m.db --reuse --no-export

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
