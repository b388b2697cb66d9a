from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


def new_public_id() -> str:
    # A plan nobody has claimed is reachable by its id alone, so the id must be unguessable: 96 random bits.
    return secrets.token_urlsafe(12)


def new_token() -> str:
    # Share links and invitations are bearer secrets: 192 random bits, never derived from anything.
    return secrets.token_urlsafe(24)


class Role(models.TextChoices):
    """What a person may do with a trip; each role can do everything the ones before it can."""

    VIEWER = "viewer", "Viewer"
    COMMENTER = "commenter", "Commenter"
    EDITOR = "editor", "Editor"
    OWNER = "owner", "Owner"


class Plan(models.Model):
    """A trip request and the plan made for it. Each re-plan replaces `result` and bumps `revision`.

    A plan made before signing in has no owner: it belongs to the browser session that made it
    (`session_key`) until that person signs in and it becomes theirs.
    """

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    destination = models.ForeignKey("places.Destination", on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(max_length=200)
    request = models.JSONField(help_text="The trip request as understood, defaults filled in.")
    result = models.JSONField(help_text="The plan document (docs/plans.md).")
    revision = models.PositiveIntegerField(default=1)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="plans"
    )
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    is_public = models.BooleanField(default=False, help_text="Anyone may read it at its public page.")
    deleted_at = models.DateTimeField(null=True, blank=True, help_text="Deleted, and restorable for a while.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    """A person the owner shared the trip with, and their role."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trip_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "user"], name="one_membership_per_person")]

    def __str__(self) -> str:
        return f"{self.user} on {self.plan} as {self.role}"


class ShareLink(models.Model):
    """A link that gives whoever holds it a role on the trip, until it is revoked."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    role = models.CharField(max_length=10, choices=Role.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.role} link to {self.plan}"


class Invitation(models.Model):
    """An invitation sent by email; accepting it (signed in) makes a membership."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email} to {self.plan} as {self.role}"


class PlanEvent(models.Model):
    """The trip's change log: who did what, when, and the revision it made. It powers history and live updates."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    revision = models.PositiveIntegerField()
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.summary}"


class Comment(models.Model):
    """A comment on the trip or on one place of it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    place_id = models.CharField(
        max_length=120, blank=True, help_text="The place commented on; blank: the trip."
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "created_at"]

    def __str__(self) -> str:
        return f"{self.author} on {self.plan}: {self.text[:30]}"


class WishItem(models.Model):
    """A place someone would like on the trip, on no particular day; the group votes on it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="wishes")
    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "place"], name="one_wish_per_place")]

    def __str__(self) -> str:
        return f"{self.place} on {self.plan}'s wish list"


class Vote(models.Model):
    """One person's vote on a wished place: +1 for, -1 against."""

    wish = models.ForeignKey(WishItem, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(choices=[(1, "For"), (-1, "Against")])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["wish", "user"], name="one_vote_per_person")]

    def __str__(self) -> str:
        return f"{self.user}: {self.value:+d} on {self.wish}"
