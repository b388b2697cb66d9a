"""The database queue (TASKS_BACKEND "database", the default): rows written with the caller's transaction, run
by tasks_run_due and the embedded worker, retried with backoff, given up on with the reason kept, and never run
by two workers at once while a lease holds."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from pytest_django.fixtures import Settings

from tests.concurrency import race
from tests.tasks.sample_tasks import fail, lines, run_the_queue_inside, write_line
from tripwise.config.worker import run_once
from tripwise.tasks.models import QueuedTask
from tripwise.tasks.services import (
    BACKOFF,
    LEASE_SECONDS,
    MAX_ATTEMPTS,
    RunReport,
    task_enqueue,
    tasks_run_due,
)


@pytest.fixture(autouse=True)
def database_backend(settings: Settings) -> None:
    settings.TASKS_BACKEND = "database"


@pytest.mark.django_db(transaction=True)
def test_a_task_is_queued_by_a_real_commit_run_by_the_worker_and_a_rollback_queues_nothing(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.txt"

    def book_and_fail() -> None:
        with transaction.atomic():
            write_line.enqueue(path=str(out), line="rolled back")
            raise RuntimeError("the booking failed")

    with pytest.raises(RuntimeError):
        book_and_fail()
    assert not QueuedTask.objects.exists()

    with transaction.atomic():
        task_id = write_line.enqueue(path=str(out), line="committed")
        assert lines(out) == []  # nothing runs inside the transaction
    assert lines(out) == []  # nor at the commit: the worker runs it

    done = run_once()
    assert done["tasks run"] == 1
    assert (done["tasks to retry"], done["tasks failed"]) == (0, 0)
    assert lines(out) == ["committed"]
    queued = QueuedTask.objects.get()
    assert queued.pk == task_id
    assert (queued.status, queued.attempts, queued.last_error) == ("done", 1, "")
    assert run_once()["tasks run"] == 0  # done once, never again


@pytest.mark.django_db
def test_a_plain_call_runs_here_and_now(tmp_path: Path) -> None:
    write_line(path=str(tmp_path / "out.txt"), line="now")
    assert lines(tmp_path / "out.txt") == ["now"]
    assert not QueuedTask.objects.exists()


@pytest.mark.django_db
def test_a_failing_task_is_retried_with_backoff_then_given_up_with_its_error(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    fail.enqueue(path=str(out), reason="the mail server is away")
    clock = timezone.now()
    for attempt in range(1, MAX_ATTEMPTS):
        assert tasks_run_due(now=clock) == RunReport(retried=1)
        queued = QueuedTask.objects.get()
        assert queued.attempts == attempt
        assert queued.run_after == clock + BACKOFF[attempt - 1]
        assert queued.last_error == "RuntimeError: the mail server is away"
        assert queued.claimed_until is None  # let go of: any worker may take it when its time comes
        assert (
            tasks_run_due(now=queued.run_after - timedelta(seconds=1)) == RunReport()
        )  # not before its time
        clock = queued.run_after
    assert tasks_run_due(now=clock) == RunReport(failed=1)
    queued = QueuedTask.objects.get()
    assert (queued.status, queued.attempts) == ("failed", MAX_ATTEMPTS)
    assert queued.last_error == "RuntimeError: the mail server is away"
    assert tasks_run_due(now=clock + timedelta(days=1)) == RunReport()  # given up is final
    assert lines(out) == ["attempt"] * MAX_ATTEMPTS
    assert [wait.total_seconds() / 60 for wait in BACKOFF] == [1, 5, 30, 120]


@pytest.mark.django_db
def test_a_claimed_task_is_not_run_again_while_its_lease_holds(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    run_the_queue_inside.enqueue(path=str(out))
    # The task runs a second worker's pass while the first holds its lease: that pass finds nothing to do.
    assert tasks_run_due() == RunReport(done=1)
    assert lines(out) == ["inner pass: done=0 retried=0 failed=0"]

    # A worker that claimed a task and died: its lease keeps the others off until it runs out.
    write_line.enqueue(path=str(out), line="after the lease")
    clock = timezone.now()
    claimed = QueuedTask.objects.filter(finished_at__isnull=True)
    claimed.update(claimed_until=clock + timedelta(seconds=LEASE_SECONDS), attempts=1)  # as a claim leaves it
    assert tasks_run_due(now=clock) == RunReport()
    assert tasks_run_due(now=clock + timedelta(seconds=LEASE_SECONDS - 1)) == RunReport()
    assert lines(out) == ["inner pass: done=0 retried=0 failed=0"]
    assert tasks_run_due(now=clock + timedelta(seconds=LEASE_SECONDS + 1)) == RunReport(done=1)
    assert lines(out)[-1] == "after the lease"
    assert QueuedTask.objects.get(name="tests.tasks.sample_tasks.write_line").attempts == 2


@pytest.mark.django_db
def test_an_unknown_name_or_arguments_that_do_not_fit_fail_at_once_with_a_clear_reason(
    tmp_path: Path,
) -> None:
    task_enqueue(name="tests.nobody_wrote_this", kwargs={"campaign_id": 3})
    write_line.enqueue(path=str(tmp_path / "out.txt"), colour="red")
    assert tasks_run_due() == RunReport(failed=2)
    unknown = QueuedTask.objects.get(name="tests.nobody_wrote_this")
    assert unknown.attempts == 1
    assert unknown.last_error.startswith("no task is registered as 'tests.nobody_wrote_this'")
    assert "TRIPWISE_TASK_MODULES" in unknown.last_error
    misfit = QueuedTask.objects.get(name="tests.tasks.sample_tasks.write_line")
    assert misfit.last_error.startswith("the stored arguments do not fit tests.tasks.sample_tasks.write_line")
    assert not (tmp_path / "out.txt").exists()


@pytest.mark.django_db
def test_not_before_is_waited_for(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    later = timezone.now() + timedelta(hours=1)
    write_line.enqueue(path=str(out), line="later", not_before=later)
    assert tasks_run_due() == RunReport()
    assert tasks_run_due(now=later) == RunReport(done=1)
    assert lines(out) == ["later"]


@pytest.mark.django_db
def test_arguments_must_be_json_values_and_times_aware(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="must be JSON values"):
        write_line.enqueue(path=tmp_path, line="a path object is not JSON")
    with pytest.raises(ValueError, match="must be an aware datetime"):
        write_line.enqueue(path=str(tmp_path), line="x", not_before=timezone.now().replace(tzinfo=None))
    assert not QueuedTask.objects.exists()


WORKERS = 4
TASKS = 40


@pytest.mark.django_db(transaction=True)
def test_workers_running_at_the_same_time_run_each_task_exactly_once(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    with transaction.atomic():
        for number in range(TASKS):
            write_line.enqueue(path=str(out), line=f"task {number}")
    now = timezone.now()
    # Small batches: the workers keep coming back to the same rows, racing for each claim.
    reports = race(WORKERS, lambda: tasks_run_due(now=now, limit=5), idle=RunReport())
    assert Counter(lines(out)) == Counter({f"task {number}": 1 for number in range(TASKS)})
    assert sum(report.done for report in reports) == TASKS
    assert set(QueuedTask.objects.values_list("attempts", flat=True)) == {1}
