"""Opening hours in OpenStreetMap ``opening_hours`` syntax, evaluated in a place's local time.

>>> from zoneinfo import ZoneInfo
>>> from datetime import datetime
>>> state_at("Tu-Su 10:00-18:00", datetime(2025, 1, 6, 12, tzinfo=ZoneInfo("Asia/Almaty"))).is_open
False
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import opening_hours

__all__ = [
    "DaySchedule",
    "OpenState",
    "OpeningHoursError",
    "closed_weekdays",
    "describe_closed_days",
    "open_intervals",
    "state_at",
    "validate_opening_hours",
    "weekly_schedule",
]

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# A change further away than this is reported as "no change" (next_change=None). Without the cap the
# library searches up to year 9999, which takes over a second for values such as "Mo-Su, PH 05:00-23:25".
_MAX_INTERVAL_DAYS = 366

# The stub does not declare ParserError, so look it up defensively; anything it raises while parsing is
# a syntax problem from our caller's point of view.
_PARSER_ERROR: type[Exception] = getattr(opening_hours, "ParserError", Exception)

_EXAMPLES = 'Use OpenStreetMap syntax such as "Tu-Su 10:00-18:00" or "Mo-Fr 09:00-17:00; Sa 10:00-14:00".'


class OpeningHoursError(ValueError):
    """An ``opening_hours`` value that cannot be parsed; the message says what to write instead."""


@dataclass(frozen=True)
class OpenState:
    """Whether a place is open at an instant, and when that changes (None: not within a year)."""

    is_open: bool
    unknown: bool
    next_change: datetime | None
    comment: str | None


@dataclass(frozen=True)
class DaySchedule:
    """One weekday's open intervals in local wall-clock time; ``end <= start``: it ends after midnight."""

    weekday: int
    day_name: str
    intervals: tuple[tuple[time, time], ...]


@lru_cache(maxsize=2048)
def _parse(value: str) -> opening_hours.OpeningHours:
    if not value.strip():
        raise OpeningHoursError(f"{value!r} is empty: an opening_hours value is required. {_EXAMPLES}")
    try:
        # No coordinates are given, so auto-detection would find nothing; say so rather than rely on it.
        return opening_hours.OpeningHours(
            value, auto_country=False, auto_timezone=False, max_interval_days=_MAX_INTERVAL_DAYS
        )
    except _PARSER_ERROR as error:
        detail = " ".join(str(error).split())
        message = f"{value!r} is not valid opening_hours syntax ({detail}). {_EXAMPLES}"
        raise OpeningHoursError(message) from error


def validate_opening_hours(value: str) -> None:
    """Raise OpeningHoursError unless ``value`` is valid, non-empty ``opening_hours`` syntax."""
    _parse(value)


