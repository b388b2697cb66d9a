"""Answers to a traveller's questions about their plan or a place, drawn from the data with the fact quoted.

Each answer is (reply, sources): the reply in plain words, the sources as the facts it stands on
(an opening_hours string, a price line, the timetable's trip id). Nothing here invents a time or a price:
when the data does not say, the answer says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from tripwise.core.hours import hours_on
from tripwise.core.money import format_money
from tripwise.core.transit.latest import last_journey
from tripwise.core.trips.clock import Clock
from tripwise.core.trips.model import PlaceFacts
from tripwise.core.understand.refine import Question
from tripwise.places.models import Destination
from tripwise.transit.selectors import transit_network_for
from tripwise.trips.models import Plan
from tripwise.trips.selectors import planning_facts

__all__ = ["Answer", "answer_question"]

Answer = tuple[str, list[str]]


def _source(place: PlaceFacts) -> str:
    return f'{place.name}: opening_hours "{place.opening_hours}"' if place.opening_hours else (
        f"{place.name}: opening hours unknown"
    )  # fmt: skip


def _day_hours(place: PlaceFacts, day: date, country: str) -> str:
    hours = hours_on(place.opening_hours, day, ZoneInfo(place.timezone), country=country or None)
    if hours.intervals:
        spans = ", ".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in hours.intervals)
        text = f"open {spans} on {day:%A %d %B}"
        return text + (" (part of the day is uncertain)" if hours.unknown else "")
    if hours.unknown:
        return f"of unknown hours on {day:%A %d %B}" + (f" ({hours.warning})" if hours.warning else "")
    return f"closed on {day:%A %d %B}"


def _trip_days(plan: Plan) -> list[date]:
    return [date.fromisoformat(day["date"]) for day in plan.result.get("days", [])]


def _open(place: PlaceFacts, day: date | None, plan: Plan, country: str) -> Answer:
    if not place.opening_hours:
        return (
            f"The opening hours of {place.name} are not known; the plan assumes 10:00-18:00. Check before you go.",
            [_source(place)],
        )
    days = [day] if day is not None else _trip_days(plan)
    said = "; ".join(_day_hours(place, each, country) for each in days)
    return f"{place.name} is {said}.", [_source(place)]


def _hours(place: PlaceFacts, plan: Plan, country: str) -> Answer:
    if not place.opening_hours:
        return _open(place, None, plan, country)
    first = _trip_days(plan)[0] if _trip_days(plan) else date.fromisoformat(plan.request["start_date"])
    week = [first + timedelta(days=k) for k in range(7)]
    said = "; ".join(_day_hours(place, each, country) for each in week)
    return f"{place.name} is {said}.", [_source(place)]


def _price(place: PlaceFacts) -> Answer:
    if place.adult_price is None:
        return f"Tripwise has no price for {place.name}; the plan counts it as free.", [
            f"{place.name}: no price"
        ]
    parts = [f"adults {format_money(place.adult_price)}"]
    if place.child_price is not None:
        parts.append(f"children {format_money(place.child_price)}")
    return f"{place.name}: {', '.join(parts)}.", [f"{place.name}: price list"]


def _cost(plan: Plan) -> Answer:
    cost = plan.result.get("cost", {})
    total = cost.get("total")
    if not total:
        return "This plan has no costs yet.", []
    lines = [f"{day['weekday']} {Decimal(day['cost']['amount']):,.0f}" for day in plan.result["days"]]
    reply = f"The plan costs {Decimal(total['amount']):,.0f} {total['currency']} in all ({'; '.join(lines)})."
    if cost.get("budget"):
        reply += f" Your budget is {Decimal(cost['budget']['amount']):,.0f} {cost['budget']['currency']}."
    return reply, ["tickets, meals and fares of the plan"]


def _last_bus(question: Question, plan: Plan, places: Mapping[str, PlaceFacts], destination: Destination) -> Answer:  # fmt: skip
    """The last ride back to the base from the place asked about (or from where each day's last ride back
    starts), on the days of the plan."""
    if "transit" not in plan.request.get("modes", []):
        return "This plan does not use public transport: allow transit to see bus times.", []
    tz = ZoneInfo(destination.timezone)
    clock = Clock(date.fromisoformat(plan.request["start_date"]), tz)
    answers, sources = [], []
    days = plan.result.get("days", [])
    # "the last bus back from ALZHIR": the days ALZHIR is in the plan, when it is in the plan at all.
    visiting = [day for day in days if any(item.get("place_id") == question.place for item in day["items"])]
    for day in visiting or days:
        on = date.fromisoformat(day["date"])
        if question.day is not None and on != question.day:
            continue
        base = (day["base"]["lat"], day["base"]["lon"])
        origin = None
        if question.place is not None and question.place in places:
            place = places[question.place]
            origin, name = (place.lat, place.lon), place.name
        else:
            back = [item for item in day["items"] if item["type"] == "travel" and item.get("rides")]
            if back:
                origin, name = (back[-1]["from"]["lat"], back[-1]["from"]["lon"]), back[-1]["from"]["name"]
        if origin is None:
            continue
        network = transit_network_for(destination=destination, day=on, clock_origin=clock.origin)
        if network is None:
            return f"Tripwise has no timetable for {destination.name}.", []
        journey = last_journey(
            network, origin, base, earliest=clock.at(on, time(12)), latest=clock.at(on, time(23, 59))
        )
        if journey is None:
            answers.append(
                f"on {on:%A} no ride takes you from {name} back to {day['base']['name']} after noon"
            )
            continue
        ride = next(leg for leg in journey.legs if leg.kind == "ride")
        answers.append(
            f"on {on:%A} the last ride from {name} back to {day['base']['name']} is {ride.route_name or 'the bus'}"
            f" at {clock.instant(ride.depart):%H:%M} from {ride.from_name}, arriving {clock.instant(journey.arrive):%H:%M}"
        )
        sources.append(f"timetable: trip {ride.trip_id}, stop {ride.from_stop_id}, {on:%Y-%m-%d}")
    if not answers:
        return "No day of this plan rides back by public transport.", []
    reply = "; ".join(answers)
    return reply[0].upper() + reply[1:] + ".", sources


def answer_question(*, question: Question, plan: Plan) -> Answer:
    """The answer to `question` about `plan` (or a place of its destination), with its sources."""
    destination = plan.destination
    places = {place.id: place for place in planning_facts(destination=destination)}
    place = places.get(question.place) if question.place else None
    if question.topic == "last_bus":
        return _last_bus(question, plan, places, destination)
    if question.topic == "cost":
        return _cost(plan)
    if place is None:
        return (
            "I can answer about a place's opening hours and prices, the plan's cost and the last bus back:"
            ' try "is ALZHIR open on Monday?" or "when is the last bus back?".',
            [],
        )
    if question.topic == "price":
        return _price(place)
    if question.topic == "hours":
        return _hours(place, plan, destination.country)
    return _open(place, question.day, plan, destination.country)
