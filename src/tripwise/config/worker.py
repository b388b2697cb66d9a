"""The embedded worker (`tripwise worker`): the background jobs of the site, in one loop, needing no extra
service. Each job is safe to run in several workers at once (rows are claimed by conditional updates), and
safe to run late: a worker that was down catches up on its next pass.

- the outbox: emails written by bookings and applications, with retries (tripwise.mail);
- holds that ran out give their seats back even if nobody books that departure again;
- applications that waited for a workday are sent to the provider;
- departures are made ahead as the calendar moves on (hourly);
- newsletter campaigns start when their time comes, and get a sender again if all of theirs died;
- background tasks of the database queue (tripwise.tasks; with TRIPWISE_TASKS=celery, Celery workers run new
  ones, and this loop only finishes what was queued before the switch).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

logger = logging.getLogger(__name__)

SLOTS_EVERY_S = 3600
OUTBOX_BATCH = 100  # emails per pass; a full batch means more are waiting, so the next pass starts at once
TASKS_BATCH = (
    20  # tasks per pass: each may take a while (a batch of deliveries); a full batch means more wait
)


def run_once(*, now: datetime | None = None, with_slots: bool = False) -> dict[str, int]:
    from tripwise.experiences.applications import applications_submit_due
    from tripwise.experiences.provider import slots_generate_all
    from tripwise.experiences.services import holds_release_expired
    from tripwise.mail.services import outbox_send_due
    from tripwise.newsletter.tasks import campaigns_due
    from tripwise.tasks.services import tasks_run_due

    now = now or timezone.now()
    done = {
        "holds released (seats)": holds_release_expired(now=now),
        "applications sent": applications_submit_due(now=now),
    }
    if with_slots:
        done["departures made"] = slots_generate_all(now=now)
    report = outbox_send_due(now=timezone.now(), limit=OUTBOX_BATCH)
    done["emails sent"] = report.sent
    done["emails to retry"] = report.retried
    done["emails failed"] = report.failed
    done.update(campaigns_due(now=timezone.now()))
    # Tasks last: what they enqueue (a campaign's emails) goes out on this pass or the next, not after a pause.
    tasks = tasks_run_due(now=timezone.now(), limit=TASKS_BATCH)
    done["tasks run"] = tasks.done
    done["tasks to retry"] = tasks.retried
    done["tasks failed"] = tasks.failed
    return done


def run(*, interval_s: float = 5.0, once: bool = False, say: Callable[[str], None] = print) -> None:
    last_slots = 0.0
    while True:
        with_slots = time.monotonic() - last_slots >= SLOTS_EVERY_S
        try:
            done = run_once(with_slots=with_slots)
        except Exception:
            # A database that went away, a bug in one job: the loop lives on and tries again after a pause
            # (every job is safe to run late); `--once` reports it to cron instead.
            if once:
                raise
            logger.exception("A pass of the worker failed; trying again in %s s", interval_s)
            time.sleep(interval_s)
            continue
        if with_slots:
            last_slots = time.monotonic()
        busy = {name: count for name, count in done.items() if count}
        if busy or once:
            say(", ".join(f"{name}: {count}" for name, count in (busy or done).items()))
        if once:
            return
        emails_handled = done["emails sent"] + done["emails to retry"] + done["emails failed"]
        tasks_handled = done["tasks run"] + done["tasks to retry"] + done["tasks failed"]
        if emails_handled < OUTBOX_BATCH and tasks_handled < TASKS_BATCH:
            time.sleep(interval_s)  # caught up; under a burst of bookings or tasks it goes on without a pause
