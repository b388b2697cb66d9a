"""Recurring start times of an experience ("Tu-Su 11:00,15:00"), read with OpenStreetMap day selectors.

A guided tour does not have opening hours, it has *start times*. We still want the whole of the
``opening_hours`` day-selector language (weekday ranges, ``PH off``, months, ``week``, ``Mo[1]``) without
writing a second parser for it, so each point time ``HH:MM`` is handed to the ``opening_hours`` library as a
one-minute opening ``HH:MM-HH:MM+1``, and every minute the library calls open is a start. The library
refuses bare point times ("Tu-Su 11:00,15:00" is a syntax error there), which is why the conversion exists.

>>> normalise_schedule("Tu-Su 11:00 and 15:00")
'Tu-Su 11:00,15:00'
>>> describe_schedule("Mo-Fr 10:00; Sa,Su 11:00,14:00; PH off")
'Monday to Friday at 10:00; Saturday and Sunday at 11:00 and 14:00; not on public holidays'
>>> from zoneinfo import ZoneInfo
>>> from datetime import date
>>> [s.isoformat() for s in slot_starts("Tu-Su 11:00,15:00", tz=ZoneInfo("Asia/Almaty"),
...                                     first=date(2026, 11, 30), last=date(2026, 12, 1))]
['2026-12-01T11:00:00+05:00', '2026-12-01T15:00:00+05:00']

Public holidays (``PH``) follow the calendar of ``country`` (default: the country of the zone, as in
``tripwise.core.hours``). Where no calendar is known (a zone with no country, such as UTC), the library
knows no holidays, so a ``PH`` rule never applies: "PH off" then removes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import opening_hours

from tripwise.core.errors import TripwiseError
from tripwise.core.hours import OpeningHoursError, _parse_for, country_of_zone

__all__ = ["describe_schedule", "normalise_schedule", "slot_starts"]

_EXAMPLES = (
    'Write days, then start times, e.g. "Tu-Su 11:00,15:00" or "Mo-Fr 10:00; Sa,Su 11:00,14:00; PH off".'
)

_COMMENT = re.compile(r'"[^"]*"')
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_COMMA_BEFORE_TIME = re.compile(r"\s*,\s*(?=\d{1,2}:\d{2})")
# A clock time not glued to other digits or colons ("11:00", "9:30"); ranges are told apart by context.
_TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?![\d:])")
_SPAN = re.compile(r"(?<![\d:])(\d{2}):(\d{2})-(\d{2}):(\d{2})(?![\d:])")
_SUN = re.compile(r"\b(?:sunrise|sunset|dawn|dusk)\b", re.IGNORECASE)
_SCHOOL_HOLIDAY = re.compile(r"\bSH\b")
_UNKNOWN = re.compile(r"\bunknown\b", re.IGNORECASE)
_CLOSED = re.compile(r"\b(?:closed|off)\b", re.IGNORECASE)
_RULE_SEPARATOR = re.compile(r";|\|\|")
_POSITION = re.compile(r"^at character \d+:\s*")

_DAYS = {"Mo": 0, "Tu": 1, "We": 2, "Th": 3, "Fr": 4, "Sa": 5, "Su": 6}
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_SELECTOR_ITEM = rf"(?:{_DAY}(?:-{_DAY})?|PH)"
# Only for *describing* the simplest rules in words; evaluation is always the library's.
_SIMPLE_RULE = re.compile(
    rf"^(?P<selector>{_SELECTOR_ITEM}(?:,{_SELECTOR_ITEM})*)?\s*"
    r"(?P<times>\d{2}:\d{2}(?:,\d{2}:\d{2})*)?\s*(?P<closed>closed|off)?$"
)


def _bad(message: str) -> TripwiseError:
    return TripwiseError("bad_schedule", f"{message} {_EXAMPLES}")


def _outside_comments(
    text: str, change: re.Pattern[str], replacement: str | Callable[[re.Match[str]], str]
) -> str:
    """``change`` applied to the text between quoted comments only: a comment is the author's words."""
    pieces: list[str] = []
    position = 0
    for comment in _COMMENT.finditer(text):
        pieces.append(change.sub(replacement, text[position : comment.start()]))
        pieces.append(comment.group(0))
        position = comment.end()
    pieces.append(change.sub(replacement, text[position:]))
    return "".join(pieces)


