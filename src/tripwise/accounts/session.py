"""Trips made before signing in: the browser session remembers their ids, and signing in claims them.

Only ids this session created are kept (a visitor cannot add someone else's plan to the list), and Django
keeps the session's data when it changes the session's key at sign-in.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from tripwise.accounts.services import session_claim
from tripwise.assistant.models import Conversation
from tripwise.trips.models import Plan

__all__ = [
    "MY_BOOKINGS",
    "MY_CONVERSATIONS",
    "MY_PLANS",
    "claim_on_sign_in",
    "remember_booking",
    "remember_conversation",
    "remember_plan",
]

MY_PLANS = "my_plans"
MY_CONVERSATIONS = "my_conversations"
MY_BOOKINGS = "my_bookings"  # codes of bookings and applications
KEEP = 200  # the newest ids only: the session is loaded on every request, so the list stays short


def _remember(request: HttpRequest, key: str, public_id: str) -> None:
    remembered = [item for item in request.session.get(key, []) if item != public_id]
    request.session[key] = [*remembered, public_id][-KEEP:]


def remember_plan(request: HttpRequest, plan: Plan) -> None:
    """Called where a plan is made: signed in, it is theirs at once; otherwise it waits for sign-in."""
    _remember(request, MY_PLANS, plan.public_id)
    if request.user.is_authenticated:
        session_claim(user=request.user, plan_ids=[plan.public_id], conversation_ids=[], session_key="")


def remember_conversation(request: HttpRequest, conversation: Conversation) -> None:
    """Called where a conversation starts: its plan is claimed like one made on the planner."""
    _remember(request, MY_CONVERSATIONS, conversation.public_id)
    if request.user.is_authenticated:
        session_claim(
            user=request.user, plan_ids=[], conversation_ids=[conversation.public_id], session_key=""
        )


def remember_booking(request: HttpRequest, code: str) -> None:
    """Called where a booking or an application is made in a browser: signing in later makes it the
    account's, so it shows under My bookings on every device."""
    _remember(request, MY_BOOKINGS, code)


def claim_on_sign_in(sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any) -> None:
    """`user_logged_in` receiver: the trips this browser made before signing in become the user's."""
    if request is None or not hasattr(request, "session"):
        return
    session_claim(
        user=user,
        plan_ids=list(request.session.get(MY_PLANS, [])),
        conversation_ids=list(request.session.get(MY_CONVERSATIONS, [])),
        session_key=request.session.session_key or "",
        booking_codes=list(request.session.get(MY_BOOKINGS, [])),
    )
