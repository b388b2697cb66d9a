"""Writes for trips: make a plan from a trip request, and re-plan it after an edit.

The app's part is small on purpose: resolve names against the database, load the facts and the timetable,
hand plain data to the core planner, store what comes back. Nothing is stored unless the plan was made.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from tripwise.core.errors import TripwiseError
from tripwise.core.transit.feed import FeedData
from tripwise.core.transit.network import TransitNetwork
from tripwise.core.trips.build import PlanningInput
from tripwise.core.trips.changes import apply_changes
from tripwise.core.trips.clock import Clock
from tripwise.core.trips.model import PlaceFacts, Point
from tripwise.core.trips.planner import make_plan
from tripwise.core.trips.request import Lock, TripRequest, parse_request, request_to_json
from tripwise.places.models import Destination
from tripwise.places.selectors import destination_find
from tripwise.transit.selectors import feed_data_for, transit_network_for
from tripwise.trips.models import Plan
from tripwise.trips.selectors import place_resolve, planning_facts

__all__ = ["plan_apply", "plan_change", "plan_create", "plan_document", "plan_replace"]


def _destination(name: str) -> Destination:
    destination = destination_find(name)
    if destination is None:
        known = ", ".join(Destination.objects.values_list("slug", flat=True)[:10]) or "none yet"
        raise TripwiseError("unknown_destination", f"No destination {name!r}. Known destinations: {known}.")
    return destination


def plan_document(*, trip: TripRequest) -> tuple[Destination, dict[str, Any]]:
    """The plan for `trip` (not stored): resolve it, load what it needs, plan, check."""
    destination = _destination(trip.destination)
    places = planning_facts(destination=destination)
    moved = [name for rule in trip.day_rules for name in rule.avoid_places]
    ids = {
        name: place_resolve(name, places, destination).id for name in (*trip.must_see, *trip.avoid, *moved)
    }
    locks = tuple(
        replace(lock, place=place_resolve(lock.place, places, destination).id) for lock in trip.locks
    )
    if isinstance(trip.base, str):
        base_place = place_resolve(trip.base, places, destination)
        base, base_id = Point(base_place.name, base_place.lat, base_place.lon), base_place.id
    elif trip.base is not None:
        base, base_id = Point("Your base", *trip.base), None
    else:
        base, base_id = _middle_of(destination, places), None
    trip = replace(
        trip,
        destination=destination.slug,
        must_see=tuple(dict.fromkeys(ids[name] for name in trip.must_see)),
        avoid=tuple(dict.fromkeys(ids[name] for name in trip.avoid)),
        locks=_unique_locks(locks),
        day_rules=tuple(
            replace(rule, avoid_places=tuple(dict.fromkeys(ids[name] for name in rule.avoid_places)))
            for rule in trip.day_rules
        ),
        base=base_id if base_id is not None else trip.base,
    )
    both = set(trip.must_see) & set(trip.avoid)
    if both:
        raise TripwiseError(
            "invalid_request", f"avoid: {', '.join(sorted(both))} is also a must-see: choose one."
        )
    if trip.budget is not None and trip.budget[1] not in settings.CURRENCY_RATES:
        raise TripwiseError(
            "invalid_request",
            f"budget: no exchange rate for {trip.budget[1]}; use one of {', '.join(settings.CURRENCY_RATES)}.",
        )
    if trip.currency is not None and trip.currency not in settings.CURRENCY_RATES:
        raise TripwiseError(
            "invalid_request",
            f"currency: no exchange rate for {trip.currency}; use one of {', '.join(settings.CURRENCY_RATES)}.",
        )
    if destination.currency not in settings.CURRENCY_RATES:
        raise TripwiseError(
            "no_exchange_rate",
            f"{destination} counts its prices in {destination.currency}, which has no exchange rate: add it to"
            " TRIPWISE_CURRENCY_RATES.",
        )
    clock = Clock(trip.start_date, ZoneInfo(destination.timezone))
    networks: tuple[TransitNetwork | None, ...] = ()
    feeds: tuple[FeedData, ...] = ()
    if "transit" in trip.modes:
        feeds = feed_data_for(destination=destination)
        networks = tuple(
            transit_network_for(destination=destination, day=day, clock_origin=clock.origin)
            for day in trip.dates
        )
    data = PlanningInput(
        request=trip,
        destination_id=destination.slug,
        destination_name=destination.name,
        timezone=destination.timezone,
        currency=destination.currency,
        places=tuple(places),
        base=base,
        must_see=trip.must_see + tuple(lock.place for lock in trip.locks if lock.place not in trip.must_see),
        avoid=frozenset(trip.avoid),
        locks=trip.locks,
        networks=networks,
        rates=settings.CURRENCY_RATES,
    )
    return destination, make_plan(data, feeds=feeds, time_limit=settings.PLAN_TIME_LIMIT)


def _middle_of(destination: Destination, places: list[PlaceFacts]) -> Point:
    """Where a day starts when the traveller gives no base: the median of the sights, which a far-off one
    (ALZHIR, 38 km out) cannot drag into the steppe; the destination's own point when it has no places."""
    if not places:
        return Point(f"{destination.name} centre", destination.lat, destination.lon)
    lat = statistics.median(place.lat for place in places)
    lon = statistics.median(place.lon for place in places)
    return Point(f"{destination.name} centre", lat, lon)


def _unique_locks(locks: tuple[Lock, ...]) -> tuple[Lock, ...]:
    # The last lock of a place wins: locking again moves the visit.
    return tuple({lock.place: lock for lock in locks}.values())


def _title(trip: TripRequest, destination: Destination) -> str:
    days = "1 day" if trip.days == 1 else f"{trip.days} days"
    return f"{days} in {destination.name} from {trip.start_date:%a %d %b %Y}"


def plan_create(*, request: Mapping[str, Any]) -> Plan:
    """Plan a trip request (docs/plans.md) and store the plan; TripwiseError says what to fix."""
    trip = parse_request(request)
    destination, document = plan_document(trip=trip)
    with transaction.atomic():
        plan = Plan.objects.create(
            destination=destination, title=_title(trip, destination), request=document["request"], result={}
        )
        plan.result = {"id": plan.public_id, **document}
        plan.save(update_fields=["result"])
    return plan


def plan_change(*, plan: Plan, change: Mapping[str, Any]) -> Plan:
    """Apply one edit (docs/plans.md: lock, unlock, remove, add, pace, day, ...) and re-plan around the locks."""
    return plan_apply(plan=plan, changes=[change])


def plan_apply(*, plan: Plan, changes: Sequence[Mapping[str, Any]]) -> Plan:
    """Apply several edits at once (one re-plan, one revision); nothing is stored if any is refused."""
    return plan_replace(
        plan=plan, request=request_to_json(apply_changes(parse_request(plan.request), changes))
    )


def plan_replace(*, plan: Plan, request: Mapping[str, Any]) -> Plan:
    """Plan `request` afresh in place of the plan's (an undo puts an earlier request back this way)."""
    trip = parse_request(request)
    destination, document = plan_document(trip=trip)
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        locked.request = document["request"]
        locked.result = {"id": locked.public_id, **document}
        locked.revision += 1
        locked.title = _title(trip, destination)
        locked.save()
    return locked
