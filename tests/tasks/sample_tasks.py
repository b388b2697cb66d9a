"""Tasks for the tests: they write to a file named in their arguments, so a Celery worker in another process,
with no access to the test's database, leaves traces the test can read."""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.db import transaction

from tripwise.tasks import task


@task
def write_line(*, path: str, line: str) -> None:
    """Append `line`, and the time it ran, to the file at `path`."""
    with Path(path).open("a", encoding="utf-8") as out:
        out.write(json.dumps({"line": line, "at": time.time()}) + "\n")


@task(name="tests.fail")
def fail(*, path: str, reason: str) -> None:
    """Leave a trace of the attempt, then fail."""
    write_line(path=path, line="attempt")
    raise RuntimeError(reason)


def lines(path: Path) -> list[str]:
    """What write_line wrote, in order."""
    if not path.exists():
        return []
    return [json.loads(row)["line"] for row in path.read_text(encoding="utf-8").splitlines() if row]


def times(path: Path) -> dict[str, float]:
    """When each line was written (epoch seconds)."""
    rows = [json.loads(row) for row in path.read_text(encoding="utf-8").splitlines() if row]
    return {row["line"]: row["at"] for row in rows}


@task(name="tests.run_the_queue_inside")
def run_the_queue_inside(*, path: str) -> None:
    """A second worker's pass while this task runs (and so holds its lease): what that pass did."""
    from tripwise.tasks.services import tasks_run_due

    report = tasks_run_due()
    write_line(
        path=path, line=f"inner pass: done={report.done} retried={report.retried} failed={report.failed}"
    )


def enqueue_then_fail(out: Path) -> None:
    """A change that enqueues a write_line of "rolled back", then fails: its transaction rolls back."""
    with transaction.atomic():
        write_line.enqueue(path=str(out), line="rolled back")
        raise RuntimeError("the change failed")
