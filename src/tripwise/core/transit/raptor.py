"""Earliest-arrival public-transport routing with RAPTOR (Delling, Pajor & Werneck, 2012).

Round k finds the earliest arrival at every stop using at most k rides: each route is scanned once from the
earliest stop whose boarding time improved in round k - 1, then footpaths are walked from the stops reached.
All times are integer seconds on one clock (for GTFS: seconds after the first service day's origin, so trips
past midnight simply have times above 86400).

Footpaths are taken one at a time: after a ride (or at the origin) a traveller may walk one footpath before
boarding again or walking to the destination. Feeds whose transfers are not transitively closed should be
closed before building the timetable.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["Footpath", "Journey", "Leg", "Timetable", "TripTimes", "earliest_arrival"]


@dataclass(frozen=True)
class TripTimes:
    """One vehicle trip: the stops it calls at (indices into the timetable's stops) and its times there."""

    trip_id: str
    route_id: str
    stops: tuple[int, ...]
    arrivals: tuple[int, ...]
    departures: tuple[int, ...]
    # Positions where the vehicle calls but one may not board (GTFS pickup_type 1) or alight (drop_off_type 1).
    no_pickup: frozenset[int] = frozenset()
    no_drop_off: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if len(self.stops) < 2:
            raise ValueError(f"Trip {self.trip_id!r}: a trip needs at least two stops to be ridden.")
        if not len(self.stops) == len(self.arrivals) == len(self.departures):
            raise ValueError(f"Trip {self.trip_id!r}: give one arrival and one departure per stop.")
        for position, (arrive, depart) in enumerate(zip(self.arrivals, self.departures, strict=True)):
            if depart < arrive:
                raise ValueError(f"Trip {self.trip_id!r}: departs stop #{position} before arriving there.")
            if position + 1 < len(self.stops) and self.arrivals[position + 1] < depart:
                raise ValueError(
                    f"Trip {self.trip_id!r}: arrives at stop #{position + 1} before leaving #{position}."
                )


@dataclass(frozen=True)
class Footpath:
    """A walk between two nearby stops; not symmetric unless both directions are given."""

    from_stop: int
    to_stop: int
    seconds: int


@dataclass(frozen=True)
class Leg:
    """A ride on one trip from boarding to alighting, or a footpath walk between two stops."""

    kind: Literal["walk", "ride"]
    from_stop: int
    to_stop: int
    depart: int
    arrive: int
    route_id: str | None
    trip_id: str | None


@dataclass(frozen=True)
class Journey:
    """The stop-to-stop legs of the best journey.

    The walk from the real origin to ``origin_stop`` is already in the caller's origin time, and ``arrive``
    includes the walk from ``destination_stop`` to the real destination; neither appears in ``legs``.
    """

    arrive: int
    rides: int
    legs: tuple[Leg, ...]
    origin_stop: int
    destination_stop: int


@dataclass(frozen=True)
class _Pattern:
    """A RAPTOR route: trips with one stop sequence that never overtake one another, earliest first."""

    stops: tuple[int, ...]
    trips: tuple[TripTimes, ...]
    no_pickup: frozenset[int]
    no_drop_off: frozenset[int]
    # departure_columns[i][t] is trip t's departure at position i; sorted because trips do not overtake.
    departure_columns: tuple[tuple[int, ...], ...]


def _never_earlier(later: TripTimes, earlier: TripTimes) -> bool:
    return all(a >= b for a, b in zip(later.arrivals, earlier.arrivals, strict=True)) and all(
        a >= b for a, b in zip(later.departures, earlier.departures, strict=True)
    )


@dataclass(frozen=True)
class Timetable:
    """Trips grouped into RAPTOR routes, and footpaths indexed by the stop they leave from."""

    stop_count: int
    patterns: tuple[_Pattern, ...]
    # For each stop: (pattern index, position in the pattern) for every time a pattern calls there.
    patterns_at_stop: tuple[tuple[tuple[int, int], ...], ...]
    footpaths_from: tuple[tuple[Footpath, ...], ...]

    @classmethod
    def build(cls, stop_count: int, trips: Sequence[TripTimes], footpaths: Sequence[Footpath]) -> Timetable:
        # Trips that may not be boarded or left at the same positions share a pattern, so the scan can
        # honour those rules per pattern rather than per trip.
        by_sequence: dict[tuple[tuple[int, ...], frozenset[int], frozenset[int]], list[TripTimes]] = {}
        for trip in trips:
            if not all(0 <= stop < stop_count for stop in trip.stops):
                raise ValueError(f"Trip {trip.trip_id!r} calls at a stop outside 0..{stop_count - 1}.")
            by_sequence.setdefault((trip.stops, trip.no_pickup, trip.no_drop_off), []).append(trip)

        # The route scan rides the earliest catchable trip and only ever switches to an earlier one, which is
        # right only when no trip of a pattern overtakes another (a fast train passing a slow one on the same
        # stops). Overtaking trips are split off into their own pattern: each trip joins the first pattern
        # whose latest trip it never precedes, so every pattern stays FIFO and no trip is dropped.
        patterns: list[_Pattern] = []
        for (sequence, no_pickup, no_drop_off), group in by_sequence.items():
            fifo_groups: list[list[TripTimes]] = []
            for trip in sorted(group, key=lambda t: (t.departures[0], t.arrivals, t.departures, t.trip_id)):
                for fifo in fifo_groups:
                    if _never_earlier(trip, fifo[-1]):
                        fifo.append(trip)
                        break
                else:
                    fifo_groups.append([trip])
            for fifo in fifo_groups:
                columns = tuple(tuple(t.departures[i] for t in fifo) for i in range(len(sequence)))
                patterns.append(
                    _Pattern(
                        stops=sequence,
                        trips=tuple(fifo),
                        no_pickup=no_pickup,
                        no_drop_off=no_drop_off,
                        departure_columns=columns,
                    )
                )

        at_stop: list[list[tuple[int, int]]] = [[] for _ in range(stop_count)]
        for index, pattern in enumerate(patterns):
            for position, stop in enumerate(pattern.stops):
                at_stop[stop].append((index, position))

        walks_from: list[list[Footpath]] = [[] for _ in range(stop_count)]
        for path in footpaths:
            if not (0 <= path.from_stop < stop_count and 0 <= path.to_stop < stop_count):
                raise ValueError(f"Footpath {path} joins a stop outside 0..{stop_count - 1}.")
            if path.seconds < 0:
                raise ValueError(f"Footpath {path} has a negative walking time.")
            if path.from_stop != path.to_stop:
                walks_from[path.from_stop].append(path)

        return cls(
            stop_count=stop_count,
            patterns=tuple(patterns),
            patterns_at_stop=tuple(tuple(entries) for entries in at_stop),
            footpaths_from=tuple(tuple(paths) for paths in walks_from),
        )


@dataclass(frozen=True, slots=True)
class _Label:
    """How a stop was reached: the last leg and the label it continued from (the parent pointer)."""

    stop: int
    arrive: int
    leg: Leg | None
    previous: _Label | None


def _journey(label: _Label, destination_stop: int, arrive: int) -> Journey:
    legs: list[Leg] = []
    current: _Label | None = label
    origin_stop = label.stop
    while current is not None:
        if current.leg is not None:
            legs.append(current.leg)
        origin_stop = current.stop
        current = current.previous
    legs.reverse()
    rides = sum(1 for leg in legs if leg.kind == "ride")
    return Journey(
        arrive=arrive,
        rides=rides,
        legs=tuple(legs),
        origin_stop=origin_stop,
        destination_stop=destination_stop,
    )


def earliest_arrival(
    timetable: Timetable,
    *,
    origins: Mapping[int, int],
    destinations: Mapping[int, int],
    max_rides: int = 4,
    transfer_seconds: int = 0,
    arrive_before: int | None = None,
) -> Journey | None:
    """The journey reaching the destination earliest (ties: fewer rides), or None when none exists.

    ``origins`` maps a stop to the earliest time the traveller can be there; ``destinations`` maps a stop to
    the walking seconds from it to the real destination. ``transfer_seconds`` is added when boarding right
    after alighting at the same stop; a footpath's own time is taken to cover changing vehicles.
    ``arrive_before``: only journeys arriving strictly earlier count (e.g. walking's arrival), which prunes
    the search; None when no journey does.
    """
    for stop in (*origins, *destinations):
        if not 0 <= stop < timetable.stop_count:
            raise ValueError(f"Stop {stop} is outside 0..{timetable.stop_count - 1}.")
    if any(seconds < 0 for seconds in destinations.values()):
        raise ValueError("Walking times to the destination cannot be negative.")
    if max_rides < 0 or transfer_seconds < 0:
        raise ValueError("max_rides and transfer_seconds cannot be negative.")

    stop_count = timetable.stop_count
    # Labels that can start a footpath (origins, ride arrivals) and labels that cannot (footpath arrivals)
    # are kept apart: merging them would either chain footpaths or lose a walk that an earlier ride allows.
    best_ride: list[_Label | None] = [None] * stop_count
    best_foot: list[_Label | None] = [None] * stop_count
    # Earliest time one can board at each stop so far, with the label to board from.
    ready: list[tuple[int, _Label] | None] = [None] * stop_count
    best: tuple[int, _Label, int] | None = None  # (arrival at the real destination, label, destination stop)

    def bound() -> int | None:
        return arrive_before if best is None else best[0]

    def reach(label: _Label, ready_at: int, marked: set[int]) -> None:
        nonlocal best
        current = ready[label.stop]
        if current is None or ready_at < current[0]:
            ready[label.stop] = (ready_at, label)
            marked.add(label.stop)
        walk = destinations.get(label.stop)
        # Strictly earlier only: later rounds never replace an equal arrival, so ties keep fewer rides.
        limit = bound()
        if walk is not None and (limit is None or label.arrive + walk < limit):
            best = (label.arrive + walk, label, label.stop)

    def walk_footpaths(new_rides: list[_Label], marked: set[int]) -> None:
        for start in new_rides:
            for path in timetable.footpaths_from[start.stop]:
                arrive = start.arrive + path.seconds
                held = best_foot[path.to_stop]
                limit = bound()
                if (held is not None and arrive >= held.arrive) or (limit is not None and arrive >= limit):
                    continue
                leg = Leg("walk", start.stop, path.to_stop, start.arrive, arrive, None, None)
                label = _Label(path.to_stop, arrive, leg, start)
                best_foot[path.to_stop] = label
                reach(label, arrive, marked)

    marked: set[int] = set()
    round_labels: list[_Label] = []
    for stop, time in origins.items():
        label = _Label(stop, time, None, None)
        best_ride[stop] = label
        round_labels.append(label)
        reach(label, time, marked)
    walk_footpaths(round_labels, marked)

    for _ride in range(max_rides):
        if not marked:
            break
        # Boarding in this round uses only what earlier rounds reached, so a round adds exactly one ride.
        boarding = list(ready)
        first_position: dict[int, int] = {}
        for stop in marked:
            for pattern_index, position in timetable.patterns_at_stop[stop]:
                if position < first_position.get(pattern_index, len(timetable.patterns[pattern_index].stops)):
                    first_position[pattern_index] = position
        marked = set()
        round_labels = []
        for pattern_index, start in first_position.items():
            pattern = timetable.patterns[pattern_index]
            trip_index: int | None = None
            boarded_at = 0
            boarded_from: _Label | None = None
            for position in range(start, len(pattern.stops)):
                stop = pattern.stops[position]
                if (
                    trip_index is not None
                    and boarded_from is not None
                    and position not in pattern.no_drop_off
                ):
                    trip = pattern.trips[trip_index]
                    arrive = trip.arrivals[position]
                    held = best_ride[stop]
                    limit = bound()
                    if (held is None or arrive < held.arrive) and (limit is None or arrive < limit):
                        leg = Leg(
                            "ride",
                            pattern.stops[boarded_at],
                            stop,
                            trip.departures[boarded_at],
                            arrive,
                            trip.route_id,
                            trip.trip_id,
                        )
                        label = _Label(stop, arrive, leg, boarded_from)
                        best_ride[stop] = label
                        round_labels.append(label)
                        reach(label, arrive + transfer_seconds, marked)
                can_board = boarding[stop]
                if can_board is None or position == len(pattern.stops) - 1 or position in pattern.no_pickup:
                    continue
                catchable = bisect_left(pattern.departure_columns[position], can_board[0])
                if catchable < len(pattern.trips) and (trip_index is None or catchable < trip_index):
                    trip_index, boarded_at, boarded_from = catchable, position, can_board[1]
        walk_footpaths(round_labels, marked)

    if best is None:
        return None
    arrive, label, destination_stop = best
    return _journey(label, destination_stop, arrive)
