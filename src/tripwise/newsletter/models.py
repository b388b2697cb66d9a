"""Subscribers and the proof of their consent.

A subscriber exists from the first sign-up request, as `pending`; only the POST behind the confirmation link
makes them `confirmed` (double opt-in), and only confirmed subscribers are ever mailed a newsletter. Every
step (asked, confirmed, preferences changed, unsubscribed) adds a Consent row with its time, where it came
from and the client's address: rows are only ever added, so they prove what the subscriber agreed to and when.
"""

from __future__ import annotations

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
