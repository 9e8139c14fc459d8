# The two commands a user needs: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint typecheck bench clean-demo messages

$(BIN)/partnernet: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/partnernet

## make run: install, migrate, load the demo market on first start, serve on http://127.0.0.1:8000
run: install
	$(BIN)/partnernet migrate --no-input
	$(BIN)/partnernet ensureadmin
	$(BIN)/partnernet demo --if-empty
	$(BIN)/partnernet serve --host $(HOST) --port $(PORT)

## make test: the whole suite on SQLite, then on PostgreSQL when CI is set or DATABASE_URL is given
test: install
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

bench: install
	for script in bench/*_bench.py; do $(BIN)/python $$script || exit 1; done

messages: install
	cd src/partnernet && ../../$(BIN)/django-admin makemessages -l ru -l en --ignore 'engines/*'
