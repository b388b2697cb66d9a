"""Writes for campaigns: schedule or send now, start (fix the audience), send a test, cancel, and announce a
guide. Sending itself is tripwise.newsletter.sending, run by background workers (tripwise.newsletter.tasks)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tripwise.core.errors import TripwiseError
from tripwise.guides.models import Guide
from tripwise.newsletter.models import Campaign, Delivery, Subscriber
from tripwise.newsletter.selectors import audience_of
from tripwise.newsletter.services import checked_destinations, checked_interests
from tripwise.newsletter.writing import CampaignWriter

__all__ = [
    "campaign_cancel",
    "campaign_create",
    "campaign_schedule",
    "campaign_send_test",
    "campaign_start",
    "guide_announce",
]

CREATE_BATCH = 2000


def campaign_create(
    *, subject: str, body: str, interests: Sequence[str], destinations: Sequence[str], actor: User | None
) -> Campaign:
    """A draft, its audience checked: interests among the assistant's words, destinations the site covers."""
    if not subject.strip() or not body.strip():
        raise TripwiseError("empty_campaign", "A campaign needs a subject and a text.", status=422)
    if any(char in subject for char in "\r\n"):
        raise TripwiseError("bad_subject", "A subject is one line: remove the line breaks.", status=422)
    chosen = checked_interests(interests)
    places = checked_destinations(destinations)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            subject=subject.strip(), body=body, interests=chosen, created_by=actor
        )
        campaign.destinations.set(places)
    return campaign


def campaign_schedule(*, campaign: Campaign, send_at: datetime | None = None) -> Campaign:
    """Send at `send_at` (now when None). Only a draft, or a scheduled campaign being moved, can be. A
    campaign for later is started by the worker's periodic pass when its time comes (tasks.campaigns_due)."""
    from tripwise.newsletter.tasks import campaign_start_task

    when = send_at or timezone.now()
    with transaction.atomic():
        scheduled = Campaign.objects.filter(
            pk=campaign.pk, status__in=[Campaign.Status.DRAFT, Campaign.Status.SCHEDULED]
        ).update(status=Campaign.Status.SCHEDULED, send_at=when)
        if not scheduled:
            campaign.refresh_from_db()
            raise TripwiseError(
                "not_a_draft",
                f"“{campaign.subject}” is {campaign.status}: it can no longer be scheduled.",
                status=409,
            )
        if when <= timezone.now():
            campaign_start_task.enqueue(
                campaign_id=campaign.pk
            )  # now; a later time waits for the worker's pass
    campaign.refresh_from_db()
    return campaign


def campaign_start(*, campaign_id: int, now: datetime | None = None) -> int:
    """Fix the audience (a Delivery per recipient) and hand the sending to the senders. Safe to run twice or
    late: only a scheduled campaign whose time has come starts, once. Returns the number of recipients."""
    from tripwise.newsletter.tasks import deliveries_send

    now = now or timezone.now()
    campaign = Campaign.objects.get(pk=campaign_id)
    if campaign.status != Campaign.Status.SCHEDULED or (campaign.send_at and campaign.send_at > now):
        return 0
    batch: list[Delivery] = []
    for subscriber_id, email in audience_of(campaign):
        batch.append(Delivery(campaign_id=campaign_id, subscriber_id=subscriber_id, email=email))
        if len(batch) >= CREATE_BATCH:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)  # a second start adds nobody twice
            batch = []
    Delivery.objects.bulk_create(batch, ignore_conflicts=True)
    with transaction.atomic():
        started = Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SCHEDULED).update(
            status=Campaign.Status.SENDING, started_at=now
        )
        if started:
            for _sender in range(settings.NEWSLETTER_SENDERS):
                deliveries_send.enqueue(campaign_id=campaign_id)
    return Delivery.objects.filter(campaign_id=campaign_id).count()


def campaign_cancel(*, campaign: Campaign) -> Campaign:
    """Stop a scheduled or sending campaign: what was sent stays sent, the rest is not sent."""
    Campaign.objects.filter(
        pk=campaign.pk, status__in=[Campaign.Status.DRAFT, Campaign.Status.SCHEDULED, Campaign.Status.SENDING]
    ).update(status=Campaign.Status.CANCELLED, finished_at=timezone.now())
    campaign.refresh_from_db()
    return campaign


def campaign_send_test(*, campaign: Campaign, to: str) -> None:
    """The campaign as a recipient will see it, to `to` (an editor), marked [Test]; it counts for nobody."""
    subscriber = Subscriber(pk=0, email=to, status=Subscriber.Status.CONFIRMED)
    message = CampaignWriter(campaign).message(
        Delivery(subscriber=subscriber, email=to), subject_prefix="[Test] "
    )
    message.send()


def guide_announce(*, guide: Guide, actor: User | None) -> Campaign:
    """One action: a campaign about a published guide, to the subscribers of its destination (and those who
    chose no destination), sent now."""
    if guide.status != Guide.Status.PUBLISHED:
        raise TripwiseError("not_published", f"Publish “{guide.title}” before announcing it.", status=409)
    url = settings.SITE_URL.rstrip("/") + guide.get_absolute_url()
    body = f"## {guide.title}\n\n{guide.summary}\n\n[Read the guide]({url})\n"
    campaign = Campaign.objects.create(
        subject=f"New guide: {guide.title}", body=body, guide=guide, created_by=actor
    )
    campaign.destinations.set([guide.destination])
    return campaign_schedule(campaign=campaign)
