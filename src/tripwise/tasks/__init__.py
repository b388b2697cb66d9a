"""Background tasks: `@task` functions that run after the commit, in a worker (tripwise.tasks.registry).

The same task code runs on every backend (settings.TASKS_BACKEND, TRIPWISE_TASKS): "database", a queue in a
table that `tripwise worker` runs (no extra service); "celery", Celery workers with Redis as the broker
(tripwise.config.celery); "eager", at the commit in the process that enqueued it.
"""

from tripwise.tasks.registry import Task, task

__all__ = ["Task", "task"]
