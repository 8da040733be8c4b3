# Set-up and everyday commands. `make demo` and `make test` each build .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test venv clean

# With the second engine (--engine openai-whisper): torch first, the CPU build, then openai-whisper
# without triton, which only serves GPUs (about 1 GB); its other dependencies are named instead.
$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[test,browser,ray]' tiktoken numba more-itertools
	$(BIN)/python -m pip install -q --no-deps 'openai-whisper>=20231117'
	touch $(STAMP)

venv: $(STAMP)

## Run the main job on the bundled sample and say where the report is.
demo: $(STAMP)
	mkdir -p out
	$(BIN)/transcheck check samples/unmiss-2017/briefing.mp3 samples/unmiss-2017/official.txt \
		-o out/sample-report.html --json out/sample-report.json --title "UNMISS press conference, 2017 (sample)"
	@echo "Open out/sample-report.html in a browser."

## Run the test suite.
test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf out build *.egg-info
