"""The outbox: every transactional email is a row here before it is a message on the wire.

A row is written in the same transaction as the change it reports (a booking, later a newsletter issue), so
it exists exactly when that change committed; it is sent after the commit, by the request that made it or by
a worker, and retried with backoff while the mail server is away.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tripwise.tasks.attempts import LeasedWork


class OutboxEmail(models.Model):
    """One email waiting to be sent, sent, or given up on.

    Either rendered when stored (subject, text, html, attachments), or stored as the name of a composer and
    its parameters and written by the first sender that claims it (`composed_at`), so the request that
    caused it does not pay for templates and calendars. Once written, retries send the same text.

    Due: `sent_at` and `failed_at` empty, `send_after` passed, and no sender holding it (`claimed_until`
    empty or passed). A sender claims a row with a conditional UPDATE that sets `claimed_until`, so two
    senders never send the same row; a sender that dies mid-send lets go when its lease runs out.
    """

    to = models.JSONField(default=list, help_text="Recipient addresses.")
    subject = models.CharField(max_length=998, blank=True)  # the longest line RFC 5322 allows
    text = models.TextField(blank=True, help_text="The plain-text body.")
    html = models.TextField(blank=True, help_text="The HTML alternative, when there is one.")
    headers = models.JSONField(default=dict, blank=True, help_text="Extra headers, name to value.")
    attachments = models.JSONField(
        default=list, blank=True, help_text='[{"filename", "mimetype", "content_b64"}].'
    )
    composer = models.CharField(
        max_length=200,
        blank=True,
        help_text="For an email written when it is sent: the function that writes it (tripwise.mail.composing).",
    )
    params = models.JSONField(default=dict, blank=True, help_text="What the composer is given, e.g. an id.")
    composed_at = models.DateTimeField(null=True, blank=True, help_text="When the composer wrote it.")
    kind = models.CharField(
        max_length=64, db_index=True, help_text='What it is about, e.g. "booking_confirmed".'
    )
    created_at = models.DateTimeField(auto_now_add=True)
    send_after = models.DateTimeField(default=timezone.now, help_text="Not sent before this (retries wait).")
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True, help_text="Given up on: no more attempts.")
    attempts = models.PositiveIntegerField(default=0, help_text="Times a sender claimed it to send it.")
    last_error = models.TextField(blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True, help_text="A sender's lease on the row.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The "due" query reads only the unsent, unfailed rows by send_after: a partial index stays as
            # small as the backlog however many sent emails the table keeps.
            models.Index(
                fields=["send_after"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="mail_outbox_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {', '.join(self.to)}: {self.subject}"

    @property
    def status(self) -> str:
        if self.sent_at is not None:
            return "sent"
        if self.failed_at is not None:
            return "failed"
        return "waiting"


# The waits after the 1st, 2nd, … failed attempt; the attempt after the last wait is the last one.
BACKOFF = tuple(timedelta(minutes=minutes) for minutes in (1, 5, 30, 120, 720))
OUTBOX = LeasedWork(
    finished_by="sent_at", due_by="send_after", backoff=BACKOFF
)  # how emails are claimed and retried
