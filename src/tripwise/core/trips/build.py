"""From a trip request and the facts of places to the engine's Problem.

Every day of the trip is one tour from the base back to the base between the day's start and end. Each
candidate place is a stop whose windows are its opening hours that day, shortened by the visit's length so
that the whole visit fits before closing. Must-see places and locked visits are mandatory stops. A booked
appointment (a lock with `minutes`) is a mandatory stop at exactly its time and for exactly its length,
whatever the place's opening hours (the provider's schedule rules it) but within the traveller's day, and
free (it was paid when booked). Meals are stops at eating places with a window around lunch or dinner time;
the window is narrower than a meal is long, so no day gets two lunches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np

from tripwise.core.engine.model import (
    NEVER,
    MatrixTravel,
    Problem,
    Stop,
    TableTravel,
    Tour,
    Travel,
    Window,
)
from tripwise.core.geo import distance_matrix
from tripwise.core.money import Money, convert, minor_units
from tripwise.core.text import fold
from tripwise.core.transit.network import TransitNetwork
from tripwise.core.trips.clock import Clock
from tripwise.core.trips.model import PlaceFacts, Point
from tripwise.core.trips.opening import OpenTimes, open_times
from tripwise.core.trips.request import Lock, TripRequest
from tripwise.core.trips.travel import MAX_WALK_S, car_seconds, walk_seconds

__all__ = ["Built", "Candidate", "PlanningInput", "build_problem"]

Role = Literal["visit", "lunch", "dinner"]

# (latest start as a window, length of the meal) per meal; the window opens at the first time.
MEALS: Mapping[str, tuple[time, time, int]] = {
    "lunch": (time(12), time(12, 45), 60 * 60),
    "dinner": (time(18, 30), time(19, 15), 75 * 60),
}
MEAL_SCORE = 500  # above a day's worth of sights: a long day without lunch is not a good day
MEAL_PLACES = 10  # eating places offered per meal: the ones nearest the base
MUST_SEE_SCORE = 100
WISHED_SCORE = 150  # above most sights picked for interests (at most about 160 for a long museum visit)
PACE = {"relaxed": (1.25, 20 * 60), "normal": (1.0, 5 * 60), "packed": (0.85, 0)}  # visit factor, slack after
TRANSIT_SAMPLE_S = 15 * 60  # the solver may assume a journey leaving at each quarter hour...
# ... unless points x departures passes this: a city with 200 places then samples every half hour. The
# solver's view gets more cautious (it may wait up to one step for a journey), never wrong, and the plan is
# re-timed with exact journeys afterwards.
TRANSIT_SAMPLE_BUDGET = 4000
TRANSIT_HORIZON_S = 90 * 60  # a ride leaving later than this after setting off is not worth planning with

# Interest words a traveller uses, and the place tags and kinds that satisfy them.
INTEREST_WORDS: Mapping[str, frozenset[str]] = {
    "history": frozenset({"history", "historic", "memorial", "monument", "museum", "soviet", "archaeology",
                          "castle", "gulag", "heritage", "war"}),
    "art": frozenset({"art", "gallery", "artwork", "museum", "theatre", "music", "culture"}),
    "culture": frozenset({"culture", "museum", "theatre", "art", "history", "music"}),
    "religion": frozenset({"religion", "mosque", "church", "cathedral", "worship", "temple", "synagogue"}),
    "architecture": frozenset({"architecture", "landmark", "modern", "tower", "viewpoint", "palace"}),
    "nature": frozenset({"nature", "park", "garden", "outdoors", "zoo"}),
    "parks": frozenset({"park", "garden", "nature"}),
    "views": frozenset({"viewpoint", "view", "tower", "panorama"}),
    "food": frozenset({"food", "restaurant", "cafe", "market", "cuisine"}),
    "shopping": frozenset({"shopping", "mall", "market", "shop"}),
    "kids": frozenset({"kids", "family", "children", "zoo", "playground", "aquarium", "theme_park"}),
    "family": frozenset({"kids", "family", "children", "zoo", "playground", "aquarium", "theme_park"}),
}  # fmt: skip
# Kinds of place a traveller may rule out for a day, and the kinds and tags that count as one.
KIND_WORDS: Mapping[str, frozenset[str]] = {
    "museum": frozenset({"museum", "gallery"}),
    "shopping": frozenset({"shopping", "mall", "market", "shop"}),
    "mall": frozenset({"shopping", "mall"}),
    "church": frozenset({"church", "cathedral", "mosque", "worship", "temple", "synagogue"}),
    "mosque": frozenset({"mosque", "worship"}),
    "park": frozenset({"park", "garden"}),
    "outdoor": frozenset({"park", "garden", "viewpoint", "monument", "zoo"}),
}
KIND_SCORE: Mapping[str, int] = {"landmark": 20, "viewpoint": 20, "museum": 18, "memorial": 16, "monument": 14,
                                 "mosque": 14, "church": 14, "park": 12, "theatre": 10, "market": 10,
                                 "attraction": 14, "shopping": 5}  # fmt: skip


@dataclass(frozen=True)
class PlanningInput:
    request: TripRequest
    destination_id: str
    destination_name: str
    timezone: str
    currency: str  # local prices are converted into this
    places: tuple[PlaceFacts, ...]  # every place of the destination
    base: Point
    must_see: tuple[str, ...]  # resolved place ids
    avoid: frozenset[str]
    locks: tuple[Lock, ...]  # with resolved place ids
    networks: tuple[TransitNetwork | None, ...]  # one per day; empty when the request has no transit
    rates: Mapping[str, Decimal]
    wished: Mapping[str, int] = field(default_factory=dict)  # the group's wish list: place id -> net votes


@dataclass(frozen=True)
class Candidate:
    place: PlaceFacts
    role: Role
    why: str
    visit_seconds: int  # the visit itself; the engine's duration adds the pace's slack
    cost: Money | None  # for the whole party, in local currency
    opening: tuple[OpenTimes, ...]  # per day
    lock: Lock | None = None


@dataclass(frozen=True)
class Built:
    problem: Problem
    clock: Clock
    candidates: tuple[Candidate, ...]  # candidates[i] is problem.stops[i]
    points: tuple[Point, ...]  # node -> where; node 0 is the base
    walk: tuple[tuple[int, ...], ...]  # walking seconds between nodes; NEVER beyond MAX_WALK_S
    car: tuple[tuple[int, ...], ...] | None  # driving seconds, when the request allows a car
    metres: tuple[tuple[int, ...], ...]


def interest_matches(place: PlaceFacts, interests: Sequence[str]) -> list[str]:
    """The traveller's interests this place satisfies, in the traveller's words."""
    have = {fold(tag) for tag in (*place.tags, place.kind)}
    matched = []
    for word in interests:
        key = fold(word)
        stem = key[:-1] if key.endswith("s") and len(key) > 3 else key
        wanted = INTEREST_WORDS.get(key) or INTEREST_WORDS.get(stem) or frozenset({key, stem})
        if have & wanted:
            matched.append(word)
    return matched


def kind_matches(place: PlaceFacts, words: Sequence[str]) -> bool:
    """Whether the place is of a kind the traveller named ("museums", "shopping") for a day without them."""
    have = {fold(tag) for tag in (*place.tags, place.kind)}
    for word in words:
        key = fold(word)
        stem = key[:-1] if key.endswith("s") and len(key) > 3 else key
        if have & ({key, stem} | KIND_WORDS.get(stem, frozenset())):
            return True
    return False


def party_cost(
    place: PlaceFacts, request: TripRequest, currency: str, rates: Mapping[str, Decimal]
) -> Money | None:
    if place.adult_price is None:
        return None
    adult = convert(place.adult_price, currency, rates)
    child = convert(place.child_price, currency, rates) if place.child_price is not None else adult
    return Money(adult.amount * request.adults + child.amount * request.children, currency)


def minor(money: Money | None) -> int:
    if money is None:
        return 0
    return int((money.amount * (10 ** minor_units(money.currency))).to_integral_value())


def _windows(
    opening: OpenTimes, tour: Tour, visit: int, clip: tuple[int, int] | None = None
) -> tuple[Window, ...]:
    windows = []
    for start, end in opening.intervals:
        low, high = max(start, tour.earliest), min(end, tour.latest) - visit
        if clip is not None:
            low, high = max(low, clip[0]), min(high, clip[1])
        if low <= high:
            windows.append(Window(low, high))
    return tuple(windows)


def _appointment_windows(tour: Tour, at: int, visit: int) -> tuple[Window, ...]:
    """A booked appointment starts at `at` and nowhere else, open or not, if it fits in the day."""
    return (Window(at, at),) if tour.earliest <= at and at + visit <= tour.latest else ()


def _candidates(data: PlanningInput, clock: Clock) -> list[Candidate]:
    request = data.request
    factor, _slack = PACE[request.pace]
    must = set(data.must_see)
    locked = {lock.place: lock for lock in data.locks}
    result: list[Candidate] = []
    for place in data.places:
        if place.id in data.avoid:
            continue
        opening = tuple(open_times(place, day, clock) for day in request.dates)
        visit = max(15 * 60, round(place.visit_minutes * 60 * factor))
        cost = party_cost(place, request, data.currency, data.rates)
        if place.id in locked:
            lock = locked[place.id]
            why = "Locked by you" if lock.start is not None else f"On {lock.date:%A}, as you asked"
            if lock.minutes is not None:  # booked: its own length, and paid for already
                visit, cost, why = lock.minutes * 60, None, "Booked by you"
        elif place.id in must:
            why = "Must-see"
        elif place.is_food:
            continue  # eating places come in as meals below
        elif place.id in data.wished:
            why = "On your group's wish list"
        else:
            matched = interest_matches(place, request.interests)
            why = (
                f"Matches your interests: {', '.join(matched)}"
                if matched
                else "Nearby, and open when you pass"
            )
        result.append(Candidate(place, "visit", why, visit, cost, opening, locked.get(place.id)))
    base = data.base
    food = [p for p in data.places if p.is_food and p.id not in data.avoid and p.id not in must]
    food.sort(
        key=lambda p: (
            -len(interest_matches(p, request.interests)),
            (p.lat - base.lat) ** 2 + (p.lon - base.lon) ** 2,
        )
    )
    for meal in MEALS:
        for place in food[:MEAL_PLACES]:
            opening = tuple(open_times(place, day, clock) for day in request.dates)
            cost = party_cost(place, request, data.currency, data.rates)
            result.append(Candidate(place, meal, meal.capitalize(), MEALS[meal][2], cost, opening))  # type: ignore[arg-type]
    return result


def _score(candidate: Candidate, request: TripRequest, must: set[str], wished: Mapping[str, int]) -> int:
    if candidate.role != "visit":
        return MEAL_SCORE
    if candidate.lock is not None or candidate.place.id in must:
        return MUST_SEE_SCORE
    if candidate.place.id in wished:
        # Wanted by the group but not required (a must-see is): worth as much as the best sights picked for
        # interests, and the more votes for it, the likelier it is kept when the days are full.
        return WISHED_SCORE + 10 * max(-5, min(5, wished[candidate.place.id]))
    matched = len(interest_matches(candidate.place, request.interests))
    base = KIND_SCORE.get(candidate.place.kind, 8)
    score = base + 30 * min(matched, 2) if request.interests else base
    # A sight worth two hours gives more than a statue worth twenty minutes: without this, a day fills up
    # with the many small things of a city centre, each scoring as much as a museum.
    weight = min(2.0, max(0.5, candidate.place.visit_minutes / 45))
    return max(1, round(score * weight))


def _meal_day(request: TripRequest, index: int, meal: str) -> bool:
    """Whether day `index` covers the meal: it starts half an hour before and ends half an hour after."""
    earliest, latest, length = MEALS[meal]
    day_start, day_end = request.hours(index)
    starts_early = day_start.hour * 60 + day_start.minute <= earliest.hour * 60 + earliest.minute - 30
    end = day_end.hour * 60 + day_end.minute
    return starts_early and end >= latest.hour * 60 + latest.minute + length // 60 + 30


def _runs_during(network: TransitNetwork, tour: Tour) -> bool:
    """Whether any vehicle moves during the day (a network of a day may hold only last night's late buses)."""
    return any(
        ride.shift + ride.trip.departures[0] <= tour.latest
        and ride.shift + ride.trip.arrivals[-1] >= tour.earliest
        for ride in network.trips
    )


def _transit_travel(
    fixed: tuple[tuple[int, ...], ...],
    points: Sequence[Point],
    tours: Sequence[Tour],
    networks: Sequence[TransitNetwork | None],
) -> Travel:
    """Walking (or driving) plus the real transit journeys of each day, sampled every quarter hour, kept in
    arrays end to end: a city gives millions of connections."""
    coords = [(p.lat, p.lon) for p in points]
    pairs = len(points) * len(points)
    counts, departs, arrives = [], [], []
    for t, tour in enumerate(tours):
        network = networks[t] if t < len(networks) else None
        if network is None or not _runs_during(network, tour):
            counts.append(np.zeros(pairs, dtype=np.int64))
            continue
        samples = list(range(tour.earliest, tour.latest, TRANSIT_SAMPLE_S))
        table = network.connection_table(
            coords, samples, sample_budget=TRANSIT_SAMPLE_BUDGET, horizon_seconds=TRANSIT_HORIZON_S
        )
        counts.append(np.diff(table.ptr))
        departs.append(table.depart)
        arrives.append(table.arrive)
    if not departs or not any(len(d) for d in departs):
        return MatrixTravel(fixed)
    ptr = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(np.concatenate(counts))]).astype(np.int64)
    return TableTravel(fixed, ptr, np.concatenate(departs), np.concatenate(arrives))


