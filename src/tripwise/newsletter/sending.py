"""Sending a campaign: every recipient once, by senders that may be killed at any moment.

Each delivery goes through these steps, each committed before the next:

1. **Claimed**: a conditional UPDATE moves it from pending to `sending`, with this run's claim and a lease.
   Two senders never hold one row; a row whose sender died is due again when its lease runs out.
2. The subscriber is checked: unsubscribed since the campaign started means `skipped`.
3. The message goes to the mail server: MAIL, RCPT, DATA and the whole text, but not the final "." line.
4. **Handed**: the row is marked `handed` and committed, if this run still holds it (a run slower than its
   lease may have lost it to another sender: then it drops the connection, and with it the message).
5. The final "." is sent and the server's answer read: `sent` (250), due again later (4xx), `failed` (5xx).

A sender killed before step 4 leaves a message without its final dot, which the server drops when the
connection dies (RFC 5321: the data ends only with the dot), and a row still `sending`: after the lease
another sender sends it, once. A sender killed after step 4 leaves a row `handed`, which is never sent again:
after the lease it is marked failed, "outcome unknown". The one moment a kill still costs a message is
between step 4's commit and writing three bytes; sending first and marking after would instead send twice
whenever a kill fell between the server's answer and the commit.

With an email backend other than SMTP (the console in development), messages go through that backend and
are marked after; the once-only promise is for SMTP.
"""

from __future__ import annotations

import logging
import re
import secrets
import smtplib
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Max, Min, Q
from django.utils import timezone

from tripwise.newsletter.models import Campaign, Delivery, Subscriber
from tripwise.newsletter.writing import CampaignWriter

__all__ = [
    "SendRun",
    "campaign_finish_if_done",
    "deliveries_send_some",
    "lease",
    "next_look",
    "stalled_campaigns",
]

logger = logging.getLogger(__name__)

BATCH = 100  # rows claimed at once
RETRY_AFTER = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))  # 4xx answers
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@dataclass
class SendRun:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retried: int = 0


def lease() -> timedelta:
    """How long a sender holds its rows: longer than a batch takes to send; a dead sender's rows wait this long."""
    return timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)


def _due(now: datetime) -> Q:
    waiting = Q(status=Delivery.Status.PENDING) & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    return waiting | Q(status=Delivery.Status.SENDING, claimed_until__lt=now)


def _claim(campaign_id: int, claim: str, after_id: int) -> list[Delivery]:
    now = timezone.now()
    candidates = list(
        Delivery.objects.filter(_due(now), campaign_id=campaign_id, pk__gt=after_id)
        .order_by("pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    if not candidates:
        return []
    Delivery.objects.filter(_due(now), pk__in=candidates).update(
        status=Delivery.Status.SENDING, claim=claim, claimed_until=now + lease(), attempts=F("attempts") + 1
    )
    return list(
        Delivery.objects.filter(pk__in=candidates, claim=claim, status=Delivery.Status.SENDING)
        .select_related("subscriber")
        .order_by("pk")
    )


def _mark(delivery: Delivery, claim: str, status: str, **fields: object) -> None:
    Delivery.objects.filter(pk=delivery.pk, claim=claim).update(status=status, **fields)


def _settle_handed(campaign_id: int) -> int:
    """Rows handed to the server by a sender that then stopped: never sent again (that could be twice)."""
    return Delivery.objects.filter(
        campaign_id=campaign_id, status=Delivery.Status.HANDED, claimed_until__lt=timezone.now()
    ).update(
        status=Delivery.Status.FAILED,
        error="outcome unknown: the sender stopped after handing it to the mail server; not sent again",
    )


def _dot_stuffed(data: bytes) -> bytes:
    data = re.sub(rb"\r\n|\n|\r", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)  # a line starting with "." must not end the data early
    return data if data.endswith(b"\r\n") else data + b"\r\n"


class _Smtp:
    """One connection to the mail server, speaking the steps above."""

    def __init__(self) -> None:
        timeout = settings.EMAIL_TIMEOUT or 30
        if settings.EMAIL_USE_SSL:
            self.smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.EMAIL_HOST,
                settings.EMAIL_PORT,
                timeout=timeout,
                context=ssl.create_default_context(),
            )
        else:
            self.smtp = smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=timeout)
            if settings.EMAIL_USE_TLS:
                self.smtp.starttls(context=ssl.create_default_context())
        self.smtp.ehlo_or_helo_if_needed()
        # The final dot is a write of its own, right after the data: without this, Nagle's algorithm holds it
        # until the server's delayed acknowledgement (tens of milliseconds a message).
        if self.smtp.sock is not None:
            self.smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if settings.EMAIL_HOST_USER:
            self.smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)

    def begin(self, sender: str, recipient: str, data: bytes) -> tuple[int, str]:
        """Steps 3: (354, "") when the text is with the server but for its final dot; else the refusal."""
        for code, answer in (self.smtp.mail(sender), self.smtp.rcpt(recipient)):
            if code not in (250, 251):
                self.smtp.rset()
                return code, answer.decode(errors="replace")
        code, answer = self.smtp.docmd("DATA")
        if code != 354:
            self.smtp.rset()
            return code, answer.decode(errors="replace")
        self.smtp.send(_dot_stuffed(data))
        return 354, ""

    def finish(self) -> tuple[int, str]:
        self.smtp.send(b".\r\n")
        code, answer = self.smtp.getreply()
        return code, answer.decode(errors="replace")

    def abandon(self) -> None:
        """Drop the connection in the middle of a message's data: no message was made."""
        self.smtp.close()

    def close(self) -> None:
        try:
            self.smtp.quit()
        except (smtplib.SMTPException, OSError):
            self.smtp.close()


