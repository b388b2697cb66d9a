"""The signed tokens in newsletter links. A token names a subscriber and what it may do (confirm, or manage:
change preferences and unsubscribe), carries a fingerprint of the address (a token stops working if the row
is ever given to another address), and expires: confirmation links after CONFIRM_DAYS, manage and unsubscribe
links, which sit in every newsletter, after MANAGE_DAYS."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Literal

from django.core import signing

from tripwise.core.errors import TripwiseError

Purpose = Literal["confirm", "manage"]
CONFIRM_DAYS = 7
MANAGE_DAYS = 730  # an unsubscribe link in a newsletter from last year must still work
_MAX_AGE = {"confirm": timedelta(days=CONFIRM_DAYS), "manage": timedelta(days=MANAGE_DAYS)}


def _fingerprint(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def token_for(subscriber_id: int, email: str, purpose: Purpose) -> str:
    return signing.dumps(
        [subscriber_id, _fingerprint(email)], salt=f"tripwise.newsletter.{purpose}", compress=True
    )


def read_token(token: str, purpose: Purpose) -> tuple[int, str]:
    """(subscriber id, address fingerprint); a TripwiseError a person can act on when it is not valid."""
    try:
        subscriber_id, fingerprint = signing.loads(
            token, salt=f"tripwise.newsletter.{purpose}", max_age=_MAX_AGE[purpose]
        )
    except signing.SignatureExpired:
        raise TripwiseError(
            "link_expired",
            "This link has expired"
            + (f" (confirmation links last {CONFIRM_DAYS} days)" if purpose == "confirm" else "")
            + ". Sign up again with your address and we will send a fresh one.",
            status=404,
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise TripwiseError(
            "bad_link",
            "This link is not valid: it may have been cut short by your mail program. Open it from the email "
            "again, or sign up again with your address to get a new one.",
            status=404,
        ) from None
    return int(subscriber_id), str(fingerprint)


def matches(email: str, fingerprint: str) -> bool:
    return _fingerprint(email) == fingerprint


def manage_token(subscriber_id: int, email: str) -> str:
    return token_for(subscriber_id, email, "manage")
