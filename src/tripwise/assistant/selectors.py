"""Reads for the assistant: what a request in plain words says, against the destinations and places we know."""

from __future__ import annotations

from datetime import date

from tripwise.core.understand.names import Named
from tripwise.core.understand.understand import Understanding, understand
from tripwise.places.models import Destination, Place

__all__ = ["understand_text"]


def _names() -> tuple[list[Named], list[Named]]:
    destinations = [
        Named(id=slug, names=(name, slug, *aliases), currency=currency)
        for slug, name, aliases, currency in Destination.objects.values_list(
            "slug", "name", "aliases", "currency"
        )
    ]
    places = [
        Named(id=slug, names=(name, *aliases), destination=destination)
        for slug, name, aliases, destination in Place.objects.exclude(
            kind__in=["restaurant", "cafe"]
        ).values_list("slug", "name", "aliases", "destination__slug")
    ]
    return destinations, places


def understand_text(*, text: str, today: date) -> Understanding:
    destinations, places = _names()
    return understand(text, today=today, destinations=destinations, places=places)
