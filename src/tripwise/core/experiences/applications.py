"""Experiences booked by application: when an application is accepted, and which dates it can lead to.

The ALZHIR museum takes guided-tour applications on workdays only, judged by the calendar in the museum's
own zone: an application sent on a Friday evening in Berlin is already Saturday in Astana and is refused.
Everything here is therefore evaluated on the local date in ``tz``; ``country`` chooses the public-holiday
calendar (None: the zone's country, as in ``tripwise.core.hours``). Where no holiday data is known, a day
is not a holiday: we would rather offer to send than refuse for a reason we cannot show.

>>> from zoneinfo import ZoneInfo
>>> almaty = ZoneInfo("Asia/Almaty")
>>> saturday = datetime(2026, 11, 28, 14, 0, tzinfo=almaty)
>>> next_submission(saturday, ApplicationRules(), tz=almaty, country="KZ").isoformat()
'2026-11-30T09:00:00+05:00'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tripwise.core.hours import is_public_holiday

__all__ = [
    "ApplicationRules",
    "accepts_at",
    "earliest_visit",
    "is_workday",
    "next_submission",
    "offered_dates",
    "refusal_message",
]

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Holiday runs are a few days long; a year without a workday means the rules cannot be met at all.
_SEARCH_DAYS = 366


@dataclass(frozen=True)
class ApplicationRules:
    """How a place takes applications.

    ``workdays_only``: refused on weekends and public holidays. ``office_opens``: the local time at which
    an application we hold back is sent on the next workday (an application on a workday is taken at any
    hour: it waits in the office's inbox). ``notice_hours``: how long before a visit it must be sent.
    """

    workdays_only: bool = True
    office_opens: time = time(9, 0)
    notice_hours: int = 48


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name}={moment!r} is naive: pass a timezone-aware datetime.")


def is_workday(day: date, *, tz: ZoneInfo, country: str | None) -> bool:
    """Monday to Friday and not a known public holiday of ``country`` (None: the zone's country).

    >>> from zoneinfo import ZoneInfo
    >>> is_workday(date(2026, 12, 16), tz=ZoneInfo("Asia/Almaty"), country="KZ")  # Independence Day
    False
    """
    return day.weekday() < 5 and is_public_holiday(day, tz, country=country) is not True


def accepts_at(now: datetime, rules: ApplicationRules, *, tz: ZoneInfo, country: str | None) -> bool:
    """Whether an application sent at the aware instant ``now`` is accepted (judged on the date in ``tz``)."""
    _require_aware(now, "now")
    if not rules.workdays_only:
        return True
    return is_workday(now.astimezone(tz).date(), tz=tz, country=country)


def _at_local(day: date, at: time, tz: ZoneInfo) -> datetime:
    """``at`` on ``day`` in ``tz``; a time in a DST gap moves to the instant the clocks then show."""
    return datetime.combine(day, at).replace(tzinfo=tz, fold=0).astimezone(UTC).astimezone(tz)


def next_submission(now: datetime, rules: ApplicationRules, *, tz: ZoneInfo, country: str | None) -> datetime:
    """``now`` when accepted now, else ``office_opens`` on the next workday (aware, in ``tz``).

    Raises ValueError if no workday comes within a year (the holiday data would have to be broken).
    """
    if accepts_at(now, rules, tz=tz, country=country):
        return now
    today = now.astimezone(tz).date()
    for offset in range(1, _SEARCH_DAYS + 1):
        day = today + timedelta(days=offset)
        if is_workday(day, tz=tz, country=country):
            return _at_local(day, rules.office_opens, tz)
    raise ValueError(f"No workday within {_SEARCH_DAYS} days of {today.isoformat()} in {tz.key}.")


def earliest_visit(submitted_at: datetime, rules: ApplicationRules) -> datetime:
    """The first instant a visit may start: ``notice_hours`` of real (elapsed) time after submission.

    Computed through UTC: adding hours to an aware datetime adds wall-clock time, which is an hour off
    across a DST change. The result is in ``submitted_at``'s zone.
    """
    _require_aware(submitted_at, "submitted_at")
    elapsed = submitted_at.astimezone(UTC) + timedelta(hours=rules.notice_hours)
    return elapsed.astimezone(submitted_at.tzinfo)


def _long_day(moment: datetime, now_year: int) -> str:
    year = "" if moment.year == now_year else f" {moment.year}"
    return f"{_DAY_NAMES[moment.weekday()]} {moment.day} {_MONTH_NAMES[moment.month - 1]}{year}"


def refusal_message(
    now: datetime, rules: ApplicationRules, *, tz: ZoneInfo, country: str | None
) -> str | None:
    """None when an application is accepted at ``now``; otherwise why not and when we can send it.

    >>> from zoneinfo import ZoneInfo
    >>> almaty = ZoneInfo("Asia/Almaty")
    >>> print(refusal_message(datetime(2026, 11, 28, 14, 0, tzinfo=almaty), ApplicationRules(),
    ...                       tz=almaty, country="KZ"))
    Applications are accepted on workdays only (Monday to Friday except public holidays, in the local time of Asia/Almaty). It is Saturday 28 November there now. We can send yours on Monday 30 November at 09:00 (Asia/Almaty time).
    """
    if accepts_at(now, rules, tz=tz, country=country):
        return None
    local = now.astimezone(tz)
    holiday = local.weekday() < 5 and is_public_holiday(local.date(), tz, country=country) is True
    today = _long_day(local, local.year)
    why = f"{today} is a public holiday there" if holiday else f"It is {today} there now"
    send = next_submission(now, rules, tz=tz, country=country)
    return (
        "Applications are accepted on workdays only (Monday to Friday except public holidays, in the local "
        f"time of {tz.key}). {why}. We can send yours on {_long_day(send, local.year)} at "
        f"{send:%H:%M} ({tz.key} time)."
    )


def offered_dates(
    *, submit_at: datetime, rules: ApplicationRules, tz: ZoneInfo, starts: Sequence[datetime]
) -> list[date]:
    """Local dates (in ``tz``) of the ``starts`` at or after ``earliest_visit(submit_at)``, sorted, unique.

    ``starts`` are aware (e.g. from ``slot_starts``) and already leave out the days the place is closed.
    """
    earliest = earliest_visit(submit_at, rules)
    for start in starts:
        _require_aware(start, "starts[]")
    return sorted({start.astimezone(tz).date() for start in starts if start >= earliest})
