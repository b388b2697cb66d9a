"""The database queue of background tasks (TASKS_BACKEND "database", the embedded default).

A row is written in the transaction that enqueues the task, so the task exists exactly when that transaction
committed; `tripwise worker` runs it (tripwise.tasks.services.tasks_run_due), retrying with backoff.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tripwise.tasks.attempts import LeasedWork


class QueuedTask(models.Model):
    """One call of a @task function waiting to run, done, or given up on.

    Due: `finished_at` and `failed_at` empty, `run_after` passed, and no worker holding it (`claimed_until`
    empty or passed). A worker claims a row with a conditional UPDATE that sets `claimed_until`, so two workers
    never run the same row at once; a worker that dies mid-task lets go when its lease runs out, and the task
    runs again (so tasks must be idempotent).
    """

    name = models.CharField(
        max_length=200, db_index=True, help_text='The task\'s name, e.g. "newsletter.send".'
    )
    kwargs = models.JSONField(default=dict, blank=True, help_text="The keyword arguments it is called with.")
    created_at = models.DateTimeField(auto_now_add=True)
    run_after = models.DateTimeField(default=timezone.now, help_text="Not run before this (retries wait).")
    claimed_until = models.DateTimeField(null=True, blank=True, help_text="A worker's lease on the row.")
    attempts = models.PositiveIntegerField(default=0, help_text="Times a worker claimed it to run it.")
    finished_at = models.DateTimeField(null=True, blank=True, help_text="When a run succeeded.")
    failed_at = models.DateTimeField(null=True, blank=True, help_text="Given up on: no more attempts.")
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The "due" query reads only the unfinished, unfailed rows by run_after: a partial index stays as
            # small as the backlog however many finished tasks the table keeps.
            models.Index(
                fields=["run_after"],
                condition=Q(finished_at__isnull=True, failed_at__isnull=True),
                name="tasks_queued_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}({', '.join(f'{key}={value!r}' for key, value in self.kwargs.items())})"

    @property
    def status(self) -> str:
        if self.finished_at is not None:
            return "done"
        if self.failed_at is not None:
            return "failed"
        return "waiting"


# The waits after the 1st, 2nd, … failed attempt; the attempt after the last wait is the last one.
BACKOFF = tuple(timedelta(minutes=minutes) for minutes in (1, 5, 30, 120))
QUEUE = LeasedWork(
    finished_by="finished_at", due_by="run_after", backoff=BACKOFF
)  # how tasks are claimed and retried
