"""The planner's clock: integer seconds since local midnight of the trip's first day.

Seconds count real elapsed time (instants), not wall-clock digits, so a day with a daylight-saving change is
23 or 25 hours long and a bus at 09:00 local is at the right second on either side of the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

__all__ = ["Clock"]


@dataclass(frozen=True)
class Clock:
    first_day: date
    tz: ZoneInfo

    @cached_property
    def origin(self) -> datetime:
        return self.local(self.first_day, time(0))

    @cached_property
    def _origin_utc(self) -> datetime:
        return self.origin.astimezone(UTC)

    def local(self, day: date, at: time) -> datetime:
        """The aware instant of wall-clock time `at` on `day`; a time inside a spring-forward gap moves on."""
        return datetime.combine(day, at, tzinfo=self.tz).astimezone(UTC).astimezone(self.tz)

    def seconds(self, instant: datetime) -> int:
        return int((instant.astimezone(UTC) - self._origin_utc).total_seconds())

    def at(self, day: date, wall: time) -> int:
        return self.seconds(self.local(day, wall))

    def instant(self, seconds: int) -> datetime:
        return (self._origin_utc + timedelta(seconds=seconds)).astimezone(self.tz)

    def iso(self, seconds: int) -> str:
        return self.instant(seconds).isoformat()
