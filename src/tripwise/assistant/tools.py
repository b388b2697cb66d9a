"""What an AI client may ask Tripwise (the MCP server, docs/mcp.md): plain typed functions over the selectors
and services, returning plain JSON data.

Nothing here knows about MCP: `mcp_server.py` wires these to the protocol and tests call them directly. Every
error is a TripwiseError whose message says what to do instead, because a model (or a person) reads it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tripwise.core.errors import NotFound, TripwiseError
from tripwise.core.geo import distance_m
from tripwise.core.hours import (
    OpeningHoursError,
    country_of_zone,
    describe_closed_days,
    hours_on,
    is_public_holiday,
    weekly_schedule,
)
from tripwise.core.text import fold, search_terms
from tripwise.core.trips.check import CheckFacts
from tripwise.core.trips.check import check_plan as check_document
from tripwise.core.trips.model import PlaceFacts, Point
from tripwise.core.trips.opening import ASSUMED_HOURS
from tripwise.core.trips.request import TripRequest, parse_request
from tripwise.core.understand.names import Named, find_names
from tripwise.experiences.selectors import experiences_near
from tripwise.guides.models import Guide
from tripwise.places.models import Access, Destination, Place
from tripwise.places.selectors import destination_find
from tripwise.transit.models import Stop
from tripwise.transit.selectors import feed_data_for
from tripwise.trips.models import Plan
from tripwise.trips.selectors import plan_get, planning_facts
from tripwise.trips.services import plan_create
from tripwise.web.selectors import search

__all__ = ["check_plan", "explain_rule", "place_facts", "plan_trip", "search_guides", "search_places"]

MAX_LIMIT = 50
NEARBY_STOP_M = 800  # a walk of about ten minutes: farther stops are not "at" the place
HOLIDAY_LOOKAHEAD_DAYS = 31
_PUBLIC_HOLIDAY = re.compile(r"\bPH\b")


def _invalid(message: str) -> TripwiseError:
    return TripwiseError("invalid_request", message)


def _query(query: str) -> str:
    if not isinstance(query, str) or not fold(query) or len(query) > 200:
        raise _invalid('query: give a name or a few words (at most 200 characters), e.g. "alzhir".')
    return query


def _limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise _invalid(f"limit: give a whole number from 1 to {MAX_LIMIT}, not {limit!r}.")
    return limit


def _destination(name: str) -> Destination:
    destination = destination_find(name)
    if destination is None:
        known = ", ".join(Destination.objects.values_list("slug", flat=True)[:20]) or "none yet"
        raise TripwiseError("unknown_destination", f"No destination {name!r}. Known destinations: {known}.")
    return destination


def _similar(query: str, places: list[Place]) -> list[Place]:
    """Places whose name or alias the query spells nearly (a typo, a Russian case ending), best first."""
    by_id = {place.slug: place for place in places}
    named = [Named(id=place.slug, names=(place.name, *place.aliases)) for place in places]
    found = find_names(fold(query).split(), named)
    return [by_id[hit.named.id] for hit in sorted(found, key=lambda hit: -hit.likeness)]


def _place_json(place: Place) -> dict[str, Any]:
    return {
        "id": place.slug,
        "name": place.name,
        "kind": place.kind,
        "destination": place.destination.slug,
        "lat": place.lat,
        "lon": place.lon,
        "opening_hours": place.opening_hours or None,
        "url": place.get_absolute_url(),
    }


def _rank(query: str, place: Place) -> int:
    """0 when a name is the query, 1 when a name holds it, 2 when only the place's other words do."""
    folded, names = fold(query), [fold(name) for name in (place.name, *place.aliases)]
    return 0 if folded in names else 1 if any(folded in name for name in names) else 2


