"""The eager backend: the task runs in this process when the transaction commits, and never after a rollback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import transaction
from pytest_django.fixtures import Settings

from tests.tasks.sample_tasks import enqueue_then_fail, lines, write_line
from tripwise.tasks.models import QueuedTask
from tripwise.tasks.services import task_enqueue

pytestmark = pytest.mark.django_db(transaction=True)


def test_eager_tasks_run_at_the_commit_and_never_after_a_rollback(tmp_path: Path, settings: Settings) -> None:
    settings.TASKS_BACKEND = "eager"
    out = tmp_path / "out.txt"
    with transaction.atomic():
        assert write_line.enqueue(path=str(out), line="committed") is None
        assert lines(out) == []  # not inside the transaction
    assert lines(out) == ["committed"]

    with pytest.raises(RuntimeError):
        enqueue_then_fail(out)
    write_line.enqueue(path=str(out), line="no transaction")  # runs at once
    assert lines(out) == ["committed", "no transaction"]
    assert not QueuedTask.objects.exists()  # nothing goes through the table


def test_an_eager_task_nobody_registered_says_so(settings: Settings) -> None:
    settings.TASKS_BACKEND = "eager"
    with pytest.raises(LookupError, match=re.escape("no task is registered as 'tests.nobody_wrote_this'")):
        task_enqueue(name="tests.nobody_wrote_this", kwargs={})
