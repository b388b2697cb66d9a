"""Reads for the outbox: which emails are due."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from tripwise.mail.models import OUTBOX, OutboxEmail

__all__ = ["outbox_due"]


def outbox_due(*, now: dt.datetime) -> QuerySet[OutboxEmail]:
    """Emails that may be sent at `now`: not sent, not given up on, their time come and no live lease; only a
    successful claim (services._claim) gives the right to send one."""
    return OUTBOX.due(OutboxEmail.objects.all(), now=now)
