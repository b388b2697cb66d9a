"""Writes for accounts: what signing in does with the trips made before it."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.db import transaction

from tripwise.accounts.selectors import conversation_plan_ids
from tripwise.assistant.models import Conversation
from tripwise.experiences.services import bookings_claim
from tripwise.trips.services import plans_claim

__all__ = ["session_claim"]


def session_claim(
    *,
    user: AbstractBaseUser,
    plan_ids: Sequence[str],
    conversation_ids: Sequence[str],
    session_key: str,
    booking_codes: Sequence[str] = (),
) -> int:
    """Make the unclaimed plans this browser session made (on the planner or through the assistant) the
    user's, and its bookings and applications; returns how many plans became theirs. What someone already
    owns is left alone."""
    with transaction.atomic():
        claimed = plans_claim(
            user=user, plan_ids=[*plan_ids, *conversation_plan_ids(conversation_ids=conversation_ids)]
        )
        if session_key and conversation_ids:
            # Signing in gives the session a new key (against session fixation); the assistant lists a
            # browser's conversations by that key, so they follow it.
            Conversation.objects.filter(public_id__in=list(conversation_ids)).update(session_key=session_key)
        if isinstance(user, User):
            bookings_claim(user=user, codes=booking_codes)
    return claimed
