"""Next departures from a stop, from scheduled GTFS times and service calendars."""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tripwise.core.transit.calendar import ServiceCalendar, service_day_origin

__all__ = ["Departure", "ScheduledDeparture", "next_departures"]


@dataclass(frozen=True)
class ScheduledDeparture:
    """A trip's departure from the stop, in GTFS seconds after its service day's origin."""

    trip_id: str
    service_id: str
    departure_seconds: int
    arrival_seconds_at_destination: int | None
    headsign: str


@dataclass(frozen=True)
class Departure:
    """A concrete departure, aware datetimes in the feed's zone."""

    trip_id: str
    departs: datetime
    arrives: datetime | None
    headsign: str


def _candidates(
    scheduled: Sequence[ScheduledDeparture],
    calendars: Mapping[str, ServiceCalendar],
    after: datetime,
    tz: ZoneInfo,
    horizon_days: int,
) -> Iterator[Departure]:
    local_day = after.astimezone(tz).date()
    # Start one service day back: "25:10:00" on Monday's service departs on Tuesday at 01:10.
    for offset in range(-1, horizon_days + 1):
        service_day = local_day + timedelta(days=offset)
        origin = service_day_origin(service_day, tz).astimezone(UTC)
        for departure in scheduled:
            calendar = calendars.get(departure.service_id)
            # A service missing from the calendars never runs, as in GTFS.
            if calendar is None or not calendar.runs_on(service_day):
                continue
            # Add seconds in UTC: elapsed time, not wall-clock time, is what GTFS counts on DST days.
            departs = origin + timedelta(seconds=departure.departure_seconds)
            if departs < after:
                continue
            arrives = None
            arrival_seconds = departure.arrival_seconds_at_destination
            if arrival_seconds is not None:
                arrives = (origin + timedelta(seconds=arrival_seconds)).astimezone(tz)
            yield Departure(departure.trip_id, departs.astimezone(tz), arrives, departure.headsign)


def next_departures(
    scheduled: Sequence[ScheduledDeparture],
    calendars: Mapping[str, ServiceCalendar],
    after: datetime,
    tz: ZoneInfo,
    limit: int = 3,
    horizon_days: int = 7,
) -> list[Departure]:
    """The next ``limit`` departures at or after the aware instant ``after``, earliest first.

    Service days from the local day before ``after`` through ``horizon_days`` days after it are searched.
    """
    if after.tzinfo is None or after.utcoffset() is None:
        raise ValueError(f"{after!r} is naive: pass a timezone-aware datetime.")
    if limit < 0 or horizon_days < 0:
        raise ValueError(f"limit ({limit}) and horizon_days ({horizon_days}) must not be negative.")
    candidates = _candidates(scheduled, calendars, after, tz, horizon_days)
    return heapq.nsmallest(limit, candidates, key=lambda d: (d.departs, d.trip_id))
