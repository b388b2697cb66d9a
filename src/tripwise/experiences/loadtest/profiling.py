"""Where one booking's time goes: the same request as the benchmark's, through Django's whole stack (middleware,
API, service, email to the outbox) in one process, timed without and then with cProfile, with its SQL
statements counted and timed. Runs in a child process on a database of its own."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

from tripwise.experiences.loadtest.databases import (
    BIN,
    drop_database,
    fresh_database,
    migrate,
    run,
    seed,
    server_env,
)

__all__ = ["profile_booking"]

HOT_CAPACITY = 1_000_000


def profile_booking(args: argparse.Namespace, engine: str, workdir: Path) -> str:
    server_url = args.postgres_url if engine == "postgresql" else ""
    database_url = fresh_database(server_url, f"tripwise_bench_{os.getpid()}_profile", workdir)
    try:
        env = server_env(database_url, pool=args.pool)
        migrate(env)
        slot = seed(env, [[HOT_CAPACITY]]).pools[0][0]
        code = (
            "from tripwise.experiences.loadtest.profiling import _profile_main; "
            f"_profile_main({slot}, {max(50, args.bookings // 2)})"
        )
        env = {**env, "DJANGO_SETTINGS_MODULE": "tripwise.config.settings"}
        return f"{engine}, DATABASE_URL on a database of its own:\n" + run(
            env, str(BIN / "python"), "-c", code
        )
    finally:
        drop_database(database_url)


def _profile_main(slot_id: int, count: int) -> None:
    import cProfile
    import io
    import pstats

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from tripwise.experiences.loadtest.client import booking_body

    client = Client(HTTP_HOST="127.0.0.1")
    pid = os.getpid()

    def book(tag: str, number: int) -> None:
        response = client.post(
            "/api/bookings", booking_body(slot_id, number), content_type="application/json",
            headers={"Idempotency-Key": f"profile-{tag}-{pid}-{number}"},
        )  # fmt: skip
        assert response.status_code == 201, response.content

    for number in range(50):  # warm: imports, templates, the first connection
        book("warm", number)

    started = time.perf_counter()
    for number in range(count):
        book("plain", number)
    plain = (time.perf_counter() - started) / count

    statements: list[tuple[str, float]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((sql.split(" ", 1)[0], time.perf_counter() - began))

    with connection.execute_wrapper(record):
        started = time.perf_counter()
        for number in range(count):
            book("sql", number)
        counted = (time.perf_counter() - started) / count

    profiler = cProfile.Profile()
    profiler.enable()
    for number in range(count):
        book("profiled", number)
    profiler.disable()

    kinds: dict[str, int] = {}
    for kind, _ in statements:
        kinds[kind] = kinds.get(kind, 0) + 1
    per = ", ".join(f"{kind} {n / count:.1f}" for kind, n in sorted(kinds.items()))
    in_sql = sum(seconds for _, seconds in statements) / count
    print(
        f"{count} bookings one after another in one process: {plain * 1000:.2f} ms each without a profiler; "
        f"{len(statements) / count:.1f} SQL statements each ({per}), {in_sql * 1000:.2f} ms of "
        f"{counted * 1000:.2f} ms waiting on the database; then with cProfile on:\n"
    )
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(30)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    print(out.getvalue())
