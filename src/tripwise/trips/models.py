from __future__ import annotations

import secrets

from django.db import models


def new_public_id() -> str:
    # Plans are reachable by their id alone (no accounts yet), so the id must be unguessable: 96 random bits.
    return secrets.token_urlsafe(12)


class Plan(models.Model):
    """A trip request and the plan made for it. Each re-plan replaces `result` and bumps `revision`."""

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    destination = models.ForeignKey("places.Destination", on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(max_length=200)
    request = models.JSONField(help_text="The trip request as understood, defaults filled in.")
    result = models.JSONField(help_text="The plan document (docs/plans.md).")
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
