"""Reads for the task queue: which tasks are due."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from tripwise.tasks.models import QueuedTask

__all__ = ["tasks_due"]


def tasks_due(*, now: dt.datetime) -> QuerySet[QueuedTask]:
    """Tasks that may run at `now`: not finished, not given up on, their time come and no live lease.

    The same condition guards the claim (services._claim), so a row read here may still be taken by another
    worker first; only a successful claim gives the right to run it.
    """
    return QueuedTask.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        finished_at__isnull=True,
        failed_at__isnull=True,
        run_after__lte=now,
    )
