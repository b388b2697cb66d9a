"""Reads for accounts: how a person is named on the site, and the plans behind a session's conversations."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser

from tripwise.assistant.models import Conversation

__all__ = ["conversation_plan_ids", "user_display"]


def user_display(user: AbstractBaseUser) -> str:
    """The email address: usernames exist (Django's User needs one) but are made up and never shown."""
    return str(getattr(user, "email", "") or user.get_username())


def conversation_plan_ids(*, conversation_ids: Iterable[str]) -> list[str]:
    """The public ids of the plans these conversations (by public id) have made."""
    return list(
        Conversation.objects.filter(public_id__in=list(conversation_ids), plan__isnull=False).values_list(
            "plan__public_id", flat=True
        )
    )
