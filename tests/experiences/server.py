"""Real servers for the reliability tests: a database of the test's own, seeded, served by uvicorn workers.

The server is a subprocess, so it cannot see pytest-django's test database (a transaction of this process).
Each test gets a database of its own instead, on the engine the suite runs on: a SQLite file in the test's
temporary folder, or, when the suite's DATABASE_URL is PostgreSQL, a fresh database on that server, named
tripwise_race_<pid>_<n> and dropped at the end. Migrating takes seconds, so it is done once per session into
a template database that each test copies. The machinery itself is the benchmark's
(tripwise.experiences.loadtest), so tests and figures exercise the same set-up. On PostgreSQL the servers run
as in production, with a pool of connections per process (TRIPWISE_DB_POOL).
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tripwise.experiences.loadtest.databases import (
    Audit,
    Seeded,
    audit,
    clone_database,
    drop_database,
    engine_of,
    fresh_database,
    migrate,
    seed,
    server_env,
)
from tripwise.experiences.loadtest.server import Server, start_server

__all__ = ["World", "engine", "migrated_template", "serve", "world"]

_numbers = itertools.count()
POOL = 4  # connections per server process on PostgreSQL, as in production (ignored on SQLite)


def suite_database_url() -> str:
    """The suite's database: PostgreSQL when DATABASE_URL says so (CI's second run), SQLite otherwise."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url and engine_of(url) == "postgresql" else ""


def engine() -> str:
    return "postgresql" if suite_database_url() else "sqlite"


def _name(kind: str) -> str:
    return f"tripwise_race_{os.getpid()}_{kind}{next(_numbers)}"


@contextlib.contextmanager
def migrated_template(workdir: Path) -> Iterator[str]:
    """A migrated, empty database to copy from; dropped at the end."""
    url = fresh_database(suite_database_url(), _name("t"), workdir)
    try:
        migrate(server_env(url))
        yield url
    finally:
        drop_database(url)


@dataclass(frozen=True)
class World:
    """A database of one test: one provider, place, destination and experience, with its departures."""

    database_url: str
    seeded: Seeded
    workdir: Path

    @property
    def slots(self) -> list[int]:
        return self.seeded.pools[0]

    def audit(self) -> Audit:
        return audit(self.database_url)


@contextlib.contextmanager
def world(template_url: str, workdir: Path, capacities: Sequence[int]) -> Iterator[World]:
    """A copy of the migrated template, seeded with departures of the given capacities; dropped at the end."""
    url = clone_database(template_url, _name("w"), workdir)
    try:
        yield World(database_url=url, seeded=seed(server_env(url), [list(capacities)]), workdir=workdir)
    finally:
        drop_database(url)


@contextlib.contextmanager
def serve(place: World, *, workers: int = 2, name: str = "server") -> Iterator[Server]:
    """uvicorn with `workers` processes on the world's database, stopped at the end (if still alive)."""
    server = start_server(
        server_env(place.database_url, pool=POOL),
        workers=workers,
        log_path=place.workdir / f"{name}.log",
        probe=f"/api/experiences/{place.seeded.slug}",
    )
    try:
        yield server
    finally:
        server.stop()
