"""Subscribers and the proof of their consent.

A subscriber exists from the first sign-up request, as `pending`; only the POST behind the confirmation link
makes them `confirmed` (double opt-in), and only confirmed subscribers are ever mailed a newsletter. Every
step (asked, confirmed, preferences changed, unsubscribed) adds a Consent row with its time, where it came
from and the client's address: rows are only ever added, so they prove what the subscriber agreed to and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tripwise.core.understand.lexicon import INTERESTS

INTEREST_CHOICES = [(name, name.capitalize()) for name in INTERESTS]


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "waiting for confirmation"
        CONFIRMED = "confirmed"
        UNSUBSCRIBED = "unsubscribed"

    email = models.EmailField(unique=True, help_text="Stored in lower case: one subscriber per address.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    interests = models.JSONField(
        default=list,
        blank=True,
        help_text="Names from the assistant's interests (history, nature, food, ...).",
    )
    destinations = models.ManyToManyField("places.Destination", blank=True, related_name="subscribers")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.status})"


class Consent(models.Model):
    """One step of a subscriber's consent, kept as proof: never changed, never deleted with the subscriber's
    preferences (a GDPR-style record of opt-in: who, what, when, from where)."""

    class Action(models.TextChoices):
        REQUESTED = "requested", "asked to subscribe"
        CONFIRMED = "confirmed", "confirmed the address"
        CHANGED = "changed", "changed preferences"
        UNSUBSCRIBED = "unsubscribed"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    action = models.CharField(max_length=16, choices=Action.choices)
    at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(
        max_length=100,
        help_text='Where: "footer", "guide:<slug>", "account", "api", "email link", "one-click".',
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    interests = models.JSONField(default=list, blank=True, help_text="What was chosen at that step.")
    destinations = models.JSONField(default=list, blank=True, help_text="Destination slugs chosen then.")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.subscriber.email} {self.action} at {self.at:%Y-%m-%d %H:%M} ({self.source})"


class Campaign(models.Model):
    """One newsletter issue: written in markdown, sent to an audience of confirmed subscribers.

    The audience is everyone confirmed, or, when interests or destinations are chosen, the subscribers whose
    own choices meet them (a subscriber who chose none takes everything). It is fixed when sending starts: a
    Delivery row per recipient."""

    class Status(models.TextChoices):
        DRAFT = "draft"
        SCHEDULED = "scheduled"
        SENDING = "sending"
        SENT = "sent"
        CANCELLED = "cancelled"

    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown. Raw HTML is removed; links and headings are kept.")
    interests = models.JSONField(default=list, blank=True, help_text="Audience: any of these interests.")
    destinations = models.ManyToManyField("places.Destination", blank=True, related_name="campaigns")
    guide = models.ForeignKey(
        "guides.Guide",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="announcements",
        help_text="The guide this campaign announces, if any.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    send_at = models.DateTimeField(null=True, blank=True, help_text="When sending starts (scheduled).")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One campaign to one subscriber: claimed before sending, marked after, so that every recipient gets it
    once (tripwise.newsletter.sending explains the steps and the one moment a kill leaves in doubt)."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SENDING = "sending", "claimed by a sender"
        HANDED = "handed", "handed to the mail server, waiting for its answer"
        SENT = "sent"
        FAILED = "failed"
        SKIPPED = "skipped", "skipped: unsubscribed before it was sent"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    claim = models.CharField(max_length=32, blank=True, help_text="The sender run holding it.")
    claimed_until = models.DateTimeField(null=True, blank=True)
    not_before = models.DateTimeField(null=True, blank=True, help_text="A retry waits until then.")
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "subscriber"], name="one_delivery_per_recipient")
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="delivery_progress")]

    def __str__(self) -> str:
        return f"{self.campaign} to {self.email}: {self.status}"