def _retry_or_fail(delivery: Delivery, claim: str, code: int, answer: str, run: SendRun) -> None:
    reason = f"{code} {answer}".strip()
    if 400 <= code < 500 and delivery.attempts <= len(RETRY_AFTER):
        wait = RETRY_AFTER[delivery.attempts - 1]
        _mark(delivery, claim, Delivery.Status.PENDING, not_before=timezone.now() + wait, error=reason)
        run.retried += 1
    else:
        _mark(delivery, claim, Delivery.Status.FAILED, error=reason)
        run.failed += 1


def _hand_over(delivery: Delivery, claim: str) -> bool:
    """Step 4, and the one place a row changes hands for good: only while this run still holds it. A run
    slower than its lease may have lost the row to another sender; then it must not send."""
    return bool(
        Delivery.objects.filter(pk=delivery.pk, claim=claim, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.HANDED, claimed_until=timezone.now() + lease()
        )
    )


def _send_smtp(
    connection: _Smtp, message: EmailMultiAlternatives, delivery: Delivery, claim: str, run: SendRun
) -> bool:
    """Steps 3 to 5 for one row; False when the connection had to be given up (the row was lost)."""
    code, answer = connection.begin(message.from_email, delivery.email, message.message().as_bytes())
    if code != 354:
        _retry_or_fail(delivery, claim, code, answer, run)
        return True
    if not _hand_over(delivery, claim):
        connection.abandon()  # without its final dot the server drops the message: the new holder sends it
        return False
    code, answer = connection.finish()
    if code == 250:
        _mark(delivery, claim, Delivery.Status.SENT, sent_at=timezone.now(), error="")
        run.sent += 1
    else:
        _retry_or_fail(delivery, claim, code, answer, run)
    return True


def deliveries_send_some(*, campaign_id: int, limit: int) -> SendRun:
    """Send up to `limit` of the campaign's due deliveries, batch by batch, over one connection."""
    run = SendRun()
    campaign = Campaign.objects.get(pk=campaign_id)
    if campaign.status != Campaign.Status.SENDING:
        return run
    _settle_handed(campaign_id)
    claim = secrets.token_hex(8)
    writer = CampaignWriter(campaign)
    smtp = settings.EMAIL_BACKEND == SMTP_BACKEND
    connection: _Smtp | None = None
    after_id = 0
    try:
        while run.sent + run.failed + run.skipped + run.retried < limit:
            batch = _claim(campaign_id, claim, after_id)
            if not batch:
                break
            after_id = batch[-1].pk
            for delivery in batch:
                if delivery.subscriber.status != Subscriber.Status.CONFIRMED:
                    _mark(delivery, claim, Delivery.Status.SKIPPED)
                    run.skipped += 1
                    continue
                message = writer.message(delivery)
                if not smtp:
                    message.connection = get_connection()
                    message.send()
                    _mark(delivery, claim, Delivery.Status.SENT, sent_at=timezone.now())
                    run.sent += 1
                    continue
                try:
                    connection = connection or _Smtp()
                    if not _send_smtp(connection, message, delivery, claim, run):
                        connection = None
                except (smtplib.SMTPException, OSError) as error:
                    # The server went away: this row is due again after its lease (or failed, if handed).
                    logger.warning("Campaign %s: mail server lost (%s); the rest waits", campaign_id, error)
                    connection = None
                    return run
    finally:
        if connection is not None:
            connection.close()
    campaign_finish_if_done(campaign_id)
    return run


def campaign_finish_if_done(campaign_id: int) -> bool:
    unfinished = [Delivery.Status.PENDING, Delivery.Status.SENDING, Delivery.Status.HANDED]
    if Delivery.objects.filter(campaign_id=campaign_id, status__in=unfinished).exists():
        return False
    return bool(
        Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING).update(
            status=Campaign.Status.SENT, finished_at=timezone.now()
        )
    )


def next_look(campaign_id: int) -> datetime | None:
    """When rows of a sending campaign that no sender can take now become due (a lease runs out, a retry's
    wait ends); None when nothing is left to wait for."""
    if not Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING).exists():
        return None
    rows = Delivery.objects.filter(campaign_id=campaign_id)
    moments = [
        rows.filter(status__in=[Delivery.Status.SENDING, Delivery.Status.HANDED]).aggregate(
            at=Min("claimed_until")
        )["at"],
        rows.filter(status=Delivery.Status.PENDING).aggregate(at=Min("not_before"))["at"],
    ]
    if rows.filter(status=Delivery.Status.PENDING, not_before__isnull=True).exists():
        return timezone.now()
    found = [moment for moment in moments if moment is not None]
    return min(found) + timedelta(seconds=1) if found else None


def stalled_campaigns(*, now: datetime | None = None) -> list[int]:
    """Sending campaigns with rows due and no sender seen for a whole lease: their senders died (a worker
    killed, its task with it) or never ran. A live sender claims a batch every few seconds, each claim
    reaching a lease ahead, so the latest lease of a campaign with a live sender is still ahead."""
    now = now or timezone.now()
    stalled = []
    quiet_since = now - lease()
    sending = Campaign.objects.filter(status=Campaign.Status.SENDING, started_at__lt=quiet_since)
    for campaign_id in sending.values_list("pk", flat=True):
        rows = Delivery.objects.filter(campaign_id=campaign_id)
        latest = rows.aggregate(latest=Max("claimed_until"))["latest"]
        if latest is not None and latest >= now:
            continue  # claimed within the last lease: a sender is at work
        if rows.filter(_due(now) | Q(status=Delivery.Status.HANDED)).exists():
            stalled.append(campaign_id)
    return stalled
