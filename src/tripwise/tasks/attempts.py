"""One attempt at queued work that may fail for a while, as a claimed row records it: done, due again after a
backoff, or given up on with the reason. The outbox (tripwise.mail) and the task queue share it; each row has
`claimed_until`, `failed_at`, `last_error`, a field it is finished by and a field it is due by."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from django.db.models import QuerySet
from django.utils import timezone

__all__ = ["ERROR_LENGTH", "Failure", "Outcome", "attempt_record"]

logger = logging.getLogger(__name__)

ERROR_LENGTH = 500  # last_error is a reason to read in the admin, not a traceback
Outcome = Literal["done", "retried", "failed"]


@dataclass(frozen=True)
class Failure:
    reason: str
    permanent: bool  # no attempt will ever succeed: give up now
    connection_lost: bool = False  # the server is away: stop the batch, the rest keep their turn


def attempt_record(
    rows: QuerySet[Any],
    *,
    failure: Failure | None,
    attempts: int,
    now: datetime,
    backoff: Sequence[timedelta],
    finished_by: str,
    due_by: str,
    what: str,
) -> Outcome:
    """Write how the attempt went on `rows` (the claimed row, still unfinished) and let go of it.

    `attempts` already counts this one; after len(backoff) + 1 attempts it is given up on. `what` names the
    work in the log ("Email 12 (booking_confirmed)")."""
    if failure is None:
        rows.update(**{finished_by: timezone.now()}, claimed_until=None, last_error="")
        return "done"
    reason = failure.reason[:ERROR_LENGTH]
    if failure.permanent or attempts > len(backoff):
        rows.update(failed_at=timezone.now(), claimed_until=None, last_error=reason)
        logger.error("%s given up after %s attempts: %s", what, attempts, reason)
        return "failed"
    wait = backoff[attempts - 1]
    rows.update(**{due_by: now + wait}, claimed_until=None, last_error=reason)
    logger.warning("%s attempt %s failed, again in %s: %s", what, attempts, wait, reason)
    return "retried"
