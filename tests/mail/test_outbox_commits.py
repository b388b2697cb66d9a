"""The outbox with real commits: the email leaves after a real COMMIT and never after a ROLLBACK, and senders
running at the same time, each on its own database connection, send every email exactly once."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from pytest_django.fixtures import Settings

from tests.mail.conftest import Inbox, PickyInbox
from tripwise.mail.models import OutboxEmail
from tripwise.mail.services import SendReport, mail_enqueue, outbox_send_due

pytestmark = pytest.mark.django_db(transaction=True)

SENDERS = 4
EMAILS = 40


# SQLite's in-memory test database (a shared cache) answers "database table is locked" to a second
# connection at once, where a file database (and PostgreSQL) makes it wait its turn: on SQLite the senders'
# statements wait here as they would there. Nothing else changes: the race between reading the due rows and
# claiming them runs free.
def wait_for_the_table(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    deadline = time.monotonic() + 20
    while True:
        try:
            return execute(sql, params, many, context)
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.002)


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
    start = threading.Barrier(SENDERS)
    reports: list[SendReport] = []
    errors: list[BaseException] = []

    def sender() -> None:
        try:
            start.wait()
            with contextlib.ExitStack() as stack:
                if connection.vendor == "sqlite":
                    stack.enter_context(connection.execute_wrapper(wait_for_the_table))
                # Small batches: the senders keep coming back to the same rows, racing for each claim.
                while (report := outbox_send_due(now=now, limit=5)) != SendReport():
                    reports.append(report)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert not any(thread.is_alive() for thread in threads)

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
