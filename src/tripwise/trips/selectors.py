"""Reads for trips: stored plans, and the facts of places in the plain form the planner core takes."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from tripwise.core.errors import NotFound, TripwiseError
from tripwise.core.money import Money
from tripwise.core.text import fold
from tripwise.core.trips.model import PlaceFacts
from tripwise.places.models import Destination, Place, Price
from tripwise.trips.models import Plan

__all__ = ["place_resolve", "plan_get", "planner_places", "planning_facts"]

_CHILD_WORDS = ("child", "kid", "under ")


def plan_get(*, public_id: str) -> Plan:
    try:
        return Plan.objects.select_related("destination").get(public_id=public_id)
    except Plan.DoesNotExist:
        raise NotFound("plan", public_id) from None


def planner_places(*, destination: Destination) -> list[Place]:
    return list(Place.objects.filter(destination=destination).order_by("name"))


def _prices(prices: list[Price]) -> tuple[Money | None, Money | None]:
    """The adult and child prices from a place's price list (first non-child line is the adult's)."""
    adult = child = None
    for price in prices:
        money = Money(Decimal(price.amount), price.currency)
        if any(word in price.label.lower() for word in _CHILD_WORDS):
            child = child or money
        elif adult is None:
            adult = money
    return adult, child


def planning_facts(*, destination: Destination) -> list[PlaceFacts]:
    """Every place of the destination as plain facts (plain rows: a city has thousands of places)."""
    prices: dict[int, list[Price]] = {}
    for price in Price.objects.filter(place__destination=destination).order_by("position", "id"):
        prices.setdefault(price.place_id, []).append(price)
    url = reverse("places:place", kwargs={"slug": "-"})[:-2]  # "/places/"; one reverse() for all places
    facts = []
    rows = (
        Place.objects.filter(destination=destination)
        .order_by("slug")
        .values_list(
            "id",
            "slug",
            "name",
            "lat",
            "lon",
            "timezone",
            "opening_hours",
            "visit_minutes",
            "kind",
            "tags",
            "aliases",
        )
    )
    for pk, slug, name, lat, lon, zone, hours, minutes, kind, tags, aliases in rows:
        adult, child = _prices(prices.get(pk, []))
        facts.append(
            PlaceFacts(
                id=slug,
                name=name,
                lat=lat,
                lon=lon,
                timezone=zone or destination.timezone,
                opening_hours=hours or None,
                visit_minutes=minutes,
                kind=kind,
                tags=tuple(tags),
                aliases=tuple(aliases),
                adult_price=adult,
                child_price=child,
                url=f"{url}{slug}/",
            )
        )
    return facts


def place_resolve(name: str, places: list[PlaceFacts], destination: Destination) -> PlaceFacts:
    """A place of the destination by id (slug), name or alias, in any script; a clear error otherwise."""
    for place in places:
        if place.id == name:
            return place
    wanted = fold(name)
    matches = [p for p in places if wanted in {fold(n) for n in (p.name, p.id, *p.aliases)}]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        listed = ", ".join(p.id for p in matches[:5])
        raise TripwiseError(
            "ambiguous_place", f"{name!r} matches several places in {destination}: {listed}. Give one id."
        )
    raise TripwiseError(
        "unknown_place",
        f"No place {name!r} in {destination}: give a place id or name from /destinations/{destination.slug}/.",
    )
