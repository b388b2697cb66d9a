"""How many bookings a second Tripwise confirms without overbooking: `python -m tripwise.experiences.loadtest`.

It serves Tripwise with uvicorn (several worker processes, production settings) on a fresh database it
creates and drops (PostgreSQL, then SQLite for comparison), and N concurrent clients, each on its own
keep-alive HTTP connection, send one-step confirmed bookings (`POST /api/bookings` with `confirm: true` and an
`Idempotency-Key`) until a fixed number of bookings has been answered. Two loads: "spread" (every booking on
one of 200 departures of 50 seats, at random) and "one hot slot" (every booking on the same departure, so they
all queue for one row). Each figure is the median of several runs, each on departures of its own. A read of the
same server (`GET /api/experiences/{slug}`) is measured the same way, to put the cost of a booking in context.
Besides the production configuration it measures a few others (no connection pool; 4 and 16 requests in flight
per process). At the end, SQL on the database proves that nothing was overbooked. The report goes to --out.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tripwise.experiences.loadtest.client import HttpConnection, booking_body
from tripwise.experiences.loadtest.databases import (
    Audit,
    Seeded,
    audit,
    drop_database,
    emails_waiting,
    fresh_database,
    migrate,
    seed,
    server_env,
)
from tripwise.experiences.loadtest.server import Server, start_server, start_worker

__all__ = ["Bench", "Config", "Row", "Run", "main"]

DEFAULT_POSTGRES_URL = (
    "postgres://postgres@127.0.0.1:5432/postgres"  # the server; its databases stay untouched
)
SPREAD_SLOTS, SPREAD_SEATS = 200, 50
HOT_CAPACITY = 1_000_000  # never full: every booking of the run queues for this one row
SPREAD, HOT, READ = "spread", "one hot slot", "read (baseline)"
WORKER = "spread, worker sending the emails"  # the outbox worker composes and sends alongside the bookings
DRAIN_TIMEOUT = 900.0  # seconds for the worker to empty the outbox

Request = tuple[str, str, Any, dict[str, str]]  # method, path, JSON body, headers


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)  # seconds, answered requests
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> int:
        return self.statuses.get(201, 0) + self.statuses.get(200, 0)

    @property
    def refused(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 400)

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        ms = sorted(value * 1000 for value in self.latencies)
        return ms[min(len(ms) - 1, round(share * (len(ms) - 1)))] if ms else float("nan")


async def load(server: Server, *, clients: int, total: int, make: Callable[[int], Request]) -> Run:
    """`clients` connections, each sending its next request as soon as the last is answered, `total` in all."""
    run = Run()
    numbers = iter(range(total))

    async def client() -> None:
        connection = HttpConnection(server.host, server.port)
        try:
            for number in numbers:
                method, path, body, headers = make(number)
                started = time.perf_counter()
                try:
                    status, _ = await connection.request(method, path, body, headers)
                except (TimeoutError, OSError, EOFError, ValueError):
                    run.errors += 1
                    continue
                run.latencies.append(time.perf_counter() - started)
                run.statuses[status] = run.statuses.get(status, 0) + 1
        finally:
            await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    run.seconds = time.perf_counter() - started
    return run


def bookings_on(slot_ids: Sequence[int], prefix: str) -> Callable[[int], Request]:
    chooser = random.Random(prefix)  # noqa: S311 - spreading load, not security

    def make(number: int) -> Request:
        slot = slot_ids[0] if len(slot_ids) == 1 else chooser.choice(slot_ids)
        return "POST", "/api/bookings", booking_body(slot, number), {"Idempotency-Key": f"{prefix}-{number}"}

    return make


def reads_of(slug: str) -> Callable[[int], Request]:
    def make(number: int) -> Request:
        return "GET", f"/api/experiences/{slug}", None, {}

    return make


@dataclass(frozen=True)
class Config:
    """One way of serving: uvicorn workers, PostgreSQL pool per process, requests in flight per process."""

    workers: int
    pool: int  # TRIPWISE_DB_POOL (0: each request opens and closes its own connection)
    in_flight: int  # TRIPWISE_MAX_REQUESTS_IN_FLIGHT
    conn_max_age: int = 0

    def label(self, engine: str) -> str:
        pool = (f"pool {self.pool}" if self.pool else "no pool") if engine == "postgresql" else ""
        parts = [
            f"{self.workers} workers",
            pool,
            f"≤{self.in_flight} in flight",
            f"CONN_MAX_AGE={self.conn_max_age}",
        ]
        return ", ".join(part for part in parts if part)


@dataclass
class Row:
    engine: str
    config: str
    load: str
    clients: int
    runs: list[Run]

    @property
    def median_rate(self) -> float:
        return statistics.median(run.rate for run in self.runs)

    def cells(self) -> list[str]:
        middle = sorted(self.runs, key=lambda run: run.rate)[len(self.runs) // 2]
        return [
            self.engine,
            self.config,
            self.load,
            str(self.clients),
            f"{self.median_rate:.0f}",
            " / ".join(f"{run.rate:.0f}" for run in self.runs),
            f"{middle.percentile(0.5):.1f}",
            f"{middle.percentile(0.95):.1f}",
            str(sum(run.refused for run in self.runs)),
            str(sum(run.errors for run in self.runs)),
        ]


@dataclass
class EngineResult:
    engine: str
    rows: list[Row] = field(default_factory=list)
    answered_201: int = 0
    end_to_end: list[float] = field(default_factory=list)  # bookings per second until their emails were sent
    audit: Audit | None = None
    load_average: list[str] = field(default_factory=list)  # at the start of each configuration


def progress(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


Step = tuple[Config, str, int]  # config, load, clients


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.prefixes = itertools.count()
        self.done = 0
        self.total = 0

    def production(self, engine: str) -> Config:
        return Config(self.args.workers, self.args.pool if engine == "postgresql" else 0, self.args.in_flight)

    def plan(self, engine: str) -> list[Step]:
        """(config, load, clients) to measure; the first config is the production one, whose reads are the
        baseline. The experiments change one thing each, on the middle number of clients, spread load."""
        main = self.production(engine)
        plan = [(main, load, clients) for load in (SPREAD, HOT) for clients in self.args.clients]
        plan.append((main, WORKER, self.args.clients[len(self.args.clients) // 2]))
        if self.args.experiments and engine == "postgresql":
            middle = self.args.clients[len(self.args.clients) // 2]
            others = [Config(main.workers, 0, main.in_flight)]  # a connection per request
            # The pool as large as the bound, so that the bound is what changes.
            others += [Config(main.workers, n, n) for n in (4, 16) if n != main.in_flight]
            plan += [(config, SPREAD, middle) for config in others]
        return plan

    def measure(self, engine: str, server_url: str) -> EngineResult:
        result = EngineResult(engine)
        database_url = fresh_database(server_url, f"tripwise_bench_{os.getpid()}_{engine}", self.workdir)
        try:
            progress(f"{engine}: migrating a fresh database")
            migrate(server_env(database_url))
            plan = self.plan(engine)
            runs = self.args.runs
            pools: list[list[int]] = [[HOT_CAPACITY]]  # the warm-up slot
            for _, load_kind, _ in plan:
                for _ in range(runs):
                    pools.append([HOT_CAPACITY] if load_kind == HOT else [SPREAD_SEATS] * SPREAD_SLOTS)
            seeded = seed(server_env(database_url), pools)
            progress(f"{engine}: seeded {sum(map(len, pools))} departures")
            self.pools = iter(seeded.pools[1:])
            by_config: dict[Config, list[Step]] = {}
            for step in plan:
                by_config.setdefault(step[0], []).append(step)
            for config, steps in by_config.items():
                self.serve(engine, database_url, seeded, config, steps, result, baseline=config == plan[0][0])
            result.audit = audit(database_url)
        finally:
            drop_database(database_url)
        return result

    def serve(
        self,
        engine: str,
        database_url: str,
        seeded: Seeded,
        config: Config,
        steps: list[Step],
        result: EngineResult,
        *,
        baseline: bool,
    ) -> None:
        label = config.label(engine)
        env = server_env(
            database_url,
            conn_max_age=config.conn_max_age,
            pool=config.pool,
            in_flight=config.in_flight,
            log_level="INFO",
        )
        log_path = self.workdir / f"{engine}-{config.workers}-{config.pool}-{config.in_flight}.log"
        server = start_server(
            env, workers=config.workers, log_path=log_path, probe=f"/api/experiences/{seeded.slug}"
        )
        try:
            server.wait_warm(config.workers)
            result.load_average.append(f"{label}: {load_average()}")
            # Warm-up: every worker's connections, caches and code paths, on a slot of its own.
            warm = asyncio.run(
                load(server, clients=16, total=300, make=bookings_on(seeded.pools[0], self.prefix()))
            )
            result.answered_201 += warm.statuses.get(201, 0)
            asyncio.run(load(server, clients=16, total=300, make=reads_of(seeded.slug)))
            if baseline:
                for clients in self.args.clients:
                    reads = [self.once(server, clients, reads_of(seeded.slug)) for _ in range(self.args.runs)]
                    result.rows.append(Row(engine, label, READ, clients, reads))
                    self.report_row(result.rows[-1])
            for _, load_kind, clients in steps:
                if load_kind == WORKER:
                    self.with_worker(server, env, database_url, clients, label, result)
                    continue
                measured = []
                for _ in range(self.args.runs):
                    run = self.once(server, clients, bookings_on(next(self.pools), self.prefix()))
                    result.answered_201 += run.statuses.get(201, 0)
                    measured.append(run)
                result.rows.append(Row(engine, label, load_kind, clients, measured))
                self.report_row(result.rows[-1])
        finally:
            server.stop()

    def with_worker(
        self,
        server: Server,
        env: dict[str, str],
        database_url: str,
        clients: int,
        label: str,
        result: EngineResult,
    ) -> None:
        """The bookings with `tripwise worker` composing and sending their emails on the same two cores: how
        fast bookings are confirmed then, and how fast they go when each counts only once its email left."""
        worker = start_worker(env, log_path=self.workdir / f"{result.engine}-worker.log")
        try:
            self.drain(database_url, worker)  # the earlier runs' emails first, unmeasured
            measured = []
            for _ in range(self.args.runs):
                started = time.perf_counter()
                run = self.once(server, clients, bookings_on(next(self.pools), self.prefix()))
                self.drain(database_url, worker)
                result.end_to_end.append(run.ok / (time.perf_counter() - started))
                result.answered_201 += run.statuses.get(201, 0)
                measured.append(run)
            result.rows.append(Row(result.engine, label, WORKER, clients, measured))
            self.report_row(result.rows[-1])
        finally:
            worker.stop()

    @staticmethod
    def drain(database_url: str, worker: Server) -> None:
        deadline = time.monotonic() + DRAIN_TIMEOUT
        while (waiting := emails_waiting(database_url)) and time.monotonic() < deadline:
            if worker.process.poll() is not None:
                raise RuntimeError(f"the worker stopped:\n{worker.log()}")
            time.sleep(0.1)
        if waiting:
            raise RuntimeError(f"{waiting} emails still waiting after {DRAIN_TIMEOUT:.0f} s:\n{worker.log()}")

    def once(self, server: Server, clients: int, make: Callable[[int], Request]) -> Run:
        run = asyncio.run(load(server, clients=clients, total=self.args.bookings, make=make))
        self.done += 1
        return run

    def report_row(self, row: Row) -> None:
        cells = row.cells()
        progress(
            f"[{self.done}/{self.total} runs] {row.engine} · {row.config} · {row.load} · {row.clients} clients: "
            f"{cells[4]}/s (runs {cells[5]}), p50 {cells[6]} ms, p95 {cells[7]} ms, {cells[8]} refused, "
            f"{cells[9]} errors · load {load_average()}"
        )

    def prefix(self) -> str:
        return f"bench-{os.getpid()}-{next(self.prefixes)}"


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tripwise.experiences.loadtest", description=__doc__)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("TRIPWISE_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="a PostgreSQL server where it may create and drop a database of its own",
    )
    parser.add_argument("--engines", default="postgresql,sqlite", help="comma-separated: postgresql, sqlite")
    parser.add_argument("--clients", default="16,32,64", help="comma-separated numbers of concurrent clients")
    parser.add_argument("--bookings", type=int, default=400, help="requests per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers")
    parser.add_argument("--pool", type=int, default=8, help="TRIPWISE_DB_POOL of the production config")
    parser.add_argument(
        "--in-flight", type=int, default=8, help="TRIPWISE_MAX_REQUESTS_IN_FLIGHT, production"
    )
    parser.add_argument("--no-experiments", dest="experiments", action="store_false")
    parser.add_argument("--profile", action="store_true", help="profile one booking in process (cProfile)")
    parser.add_argument("--out", type=Path, default=None, help="write the report here as Markdown")
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    args.engines = [engine.strip() for engine in args.engines.split(",") if engine.strip()]
    args.clients = [int(value) for value in args.clients.split(",")]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    from tripwise.experiences.loadtest.profiling import profile_booking
    from tripwise.experiences.loadtest.report import report

    args = parse(argv)
    # A SIGTERM unwinds like Ctrl-C: the servers are stopped and the databases dropped on the way out.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    results: list[EngineResult] = []
    profile = ""
    started_load = load_average()
    with tempfile.TemporaryDirectory(prefix="tripwise-bookings-bench-") as tmp:
        bench = Bench(args, Path(tmp))
        for engine in args.engines:
            reads = len(args.clients) * args.runs
            bench.total += reads + sum(args.runs for _ in bench.plan(engine))
        progress(f"{bench.total} runs of {args.bookings} requests; load average {started_load}")
        for engine in args.engines:
            results.append(bench.measure(engine, args.postgres_url if engine == "postgresql" else ""))
        if args.profile:
            engine = "postgresql" if "postgresql" in args.engines else "sqlite"
            profile = profile_booking(args, engine, Path(tmp))
    text = report(results, args, profile=profile, started_load=started_load)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    failed = any(
        result.audit is None or result.audit.overbooked or result.audit.miscounted for result in results
    )
    return 1 if failed else 0
