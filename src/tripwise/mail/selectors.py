"""Reads for the outbox: which emails are due."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from tripwise.mail.models import OutboxEmail

__all__ = ["outbox_due"]


def outbox_due(*, now: dt.datetime) -> QuerySet[OutboxEmail]:
    """Emails that may be sent at `now`: not sent, not given up on, their time come and no live lease.

    The same condition guards the claim (services._claim), so a row read here may still be taken by another
    sender first; only a successful claim gives the right to send it.
    """
    return OutboxEmail.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        sent_at__isnull=True,
        failed_at__isnull=True,
        send_after__lte=now,
    )
