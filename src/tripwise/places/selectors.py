"""Reads for destinations and places."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from tripwise.core.errors import NotFound
from tripwise.core.text import fold
from tripwise.places.models import Access, Destination, Place


def destination_find(name: str) -> Destination | None:
    """The destination called `name` by its name, slug or any alias, in any script ("Астана" finds Astana)."""
    wanted = fold(name)
    if not wanted:
        return None
    for destination in Destination.objects.all():
        names = [destination.name, destination.slug, *destination.aliases]
        if wanted in {fold(candidate) for candidate in names}:
            return destination
    return None


def destination_get(name: str) -> Destination:
    destination = destination_find(name)
    if destination is None:
        raise NotFound("destination", name)
    return destination


def destinations_list() -> QuerySet[Destination]:
    return Destination.objects.all()


def places_list(*, destination: Destination | None = None) -> QuerySet[Place]:
    places = Place.objects.select_related("destination")
    if destination is not None:
        places = places.filter(destination=destination)
    return places.order_by("destination__name", "name")


def place_get(slug: str) -> Place:
    try:
        return Place.objects.select_related("destination").get(slug=slug)
    except Place.DoesNotExist:
        raise NotFound("place", slug) from None


def place_as_dict(place: Place) -> dict[str, Any]:
    """The fixed export shape (DESIGN.md): id, name, lat, lon, timezone, opening_hours (null when unknown)."""
    return {
        "id": place.slug,
        "name": place.name,
        "lat": place.lat,
        "lon": place.lon,
        "timezone": place.timezone,
        "opening_hours": place.opening_hours or None,
        "destination": place.destination.slug,
        "kind": place.kind,
        "visit_minutes": place.visit_minutes,
        "tags": place.tags,
    }


def places_export(*, destination_name: str | None = None) -> list[dict[str, Any]]:
    destination = destination_get(destination_name) if destination_name else None
    return [place_as_dict(place) for place in places_list(destination=destination)]


def map_markers(places: Iterable[Place], *, with_stops: bool = False) -> list[dict[str, Any]]:
    """Markers for the map: each place, and (with_stops) the stops where its transit access begins and ends."""
    markers: list[dict[str, Any]] = []
    for place in places:
        markers.append(
            {
                "lat": place.lat,
                "lon": place.lon,
                "name": place.name,
                "url": place.get_absolute_url(),
                "kind": "place",
            }
        )
        if not with_stops:
            continue
        for access in place.access.filter(mode=Access.Mode.TRANSIT).select_related(
            "route", "from_stop", "to_stop"
        ):
            for stop in (access.from_stop, access.to_stop):
                if stop is not None and stop.lat is not None and stop.lon is not None:
                    name = f"{stop.name}: bus {access.route}" if access.route else stop.name
                    markers.append(
                        {"lat": stop.lat, "lon": stop.lon, "name": name, "url": "", "kind": "stop"}
                    )
    return markers
