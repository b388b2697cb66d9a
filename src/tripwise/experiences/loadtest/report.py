"""The benchmark's report, as Markdown: the machine, the method, the figures, and the SQL proof."""

from __future__ import annotations

import argparse
import os
import statistics
from datetime import UTC, datetime

from tripwise.bench.table import machine
from tripwise.experiences.loadtest.benchmark import (
    DEFAULT_POSTGRES_URL,
    HOT,
    READ,
    SPREAD_SEATS,
    SPREAD_SLOTS,
    WORKER,
    EngineResult,
)
from tripwise.experiences.loadtest.databases import postgres_version

__all__ = ["machine", "report"]  # machine: the one description of this computer (tripwise.bench.table)

TARGET = 200  # confirmed bookings per second on PostgreSQL (issue 7)


def _table(results: list[EngineResult]) -> str:
    header = [
        "database", "server", "load", "clients", "per second (median)", "runs", "p50 ms", "p95 ms",
        "refused", "errors",
    ]  # fmt: skip
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * 4 + "---:|" * 6]
    lines += ["| " + " | ".join(row.cells()) + " |" for result in results for row in result.rows]
    return "\n".join(lines)


def _proofs(results: list[EngineResult]) -> str:
    proofs = []
    for result in results:
        found = result.audit
        if found is None:
            continue
        proofs.append(
            f"- **{result.engine}**: {len(found.slots)} departures, {found.count('confirmed')} confirmed bookings "
            f"in the database for {result.answered_201} answers 201 Created; departures with seats_taken > "
            f"capacity: **{len(found.overbooked)}** (largest seats_taken − capacity: {found.worst_margin}); "
            f"departures whose seats_taken differs from the seats of their held + confirmed bookings: "
            f"**{len(found.miscounted)}**."
        )
    return "\n".join(proofs)


def _verdict(results: list[EngineResult]) -> str:
    postgres = next((result for result in results if result.engine == "postgresql"), None)
    if postgres is None:
        return ""
    best: dict[str, float] = {}
    for row in postgres.rows:
        if row.load != READ:
            best[f"{row.load}, {row.config}"] = max(
                best.get(f"{row.load}, {row.config}", 0.0), row.median_rate
            )
    if not best:
        return ""
    top = max(best, key=lambda key: best[key])
    reached = "reached" if best[top] >= TARGET else "not reached"
    return (
        f"Best confirmed bookings per second on PostgreSQL (median of runs): **{best[top]:.0f}** ({top}); "
        f"target {TARGET}: **{reached}**.\n\n"
    )


def _end_to_end(results: list[EngineResult]) -> str:
    lines = [
        f"- **{result.engine}**: {statistics.median(result.end_to_end):.0f} bookings per second counted from "
        "the first request to the moment the last confirmation email had left (runs: "
        + " / ".join(f"{rate:.0f}" for rate in result.end_to_end)
        + ")."
        for result in results
        if result.end_to_end
    ]
    if not lines:
        return ""
    return (
        f"**With the worker.** In the rows *{WORKER}*, `tripwise worker` runs beside the server on the same "
        "machine and writes (templates, iCalendar) and sends (console backend: the whole MIME message is "
        "made) each confirmation while the bookings arrive; the run's rate counts the bookings answered. "
        "End to end, until every email of the run was sent:\n\n" + "\n".join(lines) + "\n\n"
    )


def report(results: list[EngineResult], args: argparse.Namespace, *, profile: str, started_load: str) -> str:
    version = postgres_version(args.postgres_url) if "postgresql" in args.engines else ""
    loads = "\n".join(f"- {result.engine}, {line}" for result in results for line in result.load_average)
    where = f"\n## Where a booking's time goes\n\n```\n{profile.strip()}\n```\n" if profile else ""
    ended = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        "# Bookings: confirmed bookings per second, and proof of no overbooking\n\n"
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {machine()} · {version}\n\n"
        "Each client holds one keep-alive HTTP/1.1 connection and sends `POST /api/bookings` "
        '(`{"slot_id", "adults": 1, "name", "email", "confirm": true}` with a unique `Idempotency-Key`, no '
        "cookie) as soon as its last one was answered, "
        f"{args.bookings} requests per run, each run on departures of its own; **spread**: {SPREAD_SLOTS} "
        f"departures × {SPREAD_SEATS} seats, chosen at random; **{HOT}**: every booking on the same departure "
        f"(one row everybody updates). The **{READ}** rows are the same server answering "
        "`GET /api/experiences/{slug}` (the experience with its next departures). Per second: answered 2xx "
        "per second of the run, the median of the runs listed; latency: of the median run. The clients run "
        "in one asyncio process on the same machine, as does the database.\n\n"
        "Server: uvicorn `tripwise.config.asgi:application --workers N --lifespan off --no-access-log`, "
        "production settings (TRIPWISE_DEBUG=0), `TRIPWISE_MAIL_SEND_ON_COMMIT=0` (the booking's "
        "transaction stores its confirmation email unwritten in the outbox; a worker writes and sends it); "
        "the server column gives "
        "the uvicorn workers, `TRIPWISE_DB_POOL` (connections per process, PostgreSQL only), "
        "`TRIPWISE_MAX_REQUESTS_IN_FLIGHT` (per process) and `TRIPWISE_DB_CONN_MAX_AGE`. The first "
        "configuration of each database is the production one.\n\n"
        f"{_verdict(results)}{_table(results)}\n\n{_end_to_end(results)}"
        f"## No overbooking (SQL on each database after all its runs)\n\n{_proofs(results)}\n\n"
        "## Load on the machine\n\n"
        f"Load average (1, 5, 15 min) at the start: {started_load}; at the end: {ended}. Once a run is going the "
        "load average counts the benchmark's own server threads and database backends (several per core), so "
        "a figure above 2 then is not by itself a sign of other work on the machine; the start's is. "
        "When each server had warmed up:\n\n"
        f"{loads}\n{where}\n## Reproduce\n\n"
        "```\nmake bench-bookings\n# or\n.venv/bin/python -m tripwise.experiences.loadtest "
        "--out docs/benchmarks/bookings-latest.md\n```\n\n"
        f"This report was made with: `python -m tripwise.experiences.loadtest {' '.join(args.argv)}`.\n\n"
        "Options: `--postgres-url` (a server where it may create and drop a database of its own; default "
        f"{DEFAULT_POSTGRES_URL}), `--engines`, `--clients`, `--bookings`, `--runs`, `--workers`, `--pool`, "
        "`--in-flight`, `--no-experiments`, `--profile`, `--out`.\n"
    )
