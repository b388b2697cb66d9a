"""Opening hours in OpenStreetMap ``opening_hours`` syntax, evaluated in a place's local time.

>>> from zoneinfo import ZoneInfo
>>> from datetime import date, datetime
>>> state_at("Tu-Su 10:00-18:00", datetime(2025, 1, 6, 12, tzinfo=ZoneInfo("Asia/Almaty"))).is_open
False
>>> hours_on("Tu-Su 10:00-18:00", date(2025, 1, 7), ZoneInfo("Asia/Almaty")).intervals[0][0].hour
10
>>> hours_on("sometimes", date(2025, 1, 7), ZoneInfo("Asia/Almaty")).unknown
True

How the planner reads a value (``hours_on``); the rule behind every choice is that a visit is never
scheduled at a time the value does not say is open:

- Public holidays (``PH``) are applied with the calendar of the zone's country (tzdata's ``zone.tab``:
  Europe/Helsinki -> FI). A value that names PH in a zone with no known country gives an unknown day.
- School holidays (``SH``) and sun times (``sunrise``, ``sunset``, ``dawn``, ``dusk``) cannot be known here
  (no school calendar; no coordinates), and the library would silently use 07:00/19:00 for the sun: every day
  of such a value is unknown, with a warning.
- ``week 01-53``, ``easter``, years and month-day ranges are evaluated by the library as written.
- A comment is passed on. A rule that is only a comment (``"by appointment"``, ``Sa "on request"``,
  ``Mo-Fr 08:00-16:00 || "on appointment"``) says nothing definite: the library calls it open all day, we
  call it unknown. ``off "closed for renovation"`` stays closed, with its comment.
- An open end with no closing time (``Fr 18:00+``) gives no interval after its start: the library would
  invent a closing at midnight. Open until 16:00 in ``12:00-16:00+`` is definite and kept.
- A value that cannot be parsed, or that makes the library fail in any way while evaluating, gives an
  unknown day with a warning naming the value and the reason. ``hours_on`` never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

import opening_hours

__all__ = [
    "DayHours",
    "DaySchedule",
    "OpenState",
    "OpeningHoursError",
    "closed_weekdays",
    "country_of_zone",
    "describe_closed_days",
    "hours_on",
    "is_public_holiday",
    "open_intervals",
    "state_at",
    "validate_opening_hours",
    "weekly_schedule",
]

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# A change further away than this is reported as "no change" (next_change=None). Without the cap the
# library searches up to year 9999, which takes over a second for values such as "Mo-Su, PH 05:00-23:25".
_MAX_INTERVAL_DAYS = 366

# One day's evaluation reads three days of spans. Real values give a handful; a value that changes state
# more often than this (thousands of tiny ranges) is treated as unreadable rather than slowing a plan down.
_MAX_SPANS = 1000

# The stub does not declare ParserError, so look it up defensively; anything it raises while parsing is
# a syntax problem from our caller's point of view.
_PARSER_ERROR: type[Exception] = getattr(opening_hours, "ParserError", Exception)
_UNKNOWN_COUNTRY: type[Exception] = getattr(opening_hours, "UnknownCountryError", LookupError)

_EXAMPLES = 'Use OpenStreetMap syntax such as "Tu-Su 10:00-18:00" or "Mo-Fr 09:00-17:00; Sa 10:00-14:00".'

_COMMENT = re.compile(r'"[^"]*"')
_SUN = re.compile(r"\b(?:sunrise|sunset|dawn|dusk)\b", re.IGNORECASE)
_PUBLIC_HOLIDAY = re.compile(r"\bPH\b")
_SCHOOL_HOLIDAY = re.compile(r"\bSH\b")
_TIME = re.compile(r"\d{1,2}:\d{2}")
_TIME_PLUS = re.compile(r"(\d{1,2}):(\d{2})\s*\+")
_EXPLICIT_STATE = re.compile(r"\b(?:open|closed|off|unknown)\b", re.IGNORECASE)
_RULE_SEPARATOR = re.compile(r"\|\||;|,")
_PARSER_POSITION = re.compile(r"-->\s*\d+:(\d+)")
_PARSER_EXPECTED = re.compile(r"=\s*(expected [^|]*)")


class OpeningHoursError(ValueError):
    """An ``opening_hours`` value that cannot be parsed; the message says what to write instead.

    ``reason`` is the parser's complaint alone (e.g. "at character 12: expected timespan_plus"), short
    enough for a warning shown to a traveller.
    """

    def __init__(self, message: str, *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


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


@dataclass(frozen=True)
class DayHours:
    """What a value says about one local date, for the planner; see ``hours_on``.

    ``intervals`` are the times the value says are open (aware, in the place's zone, sorted, disjoint): as
    ``open_intervals`` gives them, plus the early hours of an opening begun the day before (Fr 20:00-03:00
    gives Saturday 00:00-03:00). ``unknown``: part or all of the day is not definite (an "unknown"
    rule, a comment-only rule, an open end, or a value that could not be evaluated); the planner must not
    read the rest of such a day as closed for sure. ``warning`` says so in plain words.
    """

    intervals: tuple[tuple[datetime, datetime], ...]
    unknown: bool
    warning: str | None
    comment: str | None


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    # tzdata (a dependency) ships zone.tab: one country code per zone. It is packaged data read once, like the
    # zone files ZoneInfo itself reads; a missing file only means holidays cannot be applied.
    try:
        text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return {}
    countries: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) >= 3:
                countries[fields[2]] = fields[0]
    return countries


def country_of_zone(tz: object) -> str | None:
    """ISO country code of an IANA zone ("Europe/Helsinki" -> "FI"), None when it has none (UTC)."""
    key = getattr(tz, "key", None)
    return _zone_countries().get(key) if isinstance(key, str) else None


def _clean_reason(error: BaseException) -> str:
    """The parser's message (a multi-line caret diagram) as one short phrase."""
    text = str(error)
    expected = _PARSER_EXPECTED.search(text)
    position = _PARSER_POSITION.search(text)
    if expected:
        where = f"at character {position.group(1)}: " if position else ""
        return where + " ".join(expected.group(1).split())
    return " ".join(text.split())[:200] or type(error).__name__


@lru_cache(maxsize=4096)
def _parse_for(value: str, country: str | None) -> tuple[opening_hours.OpeningHours, bool]:
    """(parsed value, whether public holidays are applied)."""
    if not value.strip():
        raise OpeningHoursError(
            f"{value!r} is empty: an opening_hours value is required. {_EXAMPLES}", reason="empty value"
        )
    try:
        # No coordinates are given, so auto-detection would find nothing; say so rather than rely on it.
        parsed = opening_hours.OpeningHours(
            value,
            country=country,
            auto_country=False,
            auto_timezone=False,
            max_interval_days=_MAX_INTERVAL_DAYS,
        )
        return parsed, country is not None
    except _UNKNOWN_COUNTRY:
        # The library has no holiday calendar for this country (e.g. Åland, AX): parse without one.
        return _parse_for(value, None)[0], False
    except _PARSER_ERROR as error:
        reason = _clean_reason(error)
        message = f"{value!r} is not valid opening_hours syntax ({reason}). {_EXAMPLES}"
        raise OpeningHoursError(message, reason=reason) from error
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:
        # A Rust panic arrives as pyo3's PanicException, which derives from BaseException, not Exception.
        reason = f"{type(error).__name__}: {_clean_reason(error)}"
        raise OpeningHoursError(
            f"{value!r} could not be read ({reason}). {_EXAMPLES}", reason=reason
        ) from error


def _parse(value: str, tz: object = None) -> opening_hours.OpeningHours:
    return _parse_for(value, country_of_zone(tz))[0]


def validate_opening_hours(value: str) -> None:
    """Raise OpeningHoursError unless ``value`` is valid, non-empty ``opening_hours`` syntax.

    The value is also evaluated over one week, so that one the library parses but then fails on is refused
    when it is saved rather than when a traveller opens the page.
    """
    parsed = _parse(value)
    # A fixed Monday, naive local wall-clock time as the library wants: validation must not depend on today.
    start = datetime.combine(date(2026, 1, 5), time())
    try:
        _spans(parsed, start, start + timedelta(days=7))
    except OpeningHoursError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:
        reason = f"{type(error).__name__}: {_clean_reason(error)}"
        raise OpeningHoursError(
            f"{value!r} could not be evaluated ({reason}). {_EXAMPLES}", reason=reason
        ) from error


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
    zone = tz if tz is not None else at.tzinfo
    parsed = _parse(value, zone)
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


_Span = tuple[datetime, datetime, opening_hours.State, str]


def _spans(parsed: opening_hours.OpeningHours, start: datetime, end: datetime) -> list[_Span]:
    spans: list[_Span] = []
    for span in parsed.intervals(start, end):
        spans.append(span)
        if len(spans) > _MAX_SPANS:
            raise OpeningHoursError(
                f"the value changes state more than {_MAX_SPANS} times in a few days",
                reason=f"it changes state more than {_MAX_SPANS} times in a few days",
            )
    return spans


def _three_days(parsed: opening_hours.OpeningHours, day: date) -> list[_Span]:
    """Spans from the previous midnight to the next-but-one, read one day at a time.

    The library's answer depends on where the reading starts when a fallback rule ("||") is involved:
    'Mo-Fr 08:00-16:00 || "on appointment"' read from Friday is closed all Saturday, read from Saturday it
    is "on appointment" all Saturday, which is also what state() says. Starting every day at its own midnight
    keeps the intervals in agreement with state().
    """
    midnight = datetime.combine(day, time())
    spans: list[_Span] = []
    for offset in (-1, 0, 1):
        start = midnight + timedelta(days=offset)
        spans.extend(_spans(parsed, start, start + timedelta(days=1)))
    return spans


def _merge(open_spans: list[tuple[datetime, datetime]]) -> list[list[datetime]]:
    merged: list[list[datetime]] = []
    for start, end in open_spans:
        # Rules such as "Mo 10:00-24:00; Tu 00:00-01:00" come back as two touching intervals: one opening.
        if merged and merged[-1][1] == start:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return merged


def _attribute(open_spans: list[tuple[datetime, datetime]], day: date) -> list[tuple[datetime, datetime]]:
    """Merge touching open spans, keep those attributed to ``day``; see open_intervals for the rules."""
    midnight = datetime.combine(day, time())
    window_start = midnight - timedelta(days=1)
    result: list[tuple[datetime, datetime]] = []
    for start, end in _merge(open_spans):
        if midnight <= start < midnight + timedelta(days=1):
            result.append((start, end))
        elif start == window_start and end > midnight:
            # Open since at least the previous midnight (24/7, or open all day): count it from our midnight.
            # An opening that began the previous evening (Fr 20:00-03:00) belongs to the previous day instead.
            result.append((midnight, end))
    return result


def _open_during(open_spans: list[tuple[datetime, datetime]], day: date) -> list[tuple[datetime, datetime]]:
    """Every opening that touches ``day``; one begun the day before is reported from this midnight.

    Unlike _attribute (a weekly table, where Fr 20:00-03:00 is Friday's), a planner asking about Saturday
    must learn that the bar is open until 03:00, and that "open; Mo 15:00-16:00 off" (open since Monday
    16:00, without a break) is open all Tuesday.
    """
    midnight = datetime.combine(day, time())
    next_midnight = midnight + timedelta(days=1)
    return [
        (max(start, midnight), end)
        for start, end in _merge(open_spans)
        if start < next_midnight and end > midnight
    ]


def _local_open_intervals(parsed: opening_hours.OpeningHours, day: date) -> list[tuple[datetime, datetime]]:
    """Naive local open intervals attributed to ``day``."""
    spans = _three_days(parsed, day)
    return _attribute([(s, e) for s, e, state, _c in spans if state == opening_hours.State.OPEN], day)


def open_intervals(value: str, day: date, tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """Open intervals that start on the local date ``day``, as aware datetimes in ``tz``.

    An interval running past midnight is kept whole but clipped at the end of the next day, so "24/7" gives
    one 48-hour interval per day. An interval that began the previous evening belongs to the previous day;
    one already open since the previous midnight is reported from this day's midnight. "Unknown" is not open.
    This is the library's reading as is; the planner uses ``hours_on``, which is stricter.
    """
    return [(_to_aware(s, tz), _to_aware(e, tz)) for s, e in _local_open_intervals(_parse(value, tz), day)]


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
    spans = _spans(parsed, midnight, midnight + timedelta(days=1))
    return any(state == opening_hours.State.UNKNOWN for _s, _e, state, _c in spans)


def closed_weekdays(value: str, tz: ZoneInfo, week_of: date) -> list[int]:
    """Weekdays (0=Monday) of that week with no opening; a day whose state is unknown is not called closed.

    Public holidays are left out: this is the regular week ("Closed on Mondays"), and a holiday falling on
    a Thursday must not read as "Closed on Thursdays". ``is_public_holiday`` tells the holiday apart.
    """
    parsed = _parse(value)
    return [
        day.weekday()
        for day in _week_days(week_of)
        if not _local_open_intervals(parsed, day) and not _has_unknown(parsed, day)
    ]


def is_public_holiday(day: date, tz: ZoneInfo, *, country: str | None = None) -> bool | None:
    """Whether ``day`` is a public holiday in ``country`` (default: the zone's); None when not known.

    For saying why a place is closed on a day its regular week says it is open ("PH off").
    """
    try:
        parsed, applied = _parse_for("PH", country or country_of_zone(tz))
        if not applied:
            return None
        midnight = datetime.combine(day, time())
        return any(
            state == opening_hours.State.OPEN
            for _s, _e, state, _c in _spans(parsed, midnight, midnight + timedelta(days=1))
        )
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:
        return None


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


# ---------------------------------------------------------------------------------------------- planner


@dataclass(frozen=True)
class _Syntax:
    """What a value uses that the library cannot evaluate faithfully, found in its text (comments aside)."""

    sun: bool
    public_holidays: bool
    school_holidays: bool
    open_end_starts: tuple[time, ...]  # "18:00+": opens then, closing time not given
    # The value with each such open end made a one-minute opening ("18:00-18:01"): read beside the value,
    # it tells the library's invented closing (midnight) apart from the value's definite ranges.
    marked: str | None
    comment_only: frozenset[str]  # comments of rules that give no time and no state


def _mark_open_ends(part: str, starts: list[time]) -> str:
    """Open ends in a piece of value outside comments, replaced by one-minute ranges; starts collected."""
    pieces: list[str] = []
    position = 0
    for match in _TIME_PLUS.finditer(part):
        hour, minute = int(match.group(1)), int(match.group(2))
        # "12:00-16:00+" ends at 16:00 at least: definite. Only a start with no end is open-ended.
        if part[: match.start()].rstrip().endswith("-") or hour >= 24 or minute >= 60:
            continue
        opens = time(hour, minute)
        starts.append(opens)
        closes = (datetime.combine(date.min, opens) + timedelta(minutes=1)).time()
        until = "24:00" if closes == time() else f"{closes:%H:%M}"
        pieces.append(part[position : match.start()] + f"{opens:%H:%M}-{until}")
        position = match.end()
    pieces.append(part[position:])
    return "".join(pieces)


@lru_cache(maxsize=4096)
def _syntax(value: str) -> _Syntax:
    bare = _COMMENT.sub('""', value)
    starts: list[time] = []
    marked: list[str] = []
    position = 0
    for comment in _COMMENT.finditer(value):
        marked.append(_mark_open_ends(value[position : comment.start()], starts))
        marked.append(comment.group(0))
        position = comment.end()
    marked.append(_mark_open_ends(value[position:], starts))
    comment_only: set[str] = set()
    for rule in _split_rules(value):
        comments = _COMMENT.findall(rule)
        rest = _COMMENT.sub(" ", rule)
        says_when = _TIME.search(rest) or _SUN.search(rest) or "24/7" in rest
        if comments and not says_when and not _EXPLICIT_STATE.search(rest):
            comment_only.update(comment.strip('"') for comment in comments)
    return _Syntax(
        sun=bool(_SUN.search(bare)),
        public_holidays=bool(_PUBLIC_HOLIDAY.search(bare)),
        school_holidays=bool(_SCHOOL_HOLIDAY.search(bare)),
        open_end_starts=tuple(starts),
        marked="".join(marked) if starts else None,
        comment_only=frozenset(comment_only),
    )


def _split_rules(value: str) -> list[str]:
    """The value cut at rule separators outside comments.

    Commas are cut too, although most are lists inside one selector ("Mo,Tu"): a piece with a comment and
    no time then reads as comment-only, which at worst calls a day unknown that the library calls open.
    """
    rules: list[str] = []
    current: list[str] = []
    position = 0
    for match in _COMMENT.finditer(value):
        pieces = _RULE_SEPARATOR.split(value[position : match.start()])
        current.append(pieces[0])
        for piece in pieces[1:]:
            rules.append("".join(current))
            current = [piece]
        current.append(match.group(0))
        position = match.end()
    pieces = _RULE_SEPARATOR.split(value[position:])
    current.append(pieces[0])
    for piece in pieces[1:]:
        rules.append("".join(current))
        current = [piece]
    rules.append("".join(current))
    return rules


def _long_date(day: date) -> str:
    return f"{DAY_NAMES[day.weekday()]} {day.day} {day:%B %Y}"


def _unknown(value: str, why: str) -> DayHours:
    return DayHours(
        intervals=(), unknown=True, warning=f"Opening hours {value!r} {why}: assumed unknown", comment=None
    )


def _without_open_ends(
    value_intervals: list[tuple[datetime, datetime]],
    marked_intervals: list[tuple[datetime, datetime]],
    starts: tuple[time, ...],
) -> tuple[list[tuple[datetime, datetime]], time | None]:
    """(definite intervals, the open-end start that leaves the day partly unknown, or None).

    Where the value and its marked copy agree, the library invented nothing. Where they differ, the copy's
    ranges are the definite ones, less the one-minute markers that stand in for the open ends (a marker
    is dropped even where the two agree: "23:59+" is one minute in both).
    """
    markers = {
        (datetime.combine(start.date(), opens), datetime.combine(start.date(), opens) + timedelta(minutes=1))
        for start, _end in marked_intervals
        for opens in starts
    }
    found = sorted(start.time() for start, end in marked_intervals if (start, end) in markers)
    if value_intervals == marked_intervals and not found:
        return value_intervals, None
    kept = [interval for interval in marked_intervals if interval not in markers]
    # The start to name: a marker of this day, else an open end that starts an opening the library
    # lengthened, else the earliest open end (it merged into a range before it: "10:00-12:00,12:00+").
    lengthened = sorted(
        start.time() for start, end in value_intervals if (start, end) not in marked_intervals
    )
    named = found or [t for t in lengthened if t in starts] or sorted(starts)
    return kept, named[0]


def _disjoint(intervals: list[tuple[datetime, datetime]]) -> tuple[tuple[datetime, datetime], ...]:
    """Sorted, merged, non-empty intervals.

    Wall-clock order survives the move to real instants except around a spring-forward gap: a range ending
    at 03:50 (really 04:50) overlaps one starting at 04:10, and Su 03:00-04:00 does not happen at all.
    """
    merged: list[list[datetime]] = []
    for start, end in sorted((s, e) for s, e in intervals if s < e):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


def _read_day(
    parsed: opening_hours.OpeningHours, syntax: _Syntax, day: date
) -> tuple[list[tuple[datetime, datetime]], bool, list[str]]:
    """(naive open intervals touching ``day``, whether part of it is unknown, its comments)."""
    midnight = datetime.combine(day, time())
    next_midnight = midnight + timedelta(days=1)
    unknown = False
    comments: list[str] = []
    open_spans: list[tuple[datetime, datetime]] = []
    for start, end, state, comment in _three_days(parsed, day):
        touches_day = start < next_midnight and end > midnight
        if state == opening_hours.State.OPEN and comment in syntax.comment_only:
            # "by appointment" is not "open all day": only an explicit time or "open" says open.
            state = opening_hours.State.UNKNOWN
        if state == opening_hours.State.OPEN:
            open_spans.append((start, end))
        elif state == opening_hours.State.UNKNOWN and touches_day:
            unknown = True
        if comment and touches_day and comment not in comments:
            comments.append(comment)
    return _open_during(open_spans, day), unknown, comments


def _evaluate(value: str, day: date, tz: ZoneInfo, country: str | None) -> DayHours:
    syntax = _syntax(value)
    if syntax.sun:
        return _unknown(value, "depend on sunrise, sunset, dawn or dusk, which need the place's coordinates")
    if syntax.school_holidays:
        return _unknown(value, "depend on school holidays (SH), whose dates are not known")
    parsed, holidays_applied = _parse_for(value, country)
    if syntax.public_holidays and not holidays_applied:
        where = getattr(tz, "key", str(tz))
        return _unknown(value, f"depend on public holidays (PH), whose dates are not known for {where}")

    intervals, unknown, comments = _read_day(parsed, syntax, day)
    open_end: time | None = None
    if syntax.marked is not None:
        try:
            marked_parsed = _parse_for(syntax.marked, country)[0]
        except OpeningHoursError:
            return _unknown(value, "give an open end (a time followed by +) that could not be read")
        marked_intervals, _unknown_marked, _comments = _read_day(marked_parsed, syntax, day)
        intervals, open_end = _without_open_ends(intervals, marked_intervals, syntax.open_end_starts)
        unknown = unknown or open_end is not None

    aware = _disjoint([(_to_aware(s, tz), _to_aware(e, tz)) for s, e in intervals])
    comment_text = "; ".join(comments) or None
    warning: str | None = None
    if open_end is not None:
        warning = (
            f"Opening hours {value!r} give no closing time on {_long_date(day)} (open from "
            f"{open_end:%H:%M}): after {open_end:%H:%M} assumed unknown"
        )
    elif unknown:
        said = f" ({comment_text})" if comment_text else ""
        warning = f"Opening hours {value!r} leave {_long_date(day)} partly or wholly unknown{said}: check before you go"
    return DayHours(intervals=aware, unknown=unknown, warning=warning, comment=comment_text)


def hours_on(value: str | None, day: date, tz: ZoneInfo, *, country: str | None = None) -> DayHours:
    """What ``value`` says about the local date ``day`` in the place's zone ``tz``; never raises.

    ``country`` (ISO code) chooses the public-holiday calendar; by default the country of ``tz``. Empty or
    None: unknown, no warning (nothing was said). Anything the value does not make definite (see the module
    notes) is unknown with a warning, and is never reported as open.
    """
    text = (value or "").strip()
    if not text:
        return DayHours(intervals=(), unknown=True, warning=None, comment=None)
    try:
        return _evaluate(text, day, tz, country or country_of_zone(tz))
    except OpeningHoursError as error:
        return _unknown(text, f"could not be read ({error.reason})")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:
        # Any failure inside the library (a Rust panic is a BaseException) must not take a plan down.
        reason = f"{type(error).__name__}: {_clean_reason(error)}"
        return _unknown(text, f"could not be evaluated for {day.isoformat()} ({reason})")
