"""The benchmark's databases: a fresh one per run, migrated, bulk-loaded with progress, analysed, dropped.

The tables and their indexes come from the migrations, so the benchmark measures the indexes the site has
(place_nearby and experience_nearby, the covering (cell, lat, lon, ...) indexes of the nearby search). The
loader writes `cell` itself, as Place.save and Experience.save would. After loading, PostgreSQL gets a
VACUUM ANALYZE: ANALYZE for the planner's statistics, VACUUM for the visibility map, without which an
index-only scan still visits the table for every row (Heap Fetches in the plan) until autovacuum comes by.
SQLite gets ANALYZE; its covering index needs nothing more.
"""

from __future__ import annotations

import os
import random
import secrets
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from tripwise.experiences.nearby_bench.world import (
    EXPERIENCE_COLUMNS,
    PLACE_COLUMNS,
    SLOT_COLUMNS,
    Rows,
    World,
    cities,
    experience_rows,
    place_rows,
    slot_rows,
    spots,
)

POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
# Databases the benchmark must never create, migrate or drop (the server's own and the shared test one).
PROTECTED = frozenset({"postgres", "test", "template0", "template1"})
BATCH = 20_000


def setup(url: str) -> None:
    """Django on the database at `url`: one per process, as the settings read DATABASE_URL once."""
    os.environ["DATABASE_URL"] = url
    os.environ["TRIPWISE_DEBUG"] = "0"  # DEBUG would keep every query's SQL in memory and time it too
    os.environ.setdefault("TRIPWISE_SECRET_KEY", secrets.token_urlsafe(32))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tripwise.config.settings")
    import django

    django.setup()


class Postgres:
    """A fresh database on the server for one run, dropped afterwards whatever happens."""

    def __init__(self, server: str) -> None:
        self.server = server.rstrip("/")
        self.name = f"tripwise_nearby_bench_{os.getpid()}_{secrets.token_hex(3)}"
        if self.name in PROTECTED:  # pragma: no cover - the name above never is; a guard for later edits
            raise RuntimeError(f"refusing to use the database {self.name}")

    def _admin(self, statement: str) -> None:
        import psycopg

        # CREATE and DROP DATABASE run from the server's maintenance database, which is only connected to.
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
            conn.execute(statement)

    def __enter__(self) -> str:
        self._admin(f'CREATE DATABASE "{self.name}"')
        return f"{self.server}/{self.name}"

    def __exit__(self, *exc: object) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def progress(label: str, done: int, total: int, started: float, *, final: bool = False) -> None:
    seconds = max(1e-9, time.perf_counter() - started)
    end = f" in {seconds:.1f} s" if final else ""
    print(
        f"  {label}: {done:,}/{total:,} rows, {done / seconds:,.0f} rows/s{end}", file=sys.stderr, flush=True
    )


