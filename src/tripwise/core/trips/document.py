"""The solver's routes turned into the plan a traveller follows (docs/plans.md).

Each day is re-timed from its start with exact travel: walking and driving from distance, transit as the
earliest real journey leaving at that minute. The solver planned with real journeys leaving at sampled
times (every quarter or half hour), and an exact journey is never later than a sampled one leaving no
earlier (the traveller could always wait for the sample), so by induction every arrival here is at or before the solver's and every visit still fits
its window. Among the ways that arrive in time, the simplest wins: a walk over a bus that saves two minutes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tripwise.core.engine.checker import earliest_start
from tripwise.core.engine.model import NEVER, TourPlan
from tripwise.core.hours import describe_closed_days
from tripwise.core.money import Money, convert
from tripwise.core.transit.network import TransitJourney, TransitNetwork
from tripwise.core.trips.build import TRANSIT_SAMPLE_S, Built, Candidate, PlanningInput
from tripwise.core.trips.fares import FareTables, RideRef
from tripwise.core.trips.model import Point
from tripwise.core.trips.opening import ASSUMED_HOURS
from tripwise.core.trips.travel import SAME_SPOT_M

__all__ = ["assemble_days", "money_json", "point_json"]

SIMPLER_IS_WORTH_S = 5 * 60  # a walk or drive up to this much slower than the bus is still preferred


class PlanAssemblyError(RuntimeError):
    """The solver's route could not be re-timed: a bug, never the traveller's fault."""


def point_json(point: Point) -> dict[str, Any]:
    return {"name": point.name, "lat": point.lat, "lon": point.lon}


def money_json(money: Money, traveller: str | None, rates: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {"amount": str(money.amount), "currency": money.currency}
    if traveller and traveller != money.currency:
        other = convert(money, traveller, rates)
        result["traveller"] = {"amount": str(other.amount), "currency": other.currency}
    return result


def _fare(journey: TransitJourney, data: PlanningInput, fares: FareTables) -> Money | None:
    """The party's fare for the journey in local currency; None when the feed does not say."""
    rides = [
        RideRef(
            leg.feed or "",
            leg.trip_id or "",
            leg.from_stop_id or "",
            leg.to_stop_id or "",
            leg.depart,
            leg.arrive,
        )
        for leg in journey.legs
        if leg.kind == "ride"
    ]
    each = fares.fare(rides)
    if each is None:
        return None
    local = convert(each, data.currency, data.rates)
    return Money(local.amount * data.request.party, data.currency)


def _journey_item(built: Built, journey: TransitJourney, origin: Point, target: Point) -> dict[str, Any]:
    clock = built.clock
    legs: list[dict[str, Any]] = []
    rides: list[dict[str, Any]] = []
    wait = 0
    previous_arrive = journey.depart
    for leg in journey.legs:
        wait += max(0, leg.depart - previous_arrive)
        previous_arrive = leg.arrive
        start = Point(leg.from_name or origin.name, leg.from_lat, leg.from_lon)
        end = Point(leg.to_name or target.name, leg.to_lat, leg.to_lon)
        entry: dict[str, Any] = {
            "mode": leg.kind,
            "depart": clock.iso(leg.depart),
            "arrive": clock.iso(leg.arrive),
            "from": point_json(start),
            "to": point_json(end),
        }
        if leg.kind == "ride":
            entry.update(route=leg.route_name, trip_id=leg.trip_id, headsign=leg.headsign)
            rides.append(
                {
                    "route": leg.route_name,
                    "route_id": leg.route_id,
                    "trip_id": leg.trip_id,
                    "headsign": leg.headsign,
                    "feed": leg.feed,
                    "from_stop_id": leg.from_stop_id,
                    "from_stop_name": leg.from_name,
                    "to_stop_id": leg.to_stop_id,
                    "to_stop_name": leg.to_name,
                    "depart": clock.iso(leg.depart),
                    "arrive": clock.iso(leg.arrive),
                }
            )
        legs.append(entry)
    return {"mode": "transit", "depart": journey.depart, "arrive": journey.arrive, "legs": legs,
            "rides": rides, "wait_minutes": round(wait / 60)}  # fmt: skip


def _travel(built: Built, data: PlanningInput, fares: FareTables, tour: int, origin: int, target: int,
            depart: int, limit: int) -> tuple[dict[str, Any] | None, int]:  # fmt: skip
    """The travel item from node `origin` to `target` leaving at `depart`, and when it arrives."""
    if origin == target:
        return None, depart
    if built.metres[origin][target] < SAME_SPOT_M:  # next door (a base at a sight): a few steps, no item
        return None, depart + built.walk[origin][target]
    options: list[tuple[int, int, dict[str, Any]]] = []  # (arrive, preference, item)
    if built.walk[origin][target] < NEVER:
        walk = depart + built.walk[origin][target]
        options.append((walk, 0, {"mode": "walk", "depart": depart, "arrive": walk}))
    if built.car is not None:
        drive = depart + built.car[origin][target]
        options.append((drive, 1, {"mode": "car", "depart": depart, "arrive": drive}))
    network = data.networks[tour] if tour < len(data.networks) and "transit" in data.request.modes else None
    a, b = built.points[origin], built.points[target]
    if network is not None:
        journey = network.journey((a.lat, a.lon), (b.lat, b.lon), depart)
        if journey is None and built.walk[origin][target] >= NEVER:
            journey = _sampled_journey(built, network, tour, a, b, depart, limit)
        if journey is not None and journey.legs:
            item = _journey_item(built, journey, a, b)
            fare = _fare(journey, data, fares)
            item["fare"] = None if fare is None else money_json(fare, data.request.currency, data.rates)
            options.append((journey.arrive, 2, item))
    if not options:
        raise PlanAssemblyError(
            f"no way found from {a.name} to {b.name} leaving at {built.clock.iso(depart)}"
        )
    best = min(arrive for arrive, _, _ in options)
    good_enough = max(best, min(limit, best + SIMPLER_IS_WORTH_S))
    arrive, _preference, item = min((o for o in options if o[0] <= good_enough), key=lambda o: o[1])
    item["minutes"] = round((item["arrive"] - item["depart"]) / 60)
    item["distance_m"] = built.metres[origin][target]
    item["from"], item["to"] = point_json(a), point_json(b)
    return {"type": "travel", **item}, arrive


