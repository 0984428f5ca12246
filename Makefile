# Two commands do everything on a fresh machine:
#   make brief   set up .venv and brief the example cluster on the embedded model (no key needed)
#   make test    set up .venv and run the tests (offline; CI runs exactly this)
#   make test-fast   the same without the process-level test files: the edit-test loop
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A prebuilt llama-cpp-python wheel sits beside the repo on our machines; elsewhere pip builds
# it from PyPI's source (about 16 minutes on 2 cores) with these portable flags.
WHEELS := ../shared/wheels
FIND_LINKS := $(if $(wildcard $(WHEELS)/*.whl),--find-links $(WHEELS),)
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2

.PHONY: install brief test test-fast lint record schemas bench

$(BIN)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(FIND_LINKS) -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# Extra options go through ARGS: make brief ARGS="--threads 1" on a busy machine
ARGS ?=
brief: install
	$(BIN)/summarizer brief $(ARGS) examples/syria-2016-02-21/*.txt

test: install
	$(BIN)/python -m pytest

# The edit-test loop: everything but the test files that start processes (Dask clusters, signals,
# kill -9 and resume, secrets through subprocesses, the embedded model, a browser) or sweep a corpus
# (1,101 injection payloads, ingest fuzzing), which take most of the suite's time. `make test` runs
# them all and is what CI runs.
PROCESS_TESTS := test_batch_dask test_interrupts test_resume test_secrets test_embedded \
	test_report_browser test_report_mobile test_stories_browser test_stories test_injection_corpus test_fuzz_ingest
test-fast: install
	$(BIN)/python -m pytest $(foreach t,$(PROCESS_TESTS),--ignore=tests/$(t).py)

lint: install
	$(BIN)/ruff check .

schemas: install
	$(BIN)/summarizer schema --write schemas

record: install
	PYTHON=$(BIN)/python bash scripts/record-cassettes.sh

bench: install
	$(BIN)/python benchmarks/merge_scaling.py
