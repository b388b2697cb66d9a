"""Databases for load tests: made fresh, cloned from a migrated template, dropped; migrated and seeded through
the project's own commands; and audited afterwards with plain SQL, not through the app.

A database is named by its DATABASE_URL: PostgreSQL (a database on that server) or SQLite (a file).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "Audit",
    "BookingRow",
    "Seeded",
    "SlotState",
    "audit",
    "clone_database",
    "drop_database",
    "emails_waiting",
    "engine_of",
    "fresh_database",
    "migrate",
    "postgres_version",
    "seed",
    "server_env",
]

BIN = Path(sys.executable).parent
SEED_SLUG = "bench-experience"
# Never to be created or dropped from here: the server's own and the one other tools use.
PROTECTED = frozenset({"postgres", "test", "template0", "template1"})


def engine_of(database_url: str) -> str:
    scheme = urlsplit(database_url).scheme
    return "postgresql" if scheme.startswith("postg") else "sqlite"


def _admin_url(database_url: str) -> str:
    """The server's maintenance database: where databases are created and dropped from."""
    return urlsplit(database_url)._replace(path="/postgres").geturl()


def _with_name(database_url: str, name: str) -> str:
    return urlsplit(database_url)._replace(path=f"/{name}").geturl()


def _name_of(database_url: str) -> str:
    return urlsplit(database_url).path.lstrip("/")


def _sqlite_path(database_url: str) -> Path:
    return Path(database_url.removeprefix("sqlite://"))


def _postgres(database_url: str, statement: str, name: str, template: str = "") -> None:
    import psycopg
    from psycopg import sql

    if name in PROTECTED:
        raise ValueError(f"refusing to create or drop the database {name!r}")
    query = sql.SQL(statement).format(name=sql.Identifier(name), template=sql.Identifier(template or name))
    with psycopg.connect(_admin_url(database_url), autocommit=True, connect_timeout=10) as connection:
        connection.execute(query)


def drop_database(database_url: str) -> None:
    """Remove a database made here (a SQLite file with its WAL, or a PostgreSQL database)."""
    if engine_of(database_url) == "postgresql":
        _postgres(database_url, "DROP DATABASE IF EXISTS {name} WITH (FORCE)", _name_of(database_url))
        return
    path = _sqlite_path(database_url)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def fresh_database(server_url: str, name: str, workdir: Path) -> str:
    """A new, empty database named `name`: on the PostgreSQL server of `server_url`, or (when `server_url` is
    empty or SQLite) a file in `workdir`. Returns its DATABASE_URL; drop it with drop_database."""
    if server_url and engine_of(server_url) == "postgresql":
        _postgres(server_url, "DROP DATABASE IF EXISTS {name} WITH (FORCE)", name)
        _postgres(server_url, "CREATE DATABASE {name}", name)
        return _with_name(server_url, name)
    return f"sqlite:///{workdir / f'{name}.sqlite3'}"


def clone_database(template_url: str, name: str, workdir: Path) -> str:
    """A copy of a migrated database (nobody may be connected to it): cheaper than migrating again."""
    if engine_of(template_url) == "postgresql":
        _postgres(template_url, "DROP DATABASE IF EXISTS {name} WITH (FORCE)", name)
        _postgres(template_url, "CREATE DATABASE {name} TEMPLATE {template}", name, _name_of(template_url))
        return _with_name(template_url, name)
    target = workdir / f"{name}.sqlite3"
    with sqlite3.connect(_sqlite_path(template_url)) as source, sqlite3.connect(target) as copy:
        source.backup(copy)  # consistent even with a WAL beside the file
    return f"sqlite:///{target}"


def postgres_version(database_url: str) -> str:
    with contextlib.suppress(Exception):
        import psycopg

        with psycopg.connect(_admin_url(database_url), connect_timeout=5) as connection:
            row = connection.execute("SHOW server_version").fetchone()
            return f"PostgreSQL {row[0] if row else '?'}"
    return "PostgreSQL (version unknown)"


