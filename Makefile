# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
# The versions the tests last passed with (`make setup CONSTRAINTS=` for the newest the registry has).
CONSTRAINTS ?= constraints.txt
PIP_C := $(if $(CONSTRAINTS),-c $(CONSTRAINTS))
BIN := $(VENV)/bin
DATA ?= data/sample
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run sample build evaluate test check bench clean constraints

setup: $(VENV)/.installed

# torch==2.13.0 first: it is a CPU build here; an unpinned torch pulls several GB of CUDA packages. The ray extra
# (~80 MB, no CUDA) is installed too: the test that a bundle built on Ray equals the local one runs in CI.
$(VENV)/.installed: pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet $(PIP_C) torch==2.13.0
	$(BIN)/pip install --quiet $(PIP_C) -e '.[dev,ray]'
	$(BIN)/creatormatch model export
	touch $@

sample: setup
	$(BIN)/creatormatch sample --out $(DATA)

build: sample
	$(BIN)/creatormatch build --data $(DATA) --out indexes

run: build
	$(BIN)/creatormatch serve --bundle indexes/current --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest

check: setup
	$(BIN)/ruff check cli creatormatch training service tests benchmarks
	$(BIN)/mypy

evaluate: build
	$(BIN)/creatormatch evaluate --data $(DATA) --bundle indexes/current

bench: setup
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_match.py
	$(BIN)/python benchmarks/bench_shortlist.py

# Record the versions in .venv (after `make test` passed with them) as the ones `make setup` installs. Everything
# in .venv is recorded, so install nothing else there by hand first.
constraints: setup
	{ sed -n '1,2p' constraints.txt; $(BIN)/pip freeze --all --exclude-editable | grep -v '^pip==' \
	  | sed 's/+cpu$$//'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf $(VENV) data/sample