def search_places(*, query: str, destination: str | None = None, limit: int = 10) -> dict[str, Any]:
    """Places whose names, aliases or words hold every word of the query, then names it nearly spells."""
    query, limit = _query(query), _limit(limit)
    scope = Place.objects.select_related("destination").order_by("name")
    if destination is not None:
        scope = scope.filter(destination=_destination(destination))
    matching = scope
    for term in search_terms(query):
        matching = matching.filter(search_text__contains=term)
    found = sorted(matching[: limit * 2], key=lambda place: (_rank(query, place), place.name))[:limit]
    if len(found) < limit:
        seen = {place.pk for place in found}
        found += [place for place in _similar(query, list(scope)) if place.pk not in seen][
            : limit - len(found)
        ]
    return {"query": query, "count": len(found), "places": [_place_json(place) for place in found]}


def search_guides(*, query: str, limit: int = 10) -> dict[str, Any]:
    """Published guides matching the query, and the guides about places whose names it nearly spells."""
    query, limit = _query(query), _limit(limit)
    guides = list(search(query, limit=limit).guides)
    if len(guides) < limit:
        similar = [place.pk for place in _similar(query, list(Place.objects.all()))]
        about = Guide.objects.filter(status=Guide.Status.PUBLISHED, place__in=similar).select_related(
            "destination", "place"
        )
        guides += [guide for guide in about if guide not in guides][: limit - len(guides)]
    rows = [
        {
            "slug": guide.slug,
            "title": guide.title,
            "destination": guide.destination.slug,
            "place_id": guide.place.slug if guide.place else None,
            "url": guide.get_absolute_url(),
            "summary": guide.summary,
        }
        for guide in guides
    ]
    return {"query": query, "count": len(rows), "guides": rows}


def _place(place_id: str) -> Place:
    """A place by id (slug), or by a name or alias written exactly (in any script or case)."""
    if not isinstance(place_id, str) or not place_id.strip():
        raise _invalid('place_id: give a place id such as "alzhir-museum" (search_places finds it).')
    places = Place.objects.select_related("destination")
    place = places.filter(slug=place_id.strip()).first()
    if place is not None:
        return place
    wanted = fold(place_id)
    named = [p for p in places if wanted in {fold(name) for name in (p.name, *p.aliases)}]
    if len(named) == 1:
        return named[0]
    guesses = ", ".join(p.slug for p in (named or _similar(place_id, list(places)))[:3])
    hint = f" Did you mean {guesses}?" if guesses else ""
    raise TripwiseError("unknown_place", f"No place {place_id!r}.{hint} search_places finds a place's id.")


def place_facts(*, place_id: str) -> dict[str, Any]:
    """What Tripwise knows about one place, with the fields not verified from a source listed as assumed."""
    place = _place(place_id)
    tz = ZoneInfo(place.timezone)
    _week, closed_days = _week_of(place.opening_hours, tz, timezone.now().astimezone(tz).date())
    return {
        **_place_json(place),
        "aliases": list(place.aliases),
        "address": place.address,
        "timezone": place.timezone,
        "closed_days": closed_days,
        "visit_minutes": place.visit_minutes,
        "summary": place.summary,
        "rules": list(place.rules),
        "prices": [
            {"label": p.label, "amount": str(p.amount), "currency": p.currency, "assumed": p.assumed}
            for p in place.prices.all()
        ],
        "access": [_access_json(way) for way in place.access.select_related("route", "from_stop", "to_stop")],
        "nearby_stops": _nearby_stops(place),
        "bookable_nearby": _bookable_nearby(place),
        "assumed_fields": list(place.assumed_fields),
        "source": place.source,
    }


def _bookable_nearby(place: Place, limit: int = 5) -> list[dict[str, Any]]:
    """Tours and visits that can be booked near the place, with their next departures (the same search as
    the pages and the API)."""
    return [
        {
            "experience": hit.experience.slug,
            "title": hit.experience.title,
            "distance_km": hit.distance_km,
            "by_application": hit.experience.mode == "application",
            "price": str(hit.experience.price),
            "currency": hit.experience.currency,
            "languages": list(hit.experience.languages),
            "next_departures": [slot.starts_at.isoformat() for slot in hit.next_slots],
        }
        for hit in experiences_near(lat=place.lat, lon=place.lon, limit=limit)
    ]