def _split_rules(text: str) -> list[str]:
    """Rules separated by ``;`` or ``||`` outside comments (a comment may contain ``;``)."""
    bare = _COMMENT.sub(lambda m: "\0" * len(m.group(0)), text)
    rules: list[str] = []
    position = 0
    for separator in _RULE_SEPARATOR.finditer(bare):
        rules.append(text[position : separator.start()].strip())
        position = separator.end()
    rules.append(text[position:].strip())
    return rules


def _minute_after(start: time) -> str:
    after = (datetime.combine(date.min, start) + timedelta(minutes=1)).time()
    return "24:00" if after == time() else f"{after:%H:%M}"


def _to_spans(text: str) -> str:
    """Each point time as a one-minute opening; refuses ranges, open ends and impossible times."""
    bare = _COMMENT.sub(lambda m: "\0" * len(m.group(0)), text)
    pieces: list[str] = []
    position = 0
    for match in _TIME.finditer(bare):
        hour, minute = int(match.group(1)), int(match.group(2))
        before = bare[: match.start()].rstrip()
        after = bare[match.end() :].lstrip()
        if before.endswith("-") or after.startswith("-"):
            raise _bad(
                f"{text!r} gives a time range near {match.group(0)}; a schedule lists start times, not "
                "opening hours."
            )
        if after.startswith("+"):
            raise _bad(f"{text!r} gives an open end ({match.group(0)}+); list start times only.")
        if hour > 23 or minute > 59:
            raise _bad(
                f"{text!r} has the time {match.group(0)}, which is not a time of day (00:00 to 23:59)."
            )
        start = time(hour, minute)
        pieces.append(text[position : match.start()] + f"{start:%H:%M}-{_minute_after(start)}")
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces)


def _to_points(spans: str) -> str:
    """The inverse of ``_to_spans``; a longer span (touching points merged by the library) gives each minute."""

    def points(match: re.Match[str]) -> str:
        start = int(match.group(1)) * 60 + int(match.group(2))
        end = int(match.group(3)) * 60 + int(match.group(4))
        return ",".join(f"{m // 60:02d}:{m % 60:02d}" for m in range(start, max(end, start + 1)))

    return _outside_comments(spans, _SPAN, points)


def _check_words(text: str) -> None:
    """Refuse what cannot give definite start times, with the reason."""
    bare = _COMMENT.sub('""', text)
    if _SUN.search(bare):
        raise _bad(f"{text!r} uses sunrise, sunset, dawn or dusk; give clock times.")
    if _SCHOOL_HOLIDAY.search(bare):
        raise _bad(f"{text!r} uses school holidays (SH), whose dates are not known here.")
    if _UNKNOWN.search(bare):
        raise _bad(f"{text!r} says 'unknown'; a schedule must say when it starts or that it is off.")
    for rule in _split_rules(bare):
        if not _TIME.search(rule) and not _CLOSED.search(rule):
            shown = rule or "(an empty rule)"
            raise _bad(f"{text!r}: the rule {shown!r} gives no start time; add one, or write 'off'.")


def _parse(spans: str, country: str | None) -> tuple[opening_hours.OpeningHours, bool]:
    try:
        return _parse_for(spans, country)
    except OpeningHoursError as error:
        reason = _POSITION.sub("", error.reason)
        raise _bad(f"The schedule {_to_points(spans)!r} cannot be read ({reason}).") from error


def _clean(text: str) -> str:
    cleaned = " ".join(text.split())
    cleaned = _outside_comments(cleaned, _AND, ",")
    return _outside_comments(cleaned, _COMMA_BEFORE_TIME, ",")


