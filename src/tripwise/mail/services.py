"""Writes for the outbox: store an email with the transaction that causes it, send it once that committed.

`mail_enqueue` renders the email and writes its row inside the caller's transaction (a booking's, say), so the
email exists exactly when the booking committed, and never touches the network there. After the commit the
row is sent straight away (`outbox_send`, when MAIL_SEND_ON_COMMIT is on) or by a worker (`outbox_send_due`);
either way a sender first claims the row with a conditional UPDATE, so no two senders send the same email.

Failures: a mail server that is away, slow or says 4xx is temporary: the row waits 1, 5, 30, 120, then 720
minutes and is given up on after six attempts. A 5xx refusal of the recipients or of the message, or an email
that cannot even be built (a malformed address), is permanent: given up on at once. Either way the reason is
kept in `last_error`, and one bad row never stops the others.
"""

from __future__ import annotations

import base64
import logging
import smtplib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import sanitize_address
from django.db import DatabaseError, transaction
from django.utils import timezone

from tripwise.mail.composing import Attachment, Composed, composer_name, composer_of, render
from tripwise.mail.models import BACKOFF, OUTBOX, OutboxEmail
from tripwise.mail.selectors import outbox_due
from tripwise.tasks.attempts import Failure, Outcome

__all__ = [
    "BACKOFF",
    "MAX_ATTEMPTS",
    "Attachment",
    "SendReport",
    "mail_enqueue",
    "mail_enqueue_composed",
    "outbox_retry",
    "outbox_send",
    "outbox_send_due",
]

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = len(BACKOFF) + 1


@dataclass(frozen=True)
class SendReport:
    """What one run of the sender did: emails sent, put back to wait (temporary failure), and given up on."""

    sent: int = 0
    retried: int = 0
    failed: int = 0


def _message_id() -> str:
    # Fixed when the email is stored, so a resend after a lost lease is recognisably the same message.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "tripwise.invalid"
    return make_msgid(domain=domain)


def _recipients(to: Sequence[str]) -> list[str]:
    if isinstance(to, str):
        raise TypeError("`to` is a list of addresses, not one string.")
    recipients = [address.strip() for address in to if address.strip()]
    if not recipients:
        raise ValueError("An email needs at least one recipient.")
    return recipients


def _checked_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    extra_headers = dict(headers or {})
    for name, value in extra_headers.items():
        if any(char in f"{name}{value}" for char in "\r\n"):
            raise ValueError(f"The header {name!r} contains a line break.")
    return extra_headers


def _stored_attachments(attachments: Sequence[Attachment]) -> list[dict[str, str]]:
    return [
        {
            "filename": attachment.filename,
            "mimetype": attachment.mimetype,
            "content_b64": base64.b64encode(attachment.content).decode("ascii"),
        }
        for attachment in attachments
    ]


def _store(email: OutboxEmail) -> OutboxEmail:
    if not any(name.lower() == "message-id" for name in email.headers):
        email.headers["Message-ID"] = _message_id()
    email.save(force_insert=True)
    if settings.MAIL_SEND_ON_COMMIT and email.send_after <= timezone.now():
        transaction.on_commit(partial(outbox_send, email.pk), robust=True)
    return email


def mail_enqueue(
    *,
    kind: str,
    template: str,
    to: Sequence[str],
    context: Mapping[str, Any],
    attachments: Sequence[Attachment] = (),
    headers: Mapping[str, str] | None = None,
    send_after: datetime | None = None,
) -> OutboxEmail:
    """Render `{template}_subject.txt`, `{template}.txt` and (when it exists) `{template}.html` with `context`
    and `site_url`, and store the email; it is sent after the surrounding transaction commits.

    Call it inside the transaction whose change the email reports: a rollback takes the email with it.
    Nothing is sent here. Mistakes of the caller raise: TypeError for one string as `to`, ValueError for no
    recipient or a header with a line break.
    """
    recipients = _recipients(to)
    extra_headers = _checked_headers(headers)
    rendered = render(template, context)
    return _store(
        OutboxEmail(
            kind=kind,
            to=recipients,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            headers=extra_headers,
            attachments=_stored_attachments(attachments),
            send_after=send_after or timezone.now(),
        )
    )


