"""Emails written by the sender (mail_enqueue_composed): the request stores a small row naming a composer, and
the first sender to claim it writes it from the database as committed, once; what cannot be written is given
up on with the reason, and nothing but a marked composer can ever be named."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import transaction

from tests.mail.conftest import Inbox, body
from tripwise.mail.composing import Attachment, Composed, mail_composer
from tripwise.mail.models import OutboxEmail
from tripwise.mail.services import mail_enqueue_composed, outbox_send, outbox_send_due

pytestmark = pytest.mark.django_db

calls: list[int] = []


@mail_composer
def compose_welcome(*, user_id: int) -> Composed:
    calls.append(user_id)
    user = User.objects.get(pk=user_id)
    return Composed(
        template="mail_tests/booking_confirmed",
        context={
            "name": user.first_name,
            "experience": "Steppe <ride>",
            "day": "1 December",
            "reference": "B1",
        },
        attachments=[
            Attachment(filename="welcome.ics", mimetype="text/calendar", content=b"BEGIN:VCALENDAR")
        ],
        headers={"Reply-To": "help@example.org"},
    )


def compose_unmarked(*, user_id: int) -> Composed:
    raise AssertionError("an unmarked function must never be called by the sender")


def enqueue_welcome(user: User) -> OutboxEmail:
    return mail_enqueue_composed(
        kind="welcome", to=[user.email], composer=compose_welcome, params={"user_id": user.pk}
    )


def test_the_sender_writes_the_email_from_what_was_committed(
    smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    user = User.objects.create_user("ann", "ann@example.org", first_name="Ann")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        email = enqueue_welcome(user)
        assert email.subject == ""
        assert email.composed_at is None
        User.objects.filter(pk=user.pk).update(first_name="Anna")  # later in the same transaction

    [message] = smtp_inbox.messages
    assert "Hello Anna," in body(message)  # written after the commit, from the committed row
    assert message["Reply-To"] == "help@example.org"
    assert message["Message-ID"]  # fixed when stored
    assert [part.get_filename() for part in message.iter_attachments()] == ["welcome.ics"]
    stored = OutboxEmail.objects.get(pk=email.pk)
    assert stored.composed_at is not None
    assert stored.sent_at is not None
    assert stored.subject
    assert "Hello Anna," in stored.text


def test_a_retry_sends_the_text_written_the_first_time(settings: Any) -> None:
    settings.MAIL_SEND_ON_COMMIT = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    user = User.objects.create_user("bo", "bo@example.org", first_name="Bo")
    email = enqueue_welcome(user)
    calls.clear()

    report = outbox_send_due()

    assert report.retried == 1
    assert calls == [user.pk]
    stored = OutboxEmail.objects.get(pk=email.pk)
    assert stored.composed_at is not None
    assert "Hello Bo," in stored.text
    User.objects.filter(pk=user.pk).update(first_name="Someone else")
    OutboxEmail.objects.filter(pk=email.pk).update(send_after=stored.created_at)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_send_due().sent == 1
    assert calls == [user.pk]  # not written again
    assert "Hello Bo," in mail.outbox[0].body


def test_an_email_about_something_gone_is_given_up_with_the_reason(settings: Any) -> None:
    settings.MAIL_SEND_ON_COMMIT = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = User.objects.create_user("cy", "cy@example.org")
    email = enqueue_welcome(user)
    user.delete()

    assert outbox_send(email.pk) is False

    stored = OutboxEmail.objects.get(pk=email.pk)
    assert stored.failed_at is not None
    assert stored.sent_at is None
    assert "cannot be written: DoesNotExist" in stored.last_error


def test_only_marked_composers_can_be_named(settings: Any) -> None:
    settings.MAIL_SEND_ON_COMMIT = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with pytest.raises(ValueError, match="@mail_composer"):
        mail_enqueue_composed(
            kind="x", to=["d@example.org"], composer=compose_unmarked, params={"user_id": 1}
        )
    assert not OutboxEmail.objects.exists()

    # A row naming something else (edited by hand, or a composer renamed since) is refused, never called.
    forged = OutboxEmail.objects.create(
        kind="x", to=["d@example.org"], composer=f"{__name__}.compose_unmarked", params={"user_id": 1}
    )
    renamed = OutboxEmail.objects.create(
        kind="x", to=["d@example.org"], composer=f"{__name__}.compose_gone", params={"user_id": 1}
    )
    assert outbox_send_due().failed == 2
    assert "is not marked with @mail_composer" in OutboxEmail.objects.get(pk=forged.pk).last_error
    assert "no composer" in OutboxEmail.objects.get(pk=renamed.pk).last_error
