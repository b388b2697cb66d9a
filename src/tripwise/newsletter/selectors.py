"""Reads for the newsletter: the subscriber a link names, and the choices a sign-up form offers."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count

from tripwise.core.errors import TripwiseError
from tripwise.newsletter.models import Campaign, Delivery, Subscriber
from tripwise.newsletter.tokens import Purpose, matches, read_token
from tripwise.places.models import Destination

__all__ = ["audience_of", "campaign_progress", "destination_choices", "subscriber_by_token"]


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


def audience_of(campaign: Campaign) -> Iterator[tuple[int, str]]:
    """(subscriber id, email) of the confirmed subscribers the campaign is for, in id order.

    Interests are a JSON list, compared here rather than in SQL (the same on SQLite and PostgreSQL); this runs
    once per campaign, when sending starts, over the confirmed subscribers alone."""
    wanted_interests = set(campaign.interests)
    wanted_places = set(campaign.destinations.values_list("pk", flat=True))
    confirmed = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).order_by("pk")
    places_of: dict[int, set[int]] = {}
    if wanted_places:
        links = Subscriber.destinations.through.objects.filter(subscriber__status=Subscriber.Status.CONFIRMED)
        for subscriber_id, destination_id in links.values_list("subscriber_id", "destination_id").iterator():
            places_of.setdefault(subscriber_id, set()).add(destination_id)
    for subscriber_id, email, interests in confirmed.values_list("pk", "email", "interests").iterator(2000):
        chosen = set(interests or [])
        if wanted_interests and chosen and not chosen & wanted_interests:
            continue  # they chose interests, none of these
        places = places_of.get(subscriber_id, set())
        if wanted_places and places and not places & wanted_places:
            continue  # they chose destinations, none of these
        yield subscriber_id, email


def campaign_progress(campaign: Campaign) -> dict[str, int]:
    """Deliveries by status, and how many of those sent have unsubscribed since."""
    counts = dict(
        Delivery.objects.filter(campaign=campaign).values_list("status").annotate(n=Count("pk")).order_by()
    )
    counts["unsubscribed since"] = Delivery.objects.filter(
        campaign=campaign, status=Delivery.Status.SENT, subscriber__status=Subscriber.Status.UNSUBSCRIBED
    ).count()
    return {status: int(counts.get(status, 0)) for status in [*Delivery.Status.values, "unsubscribed since"]}