def mail_enqueue_composed(
    *,
    kind: str,
    to: Sequence[str],
    composer: Callable[..., Composed],
    params: Mapping[str, Any],
    send_after: datetime | None = None,
) -> OutboxEmail:
    """Store an email that the sender writes: `composer(**params)` (a function marked `@mail_composer`) is
    called when the row is first claimed, in the worker or after the commit, and its templates rendered then.

    For emails on a busy path (a booking's confirmation with its calendar): the transaction only writes a
    small row. The composer reads the database as it is at sending time, so it sees what was committed.
    """
    return _store(
        OutboxEmail(
            kind=kind,
            to=_recipients(to),
            composer=composer_name(composer),
            params=dict(params),
            headers={},
            send_after=send_after or timezone.now(),
        )
    )


def _compose(email: OutboxEmail) -> None:
    """Write a composed row's subject, parts and attachments (once: a retry sends the same text)."""
    composed = composer_of(email.composer)(**email.params)
    rendered = render(composed.template, composed.context)
    email.subject, email.text, email.html = rendered.subject, rendered.text, rendered.html
    email.headers = {**_checked_headers(composed.headers), **email.headers}
    email.attachments = _stored_attachments(composed.attachments)
    email.composed_at = timezone.now()
    OutboxEmail.objects.filter(pk=email.pk).update(
        subject=email.subject,
        text=email.text,
        html=email.html,
        headers=email.headers,
        attachments=email.attachments,
        composed_at=email.composed_at,
    )


def _claim(email_id: int, *, now: datetime, lease: timedelta) -> OutboxEmail | None:
    return OUTBOX.claim(OutboxEmail.objects.all(), email_id, now=now, lease=lease)


def _build(email: OutboxEmail, connection: BaseEmailBackend) -> EmailMultiAlternatives:
    """The message, checked as the SMTP backend will check it: a row that cannot be built never can."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(email.to),
        headers=dict(email.headers),
        connection=connection,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for attachment in email.attachments:
        message.attach(
            str(attachment["filename"]),
            base64.b64decode(attachment["content_b64"], validate=True),
            str(attachment["mimetype"]),
        )
    encoding = message.encoding or settings.DEFAULT_CHARSET
    for address in [message.from_email, *message.recipients()]:
        sanitize_address(address, encoding)  # ValueError for what no server would take
    message.message()  # headers: BadHeaderError (a ValueError) for a line break
    return message


def _smtp_reason(code: int, text: bytes | str) -> str:
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {said}".strip()


def _failure(error: Exception) -> Failure:
    """What an exception from sending means for the row."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        # Raised only when every recipient was refused; one 4xx among them is worth another try.
        refusals = {address: code for address, (code, _) in error.recipients.items()}
        reason = "refused " + "; ".join(
            f"{address}: {_smtp_reason(code, said)}" for address, (code, said) in error.recipients.items()
        )
        return Failure(reason, permanent=all(500 <= code < 600 for code in refusals.values()))
    if isinstance(error, smtplib.SMTPDataError):
        # The server read the message and refused it (too big, rejected as spam): the same bytes will be.
        reason = f"message refused: {_smtp_reason(error.smtp_code, error.smtp_error)}"
        return Failure(reason, permanent=500 <= error.smtp_code < 600)
    if isinstance(error, smtplib.SMTPResponseException):
        # The sender refused, sign-in refused, 421 closing: the server's or our settings' state, not this
        # email's. Temporary even when 5xx: a misconfiguration must not throw away every email.
        return Failure(
            f"server said {_smtp_reason(error.smtp_code, error.smtp_error)}",
            permanent=False,
            connection_lost=True,
        )
    if isinstance(error, OSError):  # refused, unreachable, timed out, disconnected (smtplib's too)
        return Failure(
            f"mail server unreachable: {type(error).__name__}: {error}", permanent=False, connection_lost=True
        )
    return Failure(f"{type(error).__name__}: {error}", permanent=False, connection_lost=True)


