# Set-up and everyday commands. `make demo` and `make test` each build .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every install goes through the lock: the exact versions the tests and the README's figures were
# measured with. `make lock` refreshes it on purpose (see README, "Dependencies and the lock").
LOCK := constraints.txt
PIP := $(BIN)/python -m pip install -q -c $(LOCK)

.PHONY: demo readme-demo test gate venv lock clean

# With the second engine (--engine openai-whisper): torch first, the CPU build, then openai-whisper
# without triton, which only serves GPUs (about 1 GB); its other dependencies are named instead.
$(STAMP): setup.cfg pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(PIP) torch
	$(PIP) -e '.[test,browser,ray,serve]' tiktoken numba more-itertools
	$(PIP) --no-deps openai-whisper
	touch $(STAMP)

venv: $(STAMP)

## Run the main job on the bundled sample and say where the report is.
demo: $(STAMP)
	$(BIN)/transcheck check samples/unmiss-2017/briefing.mp3 samples/unmiss-2017/official.txt \
		-o out/sample-report.html --json out/sample-report.json --title "UNMISS press conference, 2017 (sample)"
	@echo "Open out/sample-report.html in a browser."

## Put the summary of a real `make demo` run into the README (the block between the demo-summary markers).
readme-demo: $(STAMP)
	mkdir -p out
	$(MAKE) --no-print-directory demo 2> out/demo-summary.txt
	$(BIN)/python docs/readme_demo.py out/demo-summary.txt

## Run the test suite.
test: $(STAMP)
	$(BIN)/python -m pytest

## The accuracy gate CI runs: exit 1 when verification regresses past the committed figures.
gate: $(STAMP)
	$(BIN)/python -m benchmarks.accuracy --gate benchmarks/accuracy_figures.json

## Refresh the lock to the newest versions setup.cfg allows (then run make test and the benchmarks).
lock: $(STAMP)
	$(PIP) pip-tools
	$(BIN)/pip-compile -q --upgrade --extra test --extra browser --extra ray --extra openai --extra serve --strip-extras \
		--allow-unsafe --no-emit-find-links --no-emit-index-url --no-emit-trusted-host -o $(LOCK) setup.cfg lock.in
	sed -i 's/^torch==\(.*\)+cpu$$/torch==\1/' $(LOCK)   # the same pin for the CPU and the CUDA build
	@echo "$(LOCK) refreshed: rebuild .venv (rm -r $(VENV)), run make test and make gate"

clean:
	rm -rf out build *.egg-info
