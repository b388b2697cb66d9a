"""Reads for the newsletter: the subscriber a link names, and the choices a sign-up form offers."""

from __future__ import annotations

from tripwise.core.errors import TripwiseError
from tripwise.newsletter.models import Subscriber
from tripwise.newsletter.tokens import Purpose, matches, read_token
from tripwise.places.models import Destination

__all__ = ["destination_choices", "subscriber_by_token"]


def subscriber_by_token(token: str, purpose: Purpose) -> Subscriber:
    subscriber_id, fingerprint = read_token(token, purpose)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).prefetch_related("destinations").first()
    if subscriber is None or not matches(subscriber.email, fingerprint):
        raise TripwiseError(
            "bad_link",
            "This link belongs to a subscription that no longer exists. Sign up again to get the newsletter.",
            status=404,
        )
    return subscriber


def destination_choices() -> list[tuple[str, str]]:
    return list(Destination.objects.order_by("name").values_list("slug", "name"))
