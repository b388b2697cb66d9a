"""The newsletter's background tasks, run by `tripwise worker` (the database queue) or by Celery workers: the
same code either way (tripwise.tasks)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from tripwise.newsletter import campaigns, sending
from tripwise.newsletter.models import Campaign
from tripwise.tasks import task

SENDER_LIMIT = 1000  # deliveries per task run: a long campaign is many short tasks, each safe to repeat


@task(name="newsletter.campaign_start")
def campaign_start_task(*, campaign_id: int) -> int:
    return campaigns.campaign_start(campaign_id=campaign_id)


@task(name="newsletter.deliveries_send")
def deliveries_send(*, campaign_id: int, limit: int = SENDER_LIMIT) -> int:
    """Send up to `limit` deliveries; if some are left, go on in a new run of this task. Runs of it in
    several workers at once share the campaign (each claims its own rows)."""
    run = sending.deliveries_send_some(campaign_id=campaign_id, limit=limit)
    if run.sent + run.failed + run.skipped + run.retried >= limit:
        deliveries_send.enqueue(campaign_id=campaign_id)
    elif (look := sending.next_look(campaign_id)) is not None:
        # Rows held by another sender, or waiting to be retried: look again when they are due, in case
        # their sender has died (its lease runs out) or their wait is over.
        deliveries_send.enqueue(campaign_id=campaign_id, not_before=look)
    return run.sent


def campaigns_due(*, now: datetime | None = None) -> dict[str, int]:
    """The worker's periodic pass (tripwise worker): start the scheduled campaigns whose time has come, and
    give a sender to every sending campaign whose senders all died (a worker killed with its task). Starting
    here, not from a task queued for a distant time, keeps broker messages short-lived."""
    now = now or timezone.now()
    due = Campaign.objects.filter(status=Campaign.Status.SCHEDULED, send_at__lte=now).values_list(
        "pk", flat=True
    )
    started = sum(
        1 for campaign_id in list(due) if campaigns.campaign_start(campaign_id=campaign_id, now=now)
    )
    stalled = sending.stalled_campaigns(now=now)
    for campaign_id in stalled:
        deliveries_send.enqueue(campaign_id=campaign_id)
    return {"campaigns started": started, "campaigns resumed": len(stalled)}
