"""The outbox with real commits: the email leaves after a real COMMIT and never after a ROLLBACK, and senders
running at the same time, each on its own database connection, send every email exactly once."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from pytest_django.fixtures import Settings

from tests.concurrency import race
from tests.mail.conftest import Inbox, PickyInbox
from tripwise.mail.models import OutboxEmail
from tripwise.mail.services import SendReport, mail_enqueue, outbox_send_due

pytestmark = pytest.mark.django_db(transaction=True)

SENDERS = 4
EMAILS = 40


def enqueue(number: int, to: str = "dave@example.org") -> OutboxEmail:
    return mail_enqueue(kind="plain", template="mail_tests/plain", to=[to], context={"number": number})


def test_the_email_leaves_after_a_real_commit_and_never_after_a_rollback(smtp_inbox: Inbox) -> None:
    with transaction.atomic():
        kept = enqueue(1)
        assert smtp_inbox.messages == []  # not inside the transaction
    assert [m["Subject"] for m in smtp_inbox.messages] == ["Plain 1"]
    kept.refresh_from_db()
    assert kept.sent_at is not None

    def book() -> None:
        with transaction.atomic():
            enqueue(2)
            raise RuntimeError("the booking failed")

    with pytest.raises(RuntimeError):
        book()
    assert list(OutboxEmail.objects.values_list("subject", flat=True)) == ["Plain 1"]
    assert outbox_send_due() == SendReport()
    assert [m["Subject"] for m in smtp_inbox.messages] == ["Plain 1"]


def test_concurrent_senders_send_each_email_exactly_once(smtp_inbox: Inbox, settings: Settings) -> None:
    settings.MAIL_SEND_ON_COMMIT = False
    with transaction.atomic():
        for number in range(EMAILS):
            enqueue(number)
    now = timezone.now()
    # Small batches: the senders keep coming back to the same rows, racing for each claim.
    reports = race(SENDERS, lambda: outbox_send_due(now=now, limit=5), idle=SendReport())

    subjects = Counter(str(message["Subject"]) for message in smtp_inbox.messages)
    assert subjects == Counter({f"Plain {number}": 1 for number in range(EMAILS)})
    assert sum(report.sent for report in reports) == EMAILS
    assert sum(report.retried + report.failed for report in reports) == 0
    assert OutboxEmail.objects.filter(sent_at__isnull=True).count() == 0
    assert set(OutboxEmail.objects.values_list("attempts", flat=True)) == {1}


def test_a_permanent_refusal_after_a_real_commit_is_marked_failed(
    picky_inbox: PickyInbox, settings: Settings
) -> None:
    picky_inbox.answers["gone@example.org"] = "550 5.1.1 mailbox unavailable"
    with transaction.atomic():
        email = enqueue(1, to="gone@example.org")
    email.refresh_from_db()
    assert email.failed_at is not None
    assert "550 5.1.1 mailbox unavailable" in email.last_error
    assert picky_inbox.messages == []
    assert outbox_send_due(now=timezone.now() + timedelta(days=1)) == SendReport()
