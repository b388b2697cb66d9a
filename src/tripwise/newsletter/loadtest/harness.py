"""The pieces of a campaign run, each a real process: a fresh database with N confirmed subscribers and a
campaign, an SMTP sink counting what arrives, worker processes (Celery with Redis, or the embedded
`tripwise worker`), and the verdict read from the sink and the database, not from the app."""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tripwise.experiences.loadtest.databases import (
    BIN,
    drop_database,
    engine_of,
    fresh_database,
    migrate,
    run,
    server_env,
)
from tripwise.experiences.loadtest.server import free_port

__all__ = ["Sink", "Verdict", "Workers", "World", "verdict", "world_make"]

STARTUP_S = 120.0


def _select(database_url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Rows of `sql` (placeholders: %s), read with plain SQL, not through the app."""
    if engine_of(database_url) == "postgresql":
        import psycopg

        with psycopg.connect(database_url, connect_timeout=10) as connection:
            return connection.execute(sql, params).fetchall()
    path = database_url.removeprefix("sqlite://")
    with contextlib.closing(sqlite3.connect(path, timeout=30)) as connection:
        return connection.execute(sql.replace("%s", "?"), params).fetchall()


def _stop(process: subprocess.Popen[bytes], *, kill: bool = False) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # anything of its group left behind
    process.wait(timeout=20)


@dataclass
class Sink:
    """The SMTP server, a process of its own: a line per message received (recipient, Message-ID)."""

    process: subprocess.Popen[bytes]
    port: int
    out: Path

    @classmethod
    def start(cls, workdir: Path) -> Sink:
        port, out = free_port(), workdir / f"received-{time.monotonic_ns()}.tsv"
        out.touch()
        command = [
            str(BIN / "python"),
            "-m",
            "tripwise.newsletter.loadtest.sink",
            "--port",
            str(port),
            "--out",
            str(out),
        ]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, start_new_session=True)
        assert process.stdout is not None
        if process.stdout.readline().strip() != b"READY":
            _stop(process)
            raise RuntimeError("the SMTP sink did not start")
        return cls(process, port, out)

    def received(self) -> list[tuple[str, str]]:
        lines = self.out.read_text().splitlines()
        return [
            (parts[0], parts[1] if len(parts) > 1 else "") for parts in (line.split("\t") for line in lines)
        ]

    def stop(self) -> None:
        _stop(self.process)


@dataclass
class World:
    database_url: str
    env: dict[str, str]
    campaign_id: int
    subscribers: int

    def drop(self) -> None:
        drop_database(self.database_url)

    def campaign_status(self) -> str:
        [(status,)] = _select(
            self.database_url, "SELECT status FROM newsletter_campaign WHERE id = %s", self.campaign_id
        )
        return str(status)

    def send(self) -> None:
        """Schedule the campaign for now, as the admin's "Send now" does: the rest is the workers'."""
        code = (
            "import django; django.setup(); "
            "from tripwise.newsletter.campaigns import campaign_schedule; "
            "from tripwise.newsletter.models import Campaign; "
            f"campaign_schedule(campaign=Campaign.objects.get(pk={self.campaign_id}))"
        )
        run(self.env, str(BIN / "python"), "-c", code)

    def wait_sent(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.campaign_status() != "sent":
            if time.monotonic() > deadline:
                raise TimeoutError(f"the campaign was not sent in {timeout:.0f} s")
            time.sleep(0.2)

    def sent_so_far(self) -> int:
        [(count,)] = _select(
            self.database_url,
            "SELECT COUNT(*) FROM newsletter_delivery WHERE campaign_id = %s AND status = 'sent'",
            self.campaign_id,
        )
        return int(count)


def world_make(
    server_url: str, name: str, workdir: Path, *, subscribers: int, sink: Sink, backend: str, broker_url: str,
    senders: int, lease_seconds: int = 60,
) -> World:  # fmt: skip
    """A fresh database (PostgreSQL on `server_url`, or SQLite when it is empty), migrated, with `subscribers`
    confirmed subscribers and a draft campaign for all of them; and the settings its processes run with."""
    database_url = fresh_database(server_url, name, workdir)
    env = {
        **server_env(database_url),
        "DJANGO_SETTINGS_MODULE": "tripwise.config.settings",
        "TRIPWISE_EMAIL_BACKEND": "smtp",
        "TRIPWISE_EMAIL_HOST": "127.0.0.1",
        "TRIPWISE_EMAIL_PORT": str(sink.port),
        "TRIPWISE_DEFAULT_FROM_EMAIL": "Tripwise <newsletter@tripwise.example>",
        "TRIPWISE_TASKS": backend,
        "TRIPWISE_CELERY_BROKER_URL": broker_url,
        "TRIPWISE_NEWSLETTER_SENDERS": str(senders),
        "TRIPWISE_NEWSLETTER_LEASE_SECONDS": str(lease_seconds),
        "TRIPWISE_LOG_LEVEL": "WARNING",
    }
    migrate(env)
    code = (
        "import django; django.setup(); "
        "from tripwise.newsletter.models import Campaign, Subscriber; "
        f"Subscriber.objects.bulk_create([Subscriber(email=f'reader{{n}}@example.org', status='confirmed') "
        f"for n in range({subscribers})], batch_size=5000); "
        "print('CAMPAIGN', Campaign.objects.create(subject='Spring in Astana', "
        "body='## Spring\\n\\nNew [guides](https://tripwise.example/guides/).').pk)"
    )
    out = run(env, str(BIN / "python"), "-c", code)
    campaign_id = int(next(line for line in out.splitlines() if line.startswith("CAMPAIGN")).split()[1])
    return World(database_url, env, campaign_id, subscribers)


@dataclass
class Workers:
    """Worker processes, each in a process group of its own (a SIGKILL reaches it and its children)."""

    env: dict[str, str]
    backend: str
    workdir: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    periodic: subprocess.Popen[bytes] | None = None

    def _command(self, index: int) -> list[str]:
        if self.backend == "celery":
            return [
                str(BIN / "celery"), "-A", "tripwise.config.celery", "worker", "--concurrency", "1",
                "--hostname", f"w{index}-{os.getpid()}@%h", "--without-gossip", "--without-mingle",
                "--loglevel", "INFO",
            ]  # fmt: skip
        return [str(BIN / "tripwise"), "worker", "--interval", "0.2"]

    def _spawn(self, command: list[str], label: str) -> subprocess.Popen[bytes]:
        log = (self.workdir / f"{label}.log").open("ab")
        process = subprocess.Popen(
            command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        return process

    def start(self, count: int) -> None:
        for index in range(count):
            self.processes.append(self._spawn(self._command(index), f"worker-{index}"))
        if self.backend == "celery":
            # The periodic pass (outbox, holds, stalled campaigns) runs as in production, beside Celery.
            self.periodic = self._spawn([str(BIN / "tripwise"), "worker", "--interval", "1"], "periodic")
            self._wait_ready(count)

    def _wait_ready(self, count: int) -> None:
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            logs = [
                (self.workdir / f"worker-{index}.log").read_text(errors="replace") for index in range(count)
            ]
            if all(" ready." in text for text in logs):
                return
            time.sleep(0.2)
        raise RuntimeError("the Celery workers did not start:\n" + "\n".join(logs))

    def kill(self, index: int) -> None:
        _stop(self.processes[index], kill=True)

    def restart(self, index: int) -> None:
        self.processes[index] = self._spawn(self._command(index), f"worker-{index}")

    def stop(self) -> None:
        for process in [*self.processes, *([self.periodic] if self.periodic else [])]:
            _stop(process)


@dataclass(frozen=True)
class Verdict:
    subscribers: int
    received: int
    distinct: int
    duplicates: int
    missed: int
    unknown: int  # deliveries marked "outcome unknown" (handed to the server by a sender that then died)

    @property
    def exactly_once(self) -> bool:
        return self.received == self.distinct == self.subscribers and not self.duplicates and not self.missed


def verdict(world: World, sink: Sink) -> Verdict:
    received = sink.received()
    counts = collections.Counter(recipient for recipient, _ in received)
    expected = {f"reader{number}@example.org" for number in range(world.subscribers)}
    [(unknown,)] = _select(
        world.database_url,
        "SELECT COUNT(*) FROM newsletter_delivery WHERE campaign_id = %s AND error LIKE 'outcome unknown%%'",
        world.campaign_id,
    )
    return Verdict(
        subscribers=world.subscribers,
        received=len(received),
        distinct=len(counts),
        duplicates=sum(count - 1 for count in counts.values() if count > 1),
        missed=len(expected - set(counts)),
        unknown=int(unknown),
    )