class Loader:
    """Rows straight into a table, fast: COPY on PostgreSQL, executemany in one transaction on SQLite.

    The rows give the columns named in `given`; every other column gets its model default (auto_now fields:
    now), so a field added later with a default does not break the benchmark."""

    def __init__(self, model: Any, given: Sequence[str]) -> None:
        from django.db import connection
        from django.utils import timezone

        self.model, self.connection = model, connection
        now = timezone.now()
        self.columns: list[str] = []
        self.plan: list[tuple[bool, Any]] = []
        for model_field in model._meta.concrete_fields:
            if model_field.primary_key and model_field.attname not in given:
                continue  # the database numbers the rows
            self.columns.append(model_field.column)
            if model_field.attname in given:
                self.plan.append((True, list(given).index(model_field.attname)))
                continue
            if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
                value = now
            elif model_field.null and not model_field.has_default():
                value = None
            else:
                value = (
                    model_field.get_default()
                )  # "" for text fields without a default, as Django saves them
                if value is None:
                    raise RuntimeError(
                        f"{model.__name__}.{model_field.name} has no default: give it in the rows."
                    )
            self.plan.append((False, model_field.get_db_prep_save(value, connection)))

    def _full(self, row: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(row[value] if from_row else value for from_row, value in self.plan)

    def load(self, rows: Iterable[Sequence[Any]], total: int, label: str) -> None:
        from django.db import transaction

        table = self.connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(self.connection.ops.quote_name(column) for column in self.columns)
        started, done = time.perf_counter(), 0
        with transaction.atomic(), self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(self._full(row))
                        done += 1
                        if done % (5 * BATCH) == 0:
                            progress(label, done, total, started)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the models
                batch: list[tuple[Any, ...]] = []
                for row in rows:
                    batch.append(self._full(row))
                    if len(batch) == BATCH:
                        cursor.executemany(insert, batch)
                        done += len(batch)
                        batch = []
                        if done % (5 * BATCH) == 0:
                            progress(label, done, total, started)
                if batch:
                    cursor.executemany(insert, batch)
                    done += len(batch)
        progress(label, done, total, started, final=True)


def _parents(towns: Sequence[Any]) -> tuple[list[int], list[int]]:
    """A destination per town and 200 providers; their ids, in order."""
    from tripwise.experiences.models import Provider
    from tripwise.places.models import Destination

    Destination.objects.bulk_create(
        Destination(
            slug=f"bench-{number}",
            name=town.name,
            timezone=town.zone,
            currency="EUR",
            lat=town.lat,
            lon=town.lon,
        )
        for number, town in enumerate(towns)
    )
    destination_ids = list(
        Destination.objects.filter(slug__startswith="bench-").order_by("id").values_list("id", flat=True)
    )
    Provider.objects.bulk_create(
        Provider(slug=f"bench-provider-{number}", name=f"Provider {number}", email=f"p{number}@example.org")
        for number in range(200)
    )
    provider_ids = list(Provider.objects.filter(slug__startswith="bench-").values_list("id", flat=True))
    return destination_ids, provider_ids


def load(*, places: int, experiences: int, slots_each: int, seed: int) -> World:
    """The synthetic world of `seed` into the (migrated) database, then its statistics and visibility map."""
    from django.core.management.color import no_style
    from django.db import connection

    from tripwise.experiences.models import Experience, Provider, Slot
    from tripwise.places.models import Destination, Place

    rng = random.Random(seed)  # noqa: S311 - a reproducible world, not a secret
    towns = cities(seed)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -400000")  # 400 MB for the index pages while loading
    destination_ids, provider_ids = _parents(towns)
    world = World(towns, list(spots(rng, towns, places)), datetime.now(UTC).date())
    languages = Experience._meta.get_field("languages")
    ids = Rows(
        destination_ids=destination_ids,
        provider_ids=provider_ids,
        first_place=(Place.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1,
        first_experience=(Experience.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1,
        decimal=lambda value: connection.ops.adapt_decimalfield_value(value, 12, 2),
        languages=lambda spoken: languages.get_db_prep_save(spoken, connection),
        moment=connection.ops.adapt_datetimefield_value,
    )
    kinds = [kind.value for kind in Place.Kind]
    Loader(Place, PLACE_COLUMNS).load(place_rows(world, ids, kinds), places, "places")
    Loader(Experience, EXPERIENCE_COLUMNS).load(
        experience_rows(rng, world, ids, experiences), experiences, "experiences"
    )
    Loader(Slot, SLOT_COLUMNS).load(
        slot_rows(rng, world, ids, experiences, slots_each), experiences * slots_each, "slots"
    )
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [Destination, Provider, Place, Experience, Slot]
        ):
            cursor.execute(statement)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Outside a transaction (Django autocommits), as VACUUM must be.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"  analyze: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return world


def describe() -> tuple[str, float]:
    """The database's name and version, and its size in bytes."""
    from pathlib import Path

    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT current_setting('server_version'), pg_database_size(current_database())")
            version, size = cursor.fetchone()
            return f"PostgreSQL {version}", float(size)
        cursor.execute("SELECT sqlite_version()")
        version = f"SQLite {cursor.fetchone()[0]}"
    folder = Path(connection.settings_dict["NAME"]).parent
    return version, float(sum(path.stat().st_size for path in folder.glob("*sqlite3*")))
