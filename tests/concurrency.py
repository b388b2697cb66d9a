"""Several workers at once, each a thread on its own database connection, racing for the same rows: for the
tests that prove a queue (the outbox, the task queue) hands each row to one worker only."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import OperationalError, connection

__all__ = ["race"]

Report = TypeVar("Report")


# SQLite's in-memory test database (a shared cache) answers "database table is locked" to a second connection
# at once, where a file database (and PostgreSQL) makes it wait its turn: on SQLite the workers' statements
# wait here as they would there. Nothing else changes: the race between reading the due rows and claiming
# them runs free.
def _wait_for_the_table(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    deadline = time.monotonic() + 20
    while True:
        try:
            return execute(sql, params, many, context)
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.002)


def race(workers: int, step: Callable[[], Report], *, idle: Report) -> list[Report]:
    """`workers` threads started at the same moment, each calling `step` until it returns `idle` (nothing
    left for it); every report of work done. An error in a thread fails the test, with the thread's error."""
    start = threading.Barrier(workers)
    reports: list[Report] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            with contextlib.ExitStack() as stack:
                if connection.vendor == "sqlite":
                    stack.enter_context(connection.execute_wrapper(_wait_for_the_table))
                while (report := step()) != idle:
                    reports.append(report)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert not any(thread.is_alive() for thread in threads)
    return reports
