"""The Celery app (TRIPWISE_TASKS=celery): the same @task functions as the database queue, run by separate
worker processes that take them from the broker (Redis, TRIPWISE_CELERY_BROKER_URL).

Run a worker (as many as you like, on any machine that reaches the broker and the database):

    TRIPWISE_TASKS=celery .venv/bin/celery -A tripwise.config.celery worker --concurrency 1 --loglevel INFO

It needs the site's settings (DATABASE_URL and the rest), since tasks read and write the site's database.
Every task of `tripwise.<app>.tasks` is registered under its own name, plus the modules in
TRIPWISE_TASK_MODULES. No result backend: callers never wait for a task's return value.

A task is acknowledged only after it ran (task_acks_late), one at a time (prefetch 1), so a worker killed
mid-task hands it back: the child killed, at once (task_reject_on_worker_lost); the whole worker, once the
broker's visibility timeout has passed. Either way it runs again, which is why tasks are idempotent. A task
that raises is retried after 1, 5, 30 and 120 minutes, as in the database queue, then given up on (logged).
"""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tripwise.config.settings")  # before Celery: its Django fixup

import django
from django.apps import apps as django_apps

if not django_apps.ready:  # a worker, started by the celery command; a site process has set Django up already
    django.setup()

from celery import Celery  # type: ignore[import-untyped]
from django.conf import settings

from tripwise.tasks.registry import Task, autodiscover
from tripwise.tasks.services import BACKOFF

__all__ = ["app"]

# Redis hands an unacknowledged message to another worker after this long. A message waiting for its time (a
# retry's backoff, a not_before) is unacknowledged too, so this must outlast the longest of those waits, or the
# task runs twice: longer than the last backoff, and a not_before further away than this is a risk (keep such
# times in the database and enqueue when they come). It is also how long a task of a killed worker waits.
VISIBILITY_TIMEOUT_S = 3 * 3600

app: Any = Celery("tripwise")
app.conf.update(
    broker_url=settings.CELERY_BROKER_URL,
    broker_connection_retry_on_startup=True,
    broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT_S},
    task_serializer="json",
    accept_content=["json"],
    result_backend=None,
    task_ignore_result=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    timezone="UTC",
    enable_utc=True,
)


def _register(found: Task[..., Any]) -> None:
    """The task as a Celery task of the same name, whose body is the registered function itself."""

    def run(self: Any, **kwargs: Any) -> Any:
        try:
            return found.function(**kwargs)
        except Exception as error:
            attempt = self.request.retries  # 0 on the first run
            if attempt >= len(BACKOFF):
                raise  # given up: the worker logs it as failed
            raise self.retry(exc=error, countdown=BACKOFF[attempt].total_seconds()) from error

    run.__name__ = found.function.__name__
    run.__doc__ = found.function.__doc__
    app.task(name=found.name, bind=True, max_retries=len(BACKOFF))(run)


for _task in autodiscover().values():
    _register(_task)
