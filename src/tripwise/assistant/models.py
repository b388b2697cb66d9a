from __future__ import annotations

from django.db import models

from tripwise.trips.models import new_public_id


class Conversation(models.Model):
    """A traveller talking to the assistant about one trip: the plan it made and every turn since.

    It belongs to the browser session that started it (and to whoever holds its unguessable id, like a plan).
    """

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    plan = models.ForeignKey("trips.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    today = models.DateField(help_text="The day the conversation started: 'next week' is read from it.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Conversation {self.public_id}"


class Turn(models.Model):
    """One message and the assistant's answer. A turn that changed the plan keeps its structured changes and
    the request before them, so it can be shown, undone, and replayed from the first request."""

    class Kind(models.TextChoices):
        REQUEST = "request", "New trip"
        CHANGE = "change", "Change"
        QUESTION = "question", "Question"
        UNDO = "undo", "Undo"
        UNKNOWN = "unknown", "Not understood"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="turns")
    number = models.PositiveIntegerField()
    said = models.TextField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    changes = models.JSONField(default=list, blank=True, help_text="Structured changes (docs/plans.md).")
    request_before = models.JSONField(null=True, blank=True)
    request_after = models.JSONField(null=True, blank=True)
    reply = models.TextField()
    details = models.JSONField(
        default=list, blank=True, help_text="What changed and why, or the source facts."
    )
    revision = models.PositiveIntegerField(null=True, blank=True, help_text="The plan's revision it made.")
    undone = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conversation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "number"], name="one_turn_per_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.said[:40]}"
