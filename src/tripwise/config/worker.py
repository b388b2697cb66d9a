"""The embedded worker (`tripwise worker`): the background jobs of the site, in one loop, needing no extra
service. Each job is safe to run in several workers at once (rows are claimed by conditional updates), and
safe to run late: a worker that was down catches up on its next pass.

- the outbox: emails written by bookings and applications, with retries (tripwise.mail);
- holds that ran out give their seats back even if nobody books that departure again;
- applications that waited for a workday are sent to the provider;
- departures are made ahead as the calendar moves on (hourly).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

SLOTS_EVERY_S = 3600
OUTBOX_BATCH = 100  # emails per pass; a full batch means more are waiting, so the next pass starts at once


def run_once(*, now: datetime | None = None, with_slots: bool = False) -> dict[str, int]:
    from tripwise.experiences.applications import applications_submit_due
    from tripwise.experiences.provider import slots_generate_all
    from tripwise.experiences.services import holds_release_expired
    from tripwise.mail.services import outbox_send_due

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
    return done


def run(*, interval_s: float = 5.0, once: bool = False, say: Callable[[str], None] = print) -> None:
    last_slots = 0.0
    while True:
        with_slots = time.monotonic() - last_slots >= SLOTS_EVERY_S
        done = run_once(with_slots=with_slots)
        if with_slots:
            last_slots = time.monotonic()
        busy = {name: count for name, count in done.items() if count}
        if busy or once:
            say(", ".join(f"{name}: {count}" for name, count in (busy or done).items()))
        if once:
            return
        if done["emails sent"] + done["emails to retry"] + done["emails failed"] < OUTBOX_BATCH:
            time.sleep(interval_s)  # caught up; under a burst of bookings it goes on without a pause
