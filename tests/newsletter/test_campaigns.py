"""Campaigns through a real SMTP server: the audience, both parts and the one-click unsubscribe headers of every
message, each recipient once (a dead sender's rows go to another after the lease; a row handed to the server
is never sent again), refusals recorded per recipient, a test send, and a guide announced in one action."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.mail.conftest import PickyInbox, picky_inbox
from tests.smtp import Inbox, body, smtp_inbox
from tripwise.config.worker import run_once
from tripwise.guides.models import Guide
from tripwise.newsletter.campaigns import (
    campaign_schedule,
    campaign_send_test,
    campaign_start,
    guide_announce,
)
from tripwise.newsletter.models import Campaign, Delivery, Subscriber
from tripwise.newsletter.selectors import audience_of, campaign_progress
from tripwise.newsletter.sending import deliveries_send_some, lease, stalled_campaigns
from tripwise.places.models import Destination

__all__ = ["picky_inbox", "smtp_inbox"]  # fixtures, used by name

pytestmark = pytest.mark.django_db

BODY = "## Spring in Astana\n\nThe [ALZHIR guide](https://tripwise.example/guides/alzhir-museum/) is out.\n"


def subscriber(email: str, *, interests: list[str] | None = None, places: list[str] | None = None,
               status: str = Subscriber.Status.CONFIRMED) -> Subscriber:  # fmt: skip
    made = Subscriber.objects.create(email=email, status=status, interests=interests or [])
    made.destinations.set(Destination.objects.filter(slug__in=places or []))
    return made


def started(campaign: Campaign) -> Campaign:
    campaign_schedule(campaign=campaign)
    campaign_start(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def campaign(db: None) -> Campaign:
    return Campaign.objects.create(subject="Spring in Astana", body=BODY)


def test_the_audience_is_the_confirmed_whose_choices_meet_the_campaigns(campaign: Campaign) -> None:
    Destination.objects.create(
        slug="helsinki", name="Helsinki", timezone="Europe/Helsinki", lat=60.17, lon=24.94
    )
    subscriber("all@example.org")  # chose nothing: everything
    subscriber("history@example.org", interests=["history"])
    subscriber("food@example.org", interests=["food"])
    subscriber("astana@example.org", places=["astana"])
    subscriber("helsinki@example.org", places=["helsinki"])
    subscriber("pending@example.org", status=Subscriber.Status.PENDING)
    subscriber("gone@example.org", status=Subscriber.Status.UNSUBSCRIBED)

    everyone = {email for _, email in audience_of(campaign)}
    assert everyone == {f"{name}@example.org" for name in ("all", "history", "food", "astana", "helsinki")}
    campaign.interests = ["history", "art"]
    campaign.destinations.set(Destination.objects.filter(slug="astana"))
    chosen = {email for _, email in audience_of(campaign)}
    assert chosen == {"all@example.org", "history@example.org", "astana@example.org"}


def test_each_recipient_gets_one_message_with_both_parts_and_one_click_unsubscribe(
    campaign: Campaign, smtp_inbox: Inbox, client: Client
) -> None:
    ann, bo = subscriber("ann@example.org"), subscriber("bo@example.org")
    started(campaign)
    run = deliveries_send_some(campaign_id=campaign.pk, limit=100)
    assert (run.sent, run.failed, run.skipped) == (2, 0, 0)

    assert sorted(message["To"] for message in smtp_inbox.messages) == ["ann@example.org", "bo@example.org"]
    message = next(message for message in smtp_inbox.messages if message["To"] == "ann@example.org")
    assert message["Subject"] == "Spring in Astana"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [one_click] = re.findall(r"<(https?://[^>]+)>", message["List-Unsubscribe"])
    assert message["Message-ID"] == f"<campaign-{campaign.pk}-subscriber-{ann.pk}@localhost>"
    text = body(message)
    assert "The ALZHIR guide (https://tripwise.example/guides/alzhir-museum/) is out." in text
    assert "Unsubscribe: http" in text
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    assert '<a href="https://tripwise.example/guides/alzhir-museum/"' in str(html.get_content())

    # The mail program's one click: at once, no page, no cookie.
    assert client.post("/" + one_click.split("/", 3)[3], "List-Unsubscribe=One-Click",
                       content_type="application/x-www-form-urlencoded").status_code == 200  # fmt: skip
    assert Subscriber.objects.get(pk=ann.pk).status == Subscriber.Status.UNSUBSCRIBED
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
    progress = campaign_progress(campaign)
    assert (progress["sent"], progress["unsubscribed since"]) == (2, 1)
    assert Subscriber.objects.get(pk=bo.pk).status == Subscriber.Status.CONFIRMED


def test_someone_who_unsubscribes_after_the_start_is_skipped(campaign: Campaign, smtp_inbox: Inbox) -> None:
    subscriber("ann@example.org")
    cy = subscriber("cy@example.org")
    started(campaign)
    Subscriber.objects.filter(pk=cy.pk).update(status=Subscriber.Status.UNSUBSCRIBED)
    run = deliveries_send_some(campaign_id=campaign.pk, limit=100)
    assert (run.sent, run.skipped) == (1, 1)
    assert [message["To"] for message in smtp_inbox.messages] == ["ann@example.org"]
    assert Delivery.objects.get(subscriber=cy).status == Delivery.Status.SKIPPED


def test_a_dead_senders_rows_go_to_another_after_its_lease_and_handed_ones_never_again(
    campaign: Campaign, smtp_inbox: Inbox
) -> None:
    for number in range(4):
        subscriber(f"r{number}@example.org")
    started(campaign)
    rows = list(Delivery.objects.filter(campaign=campaign).order_by("pk"))
    later = timezone.now() + lease()
    # A sender claimed two rows and died: one before handing it over, one after.
    Delivery.objects.filter(pk=rows[0].pk).update(
        status="sending", claim="dead", claimed_until=later, attempts=1
    )
    Delivery.objects.filter(pk=rows[1].pk).update(
        status="handed", claim="dead", claimed_until=later, attempts=1
    )

    run = deliveries_send_some(campaign_id=campaign.pk, limit=100)
    assert run.sent == 2  # the two nobody held; the dead sender's still are its own
    Delivery.objects.filter(pk__in=[rows[0].pk, rows[1].pk]).update(
        claimed_until=timezone.now() - timedelta(1)
    )
    run = deliveries_send_some(campaign_id=campaign.pk, limit=100)
    assert run.sent == 1  # the row that never reached the server

    received = sorted(message["To"] for message in smtp_inbox.messages)
    assert received == ["r0@example.org", "r2@example.org", "r3@example.org"]
    handed = Delivery.objects.get(pk=rows[1].pk)
    assert handed.status == Delivery.Status.FAILED
    assert "outcome unknown" in handed.error
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


def test_refusals_are_kept_per_recipient_and_temporary_ones_wait(
    campaign: Campaign, picky_inbox: PickyInbox
) -> None:
    subscriber("ok@example.org")
    subscriber("nobody@example.org")
    subscriber("busy@example.org")
    picky_inbox.answers = {
        "nobody@example.org": "550 5.1.1 No such user",
        "busy@example.org": "451 4.3.0 Try later",
    }
    started(campaign)
    run = deliveries_send_some(campaign_id=campaign.pk, limit=100)
    assert (run.sent, run.failed, run.retried) == (1, 1, 1)
    nobody = Delivery.objects.get(email="nobody@example.org")
    assert (nobody.status, nobody.error) == ("failed", "550 5.1.1 No such user")
    busy = Delivery.objects.get(email="busy@example.org")
    assert busy.status == Delivery.Status.PENDING
    assert busy.not_before is not None
    assert busy.not_before > timezone.now()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING  # not done while one waits


def test_a_test_send_goes_to_the_editor_only(campaign: Campaign, smtp_inbox: Inbox) -> None:
    subscriber("ann@example.org")
    campaign_send_test(campaign=campaign, to="editor@example.org")
    [message] = smtp_inbox.messages
    assert (message["To"], message["Subject"]) == ("editor@example.org", "[Test] Spring in Astana")
    assert not Delivery.objects.exists()
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.DRAFT


def test_a_guide_is_announced_to_its_destination_in_one_action(smtp_inbox: Inbox, settings: Any) -> None:
    guide = Guide.objects.get(slug="alzhir-museum")
    subscriber("astana@example.org", places=["astana"])
    Destination.objects.create(
        slug="helsinki", name="Helsinki", timezone="Europe/Helsinki", lat=60.17, lon=24.94
    )
    subscriber("helsinki@example.org", places=["helsinki"])

    campaign = guide_announce(guide=guide, actor=None)
    assert campaign.status == Campaign.Status.SCHEDULED
    assert campaign_start(campaign_id=campaign.pk) == 1
    deliveries_send_some(campaign_id=campaign.pk, limit=100)
    [message] = smtp_inbox.messages
    assert message["To"] == "astana@example.org"
    assert message["Subject"] == f"New guide: {guide.title}"
    assert "/guides/alzhir-museum/" in body(message)


def test_a_campaign_whose_senders_all_died_is_found_for_the_worker_to_resume(campaign: Campaign) -> None:
    subscriber("ann@example.org")
    subscriber("bo@example.org")
    started(campaign)
    assert stalled_campaigns() == []  # just started: its senders are on their way
    later = timezone.now() + lease() + timedelta(seconds=1)
    rows = list(Delivery.objects.filter(campaign=campaign).order_by("pk"))
    Delivery.objects.filter(pk=rows[0].pk).update(
        status="sending", claim="alive", claimed_until=later + lease()
    )
    assert stalled_campaigns(now=later) == []  # a sender claimed within the lease: it is alive

    # Its sender died: its lease has run out (and nobody claimed anything since).
    Delivery.objects.filter(pk=rows[0].pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert stalled_campaigns(now=later) == [campaign.pk]
    deliveries_send_some(campaign_id=campaign.pk, limit=100)
    assert stalled_campaigns(now=later + lease() * 2) == []  # all sent: nothing to resume


def test_the_worker_starts_a_campaign_when_its_time_comes_and_sends_it(
    campaign: Campaign, smtp_inbox: Inbox, settings: Any
) -> None:
    settings.TASKS_BACKEND = "database"
    subscriber("ann@example.org")
    later = timezone.now() + timedelta(hours=3)
    campaign_schedule(campaign=campaign, send_at=later)
    run_once()
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SCHEDULED
    assert smtp_inbox.messages == []

    with time_machine.travel(later + timedelta(minutes=1)):
        passes = [run_once() for _ in range(2)]
    assert passes[0]["campaigns started"] == 1
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENT
    assert [message["To"] for message in smtp_inbox.messages] == ["ann@example.org"]
