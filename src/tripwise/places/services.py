"""Writes for destinations and places. Each function owns its transaction and validates what it stores."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from unidecode import unidecode

from tripwise.core.errors import TripwiseError
from tripwise.core.hours import OpeningHoursError, country_of_zone, validate_opening_hours
from tripwise.core.money import currency_of_country
from tripwise.core.text import fold
from tripwise.places.models import Access, Destination, Place, Price
from tripwise.places.selectors import destination_find


def timezone_validate(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise TripwiseError(
            "bad_timezone",
            f"{name!r} is not an IANA time zone. Use a name such as Asia/Almaty or Europe/Helsinki.",
        ) from exc
    return name


def timezone_at(*, lat: float, lon: float) -> str:
    """The IANA zone at a point, from timezonefinder's offline polygons (no network)."""
    # Imported here: timezonefinder loads its polygons and (with numba present) compiles on import, about a
    # second that every page and command would otherwise pay for a function only new destinations need.
    from timezonefinder import TimezoneFinder

    found = TimezoneFinder().timezone_at(lat=lat, lng=lon)
    if found is None:
        raise TripwiseError(
            "timezone_unknown",
            f"No time zone is known at {lat:.4f}, {lon:.4f} (open sea?). Give one explicitly.",
        )
    return str(found)


def opening_hours_clean(value: str | None) -> str:
    """Stored form of an opening_hours value: stripped, validated, empty when unknown."""
    value = (value or "").strip()
    if value:
        try:
            validate_opening_hours(value)
        except OpeningHoursError as exc:
            raise TripwiseError("bad_opening_hours", str(exc)) from exc
    return value


def unique_slug(model: type[Destination] | type[Place], text: str) -> str:
    base = slugify(unidecode(text))[:100] or "place"
    slug, counter = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def destination_reindex(destination: Destination) -> None:
    destination.search_text = fold(" ".join([destination.name, destination.slug, *destination.aliases]))
    destination.save(update_fields=["search_text"])


def place_reindex(place: Place) -> None:
    words = [place.name, place.kind, place.address, place.summary, *place.aliases, *place.tags]
    place.search_text = fold(" ".join(words))
    place.save(update_fields=["search_text"])


@transaction.atomic
def destination_get_or_create(
    *,
    name: str,
    timezone: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    slug: str | None = None,
) -> tuple[Destination, bool]:
    """Find a destination by name, slug or alias, or create it with its zone (given, or found at lat/lon)."""
    if not name.strip():
        raise TripwiseError("bad_destination", "A destination needs a name, e.g. --destination Helsinki.")
    existing = destination_find(name)
    if existing is not None:
        return existing, False
    if timezone is None:
        if lat is None or lon is None:
            raise TripwiseError(
                "timezone_unknown",
                f"Destination {name!r} is new and its time zone is unknown: give a time zone or coordinates.",
            )
        timezone = timezone_at(lat=lat, lon=lon)
    zone = timezone_validate(timezone)
    # The zone says which country, and the country its money: what prices and fares there are shown in.
    country = country_of_zone(zoneinfo.ZoneInfo(zone)) or ""
    currency = currency_of_country(country) or ""
    destination = Destination.objects.create(
        slug=slug or unique_slug(Destination, name),
        name=name.strip(),
        country=country,
        currency=currency if currency in settings.CURRENCY_RATES else settings.DEFAULT_VISITOR_CURRENCY,
        timezone=zone,
        lat=lat if lat is not None else 0.0,
        lon=lon if lon is not None else 0.0,
    )
    destination_reindex(destination)
    return destination, True


@transaction.atomic
def destination_upsert(*, data: Mapping[str, Any]) -> Destination:
    """Create or update a destination from plain data (the demo's destination.json)."""
    destination, _ = Destination.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": data["name"],
            "country": data.get("country", ""),
            "timezone": timezone_validate(data["timezone"]),
            "currency": data.get("currency", "KZT"),
            "lat": float(data["lat"]),
            "lon": float(data["lon"]),
            "aliases": list(data.get("aliases", [])),
            "summary": data.get("summary", ""),
        },
    )
    destination_reindex(destination)
    return destination


def _prices(place: Place, prices: Iterable[Mapping[str, Any]], assumed: bool) -> None:
    place.prices.all().delete()
    for position, price in enumerate(prices):
        try:
            amount = Decimal(str(price["amount"]))
        except (InvalidOperation, KeyError) as exc:
            raise TripwiseError(
                "bad_price", f'{place.name}: price {price!r} needs an amount such as "1200".'
            ) from exc
        Price.objects.create(
            place=place,
            label=price.get("label", "Ticket"),
            amount=amount,
            currency=str(price.get("currency", place.destination.currency)).upper(),
            assumed=bool(price.get("assumed", assumed)),
            position=position,
        )


@transaction.atomic
def place_upsert(*, destination: Destination, data: Mapping[str, Any]) -> Place:
    """Create or update a place (by slug) with its prices, from plain data. Bad hours refuse the whole place."""
    assumed = list(data.get("assumed", data.get("assumed_fields", [])))
    place, _ = Place.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "destination": destination,
            "name": data["name"],
            "kind": data.get("kind", Place.Kind.OTHER),
            "lat": float(data["lat"]),
            "lon": float(data["lon"]),
            "timezone": timezone_validate(data.get("timezone") or destination.timezone),
            "address": data.get("address") or "",
            "opening_hours": opening_hours_clean(data.get("opening_hours")),
            "visit_minutes": int(data.get("visit_minutes") or 60),
            "summary": data.get("summary", ""),
            "tags": list(data.get("tags", [])),
            "aliases": list(data.get("aliases", [])),
            "rules": list(data.get("rules", [])),
            "assumed_fields": assumed,
            "source": data.get("source", ""),
            "osm_ref": data.get("osm_ref", ""),
        },
    )
    if "prices" in data:
        _prices(place, data["prices"], assumed="prices" in assumed)
    place_reindex(place)
    return place


@transaction.atomic
def place_access_set(*, place: Place, options: Sequence[Mapping[str, Any]]) -> None:
    """Replace the ways to get to a place. Transit options name a route and two stops of a feed."""
    from tripwise.transit.selectors import route_and_stops_find

    place.access.all().delete()
    for position, option in enumerate(options):
        route = from_stop = to_stop = None
        if option["mode"] == Access.Mode.TRANSIT:
            route, from_stop, to_stop = route_and_stops_find(
                destination=place.destination,
                route=str(option["route"]),
                from_stop=str(option["from_stop"]),
                to_stop=str(option["to_stop"]),
            )
        Access.objects.create(
            place=place,
            mode=option["mode"],
            text=option.get("text", ""),
            minutes=option.get("minutes"),
            km=Decimal(str(option["km"])) if option.get("km") is not None else None,
            route=route,
            from_stop=from_stop,
            to_stop=to_stop,
            position=position,
        )