def build_problem(data: PlanningInput, *, fare_reserve: int = 0) -> Built:
    """The engine's problem for `data`; `fare_reserve` (minor units) is kept out of the budget for fares."""
    request = data.request
    clock = Clock(request.start_date, ZoneInfo(data.timezone))
    tours = tuple(
        Tour(0, 0, clock.at(day, request.hours(t)[0]), clock.at(day, request.hours(t)[1]))
        for t, day in enumerate(request.dates)
    )
    candidates = _candidates(data, clock)
    node_of: dict[str, int] = {}
    points: list[Point] = [data.base]
    for candidate in candidates:
        if candidate.place.id not in node_of:
            node_of[candidate.place.id] = len(points)
            points.append(candidate.place.point)
    _factor, slack = PACE[request.pace]
    must = set(data.must_see)
    stops: list[Stop] = []
    for candidate in candidates:
        per_day: list[tuple[Window, ...]] = []
        for t, (tour, day) in enumerate(zip(tours, request.dates, strict=True)):
            clip: tuple[int, int] | None = None
            if candidate.role != "visit":
                if not _meal_day(request, t, candidate.role):
                    per_day.append(())
                    continue
                earliest, latest, _length = MEALS[candidate.role]
                clip = (clock.at(day, earliest), clock.at(day, latest))
            elif candidate.place.id in request.rule(t).avoid_places or kind_matches(
                candidate.place, request.rule(t).avoid_kinds
            ):
                per_day.append(())  # "no museums on Sunday"; a sight moved off this day by a swap
                continue
            if candidate.lock is not None:
                if candidate.lock.date != day:
                    per_day.append(())
                    continue
                if candidate.lock.start is not None:
                    at = clock.at(day, candidate.lock.start)
                    clip = (at, at)
                    if candidate.lock.minutes is not None:
                        per_day.append(_appointment_windows(tour, at, candidate.visit_seconds))
                        continue
            per_day.append(_windows(candidate.opening[t], tour, candidate.visit_seconds, clip))
        appointment = candidate.lock is not None and candidate.lock.appointment
        stops.append(
            Stop(
                node=node_of[candidate.place.id],
                score=_score(candidate, request, must, data.wished),
                # An appointment ends when it ends: no slack of the pace after it.
                duration=candidate.visit_seconds + (0 if appointment else slack),
                windows=tuple(per_day),
                cost=minor(candidate.cost),
                mandatory=candidate.role == "visit"
                and (candidate.place.id in must or candidate.lock is not None),
                label=candidate.place.id,
            )
        )
    metres_f = distance_matrix([(p.lat, p.lon) for p in points])
    metres = tuple(tuple(int(m) for m in row) for row in metres_f)
    # Nobody plans a 75-minute walk between two sights: longer walks are not offered (NEVER); the bus, a
    # car, or another order of visits must do.
    walk = tuple(
        tuple(seconds if (seconds := walk_seconds(m)) <= MAX_WALK_S else NEVER for m in row)
        for row in metres_f.tolist()
    )
    car = (
        tuple(tuple(car_seconds(m) for m in row) for row in metres_f.tolist())
        if "car" in request.modes
        else None
    )
    fixed = (
        tuple(
            tuple(min(w, c) for w, c in zip(walk_row, car_row, strict=True))
            for walk_row, car_row in zip(walk, car, strict=True)
        )
        if car is not None
        else walk
    )
    travel: Travel = MatrixTravel(fixed)
    if "transit" in request.modes and any(network is not None for network in data.networks):
        travel = _transit_travel(fixed, points, tours, data.networks)
    budget = None
    if request.budget is not None:
        amount, currency = request.budget
        budget = max(0, minor(convert(Money(amount, currency), data.currency, data.rates)) - fare_reserve)
    problem = Problem(stops=tuple(stops), tours=tours, travel=travel, budget=budget)
    return Built(problem, clock, tuple(candidates), tuple(points), walk, car, metres)