def _access_json(way: Access) -> dict[str, Any]:
    named = {"route": way.route, "from_stop": way.from_stop, "to_stop": way.to_stop}
    return {
        "mode": way.mode,
        "text": way.text,
        "minutes": way.minutes,
        "km": float(way.km) if way.km is not None else None,
        **{key: str(value) if value is not None else None for key, value in named.items()},
    }


def _nearby_stops(place: Place, limit: int = 5) -> list[dict[str, Any]]:
    # A box first, so the index on (lat, lon) does the work in a city of thousands of stops.
    dlat = NEARBY_STOP_M / 111_000
    dlon = dlat / max(0.05, math.cos(math.radians(place.lat)))
    stops = Stop.objects.filter(
        feed__destination=place.destination,
        lat__range=(place.lat - dlat, place.lat + dlat),
        lon__range=(place.lon - dlon, place.lon + dlon),
    )
    metres = {
        stop: distance_m(place.lat, place.lon, stop.lat, stop.lon)
        for stop in stops
        if stop.lat is not None and stop.lon is not None
    }
    near = sorted((stop for stop in metres if metres[stop] <= NEARBY_STOP_M), key=metres.__getitem__)
    return [
        {"id": stop.stop_id, "name": stop.name, "distance_m": round(metres[stop])} for stop in near[:limit]
    ]


def _plan_url(plan: Plan) -> str:
    return reverse("trips:plan", kwargs={"public_id": plan.public_id})


def plan_trip(*, request: Mapping[str, Any]) -> dict[str, Any]:
    """Plan a trip request (docs/plans.md) and save the plan; the document carries the checker's verdict."""
    plan = plan_create(request=request)
    return {**plan.result, "id": plan.public_id, "revision": plan.revision, "url": _plan_url(plan)}


def _base(trip: TripRequest, plan: Plan, places: Mapping[str, PlaceFacts]) -> Point:
    """Where each day of the saved plan starts and ends, as its request says, read from today's facts."""
    if isinstance(trip.base, tuple):
        return Point("Your base", *trip.base)
    if isinstance(trip.base, str) and trip.base in places:
        return places[trip.base].point
    # No base given: the planner chose the middle of the sights then; the plan document says where that was.
    for day in plan.result.get("days", []):
        if day.get("base"):
            return Point(day["base"]["name"], day["base"]["lat"], day["base"]["lon"])
    destination = plan.destination
    return Point(f"{destination.name} centre", destination.lat, destination.lon)


def check_plan(*, plan_id: str) -> dict[str, Any]:
    """The independent checker's verdict on a saved plan, re-run now against the current facts and timetable
    (hours, prices or departures may have changed since the plan was made)."""
    try:
        plan = plan_get(public_id=str(plan_id).strip())
    except NotFound:
        message = f"No saved plan {plan_id!r}: give the id that plan_trip returned."
        raise TripwiseError("not_found", message, status=404) from None
    trip = parse_request(plan.request)
    destination = plan.destination
    places = {place.id: place for place in planning_facts(destination=destination)}
    facts = CheckFacts(
        request=trip,
        timezone=destination.timezone,
        currency=destination.currency,
        places=places,
        base=_base(trip, plan, places),
        must_see=frozenset(trip.must_see) | {lock.place for lock in trip.locks},
        avoid=frozenset(trip.avoid),
        feeds=feed_data_for(destination=destination) if "transit" in trip.modes else (),
        rates=settings.CURRENCY_RATES,
    )
    problems = check_document(plan.result, facts)
    return {
        "plan_id": plan.public_id,
        "revision": plan.revision,
        "url": _plan_url(plan),
        "ok": not problems,
        "problems": problems,
        "checked_at": timezone.now().isoformat(timespec="seconds"),
        "when_planned": plan.result.get("check"),
        "verdict": f"The plan breaks {len(problems)} rule(s)." if problems else "The plan keeps every rule.",
    }