def _deliver(email: OutboxEmail, connection: BaseEmailBackend) -> Failure | None:
    """Send one claimed row over `connection` (opened when needed, left open for the next row)."""
    if email.composer and email.composed_at is None:
        try:
            _compose(email)
        except DatabaseError as error:  # the database is away for a moment: the row waits like any other
            return Failure(f"cannot be written now: {type(error).__name__}: {error}", permanent=False)
        except Exception as error:  # what it is about is gone, or the composer is: it never will be written
            return Failure(f"cannot be written: {type(error).__name__}: {error}", permanent=True)
    try:
        message = _build(email, connection)
    except Exception as error:  # anything malformed in the stored row
        return Failure(f"cannot be built: {type(error).__name__}: {error}", permanent=True)
    try:
        connection.open()
        sent = connection.send_messages([message])
    except Exception as error:
        return _failure(error)
    if not sent:
        return Failure("the email backend sent nothing", permanent=False)
    return None


def _connect() -> BaseEmailBackend | Failure:
    try:
        connection: BaseEmailBackend = get_connection()
    except Exception as error:  # a misconfigured backend: every email waits until it is fixed
        return Failure(
            f"no email backend: {type(error).__name__}: {error}", permanent=False, connection_lost=True
        )
    return connection


def _record(email: OutboxEmail, failure: Failure | None, *, now: datetime) -> Outcome:
    """Write how the attempt went and let go of the row. `email.attempts` already counts this attempt."""
    return OUTBOX.record(
        OutboxEmail.objects.all(),
        email.pk,
        failure=failure,
        attempts=email.attempts,
        now=now,
        what=f"Email {email.pk} ({email.kind})",
    )


def _close(connection: BaseEmailBackend | None) -> None:
    if connection is None:
        return
    try:
        connection.close()
    except Exception:  # a server that is already gone; nothing left to do with it
        logger.debug("Closing the mail connection failed", exc_info=True)


def outbox_send_due(*, now: datetime | None = None, limit: int = 100, lease_seconds: int = 120) -> SendReport:
    """Send up to `limit` due emails, oldest first, over one connection; safe to run in several workers.

    `now` is the clock for what is due, the leases and the backoff. Each row is claimed just before it is
    sent, for `lease_seconds` (longer than one send may take: EMAIL_TIMEOUT). When the server cannot be
    reached the run stops after recording that on the row it was sending; the others keep their turn.
    With nothing due it costs one indexed query. Database errors are raised (the worker decides when to try
    again); nothing about one email's sending is.
    """
    now = now or timezone.now()
    lease = timedelta(seconds=lease_seconds)
    due_ids = list(outbox_due(now=now).order_by("send_after", "pk").values_list("pk", flat=True)[:limit])
    sent = retried = failed = 0
    connection: BaseEmailBackend | None = None
    try:
        for email_id in due_ids:
            email = _claim(email_id, now=now, lease=lease)
            if email is None:
                continue  # another sender took it first
            failure: Failure | None = None
            if connection is None:
                made = _connect()
                if isinstance(made, Failure):
                    failure = made
                else:
                    connection = made
            if connection is not None:
                failure = _deliver(email, connection)
            outcome = _record(email, failure, now=now)
            sent += outcome == "done"
            retried += outcome == "retried"
            failed += outcome == "failed"
            if failure is not None and failure.connection_lost:
                break
    finally:
        _close(connection)
    return SendReport(sent=sent, retried=retried, failed=failed)


def outbox_send(email_id: int) -> bool:
    """Send this one email now if it is still due (what runs after the commit); True when it was sent.

    Never raises: the request that stored the email must not fail because the mail server is down. The
    failure is recorded on the row, which waits for the worker.
    """
    now = timezone.now()
    connection: BaseEmailBackend | None = None
    try:
        email = _claim(email_id, now=now, lease=timedelta(seconds=120))
        if email is None:
            return False
        made = _connect()
        if isinstance(made, Failure):
            return _record(email, made, now=now) == "done"
        connection = made
        return _record(email, _deliver(email, connection), now=now) == "done"
    except Exception:
        logger.exception("Sending email %s after the commit failed; the outbox keeps it", email_id)
        return False
    finally:
        _close(connection)


def outbox_retry(*, email_ids: Sequence[int]) -> int:
    """Make these unsent emails due now, given-up ones included (one more attempt), and send them; returns
    how many were sent. Sent emails are left alone: this never sends an email twice."""
    now = timezone.now()
    OutboxEmail.objects.filter(pk__in=list(email_ids), sent_at__isnull=True).update(
        send_after=now, failed_at=None
    )
    return sum(outbox_send(email_id) for email_id in email_ids)
