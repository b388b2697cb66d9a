"""The outbox end to end through a real SMTP server: an email leaves only when its transaction committed,
arrives whole (both parts, headers, attachment), and a mail server that is away or says no is waited for or
given up on, row by row, without ever failing the request that stored the email."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from tests.mail.conftest import Inbox, PickyInbox, body, free_port
from tripwise.mail.models import OutboxEmail
from tripwise.mail.services import (
    BACKOFF,
    MAX_ATTEMPTS,
    Attachment,
    SendReport,
    mail_enqueue,
    outbox_send,
    outbox_send_due,
)

pytestmark = pytest.mark.django_db

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
PDF = bytes(range(256))  # not text in any encoding: must arrive byte for byte


def enqueue_booking(to: str = "carol@example.org", **overrides: Any) -> OutboxEmail:
    arguments: dict[str, Any] = {
        "kind": "booking_confirmed",
        "template": "mail_tests/booking_confirmed",
        "to": [to],
        "context": {
            "name": "Carol O'Brien & Co",
            "experience": "Steppe <ride>",
            "day": "1 December",
            "reference": "BK-42",
        },
        "attachments": [
            Attachment(filename="booking.ics", mimetype="text/calendar; method=REQUEST", content=ICS),
            Attachment(filename="receipt.pdf", mimetype="application/pdf", content=PDF),
        ],
        "headers": {"X-Tripwise-Booking": "BK-42", "Reply-To": "help@example.org"},
    }
    return mail_enqueue(**{**arguments, **overrides})


def enqueue_plain(number: int, to: str = "dave@example.org") -> OutboxEmail:
    return mail_enqueue(kind="plain", template="mail_tests/plain", to=[to], context={"number": number})


def attachments_of(message: EmailMessage) -> dict[str, tuple[str, bytes]]:
    found = {}
    for part in message.iter_attachments():
        assert isinstance(part, EmailMessage)
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        found[str(part.get_filename())] = (part.get_content_type(), payload)
    return found


def closed_port() -> int:
    return free_port()  # bound, then released: nothing listens there


def test_a_committed_email_arrives_with_both_parts_headers_and_attachments(
    smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        email = enqueue_booking()
        assert smtp_inbox.messages == []  # nothing leaves inside the transaction
    assert len(callbacks) == 1

    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.last()
    assert smtp_inbox.recipients[-1] == ["carol@example.org"]
    assert message["To"] == "carol@example.org"
    assert str(message["From"]) == settings.DEFAULT_FROM_EMAIL
    # One line, and not HTML-escaped: subjects and plain text are not HTML.
    assert message["Subject"] == "Booking confirmed: Steppe <ride>"
    assert message["X-Tripwise-Booking"] == "BK-42"
    assert message["Reply-To"] == "help@example.org"
    assert message["Message-ID"] == email.headers["Message-ID"]

    text = body(message)
    assert "Hello Carol O'Brien & Co," in text
    assert "your booking of Steppe <ride> on 1 December is confirmed." in text
    assert f"{settings.SITE_URL}/bookings/BK-42/" in text
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    html = str(html_part.get_content())
    assert "Carol O&#x27;Brien &amp; Co" in html  # escaped where it is HTML
    assert "<strong>Steppe &lt;ride&gt;</strong>" in html
    assert f'href="{settings.SITE_URL}/bookings/BK-42/"' in html

    assert attachments_of(message) == {
        "booking.ics": ("text/calendar", ICS),
        "receipt.pdf": ("application/pdf", PDF),
    }
    calendar_part = next(part for part in message.iter_attachments() if part.get_filename() == "booking.ics")
    assert calendar_part.get_param("method") == "REQUEST"  # calendars offer "add" for an iTIP request

    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.failed_at is None
    assert email.claimed_until is None
    assert email.attempts == 1
    assert email.kind == "booking_confirmed"
    # Sent once: neither the worker nor a second on-commit send sends it again.
    assert outbox_send_due() == SendReport()
    assert outbox_send(email.pk) is False
    assert len(smtp_inbox.messages) == 1


def test_a_rolled_back_transaction_sends_nothing_and_leaves_no_row(
    smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    def book() -> None:
        with transaction.atomic():
            enqueue_booking()
            raise RuntimeError("the booking failed after the email was stored")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        book()
    assert callbacks == []
    assert not OutboxEmail.objects.exists()
    assert outbox_send_due() == SendReport()
    assert smtp_inbox.messages == []


def test_smtp_down_the_row_waits_with_backoff_and_the_worker_sends_it_when_the_server_is_back(
    smtp_inbox: Inbox, settings: Settings, django_capture_on_commit_callbacks: Any
) -> None:
    server_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = closed_port()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        email = enqueue_booking()  # the on-commit send fails, and the request does not
    email.refresh_from_db()
    assert email.sent_at is None
    assert email.failed_at is None
    assert email.attempts == 1
    assert "unreachable" in email.last_error
    assert "ConnectionRefusedError" in email.last_error
    first_wait = email.send_after - email.created_at
    assert timedelta(seconds=59) < first_wait < timedelta(seconds=61)

    # Not due before its time: the worker leaves it alone, in one query.
    assert outbox_send_due(now=email.send_after - timedelta(seconds=1)) == SendReport()

    # Due, server still down: the second wait is five minutes.
    later = email.send_after + timedelta(seconds=1)
    assert outbox_send_due(now=later) == SendReport(retried=1)
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.send_after == later + timedelta(minutes=5)
    assert email.claimed_until is None

    settings.EMAIL_PORT = server_port  # the server is back
    assert outbox_send_due(now=later + timedelta(minutes=4)) == SendReport()  # still waiting
    assert outbox_send_due(now=later + timedelta(minutes=5)) == SendReport(sent=1)
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 3
    assert email.last_error == ""
    assert len(smtp_inbox.messages) == 1
    assert attachments_of(smtp_inbox.last())["receipt.pdf"] == ("application/pdf", PDF)


def test_backoff_is_1_5_30_120_720_minutes_then_the_email_is_given_up_on(settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.MAIL_SEND_ON_COMMIT = False
    email = enqueue_plain(1)
    now = email.send_after
    waits = []
    for attempt in range(1, MAX_ATTEMPTS):
        assert outbox_send_due(now=now) == SendReport(retried=1)
        email.refresh_from_db()
        assert email.attempts == attempt
        waits.append(email.send_after - now)
        now = email.send_after
    assert waits == list(BACKOFF) == [timedelta(minutes=m) for m in (1, 5, 30, 120, 720)]
    assert outbox_send_due(now=now) == SendReport(failed=1)
    email.refresh_from_db()
    assert email.attempts == MAX_ATTEMPTS == 6
    assert email.failed_at is not None
    assert email.sent_at is None
    assert outbox_send_due(now=now + timedelta(days=30)) == SendReport()  # never again


def test_a_permanent_refusal_fails_at_once_and_the_batch_goes_on(
    picky_inbox: PickyInbox, settings: Settings
) -> None:
    settings.MAIL_SEND_ON_COMMIT = False
    picky_inbox.answers["nobody@example.org"] = "550 5.1.1 <nobody@example.org>: no such user"
    refused = enqueue_plain(1, to="nobody@example.org")
    good = enqueue_plain(2)

    assert outbox_send_due() == SendReport(sent=1, failed=1)
    refused.refresh_from_db()
    assert refused.failed_at is not None
    assert refused.sent_at is None
    assert refused.attempts == 1
    assert refused.last_error.startswith("refused nobody@example.org: 550 5.1.1")
    assert "no such user" in refused.last_error
    good.refresh_from_db()
    assert good.sent_at is not None
    assert [m["Subject"] for m in picky_inbox.messages] == ["Plain 2"]
    assert outbox_send_due(now=timezone.now() + timedelta(days=1)) == SendReport()


def test_a_temporary_refusal_4xx_is_retried(picky_inbox: PickyInbox, settings: Settings) -> None:
    settings.MAIL_SEND_ON_COMMIT = False
    picky_inbox.answers["busy@example.org"] = "451 4.7.1 greylisted, come back later"
    email = enqueue_plain(1, to="busy@example.org")
    now = timezone.now()
    assert outbox_send_due(now=now) == SendReport(retried=1)
    email.refresh_from_db()
    assert email.failed_at is None
    assert email.send_after == now + timedelta(minutes=1)
    assert "451 4.7.1 greylisted" in email.last_error

    del picky_inbox.answers["busy@example.org"]
    assert outbox_send_due(now=now + timedelta(minutes=1)) == SendReport(sent=1)
    assert picky_inbox.recipients == [["busy@example.org"]]


def test_an_address_no_server_would_take_fails_without_trying(smtp_inbox: Inbox, settings: Settings) -> None:
    settings.MAIL_SEND_ON_COMMIT = False
    broken = enqueue_plain(1, to="carol@example.org\nBcc: everyone@example.org")
    good = enqueue_plain(2)
    assert outbox_send_due() == SendReport(sent=1, failed=1)
    broken.refresh_from_db()
    assert broken.failed_at is not None
    assert broken.last_error.startswith("cannot be built")
    good.refresh_from_db()
    assert good.sent_at is not None
    assert smtp_inbox.recipients == [["dave@example.org"]]


def test_one_connection_serves_the_whole_batch_oldest_first(
    smtp_inbox: Inbox, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MAIL_SEND_ON_COMMIT = False
    for number in range(5):
        enqueue_plain(number)
    from django.core.mail.backends.smtp import EmailBackend

    opened = []
    real_open = EmailBackend.open

    def counting_open(self: EmailBackend) -> bool | None:
        was_closed = self.connection is None
        result = real_open(self)
        opened.append(was_closed)
        return result

    monkeypatch.setattr(EmailBackend, "open", counting_open)
    assert outbox_send_due(limit=3) == SendReport(sent=3)
    assert opened.count(True) == 1
    assert [m["Subject"] for m in smtp_inbox.messages] == ["Plain 0", "Plain 1", "Plain 2"]
    assert outbox_send_due() == SendReport(sent=2)


def test_with_the_server_down_a_run_stops_after_the_first_failure(settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.MAIL_SEND_ON_COMMIT = False
    emails = [enqueue_plain(number) for number in range(3)]
    assert outbox_send_due() == SendReport(retried=1)
    attempts = [OutboxEmail.objects.get(pk=email.pk).attempts for email in emails]
    assert attempts == [1, 0, 0]  # the others keep their turn, unpunished


def test_nothing_due_costs_one_query(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        assert outbox_send_due() == SendReport()


def test_a_row_under_another_senders_lease_waits_until_the_lease_runs_out(
    smtp_inbox: Inbox, settings: Settings
) -> None:
    settings.MAIL_SEND_ON_COMMIT = False
    email = enqueue_plain(1)
    now = timezone.now()
    OutboxEmail.objects.filter(pk=email.pk).update(claimed_until=now + timedelta(seconds=120))
    assert outbox_send_due(now=now) == SendReport()
    assert outbox_send(email.pk) is False
    # The sender that held it died without a word: after its lease another one sends it.
    assert outbox_send_due(now=now + timedelta(seconds=121)) == SendReport(sent=1)
    assert len(smtp_inbox.messages) == 1


def test_with_send_on_commit_off_only_the_worker_sends(
    smtp_inbox: Inbox, settings: Settings, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MAIL_SEND_ON_COMMIT = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        enqueue_booking()
    assert callbacks == []
    assert smtp_inbox.messages == []
    assert outbox_send_due() == SendReport(sent=1)
    assert len(smtp_inbox.messages) == 1


def test_a_later_send_after_is_not_sent_before_it(
    smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    later = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        email = mail_enqueue(
            kind="plain",
            template="mail_tests/plain",
            to=["e@example.org"],
            context={"number": 1},
            send_after=later,
        )
    assert smtp_inbox.messages == []
    assert outbox_send_due() == SendReport()
    assert outbox_send_due(now=later) == SendReport(sent=1)
    email.refresh_from_db()
    assert email.sent_at is not None


def test_enqueue_renders_text_only_templates_and_refuses_caller_mistakes() -> None:
    email = enqueue_plain(7)
    assert email.subject == "Plain 7"
    assert email.text.strip() == "Plain text only, number 7."
    assert email.html == ""
    assert email.attachments == []
    assert email.headers["Message-ID"].endswith("@localhost>")
    with pytest.raises(TypeError):
        mail_enqueue(kind="plain", template="mail_tests/plain", to="a@example.org", context={})
    with pytest.raises(ValueError, match="recipient"):
        mail_enqueue(kind="plain", template="mail_tests/plain", to=[" "], context={})
    with pytest.raises(ValueError, match="line break"):
        mail_enqueue(
            kind="plain",
            template="mail_tests/plain",
            to=["a@example.org"],
            context={},
            headers={"X-A": "1\r\nBcc: x"},
        )
    assert OutboxEmail.objects.count() == 1


def test_the_admin_lists_the_outbox_and_sends_now(
    smtp_inbox: Inbox, settings: Settings, client: Client
) -> None:
    settings.MAIL_SEND_ON_COMMIT = False
    waiting = enqueue_plain(1)
    given_up = enqueue_plain(2)
    OutboxEmail.objects.filter(pk=given_up.pk).update(
        failed_at=timezone.now(), attempts=MAX_ATTEMPTS, last_error="mail server unreachable"
    )
    admin = User.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    page = client.get("/admin/mail/outboxemail/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "dave@example.org" in content
    assert "mail server unreachable" in content
    assert "Send now" in content
    found = client.get("/admin/mail/outboxemail/", {"q": "DAVE@example"}).content.decode()
    assert "Plain 1" in found
    assert "Plain 2" in found
    assert "Plain 1" not in client.get("/admin/mail/outboxemail/", {"q": "nobody-here"}).content.decode()
    detail = client.get(f"/admin/mail/outboxemail/{waiting.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()  # read-only
    assert client.get("/admin/mail/outboxemail/add/").status_code == 403

    response = client.post(
        "/admin/mail/outboxemail/",
        {"action": "send_now", "_selected_action": [waiting.pk, given_up.pk]},
    )
    assert response.status_code == 302
    assert sorted(m["Subject"] for m in smtp_inbox.messages) == ["Plain 1", "Plain 2"]
    assert OutboxEmail.objects.filter(sent_at__isnull=False).count() == 2
    # Again: nothing is sent twice.
    client.post("/admin/mail/outboxemail/", {"action": "send_now", "_selected_action": [waiting.pk]})
    assert len(smtp_inbox.messages) == 2


def test_a_failed_send_after_commit_never_fails_the_request(monkeypatch: pytest.MonkeyPatch) -> None:
    email = enqueue_plain(1)

    def broken_connection(**kwargs: Any) -> Any:
        raise RuntimeError("the backend could not even be made")

    monkeypatch.setattr("tripwise.mail.services.get_connection", broken_connection)
    assert outbox_send(email.pk) is False
    email.refresh_from_db()
    assert email.sent_at is None
    assert email.failed_at is None
    assert email.claimed_until is None
    assert email.attempts == 1
    assert "could not even be made" in email.last_error
    assert outbox_send_due(now=email.send_after) == SendReport(retried=1)
