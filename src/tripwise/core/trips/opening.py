"""A place's opening hours on one day of the trip, on the planner's clock.

Unknown hours are never taken as "always open": the planner assumes a typical museum day (ASSUMED_HOURS),
says so on the plan, and the checker holds the plan to that same assumption.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from tripwise.core.hours import DayHours, hours_on
from tripwise.core.trips.clock import Clock
from tripwise.core.trips.model import PlaceFacts

__all__ = ["ASSUMED_HOURS", "OpenTimes", "open_times"]

ASSUMED_HOURS = (time(10), time(18))


@dataclass(frozen=True)
class OpenTimes:
    intervals: tuple[tuple[int, int], ...]  # clock seconds, sorted and disjoint; a visit must fit inside one
    assumed: bool  # the hours are not known: `intervals` is ASSUMED_HOURS
    warning: str | None  # why they are unknown, when the tag could not be read


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


@lru_cache(maxsize=16384)
def _hours(value: str | None, day: date, tz: ZoneInfo) -> DayHours:
    # Plans for one city ask the same few hundred tags about the same few days again and again.
    return hours_on(value, day, tz)


def open_times(place: PlaceFacts, day: date, clock: Clock) -> OpenTimes:
    """When `place` is open on local date `day` (including an opening carried over from the night before)."""
    tz = ZoneInfo(place.timezone)
    today = _hours(place.opening_hours, day, tz)
    if today.unknown and not today.intervals:
        start, end = ASSUMED_HOURS
        span = (clock.at(day, start), clock.at(day, end))
        return OpenTimes(intervals=(span,), assumed=True, warning=today.warning)
    spans = [(clock.seconds(s), clock.seconds(e)) for s, e in today.intervals]
    # "Fr 20:00-03:00" belongs to Friday but is still open early on Saturday.
    yesterday = _hours(place.opening_hours, day - timedelta(days=1), tz)
    midnight = clock.at(day, time(0))
    spans += [
        (max(clock.seconds(s), midnight), clock.seconds(e))
        for s, e in yesterday.intervals
        if clock.seconds(e) > midnight
    ]
    return OpenTimes(intervals=_merge(spans), assumed=False, warning=today.warning)
