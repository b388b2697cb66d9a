"""`python -m tripwise.newsletter.loadtest`: a campaign to 20,000 subscribers through a local SMTP server, sent
by 1 and by 2 worker processes (Celery with Redis, and the embedded `tripwise worker` on the database queue),
then once more with one of two Celery workers killed with SIGKILL mid-campaign and started again. Each run on
a fresh database; the sink counts what arrived. The report goes to --out."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import redis

from tripwise.bench.table import machine
from tripwise.newsletter.loadtest.harness import Sink, Verdict, Workers, verdict, world_make

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
BROKER = "redis://127.0.0.1:6379/6"


@dataclass(frozen=True)
class Row:
    database: str
    backend: str
    workers: int
    killed: bool
    seconds: float
    result: Verdict

    def cells(self) -> list[str]:
        rate = self.result.received / self.seconds if self.seconds else 0.0
        return [
            self.database, self.backend, str(self.workers), "one killed and restarted" if self.killed else "",
            f"{self.result.subscribers:,}", f"{self.seconds:.1f}", f"{rate:.0f}", f"{self.result.received:,}",
            str(self.result.duplicates), str(self.result.missed), str(self.result.unknown),
            "yes" if self.result.exactly_once else "**NO**",
        ]  # fmt: skip


def say(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def one_run(args: argparse.Namespace, workdir: Path, *, backend: str, workers: int, kill: bool) -> Row:
    redis.Redis.from_url(BROKER).flushdb()
    sink = Sink.start(workdir)
    database = "postgresql" if args.postgres_url else "sqlite"
    world = world_make(
        args.postgres_url, f"tripwise_newsletter_bench_{os.getpid()}_{time.monotonic_ns()}", workdir,
        subscribers=args.subscribers, sink=sink, backend=backend, broker_url=BROKER, senders=workers,
        lease_seconds=10,
    )  # fmt: skip
    running = Workers(world.env, backend, workdir)
    try:
        running.start(workers)
        started = time.perf_counter()
        world.send()
        if kill:
            while world.sent_so_far() < args.subscribers // 3:
                time.sleep(0.05)
            running.kill(0)
            say(f"  killed worker 0 at {world.sent_so_far():,} sent")
            running.restart(0)
        world.wait_sent(timeout=args.timeout)
        seconds = time.perf_counter() - started
        row = Row(database, backend, workers, kill, seconds, verdict(world, sink))
    finally:
        running.stop()
        sink.stop()
        world.drop()
    say(f"{database} · {backend} · {workers} worker(s){' · kill' if kill else ''}: {row.cells()[5]} s, "
        f"{row.cells()[6]}/s, duplicates {row.result.duplicates}, missed {row.result.missed}")  # fmt: skip
    return row


def report(rows: list[Row], args: argparse.Namespace, load: str) -> str:
    header = [
        "database", "workers run by", "workers", "kill", "subscribers", "seconds", "messages/s", "received",
        "duplicates", "missed", "outcome unknown", "exactly once",
    ]  # fmt: skip
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * 4 + "---:|" * 7 + "---|"]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return (
        "# Newsletter: a campaign to many subscribers, exactly once\n\n"
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {machine()} · load average at the start {load}\n\n"
        f"Each run: a fresh database with {args.subscribers:,} confirmed subscribers and one campaign for all of "
        "them; a local SMTP server (aiosmtpd, its own process) that writes a line per message received; the "
        'campaign scheduled for now, as the admin\'s "Send now" does; the clock stops when the campaign is '
        "marked sent. *celery*: that many `celery -A tripwise.config.celery worker --concurrency 1` processes "
        "with Redis as broker, plus the periodic `tripwise worker`; *database*: that many `tripwise worker` "
        "processes on the database queue. The campaign starts as many sender tasks as workers. *Kill*: when a "
        "third was sent, worker 0's whole process group got SIGKILL, and it was started again. Counts come "
        "from the SMTP server's lines (recipient, Message-ID), checked against the subscribers in the "
        "database.\n\n" + "\n".join(lines) + "\n\n"
        f"Reproduce: `make bench-newsletter` or `python -m tripwise.newsletter.loadtest {' '.join(sys.argv[1:])}`.\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tripwise.newsletter.loadtest", description=__doc__)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help="a server; empty: SQLite")
    parser.add_argument("--subscribers", type=int, default=20_000)
    parser.add_argument("--backends", default="celery,database")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    rows = []
    with tempfile.TemporaryDirectory(prefix="tripwise-newsletter-bench-") as tmp:
        for backend in args.backends.split(","):
            for workers in (1, 2):
                rows.append(one_run(args, Path(tmp), backend=backend, workers=workers, kill=False))
        rows.append(one_run(args, Path(tmp), backend="celery", workers=2, kill=True))
    text = report(rows, args, load)
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0 if all(row.result.exactly_once for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
