"""GTFS service calendars (calendar.txt plus calendar_dates.txt) and GTFS time-of-day values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["ServiceCalendar", "format_gtfs_time", "parse_gtfs_time", "service_day_origin"]

_GTFS_TIME = re.compile(r"(\d{1,3}):([0-5]\d):([0-5]\d)")


@dataclass(frozen=True)
class ServiceCalendar:
    """When one GTFS service runs.

    ``weekdays`` (0=Monday) apply between ``start`` and ``end`` inclusive (calendar.txt); ``added`` and
    ``removed`` are calendar_dates.txt exception_type 1 and 2. A service defined only in calendar_dates.txt
    has ``start = end = None`` and no weekdays.
    """

    service_id: str
    weekdays: frozenset[int]
    start: date | None
    end: date | None
    added: frozenset[date]
    removed: frozenset[date]

    def __post_init__(self) -> None:
        if not self.weekdays <= frozenset(range(7)):
            raise ValueError(f"Service {self.service_id!r}: weekdays must be 0 (Monday) to 6 (Sunday).")
        if (self.start is None) != (self.end is None):
            raise ValueError(f"Service {self.service_id!r}: give both start and end dates, or neither.")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"Service {self.service_id!r}: start {self.start} is after end {self.end}.")

    def runs_on(self, day: date) -> bool:
        """True when the service runs on the service day ``day``; exceptions win over the weekly pattern."""
        if day in self.removed:
            return False
        if day in self.added:
            return True
        if self.start is None or self.end is None:
            return False
        return self.start <= day <= self.end and day.weekday() in self.weekdays


def parse_gtfs_time(text: str) -> int:
    """Seconds after the service day's origin: "7:05:00" -> 25500, "25:10:00" -> 90600."""
    match = _GTFS_TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(
            f"{text!r} is not a GTFS time: use H:MM:SS or HH:MM:SS, hours may pass 24 (e.g. '25:10:00')."
        )
    hours, minutes, seconds = (int(part) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def format_gtfs_time(seconds: int) -> str:
    """The GTFS spelling of ``seconds`` after the origin: 90600 -> "25:10:00"."""
    if seconds < 0:
        raise ValueError(f"A GTFS time cannot be negative, got {seconds} seconds.")
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def service_day_origin(day: date, tz: ZoneInfo) -> datetime:
    """The instant GTFS times on ``day`` count from: noon local time minus 12 hours, in ``tz``.

    On a DST day this is not midnight: in Europe/Helsinki on the spring change it is 23:00 the day before.
    """
    noon = datetime.combine(day, time(12), tzinfo=tz)
    # Subtract in UTC: aware arithmetic within one ZoneInfo is wall-clock arithmetic and would give midnight.
    return (noon.astimezone(UTC) - timedelta(hours=12)).astimezone(tz)