# The time-zone trap: opening hours are wall-clock rules ("10:00" means 10:00 on the museum's clock). The
# library, handed an aware datetime, evaluates its wall-clock digits in *that datetime's own zone* unless the
# expression was built with a timezone, and it rejects datetime.timezone.utc outright (it wants a ZoneInfo
# key). So a UTC instant would be judged at the wrong hour and often on the wrong day. We therefore always
# hand the library naive local wall-clock time and attach the place's zone to what comes back ourselves.
def _to_local_naive(at: datetime, tz: ZoneInfo | None) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at!r} is naive: pass a timezone-aware datetime (in the place's IANA zone).")
    return (at.astimezone(tz) if tz is not None else at).replace(tzinfo=None)


def _to_aware(local: datetime, tz: ZoneInfo) -> datetime:
    # A wall time inside a spring-forward gap (03:30 in Helsinki on the last Sunday of March) does not exist;
    # the round trip through UTC moves it to the real instant the clocks show (04:30).
    return local.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def state_at(value: str, at: datetime, tz: ZoneInfo | None = None) -> OpenState:
    """State at the aware instant ``at``, read in ``tz`` (default: ``at``'s own zone, the place's zone)."""
    parsed = _parse(value)
    zone = tz if tz is not None else at.tzinfo
    local = _to_local_naive(at, tz)
    state, comment = parsed.state(local)
    change = parsed.next_change(local)
    next_change: datetime | None = None
    if change is not None:
        next_change = _to_aware(change, zone) if isinstance(zone, ZoneInfo) else change.replace(tzinfo=zone)
    return OpenState(
        is_open=state == opening_hours.State.OPEN,
        unknown=state == opening_hours.State.UNKNOWN,
        next_change=next_change,
        comment=comment or None,
    )


def _local_open_intervals(parsed: opening_hours.OpeningHours, day: date) -> list[tuple[datetime, datetime]]:
    """Naive local open intervals attributed to ``day``; see open_intervals for the rules."""
    midnight = datetime.combine(day, time())
    window_start = midnight - timedelta(days=1)
    merged: list[list[datetime]] = []
    for start, end, state, _comment in parsed.intervals(window_start, midnight + timedelta(days=2)):
        if state != opening_hours.State.OPEN:
            continue
        # Rules such as "Mo 10:00-24:00; Tu 00:00-01:00" come back as two touching intervals: one opening.
        if merged and merged[-1][1] == start:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    result: list[tuple[datetime, datetime]] = []
    for start, end in merged:
        if midnight <= start < midnight + timedelta(days=1):
            result.append((start, end))
        elif start == window_start and end > midnight:
            # Open since at least the previous midnight (24/7, or open all day): count it from our midnight.
            # An opening that began the previous evening (Fr 20:00-03:00) belongs to the previous day instead.
            result.append((midnight, end))
    return result


def open_intervals(value: str, day: date, tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """Open intervals that start on the local date ``day``, as aware datetimes in ``tz``.

    An interval running past midnight is kept whole but clipped at the end of the next day, so "24/7" gives
    one 48-hour interval per day. An interval that began the previous evening belongs to the previous day;
    one already open since the previous midnight is reported from this day's midnight. "Unknown" is not open.
    """
    return [(_to_aware(s, tz), _to_aware(e, tz)) for s, e in _local_open_intervals(_parse(value), day)]


def _week_days(week_of: date) -> list[date]:
    monday = week_of - timedelta(days=week_of.weekday())
    return [monday + timedelta(days=offset) for offset in range(7)]


def weekly_schedule(value: str, tz: ZoneInfo, week_of: date) -> list[DaySchedule]:
    """Monday..Sunday of the ISO week containing ``week_of``, for a facts panel."""
    return [
        DaySchedule(
            weekday=day.weekday(),
            day_name=DAY_NAMES[day.weekday()],
            intervals=tuple((start.time(), end.time()) for start, end in open_intervals(value, day, tz)),
        )
        for day in _week_days(week_of)
    ]


def _has_unknown(parsed: opening_hours.OpeningHours, day: date) -> bool:
    midnight = datetime.combine(day, time())
    spans = parsed.intervals(midnight, midnight + timedelta(days=1))
    return any(state == opening_hours.State.UNKNOWN for _s, _e, state, _c in spans)


def closed_weekdays(value: str, tz: ZoneInfo, week_of: date) -> list[int]:
    """Weekdays (0=Monday) of that week with no opening; a day whose state is unknown is not called closed."""
    parsed = _parse(value)
    return [
        day.weekday()
        for day in _week_days(week_of)
        if not open_intervals(value, day, tz) and not _has_unknown(parsed, day)
    ]


def describe_closed_days(value: str, tz: ZoneInfo, week_of: date) -> str | None:
    """E.g. "Closed on Mondays" or "Closed on Saturdays, Sundays and Mondays"; None if never closed."""
    closed = set(closed_weekdays(value, tz, week_of))
    if not closed:
        return None
    if len(closed) == 7:
        return "Closed all week"
    # Read the week as a circle starting at the first closed day after an open one, so a closed weekend
    # running into Monday reads "Saturdays, Sundays and Mondays" rather than "Mondays, Saturdays and Sundays".
    first = next(d for d in range(7) if d in closed and (d - 1) % 7 not in closed)
    names = [f"{DAY_NAMES[(first + i) % 7]}s" for i in range(7) if (first + i) % 7 in closed]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"Closed on {listed}"