def _sampled_journey(built: Built, network: TransitNetwork, tour: int, a: Point, b: Point, depart: int,
                     limit: int) -> TransitJourney | None:  # fmt: skip
    """The ride the solver counted on, found again from the sampled departures at or after `depart`.

    journey() answers None when walking would arrive first; from an earlier moment than the solver's sample
    that can happen for a walk too long to offer (MAX_WALK_S). The ride itself still runs.
    """
    first = built.problem.tours[tour].earliest
    sample = first + -(-(depart - first) // TRANSIT_SAMPLE_S) * TRANSIT_SAMPLE_S
    for leave in range(max(sample, first), limit, TRANSIT_SAMPLE_S):
        journey = network.journey((a.lat, a.lon), (b.lat, b.lon), leave)
        if journey is not None and journey.arrive <= limit:
            return journey
    return None


def _timed(item: dict[str, Any], built: Built, wait: int = 0) -> dict[str, Any]:
    """The travel item with clock times written out; a walk or drive followed by `wait` seconds of waiting
    leaves that much later instead, so nobody stands at a closed door (a bus leaves when it leaves)."""
    if item["mode"] in {"walk", "car"}:
        item["depart"] += wait
        item["arrive"] += wait
    item["depart"], item["arrive"] = built.clock.iso(item["depart"]), built.clock.iso(item["arrive"])
    return item


def _visit_notes(candidate: Candidate, day_index: int, data: PlanningInput) -> list[str]:
    notes: list[str] = []
    if candidate.lock is not None and candidate.lock.appointment:
        return notes  # the booking's time is the provider's; the place's hours say nothing about it
    opening = candidate.opening[day_index]
    if opening.assumed:
        start, end = ASSUMED_HOURS
        notes.append(f"Opening hours unknown: assumed {start:%H:%M}-{end:%H:%M}. Check before you go.")
    if opening.warning:
        notes.append(opening.warning)
    place = candidate.place
    closed_days = [day for t, day in enumerate(data.request.dates) if not candidate.opening[t].intervals]
    if closed_days and place.opening_hours and candidate.role == "visit":
        rule = describe_closed_days(place.opening_hours, ZoneInfo(place.timezone), closed_days[0])
        planned = data.request.dates[day_index]
        if rule:
            notes.append(f"{rule}: planned for {planned:%A}.")
    return notes


def assemble_days(
    data: PlanningInput, built: Built, plans: Sequence[TourPlan], fares: FareTables
) -> list[dict[str, Any]]:
    problem, clock = built.problem, built.clock
    traveller = data.request.currency
    days: list[dict[str, Any]] = []
    for t, (plan, day) in enumerate(zip(plans, data.request.dates, strict=True)):
        tour = problem.tours[t]
        items: list[dict[str, Any]] = []
        node, now = tour.start_node, tour.earliest
        day_cost = Money(Decimal(0), data.currency)
        for visit in plan.visits:
            stop, candidate = problem.stops[visit.stop], built.candidates[visit.stop]
            travel, arrive = _travel(built, data, fares, t, node, stop.node, now, visit.arrival)
            start = earliest_start(stop, t, arrive)
            if start is None:
                raise PlanAssemblyError(
                    f"{candidate.place.id} cannot be started after re-timing on day {t + 1}"
                )
            if travel is not None:
                items.append(_timed(travel, built, wait=start - arrive))
            place = candidate.place
            item: dict[str, Any] = {
                "type": "visit",
                "place_id": place.id,
                "name": place.name,
                "start": clock.iso(start),
                "end": clock.iso(start + candidate.visit_seconds),
                "lat": place.lat,
                "lon": place.lon,
                "url": place.url,
                "kind": place.kind,
                "why": candidate.why,
                "meal": None if candidate.role == "visit" else candidate.role,
                "locked": candidate.lock is not None,
                "notes": _visit_notes(candidate, t, data),
                "cost": None if candidate.cost is None else money_json(candidate.cost, traveller, data.rates),
            }
            if candidate.lock is not None and candidate.lock.label is not None:
                item["booking"] = candidate.lock.label
            if candidate.cost is not None:
                day_cost = Money(day_cost.amount + candidate.cost.amount, data.currency)
            items.append(item)
            node, now = stop.node, start + stop.duration
        travel, _arrive = _travel(built, data, fares, t, node, tour.end_node, now, plan.arrive)
        if travel is not None:
            items.append(_timed(travel, built))
        fares_paid = sum((Decimal(item["fare"]["amount"]) for item in items if item.get("fare")), Decimal(0))
        day_cost = Money(day_cost.amount + fares_paid, data.currency)
        days.append(
            {
                "date": day.isoformat(),
                "weekday": f"{day:%A}",
                "start": clock.iso(tour.earliest),
                "end": clock.iso(tour.latest),
                "base": point_json(data.base),
                "items": items,
                "cost": money_json(day_cost, traveller, data.rates),
            }
        )
    return days