@lru_cache(maxsize=1024)
def normalise_schedule(text: str) -> str:
    """The canonical text of a schedule, as the library normalises it, with point times.

    Raises ``TripwiseError("bad_schedule")`` for empty text, bad syntax, time ranges, rules with no start
    time and anything else that cannot give definite starts; the message says what and shows an example.
    Storing the canonical text means two spellings of one schedule compare equal.

    >>> normalise_schedule("Sa,Su 9:30, 14:00;  PH off")
    'Sa-Su 09:30,14:00; PH closed'
    """
    if not isinstance(text, str) or not text.strip():
        raise _bad("The schedule is empty.")
    cleaned = _clean(text)
    _check_words(cleaned)
    spans = _to_spans(cleaned)
    parsed, _applied = _parse(spans, None)
    canonical_spans = str(parsed.normalize())
    canonical = _to_points(canonical_spans)
    _check_words(canonical)
    # The library's normal form must read back to itself; if it ever does not, keep the author's spelling.
    try:
        again = str(_parse(_to_spans(canonical), None)[0].normalize())
    except TripwiseError:
        again = ""
    return canonical if again == canonical_spans else _to_points(spans)


def _exists(local: datetime, tz: ZoneInfo) -> datetime | None:
    """``local`` as an aware datetime (fold=0: the first of an ambiguous pair), None in a DST gap."""
    aware = local.replace(tzinfo=tz, fold=0)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != local:
        return None
    return aware


def slot_starts(
    schedule: str, *, tz: ZoneInfo, first: date, last: date, country: str | None = None
) -> list[datetime]:
    """Every start on the local dates ``first``..``last`` (inclusive), aware in ``tz``, sorted and unique.

    ``country`` chooses the public-holiday calendar (default: the zone's country). A start in a
    spring-forward gap does not happen and is left out; one in the repeated hour of a fall-back happens
    once, at its first occurrence (fold=0).
    """
    canonical = normalise_schedule(schedule)
    if last < first:
        return []
    points = {time.fromisoformat(match.group(0)) for match in _TIME.finditer(_COMMENT.sub('""', canonical))}
    parsed, _applied = _parse(_to_spans(canonical), country or country_of_zone(tz))
    window_start = datetime.combine(first, time())
    window_end = datetime.combine(last + timedelta(days=1), time())
    starts: set[datetime] = set()
    for start, end, state, _comment in parsed.intervals(window_start, window_end):
        if state != opening_hours.State.OPEN:
            continue
        minute = start
        while minute < end:
            if minute.time() not in points:
                raise _bad(
                    f"The schedule {canonical!r} is open at {minute:%H:%M}, which is not one of its times."
                )
            aware = _exists(minute, tz)
            if aware is not None:
                starts.add(aware)
            minute += timedelta(minutes=1)
    return sorted(starts, key=lambda moment: moment.astimezone(UTC))


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _describe_selector(selector: str) -> str | None:
    items = selector.split(",")
    words: list[str] = []
    for item in items:
        if item == "PH":
            words.append("public holidays")
        elif "-" in item:
            start, end = (_DAYS[day] for day in item.split("-"))
            if (end - start) % 7 == 6:
                if len(items) > 1:
                    return None
                return "every day"
            if (end - start) % 7 == 1:
                words.extend((_DAY_NAMES[start], _DAY_NAMES[end]))
            else:
                words.append(f"{_DAY_NAMES[start]} to {_DAY_NAMES[end]}")
        else:
            words.append(_DAY_NAMES[_DAYS[item]])
    return _join(words)


def _describe_rule(rule: str) -> str:
    match = _SIMPLE_RULE.match(rule)
    if match is None or not (match.group("times") or match.group("closed")):
        return rule
    selector = match.group("selector")
    who = _describe_selector(selector) if selector else "every day"
    if who is None:
        return rule
    only_holidays = selector == "PH"
    if match.group("closed"):
        if who == "every day":
            return "never"
        return f"not on {who}"
    when = f"at {_join(match.group('times').split(','))}"
    return f"on {who} {when}" if only_holidays else f"{who} {when}"


def describe_schedule(schedule: str) -> str:
    """The schedule in plain words, rule by rule; a rule too rich to describe is shown as written.

    >>> describe_schedule("Tu-Su 11:00 and 15:00")
    'Tuesday to Sunday at 11:00 and 15:00'
    >>> describe_schedule("10:00")
    'Every day at 10:00'
    """
    canonical = normalise_schedule(schedule)
    if "||" in _COMMENT.sub('""', canonical):
        return canonical
    text = "; ".join(_describe_rule(rule) for rule in _split_rules(canonical) if rule)
    return text[:1].upper() + text[1:]
