"""Reads for the task queue: which tasks are due."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from tripwise.tasks.models import QUEUE, QueuedTask

__all__ = ["tasks_due"]


def tasks_due(*, now: dt.datetime) -> QuerySet[QueuedTask]:
    """Tasks that may run at `now`: not finished, not given up on, their time come and no live lease; only a
    successful claim (services._claim) gives the right to run one."""
    return QUEUE.due(QueuedTask.objects.all(), now=now)
