# The same commands locally and in CI. `make demo` and `make test` are all a newcomer needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_ENV := TRIPWISE_DEBUG=1

.PHONY: install demo serve test test-unit test-browser lint bench bench-toptw bench-transit bench-plans bench-understand bench-live bench-bookings bench-nearby bench-newsletter browser clean

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

bench: bench-toptw bench-transit bench-plans bench-understand bench-live bench-bookings bench-nearby bench-newsletter

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

# Bookings: confirmed bookings per second through uvicorn (2 workers) with 16/32/64 clients, spread over 200
# departures and on one hot departure, a read baseline, a few server configurations (pool, requests in
# flight), a profile of one booking and SQL proof of no overbooking; PostgreSQL (a database it creates and
# drops on the server of BOOKINGS_PG, default 127.0.0.1:5432), then SQLite. About 12 minutes.
BOOKINGS_PG ?= postgres://postgres@127.0.0.1:5432/postgres

bench-bookings: install
	$(BIN)/python -m tripwise.experiences.loadtest --postgres-url $(BOOKINGS_PG) --profile --out docs/benchmarks/bookings-latest.md

# Nearby search on 1,000,000 places and 100,000 experiences, SQLite and PostgreSQL (a database created and
# dropped on 127.0.0.1:5432), against a bounding-box baseline; loading and 2,000 queries per kind, 10-20 min.
bench-nearby: install
	$(BIN)/python -m tripwise.experiences.nearby_bench --out docs/benchmarks/nearby-latest.md

# A newsletter campaign to 20,000 subscribers through a local SMTP server: 1 and 2 Celery workers (Redis
# 127.0.0.1:6379/6), 1 and 2 embedded workers, and 2 Celery workers with one killed mid-campaign; each on a
# fresh PostgreSQL database (BOOKINGS_PG's server), with the proof that everyone got exactly one message.
bench-newsletter: install
	$(BIN)/python -m tripwise.newsletter.loadtest --postgres-url $(BOOKINGS_PG) --out docs/benchmarks/newsletter-latest.md
