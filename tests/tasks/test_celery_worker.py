"""Production mode: a real Celery worker process takes the tasks from a real Redis and runs the same @task code.

The worker runs `celery -A tripwise.config.celery worker` as the docs say, with TRIPWISE_TASK_MODULES naming the
test's task module. Its tasks write to a file, so the worker needs no share of the test's database. Redis
database 5 (TRIPWISE_TEST_CELERY_REDIS_URL) is flushed before and after.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from pytest_django.fixtures import Settings

from tests.tasks.sample_tasks import enqueue_then_fail, lines, times, write_line

REDIS_URL = os.environ.get("TRIPWISE_TEST_CELERY_REDIS_URL", "redis://127.0.0.1:6379/5")
CHECKOUT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"
TIMEOUT_S = 30  # the worker's start (Django, Celery) and two tasks, on two slow cores
DELAY_S = 2  # not_before of the second task, from its enqueueing


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()


@pytest.fixture
def broker(settings: Settings) -> Iterator[str]:
    """Redis database 5, empty, as the broker of this process's Celery app; flushed again at the end."""
    if not redis_reachable(REDIS_URL):
        pytest.skip(f"Redis is not reachable at {REDIS_URL} (CI runs it; set TRIPWISE_TEST_CELERY_REDIS_URL)")
    from tripwise.config.celery import app

    flush(REDIS_URL)
    settings.TASKS_BACKEND = "celery"
    settings.CELERY_BROKER_URL = REDIS_URL
    before = app.conf.broker_url
    app.close()  # drops connections made to another broker, if this process made any
    app.conf.broker_url = REDIS_URL
    try:
        yield REDIS_URL
    finally:
        app.close()
        app.conf.broker_url = before
        flush(REDIS_URL)


def start_worker(broker_url: str, workdir: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TRIPWISE_TASKS": "celery",
        "TRIPWISE_CELERY_BROKER_URL": broker_url,
        "TRIPWISE_DEBUG": "1",
        "TRIPWISE_TASK_MODULES": "tests.tasks.sample_tasks",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(CHECKOUT), os.environ.get("PYTHONPATH")])),
        # The tasks here touch no database; this keeps the worker off the suite's own.
        "DATABASE_URL": f"sqlite:///{workdir / 'worker.sqlite3'}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [
        str(CELERY), "-A", "tripwise.config.celery", "worker", "--concurrency", "1", "--loglevel", "INFO",
        "--hostname", f"tests-{os.getpid()}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    log = (workdir / "worker.log").open("wb")
    return subprocess.Popen(command, cwd=CHECKOUT, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is not None:
        return
    worker.send_signal(signal.SIGTERM)  # a warm shutdown: the task at hand finishes
    try:
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_runs_the_same_task_code_after_the_commit(broker: str, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    worker = start_worker(broker, tmp_path)
    try:
        with pytest.raises(RuntimeError):
            enqueue_then_fail(out)
        with transaction.atomic():
            write_line.enqueue(path=str(out), line="now")
            not_before = timezone.now() + timedelta(seconds=DELAY_S)
            write_line.enqueue(path=str(out), line="later", not_before=not_before)

        deadline = time.monotonic() + TIMEOUT_S
        while len(lines(out)) < 2 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.1)
        log = (tmp_path / "worker.log").read_text(errors="replace")
        assert sorted(lines(out)) == ["later", "now"], f"the worker did not run both tasks:\n{log}"
        assert times(out)["later"] >= not_before.timestamp() - 0.05  # not before its time (clock rounding)
        assert "tests.tasks.sample_tasks.write_line" in log  # registered under the same name
    finally:
        stop(worker)
    time.sleep(0.5)
    assert sorted(lines(out)) == ["later", "now"]  # the rolled-back one never came