def server_env(
    database_url: str,
    *,
    conn_max_age: int = 0,
    pool: int = 0,
    in_flight: int | None = None,
    log_level: str = "WARNING",
) -> dict[str, str]:
    """Production settings (DEBUG off) serving `database_url`. Emails stay in the outbox for a worker to send,
    as in production: no request waits on a mail server. `pool`: connections per server process on
    PostgreSQL (TRIPWISE_DB_POOL; 0: a connection per request); `in_flight`: TRIPWISE_MAX_REQUESTS_IN_FLIGHT
    (None: the app's default)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TRIPWISE_DEBUG": "0",
        "TRIPWISE_SECRET_KEY": "benchmark-only-secret-key-not-for-production",
        "TRIPWISE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TRIPWISE_DB_CONN_MAX_AGE": str(conn_max_age),
        "TRIPWISE_DB_POOL": str(pool if engine_of(database_url) == "postgresql" else 0),
        "TRIPWISE_MAIL_SEND_ON_COMMIT": "0",
        "TRIPWISE_EMAIL_BACKEND": "console",
        "TRIPWISE_LOG_LEVEL": log_level,
    }
    if in_flight is not None:
        env["TRIPWISE_MAX_REQUESTS_IN_FLIGHT"] = str(in_flight)
    else:
        env.pop("TRIPWISE_MAX_REQUESTS_IN_FLIGHT", None)
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "TRIPWISE_REDIS_URL"):
        env.pop(name, None)
    return env


def run(env: dict[str, str], *args: str, stdin: str = "") -> str:
    """Run a command of the project's venv; its output, or RuntimeError with what it printed."""
    done = subprocess.run(
        list(args), env=env, input=stdin, capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def migrate(env: dict[str, str]) -> None:
    run(env, str(BIN / "tripwise"), "manage", "migrate", "--noinput", "-v", "0")


@dataclass(frozen=True)
class Seeded:
    slug: str
    pools: list[list[int]]  # slot ids, one list per pool asked for


def seed(env: dict[str, str], pools: Sequence[Sequence[int]]) -> Seeded:
    """One provider, place, destination and experience, with departures of the given capacities (grouped in
    pools, each a list of capacities) in the database that `env` serves. Seeded in a child process: this one
    may have no Django set up, or another database."""
    code = "from tripwise.experiences.loadtest.databases import _seed_main; _seed_main()"
    out = run(
        {**env, "DJANGO_SETTINGS_MODULE": "tripwise.config.settings"},
        str(BIN / "python"),
        "-c",
        code,
        stdin=json.dumps([list(pool) for pool in pools]),
    )
    line = next(line for line in reversed(out.splitlines()) if line.startswith("SEEDED "))
    data = json.loads(line.removeprefix("SEEDED "))
    return Seeded(slug=data["slug"], pools=data["pools"])


def _seed_main() -> None:
    import django

    django.setup()
    from datetime import timedelta
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from tripwise.experiences.models import Experience, Provider, Slot
    from tripwise.places.models import Destination, Place

    pools: list[list[int]] = json.loads(sys.stdin.read())
    with transaction.atomic():
        destination = Destination.objects.create(
            slug="bench-city", name="Bench City", timezone="Asia/Almaty", lat=51.128, lon=71.43
        )
        place = Place.objects.create(
            destination=destination, slug="bench-square", name="Bench Square", lat=51.128, lon=71.43,
            timezone="Asia/Almaty",
        )  # fmt: skip
        provider = Provider.objects.create(slug="bench-tours", name="Bench Tours", email="tours@example.org")
        experience = Experience.objects.create(
            provider=provider, place=place, destination=destination, slug=SEED_SLUG, title="Bench walk",
            duration_minutes=90, price=Decimal("5000"), currency="KZT", lat=51.128, lon=71.43, capacity=10,
            max_party=10, notice_hours=1,
        )  # fmt: skip
        # The first pool within the 30 days that GET /api/experiences/{slug} lists, the others after them:
        # the read of the baseline stays the read of an ordinary experience, not of thousands of departures.
        today = timezone.now().replace(second=0, microsecond=0)
        minute = itertools.count()
        made: list[list[int]] = []
        for index, pool in enumerate(pools):
            first = today + timedelta(days=20 if index == 0 else 40)
            slots = Slot.objects.bulk_create(
                [
                    Slot(experience=experience, starts_at=first + timedelta(minutes=next(minute)), capacity=c)
                    for c in pool
                ]
            )
            made.append([slot.pk for slot in slots])
    print("SEEDED " + json.dumps({"slug": experience.slug, "pools": made}))


# ---- the SQL audit ----


@dataclass(frozen=True)
class SlotState:
    capacity: int
    seats_taken: int
    seats_booked: int  # sum of the seats of its held and confirmed bookings


@dataclass(frozen=True)
class BookingRow:
    key: str
    status: str
    seats: int
    slot_id: int


@dataclass(frozen=True)
class Audit:
    slots: dict[int, SlotState]
    bookings: list[BookingRow]

    @property
    def overbooked(self) -> list[int]:
        return [pk for pk, slot in self.slots.items() if slot.seats_taken > slot.capacity]

    @property
    def miscounted(self) -> list[int]:
        return [pk for pk, slot in self.slots.items() if slot.seats_taken != slot.seats_booked]

    @property
    def worst_margin(self) -> int:
        """The largest seats_taken − capacity of any departure: above 0 is overbooking."""
        return max((slot.seats_taken - slot.capacity for slot in self.slots.values()), default=0)

    def count(self, status: str) -> int:
        return sum(1 for row in self.bookings if row.status == status)


SLOTS_SQL = (
    "SELECT s.id, s.capacity, s.seats_taken, COALESCE(SUM(b.seats), 0) FROM experiences_slot s "
    "LEFT JOIN experiences_booking b ON b.slot_id = s.id AND b.status IN ('held', 'confirmed') "
    "GROUP BY s.id, s.capacity, s.seats_taken"
)
BOOKINGS_SQL = "SELECT idempotency_key, status, seats, slot_id FROM experiences_booking"


def _select(database_url: str, *statements: str) -> list[list[tuple[Any, ...]]]:
    """Each statement's rows, read with plain SQL (not through the app)."""
    if engine_of(database_url) == "postgresql":
        import psycopg

        with psycopg.connect(database_url, connect_timeout=10) as connection:
            return [connection.execute(statement).fetchall() for statement in statements]
    with contextlib.closing(sqlite3.connect(_sqlite_path(database_url), timeout=30)) as connection:
        return [connection.execute(statement).fetchall() for statement in statements]


def audit(database_url: str) -> Audit:
    """The seats and bookings as the database has them."""
    rows, bookings = _select(database_url, SLOTS_SQL, BOOKINGS_SQL)
    return Audit(
        slots={int(r[0]): SlotState(int(r[1]), int(r[2]), int(r[3])) for r in rows},
        bookings=[BookingRow(str(b[0]), str(b[1]), int(b[2]), int(b[3])) for b in bookings],
    )


def emails_waiting(database_url: str) -> int:
    """Emails in the outbox not sent yet (and not given up on)."""
    [[(count,)]] = _select(
        database_url, "SELECT COUNT(*) FROM mail_outboxemail WHERE sent_at IS NULL AND failed_at IS NULL"
    )
    return int(count)
