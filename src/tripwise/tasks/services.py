"""Writes for background tasks: enqueue a call with the transaction that causes it; run the queued ones.

`task_enqueue` (behind `Task.enqueue`) hands the call to the backend of settings.TASKS_BACKEND:

- "database": a QueuedTask row, written inside the caller's transaction, so the task exists exactly when that
  transaction committed. `tasks_run_due` (each pass of `tripwise worker`) claims each due row with a conditional
  UPDATE and a lease, runs it and records how it went. A failure is logged and retried after 1, 5, 30, then
  120 minutes, and given up on after the fifth attempt with its reason kept in `last_error`; a name nobody
  registered, or arguments the function does not take, fail at once.
- "celery": the message goes to the broker once the transaction commits (tripwise.config.celery). Unlike a
  row, a message cannot be part of the transaction: if the broker cannot be reached then, the task is lost,
  and that is logged as an error.
- "eager": the task runs right after the commit, in this process; what it raises reaches the caller.

Every backend passes the arguments through JSON first, so a task sees the same values wherever it runs.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tripwise.tasks.attempts import Failure, Outcome
from tripwise.tasks.models import BACKOFF, QUEUE, QueuedTask
from tripwise.tasks.registry import task_named
from tripwise.tasks.selectors import tasks_due

__all__ = [
    "BACKOFF",
    "LEASE_SECONDS",
    "MAX_ATTEMPTS",
    "RunReport",
    "task_enqueue",
    "tasks_retry",
    "tasks_run_due",
]

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = len(BACKOFF) + 1
# How long a claim holds a row: longer than any task may run, or a second worker would start it while the first
# is still at it. Long work is cut into runs that each do a bounded share (a batch of deliveries, say).
LEASE_SECONDS = 15 * 60


@dataclass(frozen=True)
class RunReport:
    """What one run of the queue did: tasks that succeeded, were put back to wait, and were given up on."""

    done: int = 0
    retried: int = 0
    failed: int = 0


def _as_json(name: str, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments as any backend will hand them to the task; a clear error here, not in a worker later."""
    try:
        loaded: dict[str, Any] = json.loads(json.dumps(dict(kwargs)))
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"the arguments of task {name} must be JSON values (ids, not objects): {error}"
        ) from error
    return loaded


def task_enqueue(*, name: str, kwargs: Mapping[str, Any], not_before: datetime | None = None) -> int | None:
    """Have the task `name` run with `kwargs` once the surrounding transaction commits (at once if there is
    none; never if it rolls back), and not before `not_before` (aware). Returns the row's id with the database
    backend, else None."""
    if not_before is not None and timezone.is_naive(not_before):
        raise ValueError(f"not_before of task {name} must be an aware datetime, not {not_before!r}")
    arguments = _as_json(name, kwargs)
    backend = settings.TASKS_BACKEND
    if backend == "database":
        return QueuedTask.objects.create(
            name=name, kwargs=arguments, run_after=not_before or timezone.now()
        ).pk
    if backend == "celery":
        transaction.on_commit(partial(_send_to_celery, name, arguments, not_before))
        return None
    if backend == "eager":
        transaction.on_commit(partial(_run_eagerly, name, arguments))
        return None
    raise ValueError(f"unknown TASKS_BACKEND {backend!r}")


def _send_to_celery(name: str, arguments: dict[str, Any], not_before: datetime | None) -> None:
    from tripwise.config.celery import app

    try:
        app.send_task(name, kwargs=arguments, eta=not_before)
    except Exception:
        # The transaction that asked for it has committed: failing the request now would not undo it.
        logger.exception("Task %s could not be handed to the Celery broker; it will not run", name)


def _run_eagerly(name: str, arguments: dict[str, Any]) -> None:
    """The eager backend: now, here. `not_before` is not waited for (there is nobody to wait)."""
    found = task_named(name)
    if found is None:
        raise LookupError(_unknown(name))
    found.function(**arguments)


def _unknown(name: str) -> str:
    return (
        f"no task is registered as {name!r}: its module is not tripwise.<app>.tasks of an installed app nor "
        "listed in TRIPWISE_TASK_MODULES, or the function was renamed"
    )


def _claim(task_id: int, *, now: datetime, lease: timedelta) -> QueuedTask | None:
    return QUEUE.claim(QueuedTask.objects.all(), task_id, now=now, lease=lease)


def _run(queued: QueuedTask) -> Failure | None:
    """Run one claimed row's task; how it failed, or None."""
    found = task_named(queued.name)
    if found is None:
        return Failure(_unknown(queued.name), permanent=True)
    try:
        inspect.signature(found.function).bind(**queued.kwargs)
    except TypeError as error:  # the function changed since the row was stored: it never will fit
        return Failure(f"the stored arguments do not fit {queued.name}: {error}", permanent=True)
    try:
        found.function(**queued.kwargs)
    except Exception as error:
        logger.exception("Task %s (%s) failed on attempt %s", queued.pk, queued.name, queued.attempts)
        return Failure(f"{type(error).__name__}: {error}", permanent=False)
    return None


def _record(queued: QueuedTask, failure: Failure | None, *, now: datetime) -> Outcome:
    """Write how the run went and let go of the row. `queued.attempts` already counts this run."""
    return QUEUE.record(
        QueuedTask.objects.all(),
        queued.pk,
        failure=failure,
        attempts=queued.attempts,
        now=now,
        what=f"Task {queued.pk} ({queued.name})",
    )


def tasks_run_due(
    *, now: datetime | None = None, limit: int = 20, lease_seconds: int = LEASE_SECONDS
) -> RunReport:
    """Run up to `limit` due tasks of the database queue, oldest first; safe to run in several workers.

    Each row is claimed just before it runs, for `lease_seconds`: no other worker runs it meanwhile. A worker
    killed mid-task lets go when the lease runs out and the task runs again, so tasks must be idempotent.
    `now` is the clock for what is due, the leases and the backoff. With nothing due it costs one indexed
    query. Database errors are raised (the worker decides when to try again); nothing a task raises is.
    """
    now = now or timezone.now()
    lease = timedelta(seconds=lease_seconds)
    due_ids = list(tasks_due(now=now).order_by("run_after", "pk").values_list("pk", flat=True)[:limit])
    done = retried = failed = 0
    for task_id in due_ids:
        queued = _claim(task_id, now=now, lease=lease)
        if queued is None:
            continue  # another worker took it first
        outcome = _record(queued, _run(queued), now=now)
        done += outcome == "done"
        retried += outcome == "retried"
        failed += outcome == "failed"
    return RunReport(done=done, retried=retried, failed=failed)


def tasks_retry(*, task_ids: Sequence[int]) -> int:
    """Make these unfinished tasks due now, given-up ones included (one more attempt each); how many. Finished
    ones are left alone. The next pass of the worker runs them."""
    return QueuedTask.objects.filter(pk__in=list(task_ids), finished_at__isnull=True).update(
        run_after=timezone.now(), failed_at=None
    )
