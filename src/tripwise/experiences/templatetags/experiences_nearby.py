"""`{% nearby_experiences place %}`: "Things to do nearby" on a place or guide page.

Give a Place (the search starts there and the full list link names it) or a Destination (its centre), e.g.
`{% nearby_experiences guide.place|default:guide.destination %}`. Shows the nearest few with their distance
and next departures, and a filter form that loads the full list (/experiences/) in place with htmx, or as a
page without JavaScript.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from tripwise.experiences.forms import NearbyFilterForm, language_name
from tripwise.experiences.selectors import experiences_near
from tripwise.places.models import Destination, Place

register = template.Library()

SHOWN = 3


@register.inclusion_tag("experiences/_nearby.html")
def nearby_experiences(centre: Place | Destination | None, shown: int = SHOWN) -> dict[str, Any]:
    if centre is None:
        return {"found": []}
    found = experiences_near(lat=centre.lat, lon=centre.lon, limit=shown)
    if isinstance(centre, Place):
        initial: dict[str, Any] = {"place": centre.slug}
    else:
        initial = {"lat": centre.lat, "lon": centre.lon}
    return {
        "found": found,
        "centre": centre,
        "form": NearbyFilterForm(initial={**initial, "party": 1}),
        "box_id": f"nearby-{centre.slug}",
    }


@register.filter
def languages_text(codes: object) -> str:
    """'English, Russian' from ["en", "ru"]."""
    if not isinstance(codes, list | tuple):
        return ""
    return ", ".join(language_name(str(code)) for code in codes)


@register.filter
def in_zone(moment: Any, zone: str) -> Any:
    """The wall-clock time of the aware datetime in the IANA zone `zone` (an experience's), for the date
    filter. Naive on purpose: the date filter would turn an aware one back into the site's zone (UTC)."""
    from zoneinfo import ZoneInfo

    try:
        return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    except (AttributeError, ValueError, KeyError):
        return moment


@register.filter
def in_currency(amount: Any, currency: str) -> str:
    """'₸6,000' from the amount 6000 and "KZT"; the bare amount and code for a currency we do not know."""
    from decimal import Decimal, InvalidOperation

    from tripwise.core.money import Money, UnknownCurrencyError, format_money

    if amount is None:
        return ""
    try:
        return format_money(Money(Decimal(str(amount)), str(currency)))
    except (InvalidOperation, TypeError, ValueError, UnknownCurrencyError):
        return f"{amount} {currency}"


@register.inclusion_tag("experiences/_bookable_on_day.html")
def bookable_on_day(
    day: dict[str, Any], party: dict[str, Any] | None = None, shown: int = SHOWN
) -> dict[str, Any]:
    """On a trip's day: what can be booked near that day's visits with a departure that very day and seats
    for the whole party, nearest to the middle of the day's visits (or to where the day starts)."""
    visits = [item for item in day.get("items", []) if item.get("type") == "visit" and "lat" in item]
    booked = {item["place_id"] for item in visits if item.get("booking")}
    points = [(item["lat"], item["lon"]) for item in visits] or [(day["base"]["lat"], day["base"]["lon"])]
    lat = sum(point[0] for point in points) / len(points)
    lon = sum(point[1] for point in points) / len(points)
    people = party or {}
    seats = int(people.get("adults", 1)) + int(people.get("children", 0))
    try:
        on = date.fromisoformat(str(day["date"]))
    except ValueError:
        return {"found": []}
    found = [
        hit
        for hit in experiences_near(lat=lat, lon=lon, on=on, party=max(1, seats), limit=shown + len(booked))
        if hit.experience.place.slug not in booked
    ]
    return {"found": found[:shown], "date": on}