def _day(value: dt.date | str | None, tz: ZoneInfo) -> dt.date:
    if value is None:
        return timezone.now().astimezone(tz).date()  # today where the place is, not where the server is
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except (AttributeError, ValueError):
        raise _invalid(f"date: {value!r} is not a date: write YYYY-MM-DD, e.g. 2026-11-30.") from None


def _clock(at: dt.datetime, day: dt.date) -> str:
    if at.date() > day:
        return "24:00" if at.time() == dt.time(0) else f"{at:%H:%M} next day"
    return f"{at:%H:%M}"


def _week_of(value: str | None, tz: ZoneInfo, day: dt.date) -> tuple[list[dict[str, Any]], str | None]:
    """The hours of each day of `day`'s week, and which weekdays are closed ("Closed on Mondays")."""
    if not value:
        return [], None
    try:
        week = [
            {"day": d.day_name, "hours": [f"{s:%H:%M}-{e:%H:%M}" for s, e in d.intervals]}
            for d in weekly_schedule(value, tz, day)
        ]
        return week, describe_closed_days(value, tz, day)
    except OpeningHoursError:
        return [], None  # hours_on says why in its warning


def explain_rule(*, place_id: str, date: dt.date | str | None = None) -> dict[str, Any]:
    """A place's opening rule in plain words: open on `date` (default: today there) or not, the hours that
    day, the week, the public holidays of the zone when they matter, and the visitor rules."""
    place = _place(place_id)
    tz = ZoneInfo(place.timezone)
    day = _day(date, tz)
    value = place.opening_hours or None
    that_day = hours_on(value, day, tz)
    hours = [f"{_clock(start, day)}-{_clock(end, day)}" for start, end in that_day.intervals]
    is_open = True if hours else None if that_day.unknown else False
    week, closed_days = _week_of(value, tz, day)
    holiday = is_public_holiday(day, tz)
    mentions_holidays = bool(value and _PUBLIC_HOLIDAY.search(value))
    upcoming = [
        d.isoformat()
        for d in (day + dt.timedelta(days=k) for k in range(HOLIDAY_LOOKAHEAD_DAYS))
        if mentions_holidays and is_public_holiday(d, tz)
    ]
    when = f"{day:%A} {day.day} {day:%B %Y}"
    if is_open:
        explanation = f"{place.name} is open on {when}: {', '.join(hours)} ({place.timezone} time)."
    elif is_open is None:
        start, end = ASSUMED_HOURS
        explanation = (
            f"The opening hours of {place.name} on {when} are not known; plans assume "
            f"{start:%H:%M}-{end:%H:%M} and say so. Check before you go."
        )
    else:
        why = f": it is c{closed_days[1:]}" if closed_days and f"{day:%A}s" in closed_days else ""
        if mentions_holidays and holiday:
            why = ": it is a public holiday, and the rule closes it on public holidays"
        explanation = f"{place.name} is closed on {when}{why}."
    if value:
        explanation += f" The rule is {value!r} in OpenStreetMap opening_hours syntax."
    notes = [note for note in (that_day.warning, that_day.comment) if note]
    if place.is_assumed("opening_hours"):
        notes.append("These hours are not verified from a source (assumed): check before you go.")
    if holiday and not mentions_holidays:
        notes.append("That day is a public holiday; the rule does not say whether holidays change the hours.")
    return {
        "place_id": place.slug,
        "name": place.name,
        "timezone": place.timezone,
        "opening_hours": value,
        "date": day.isoformat(),
        "weekday": f"{day:%A}",
        "open": is_open,
        "hours": hours,
        "closed_days": closed_days,
        "week": week,
        "public_holidays": {
            "country": country_of_zone(tz),
            "rule_mentions_holidays": mentions_holidays,
            "date_is_holiday": holiday,
            "next_holidays": upcoming,
        },
        "rules": list(place.rules),
        "notes": notes,
        "explanation": explanation,
    }
