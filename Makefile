# The same commands locally and in CI. `make demo` and `make test` are all a newcomer needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_ENV := TRIPWISE_DEBUG=1

.PHONY: install demo serve test test-unit test-browser lint bench bench-toptw bench-transit bench-plans bench-understand bench-live browser clean

install: $(VENV)/.installed node_modules/.installed

# constraints.txt pins every package to the versions the suite last passed with (pip freeze).
$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# uvicorn serves the ASGI app: the pages and the live channel (WebSockets), which runserver cannot.
demo: install
	$(DEMO_ENV) $(BIN)/tripwise manage migrate --noinput
	$(DEMO_ENV) $(BIN)/tripwise demo load
	@echo "Tripwise is at http://127.0.0.1:$(PORT)/  (admin: $(BIN)/tripwise manage createsuperuser)"
	$(DEMO_ENV) $(BIN)/uvicorn tripwise.config.asgi:application --host 127.0.0.1 --port $(PORT) --lifespan off

test: install test-unit test-browser

test-unit: install
	$(BIN)/pytest tests --ignore=tests/browser

# Browser tests drive Debian's Chromium (`make browser` installs it); without it they are skipped unless
# TRIPWISE_REQUIRE_BROWSER=1 (as in CI), which turns the skip into a failure.
test-browser: install
	$(BIN)/pytest tests/browser -p no:cacheprovider

browser:
	test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	TRIPWISE_DEBUG=1 $(BIN)/mypy
	$(BIN)/lint-imports
	TRIPWISE_DEBUG=1 $(BIN)/tripwise manage makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache

# Benchmarks, each writing docs/benchmarks/*-latest.md: the TOPTW table (every instance for M = 1..4, the
# engine and OR-Tools side by side, about 12 minutes), transit queries on the HSL feed, and POST /api/plans
# on Helsinki (both need ../shared/data/cities/helsinki), and the assistant's understanding of its
# development set (data/understand/dev.jsonl).
HELSINKI ?= ../shared/data/cities/helsinki

bench: bench-toptw bench-transit bench-plans bench-understand bench-live

bench-toptw: install
	$(BIN)/python -m tripwise.bench.table --out docs/benchmarks/toptw-latest.md

bench-transit: install
	$(BIN)/python -m tripwise.bench.transit $(HELSINKI)/hsl-helsinki-gtfs-20220222.zip | tee docs/benchmarks/transit-latest.md

bench-plans: install
	$(BIN)/python -m tripwise.trips.benchmark --city $(HELSINKI) --out docs/benchmarks/plans-latest.md

bench-understand: install
	$(BIN)/python -m tripwise.assistant.benchmark --out docs/benchmarks/understand-latest.md

# Live updates: 50 WebSocket listeners on one trip, 20 changes; in memory, then Redis (127.0.0.1:6379/14).
bench-live: install
	$(BIN)/python -m tripwise.trips.live_benchmark --out docs/benchmarks/live-latest.md
