"""Work done in attempts that may fail for a while, one row each: which rows are due, how a worker claims one
(a conditional UPDATE and a lease, so two workers never hold it at once), and how an attempt is recorded:
done, due again after a backoff, or given up on with the reason. The outbox (tripwise.mail) and the task
queue (tripwise.tasks) are both such tables."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, TypeVar

from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone

__all__ = ["ERROR_LENGTH", "Failure", "LeasedWork", "Outcome"]

logger = logging.getLogger(__name__)

ERROR_LENGTH = 500  # last_error is a reason to read in the admin, not a traceback
Outcome = Literal["done", "retried", "failed"]
Row = TypeVar("Row", bound=Model)


@dataclass(frozen=True)
class Failure:
    reason: str
    permanent: bool  # no attempt will ever succeed: give up now
    connection_lost: bool = False  # the server is away: stop the batch, the rest keep their turn


@dataclass(frozen=True)
class LeasedWork:
    """A table of work done in attempts (the outbox's emails, the queue's tasks): the field a row is finished
    by, the field it is due by, and the waits after each failed attempt. Its rows also have `claimed_until`,
    `failed_at`, `attempts` and `last_error`."""

    finished_by: str
    due_by: str
    backoff: Sequence[timedelta]

    def due(self, rows: QuerySet[Row], *, now: datetime) -> QuerySet[Row]:
        """Rows that may be worked on at `now`: unfinished, not given up on, their time come, no live lease.
        The claim repeats this condition, so a row read here may still be taken by another worker first."""
        return rows.filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            failed_at__isnull=True,
            **{f"{self.finished_by}__isnull": True, f"{self.due_by}__lte": now},
        )

    def claim(self, rows: QuerySet[Row], pk: int, *, now: datetime, lease: timedelta) -> Row | None:
        """Take the row for one attempt if it is still due; None when it is not (finished, waiting, or another
        worker's). One UPDATE whose WHERE repeats the due condition: of two workers, only one changes it."""
        claimed = (
            self.due(rows, now=now)
            .filter(pk=pk)
            .update(claimed_until=now + lease, attempts=F("attempts") + 1)
        )
        return rows.filter(pk=pk).first() if claimed else None

    def record(
        self,
        rows: QuerySet[Any],
        pk: int,
        *,
        failure: Failure | None,
        attempts: int,
        now: datetime,
        what: str,
    ) -> Outcome:
        """Write how the attempt went on the claimed row and let go of it. `attempts` already counts this one;
        after len(backoff) + 1 attempts it is given up on. `what` names the work in the log."""
        unfinished = rows.filter(pk=pk, **{f"{self.finished_by}__isnull": True})
        if failure is None:
            unfinished.update(**{self.finished_by: timezone.now()}, claimed_until=None, last_error="")
            return "done"
        reason = failure.reason[:ERROR_LENGTH]
        if failure.permanent or attempts > len(self.backoff):
            unfinished.update(failed_at=timezone.now(), claimed_until=None, last_error=reason)
            logger.error("%s given up after %s attempts: %s", what, attempts, reason)
            return "failed"
        wait = self.backoff[attempts - 1]
        unfinished.update(**{self.due_by: now + wait}, claimed_until=None, last_error=reason)
        logger.warning("%s attempt %s failed, again in %s: %s", what, attempts, wait, reason)
        return "retried"
