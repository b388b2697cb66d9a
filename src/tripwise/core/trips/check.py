"""The plan checker: re-reads a finished plan document against the raw facts, trusting nothing the planner
computed.

It parses the times printed in the document, evaluates the opening_hours strings itself, finds every ride
in the GTFS trips of its service day, measures every walk against the straight-line distance, and adds up
the prices. Any rule broken is reported in plain words; an empty list means the plan keeps every rule it
was made under. Every planning test runs it, and every plan carries its verdict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tripwise.core.geo import distance_m
from tripwise.core.hours import open_intervals
from tripwise.core.money import Money, convert
from tripwise.core.transit.calendar import service_day_origin
from tripwise.core.transit.feed import FeedData
from tripwise.core.trips.build import kind_matches
from tripwise.core.trips.fares import FareTables, RideRef
from tripwise.core.trips.model import PlaceFacts, Point
from tripwise.core.trips.opening import ASSUMED_HOURS
from tripwise.core.trips.request import TripRequest
from tripwise.core.trips.travel import FASTEST_WALK_MPS, SAME_SPOT_M

__all__ = ["CheckFacts", "check_plan"]

FASTEST_CAR_MPS = 120 / 3.6


@dataclass(frozen=True)
class CheckFacts:
    request: TripRequest
    timezone: str
    currency: str
    places: Mapping[str, PlaceFacts]
    base: Point
    must_see: frozenset[str]
    avoid: frozenset[str]
    feeds: Sequence[FeedData]
    rates: Mapping[str, Decimal]


def _at(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"time {text!r} has no UTC offset")
    return value


def _open_during(place: PlaceFacts, start: datetime, end: datetime) -> bool:
    tz = ZoneInfo(place.timezone)
    local = start.astimezone(tz)
    if not place.opening_hours:
        day = local.date()
        return datetime.combine(day, ASSUMED_HOURS[0], tz) <= start and end <= datetime.combine(
            day, ASSUMED_HOURS[1], tz
        )
    for day in (local.date() - timedelta(days=1), local.date()):
        try:
            spans = open_intervals(place.opening_hours, day, tz)
        except Exception:
            return datetime.combine(local.date(), ASSUMED_HOURS[0], tz) <= start and end <= datetime.combine(
                local.date(), ASSUMED_HOURS[1], tz
            )
        if any(s <= start and end <= e for s, e in spans):
            return True
    return False


def _ride_problem(ride: Mapping[str, Any], feeds: Sequence[FeedData]) -> str | None:
    depart, arrive = _at(ride["depart"]), _at(ride["arrive"])
    for feed in feeds:
        if ride.get("feed") not in (None, "", feed.name):
            continue
        trip = feed.trip_by_id.get(ride["trip_id"])
        tz = ZoneInfo(feed.timezone)
        if trip is not None:
            calendar = feed.calendar_by_id.get(trip.service_id)
            local_day = depart.astimezone(tz).date()
            for service_day in (local_day, local_day - timedelta(days=1)):
                if calendar is None or not calendar.runs_on(service_day):
                    continue
                origin = service_day_origin(service_day, tz)
                for i, stop in enumerate(trip.stop_ids):
                    if (
                        stop != ride["from_stop_id"]
                        or origin + timedelta(seconds=trip.departures[i]) != depart
                    ):
                        continue
                    for j in range(i + 1, len(trip.stop_ids)):
                        at_j = origin + timedelta(seconds=trip.arrivals[j])
                        if trip.stop_ids[j] == ride["to_stop_id"] and at_j == arrive:
                            return None
    return (
        f"ride on trip {ride['trip_id']} from {ride['from_stop_id']} at {ride['depart']} to"
        f" {ride['to_stop_id']} at {ride['arrive']} is not in the timetable of that service day"
    )


def _leg_problem(kind: str, start: Mapping[str, Any], end: Mapping[str, Any], depart: datetime,
                 arrive: datetime) -> str | None:  # fmt: skip
    if arrive < depart:
        return f"{kind} from {start.get('name')} arrives before it leaves"
    metres = distance_m(start["lat"], start["lon"], end["lat"], end["lon"])
    fastest = FASTEST_CAR_MPS if kind == "car" else FASTEST_WALK_MPS
    if kind in {"walk", "car"} and (arrive - depart).total_seconds() + 1 < metres / fastest:
        return f"{kind} of {metres:.0f} m from {start.get('name')} to {end.get('name')} is impossibly fast"
    return None


def _travel_problems(item: Mapping[str, Any], facts: CheckFacts) -> list[str]:
    problems: list[str] = []
    depart, arrive = _at(item["depart"]), _at(item["arrive"])
    if item["mode"] not in facts.request.modes:
        problems.append(f"travel by {item['mode']} at {item['depart']}, which the request does not allow")
    if item["mode"] != "transit":
        problem = _leg_problem(item["mode"], item["from"], item["to"], depart, arrive)
        return problems + ([problem] if problem else [])
    if not item.get("rides"):
        problems.append(f"transit leg at {item['depart']} names no ride")
    cursor, position = depart, item["from"]
    for leg in item.get("legs", []):
        leg_depart, leg_arrive = _at(leg["depart"]), _at(leg["arrive"])
        if leg_depart < cursor:
            problems.append(
                f"transit leg from {leg['from'].get('name')} leaves before the traveller is there"
            )
        if distance_m(position["lat"], position["lon"], leg["from"]["lat"], leg["from"]["lon"]) > SAME_SPOT_M:
            problems.append(
                f"transit leg starts at {leg['from'].get('name')}, not where the previous one ended"
            )
        if leg["mode"] == "walk":
            problem = _leg_problem("walk", leg["from"], leg["to"], leg_depart, leg_arrive)
            if problem:
                problems.append(problem)
        cursor, position = leg_arrive, leg["to"]
    if (
        cursor > arrive
        or distance_m(position["lat"], position["lon"], item["to"]["lat"], item["to"]["lon"]) > SAME_SPOT_M
    ):
        problems.append(
            f"transit legs leaving at {item['depart']} do not reach {item['to'].get('name')} in time"
        )
    for ride in item.get("rides", []):
        problem = _ride_problem(ride, facts.feeds)
        if problem:
            problems.append(problem)
    return problems


def _fare(item: Mapping[str, Any], fares: FareTables, facts: CheckFacts) -> Decimal:
    """The party's fare for a transit item, priced again from its rides and the feeds' fare tables."""
    rides = [
        RideRef(
            ride.get("feed") or "",
            ride["trip_id"],
            ride["from_stop_id"],
            ride["to_stop_id"],
            int(_at(ride["depart"]).timestamp()),
            int(_at(ride["arrive"]).timestamp()),
        )
        for ride in item.get("rides", [])
    ]
    each = fares.fare(rides) if rides else None
    if each is None:
        return Decimal(0)
    return convert(each, facts.currency, facts.rates).amount * facts.request.party


def _party_cost(place: PlaceFacts, facts: CheckFacts) -> Decimal:
    if place.adult_price is None:
        return Decimal(0)
    adult = convert(place.adult_price, facts.currency, facts.rates).amount
    child = convert(place.child_price, facts.currency, facts.rates).amount if place.child_price else adult
    return adult * facts.request.adults + child * facts.request.children


def check_plan(document: Mapping[str, Any], facts: CheckFacts) -> list[str]:
    """Every rule the plan breaks, in plain words; [] when it keeps them all."""
    request = facts.request
    tz = ZoneInfo(facts.timezone)
    problems: list[str] = []
    fares = FareTables(facts.feeds)
    seen: set[str] = set()
    total = Decimal(0)
    days: Sequence[Mapping[str, Any]] = document.get("days", [])
    # Booked appointments: the provider's schedule binds them, not the place's hours, and they are paid.
    booked = {lock.place: lock for lock in request.locks if lock.appointment}
    if [day["date"] for day in days] != [d.isoformat() for d in request.dates]:
        problems.append("the plan's days are not the days of the trip")
    for index, day in enumerate(days):
        on = date.fromisoformat(day["date"])
        hours = request.hours(index) if index < request.days else (request.day_start, request.day_end)
        day_start, day_end = datetime.combine(on, hours[0], tz), datetime.combine(on, hours[1], tz)
        avoid_kinds, avoid_places = request.rule(index).avoid_kinds, request.rule(index).avoid_places
        where: Mapping[str, Any]
        cursor, where = day_start, {"lat": facts.base.lat, "lon": facts.base.lon, "name": facts.base.name}
        for item in day["items"]:
            begin = _at(item["start"] if item["type"] == "visit" else item["depart"])
            finish = _at(item["end"] if item["type"] == "visit" else item["arrive"])
            if begin < cursor:
                problems.append(f"{day['date']}: item at {begin:%H:%M} starts before the previous one ends")
            if finish < begin:
                problems.append(f"{day['date']}: item at {begin:%H:%M} ends before it starts")
            if item["type"] == "visit":
                place = facts.places.get(item["place_id"])
                if place is None:
                    problems.append(f"{item['place_id']} is not a known place")
                    continue
                if distance_m(where["lat"], where["lon"], place.lat, place.lon) > SAME_SPOT_M:
                    problems.append(
                        f"{place.name} is visited without travelling there from {where.get('name')}"
                    )
                appointment = not item.get("meal") and item["place_id"] in booked
                if not appointment and not _open_during(place, begin, finish):
                    problems.append(f"{place.name} is not open from {begin:%a %H:%M} to {finish:%H:%M}")
                if not item.get("meal") and item["place_id"] in avoid_places:
                    problems.append(f"{place.name} is visited on {on:%A}, a day the traveller moved it off")
                if not item.get("meal") and kind_matches(place, avoid_kinds):
                    problems.append(
                        f"{place.name} is visited on {on:%A} although that day has no {', '.join(avoid_kinds)}"
                    )
                if item["place_id"] in facts.avoid:
                    problems.append(f"{place.name} is visited although the traveller wants to avoid it")
                if item["place_id"] in seen and not item.get("meal"):
                    problems.append(f"{place.name} is visited twice")
                seen.add(item["place_id"])
                if not appointment:
                    total += _party_cost(place, facts)
                where = {"lat": place.lat, "lon": place.lon, "name": place.name}
            else:
                if (
                    distance_m(where["lat"], where["lon"], item["from"]["lat"], item["from"]["lon"])
                    > SAME_SPOT_M
                ):
                    problems.append(
                        f"{day['date']}: travel at {begin:%H:%M} leaves from elsewhere than {where.get('name')}"
                    )
                problems += [f"{day['date']}: {p}" for p in _travel_problems(item, facts)]
                total += _fare(item, fares, facts)
                where = item["to"]
            cursor = finish
        if cursor > day_end:
            problems.append(f"{day['date']}: the day ends at {cursor:%H:%M}, after {hours[1]:%H:%M}")
        if distance_m(where["lat"], where["lon"], facts.base.lat, facts.base.lon) > SAME_SPOT_M:
            problems.append(f"{day['date']}: the day does not end back at {facts.base.name}")
    if request.budget is not None:
        budget = convert(Money(request.budget[0], request.budget[1]), facts.currency, facts.rates).amount
        if total > budget:
            problems.append(f"the plan costs {total} {facts.currency}, over the budget of {budget}")
    missing = facts.must_see - seen - {entry["place_id"] for entry in document.get("unscheduled", [])}
    problems += [f"must-see {name} is neither planned nor explained" for name in sorted(missing)]
    for lock in request.locks:
        starts = [
            _at(item["start"]) for day in days for item in day["items"]
            if item["type"] == "visit" and item["place_id"] == lock.place
        ]  # fmt: skip
        if lock.minutes is not None and lock.start is not None:
            planned = [
                (_at(item["start"]), _at(item["end"])) for day in days for item in day["items"]
                if item["type"] == "visit" and item["place_id"] == lock.place and not item.get("meal")
            ]  # fmt: skip
            if planned and planned[0][0] != datetime.combine(lock.date, lock.start, tz):
                problems.append(
                    f"{lock.place} was booked for {lock.date} {lock.start:%H:%M} but is planned at {planned[0][0]}"
                )
            if planned and planned[0][1] - planned[0][0] != timedelta(minutes=lock.minutes):
                length = (planned[0][1] - planned[0][0]).total_seconds() / 60
                problems.append(
                    f"{lock.place} was booked for {lock.minutes} minutes but is planned for {length:g} minutes"
                )
        elif lock.start is None:
            if starts and starts[0].astimezone(tz).date() != lock.date:
                problems.append(
                    f"{lock.place} was kept for {lock.date} but is planned on {starts[0]:%Y-%m-%d}"
                )
        elif starts and starts[0] != datetime.combine(lock.date, lock.start, tz):
            problems.append(
                f"{lock.place} was locked at {lock.date} {lock.start:%H:%M} but is planned at {starts[0]}"
            )
    return problems
