"""GTFS feeds as plain data: what the Django app and the benchmark read a feed into, and what the network,
the fares and the plan checker take.

Times are GTFS seconds from the service day's origin ("noon minus 12 h") and may pass 86400. Calls with
pickup_type 1 cannot be boarded and calls with drop_off_type 1 cannot be left: `no_pickup`, `no_drop_off`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from tripwise.core.transit.calendar import ServiceCalendar, format_gtfs_time
from tripwise.core.transit.fares import FareProduct, FareRuleData

__all__ = ["Call", "FeedData", "ScheduledTrip", "StopPoint", "scheduled_trips"]


@dataclass(frozen=True)
class StopPoint:
    stop_id: str
    name: str
    lat: float
    lon: float
    zone_id: str = ""  # stops.txt zone_id, what fare rules name; "" when the stop has none


@dataclass(frozen=True)
class ScheduledTrip:
    """One run of a vehicle; times are GTFS seconds from its service day's origin and may pass 86400."""

    trip_id: str
    route_id: str
    route_name: str  # short name, else long name, else route_id
    headsign: str
    service_id: str
    stop_ids: tuple[str, ...]
    arrivals: tuple[int, ...]
    departures: tuple[int, ...]
    no_pickup: frozenset[int] = frozenset()  # positions one may not board at (pickup_type 1)
    no_drop_off: frozenset[int] = frozenset()  # positions one may not alight at (drop_off_type 1)


@dataclass(frozen=True)
class FeedData:
    name: str
    timezone: str
    stops: tuple[StopPoint, ...]
    trips: tuple[ScheduledTrip, ...]
    calendars: tuple[ServiceCalendar, ...]
    version: str  # changes whenever the feed is imported again (a cache key)
    fares: tuple[FareProduct, ...] = ()  # fare_attributes.txt; none: the feed says nothing about fares
    fare_rules: tuple[FareRuleData, ...] = ()  # fare_rules.txt

    # Looked up by the fares and by the plan checker for every ride: indexed once per feed, not scanned.
    @cached_property
    def trip_by_id(self) -> Mapping[str, ScheduledTrip]:
        return {trip.trip_id: trip for trip in reversed(self.trips)}  # the first of a repeated id wins

    @cached_property
    def calendar_by_id(self) -> Mapping[str, ServiceCalendar]:
        return {calendar.service_id: calendar for calendar in self.calendars}


# A stop_times row as the readers hand it over: stop_id, arrival, departure (None when untimed),
# pickup_type, drop_off_type; in stop_sequence order.
Call = tuple[str, int | None, int | None, int, int]


def scheduled_trips(
    *,
    trip_id: str,
    route_id: str,
    route_name: str,
    headsign: str,
    service_id: str,
    calls: Sequence[Call],
    frequencies: Sequence[tuple[int, int, int]] = (),
) -> list[ScheduledTrip]:
    """The ScheduledTrips of one trips.txt row: itself, or one per start of its frequencies.txt periods.

    Untimed intermediate calls get times interpolated by position between the timed calls around them
    (GTFS leaves interpolation to the consumer; without shape distances, position is what we have); untimed
    calls before the first or after the last timed call are dropped. A call with only one time uses it for
    both. Frequency periods run from start (inclusive) to end (exclusive) every headway, shifting the stop
    times so the first departure falls on each start; those trips are named "TRIP@HH:MM:SS". Periods that
    are only headways (exact_times 0) are taken as exact too: the nearest a plan can get to "every 10 min".
    """
    timed = [i for i, call in enumerate(calls) if call[1] is not None or call[2] is not None]
    if len(timed) < 2:
        return []
    stop_ids: list[str] = []
    arrivals: list[int] = []
    departures: list[int] = []
    no_pickup: set[int] = set()
    no_drop_off: set[int] = set()
    for before, after in itertools.pairwise(timed):
        for i in range(before, after):
            stop_id, arrive, depart, pickup, drop_off = calls[i]
            if i == before:
                arrive_at = arrive if arrive is not None else depart
                depart_at = depart if depart is not None else arrive
                assert arrive_at is not None
                assert depart_at is not None
            else:
                # Interpolate by position between the timed calls around it.
                first_depart = calls[before][2] if calls[before][2] is not None else calls[before][1]
                next_arrive = calls[after][1] if calls[after][1] is not None else calls[after][2]
                assert first_depart is not None
                assert next_arrive is not None
                share = (i - before) / (after - before)
                arrive_at = depart_at = first_depart + round((next_arrive - first_depart) * share)
            position = len(stop_ids)
            stop_ids.append(stop_id)
            arrivals.append(arrive_at)
            departures.append(depart_at)
            if pickup == 1:
                no_pickup.add(position)
            if drop_off == 1:
                no_drop_off.add(position)
    stop_id, arrive, depart, pickup, drop_off = calls[timed[-1]]
    last_arrive = arrive if arrive is not None else depart
    last_depart = depart if depart is not None else arrive
    assert last_arrive is not None
    assert last_depart is not None
    if pickup == 1:
        no_pickup.add(len(stop_ids))
    if drop_off == 1:
        no_drop_off.add(len(stop_ids))
    stop_ids.append(stop_id)
    arrivals.append(last_arrive)
    departures.append(last_depart)

    calls_at = tuple(stop_ids)  # shared by every run of a frequency-based trip

    def trip(name: str, shift: int) -> ScheduledTrip:
        return ScheduledTrip(
            trip_id=name,
            route_id=route_id,
            route_name=route_name,
            headsign=headsign,
            service_id=service_id,
            stop_ids=calls_at,
            arrivals=tuple(t + shift for t in arrivals),
            departures=tuple(t + shift for t in departures),
            no_pickup=frozenset(no_pickup),
            no_drop_off=frozenset(no_drop_off),
        )

    if not frequencies:
        return [trip(trip_id, 0)]
    expanded: list[ScheduledTrip] = []
    for start, end, headway in frequencies:
        if headway <= 0:
            raise ValueError(f"Trip {trip_id!r}: a frequency needs a headway above 0 seconds, not {headway}.")
        for begin in range(start, end, headway):
            expanded.append(trip(f"{trip_id}@{format_gtfs_time(begin)}", begin - departures[0]))
    return expanded
