"""The trip request (docs/plans.md): parsed from plain JSON, checked, defaults filled in.

Names of places and of the destination stay strings here; the app resolves them against its database.
Every error says which field was wrong and what to write instead.

>>> request = parse_request({"destination": "astana", "start_date": "2026-11-30", "days": 2})
>>> request.days, request.day_start, request.modes, request.pace
(2, datetime.time(9, 0), ('walk', 'transit'), 'normal')
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from tripwise.core.errors import TripwiseError

__all__ = ["DayRule", "Lock", "TripRequest", "parse_request", "request_to_json"]

Mode = Literal["walk", "transit", "car"]
Pace = Literal["relaxed", "normal", "packed"]
MODES: tuple[Mode, ...] = ("walk", "transit", "car")
PACES: tuple[Pace, ...] = ("relaxed", "normal", "packed")
MAX_DAYS = 14
MAX_APPOINTMENT_MINUTES = 24 * 60
MAX_LABEL = 200  # characters of a booking's label
MIN_DAY_S = 4 * 3600  # a relaxed day is trimmed, but never below this
FIRST_DATE, LAST_DATE = date(2000, 1, 1), date(2099, 12, 31)
_HHMM = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
_CURRENCY = re.compile(r"[A-Z]{3}")


def _invalid(field_name: str, message: str) -> TripwiseError:
    return TripwiseError("invalid_request", f"{field_name}: {message}")


@dataclass(frozen=True)
class Lock:
    """A visit fixed by the traveller: this place, on this date, starting at this local time (or at any
    time that day when `start` is None: "keep ALZHIR on day 2").

    With `minutes` it is an appointment (a booked tour): it starts exactly at `start`, lasts exactly
    `minutes`, is already paid for, and the place's opening hours do not bind it (the provider's schedule
    does); it must still fit in the traveller's day. `label` names the booking on the plan."""

    place: str
    date: date
    start: time | None
    minutes: int | None = None
    label: str | None = None

    @property
    def appointment(self) -> bool:
        return self.minutes is not None


@dataclass(frozen=True)
class DayRule:
    """What the traveller said about one day of the trip (`day` counts from 1): "we arrive at 14:00 on the
    first day", "make day 2 more relaxed", "no museums on Sunday". Kept by day number, so the rule stays with
    its day when the trip moves to other dates."""

    day: int
    start: time | None = None
    end: time | None = None
    pace: Pace | None = None
    avoid_kinds: tuple[str, ...] = ()
    avoid_places: tuple[str, ...] = ()  # not on this day (swapping days moves a day's sights this way)


@dataclass(frozen=True)
class TripRequest:
    destination: str
    start_date: date
    days: int = 1
    day_start: time = time(9)
    day_end: time = time(20)
    base: str | tuple[float, float] | None = None  # a place id or name, (lat, lon), or None: the centre
    modes: tuple[Mode, ...] = ("walk", "transit")
    must_see: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    budget: tuple[Decimal, str] | None = None  # (amount, ISO 4217 code)
    adults: int = 1
    children: int = 0
    pace: Pace = "normal"
    locks: tuple[Lock, ...] = ()
    currency: str | None = None  # the traveller's currency for the second column of costs
    day_rules: tuple[DayRule, ...] = ()

    @property
    def dates(self) -> tuple[date, ...]:
        return tuple(self.start_date + timedelta(days=k) for k in range(self.days))

    def rule(self, index: int) -> DayRule:
        """The traveller's rule for day `index` (0-based), or an empty one."""
        return next((rule for rule in self.day_rules if rule.day == index + 1), DayRule(day=index + 1))

    def hours(self, index: int) -> tuple[time, time]:
        """The day's start and end (0-based `index`). A relaxed day among others starts an hour later and
        ends two hours earlier (the engine's visit lengths are one for the whole trip, so a lighter day is a
        shorter one); a packed day ends an hour later. Times the traveller gave for the day win."""
        rule = self.rule(index)
        start, end = _seconds(rule.start or self.day_start), _seconds(rule.end or self.day_end)
        if rule.pace == "relaxed" and self.pace != "relaxed":
            later = start + 3600 if rule.start is None else start
            earlier = end - 2 * 3600 if rule.end is None else end
            start, end = min(later, max(start, end - MIN_DAY_S)), max(earlier, min(end, later + MIN_DAY_S))
        elif rule.pace == "packed" and self.pace != "packed" and rule.end is None:
            end = min(end + 3600, 23 * 3600)
        return _clock(start), _clock(end)

    @property
    def party(self) -> int:
        return self.adults + self.children


def _seconds(value: time) -> int:
    return value.hour * 3600 + value.minute * 60


def _clock(seconds: int) -> time:
    return time(seconds // 3600, seconds % 3600 // 60)


def _text(data: Mapping[str, Any], key: str, default: str | None = None) -> str | None:
    value = data.get(key, default)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _invalid(key, f"give a non-empty text, not {value!r}.")
    return value.strip()


def _int(data: Mapping[str, Any], key: str, default: int, low: int, high: int) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        else:
            raise _invalid(key, f"give a whole number from {low} to {high}, not {value!r}.")
    if not low <= value <= high:
        raise _invalid(key, f"give a whole number from {low} to {high}, not {value}.")
    return value


def _date(value: object, key: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _invalid(key, f"give a date as YYYY-MM-DD, e.g. 2026-11-30, not {value!r}.") from None


def _time(value: object, key: str) -> time:
    if isinstance(value, time):
        return value
    match = _HHMM.fullmatch(str(value).strip())
    if match is None:
        raise _invalid(key, f"give a local time as HH:MM, e.g. 09:00, not {value!r}.")
    return time(int(match.group(1)), int(match.group(2)))


def _names(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key) or []
    if isinstance(value, str):
        value = list(value.split(","))
    if not isinstance(value, Sequence) or not all(isinstance(item, str) for item in value):
        raise _invalid(key, 'give a list of place ids or names, e.g. ["alzhir-museum"].')
    return tuple(dict.fromkeys(item.strip() for item in value if item.strip()))


def _base(value: object) -> str | tuple[float, float] | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Mapping):
        try:
            lat, lon = float(value["lat"]), float(value["lon"])
        except (KeyError, TypeError, ValueError):
            raise _invalid("base", 'give {"lat": 51.13, "lon": 71.43} or a place id.') from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise _invalid("base", f"({lat}, {lon}) is not a point on Earth: lat -90..90, lon -180..180.")
        return (lat, lon)
    raise _invalid("base", 'give {"lat": ..., "lon": ...} or a place id.')


def _modes(value: object) -> tuple[Mode, ...]:
    if value is None:
        return ("walk", "transit")
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, Sequence):
        raise _invalid("modes", f"give a list of {', '.join(MODES)}.")
    modes: list[Mode] = []
    for item in items:
        name = str(item).strip().lower()
        if name not in MODES:
            raise _invalid("modes", f"{item!r} is not a mode: use any of {', '.join(MODES)}.")
        modes.append(name)
    if not modes:
        raise _invalid("modes", f"give at least one of {', '.join(MODES)}.")
    # Walking is how one reaches a stop, a car park or the door: it is always part of a trip.
    return tuple(mode for mode in MODES if mode in modes or mode == "walk")


def _budget(value: object) -> tuple[Decimal, str] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise _invalid("budget", 'give {"amount": "20000", "currency": "KZT"}.')
    try:
        amount = Decimal(str(value.get("amount")))
    except InvalidOperation:
        raise _invalid("budget", f"amount {value.get('amount')!r} is not a number.") from None
    if not amount.is_finite() or amount < 0:
        raise _invalid("budget", f"amount must be zero or more, not {amount}.")
    currency = str(value.get("currency") or "").strip().upper()
    if not _CURRENCY.fullmatch(currency):
        raise _invalid("budget", f"currency {currency!r} is not an ISO 4217 code such as KZT, USD, EUR.")
    return (amount, currency)


def _lock_minutes(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_APPOINTMENT_MINUTES:
        raise _invalid(
            "locks.minutes",
            f"give the booked appointment's length in whole minutes, 1 to {MAX_APPOINTMENT_MINUTES}, not {value!r}.",
        )
    return value


def _locks(value: object, dates: Sequence[date]) -> tuple[Lock, ...]:
    if not value:
        return ()
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise _invalid("locks", 'give a list of {"place_id", "date", "start"}.')
    locks: list[Lock] = []
    for item in value:
        if not isinstance(item, Mapping) or not item.get("place_id"):
            raise _invalid(
                "locks", 'each lock needs "place_id", "date" (YYYY-MM-DD) and "start" (HH:MM, or null).'
            )
        day = _date(item.get("date"), "locks.date")
        if day not in dates:
            raise _invalid("locks", f"{day} is not a day of this trip ({dates[0]} to {dates[-1]}).")
        start = item.get("start")
        minutes = _lock_minutes(item.get("minutes"))
        if minutes is not None and start is None:
            raise _invalid(
                "locks.start",
                f"a booked appointment ({item['place_id']}, {minutes} minutes) needs its start"
                " time as HH:MM, e.g. 10:00.",
            )
        label = item.get("label")
        if label is not None:
            if not isinstance(label, str):
                raise _invalid("locks.label", f"give the booking's name as text, not {label!r}.")
            label = label.strip() or None
            if label is not None and len(label) > MAX_LABEL:
                raise _invalid("locks.label", f"keep it to {MAX_LABEL} characters, not {len(label)}.")
        locks.append(
            Lock(
                place=str(item["place_id"]),
                date=day,
                start=None if start is None else _time(start, "locks.start"),
                minutes=minutes,
                label=label,
            )
        )
    return tuple(locks)


def _lock_json(lock: Lock) -> dict[str, Any]:
    """A lock as JSON; `minutes` and `label` only when set, so ordinary locks read as they always did."""
    result: dict[str, Any] = {
        "place_id": lock.place,
        "date": lock.date.isoformat(),
        "start": None if lock.start is None else f"{lock.start:%H:%M}",
    }
    if lock.minutes is not None:
        result["minutes"] = lock.minutes
    if lock.label is not None:
        result["label"] = lock.label
    return result


def _day_rules(value: object, request: TripRequest) -> tuple[DayRule, ...]:
    if not value:
        return ()
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise _invalid("day_rules", 'give a list of {"day", "start", "end", "pace", "avoid_kinds"}.')
    rules: dict[int, DayRule] = {}
    for item in value:
        if not isinstance(item, Mapping):
            raise _invalid("day_rules", 'each rule is an object such as {"day": 2, "pace": "relaxed"}.')
        day = _int(item, "day", 0, 1, request.days)
        pace = item.get("pace")
        if pace is not None and pace not in PACES:
            raise _invalid("day_rules.pace", f"{pace!r} is not a pace: use relaxed, normal or packed.")
        start, end = item.get("start"), item.get("end")
        rule = DayRule(
            day=day,
            start=None if start is None else _time(start, "day_rules.start"),
            end=None if end is None else _time(end, "day_rules.end"),
            pace=pace,
            avoid_kinds=tuple(word.lower() for word in _names(item, "avoid_kinds")),
            avoid_places=_names(item, "avoid_places"),
        )
        if rule != DayRule(day=day):
            rules[day] = rule
    checked = replace(request, day_rules=tuple(sorted(rules.values(), key=lambda rule: rule.day)))
    for rule in checked.day_rules:
        start, end = checked.hours(rule.day - 1)
        if end <= start:
            raise _invalid(
                "day_rules", f"day {rule.day} would end at {end:%H:%M}, before it starts at {start:%H:%M}."
            )
    return checked.day_rules


def parse_request(data: Mapping[str, Any]) -> TripRequest:
    """A TripRequest from plain JSON data; raises TripwiseError("invalid_request") naming the field."""
    if not isinstance(data, Mapping):
        raise _invalid("request", "give a JSON object with at least destination and start_date.")
    destination = _text(data, "destination")
    if destination is None:
        raise _invalid("destination", 'give the destination, e.g. "astana".')
    if "start_date" not in data:
        raise _invalid("start_date", "give the first day of the trip as YYYY-MM-DD.")
    start_date = _date(data["start_date"], "start_date")
    if not FIRST_DATE <= start_date <= LAST_DATE:
        raise _invalid(
            "start_date", f"plans are made for dates from {FIRST_DATE} to {LAST_DATE}, not {start_date}."
        )
    days = _int(data, "days", 1, 1, MAX_DAYS)
    day_start = _time(data.get("day_start", "09:00"), "day_start")
    day_end = _time(data.get("day_end", "20:00"), "day_end")
    if day_end <= day_start:
        raise _invalid("day_end", f"{day_end:%H:%M} is not after day_start {day_start:%H:%M}.")
    pace = str(data.get("pace") or "normal").strip().lower()
    if pace not in PACES:
        raise _invalid("pace", f"{pace!r} is not a pace: use relaxed, normal or packed.")
    party = data.get("party") or {}
    if not isinstance(party, Mapping):
        raise _invalid("party", 'give {"adults": 2, "children": 0}.')
    adults = _int(party, "adults", 1, 0, 50)
    children = _int(party, "children", 0, 0, 50)
    if adults + children == 0:
        raise _invalid("party", "at least one traveller is needed.")
    must_see, avoid = _names(data, "must_see"), _names(data, "avoid")
    both = set(must_see) & set(avoid)
    if both:
        raise _invalid("avoid", f"{', '.join(sorted(both))} is both a must-see and to avoid: choose one.")
    currency = _text(data, "currency")
    if currency is not None and not _CURRENCY.fullmatch(currency.upper()):
        raise _invalid("currency", f"{currency!r} is not an ISO 4217 code such as EUR.")
    request = TripRequest(
        destination=destination,
        start_date=start_date,
        days=days,
        day_start=day_start,
        day_end=day_end,
        base=_base(data.get("base")),
        modes=_modes(data.get("modes")),
        must_see=must_see,
        avoid=avoid,
        interests=tuple(word.lower() for word in _names(data, "interests")),
        budget=_budget(data.get("budget")),
        adults=adults,
        children=children,
        pace=pace,
        currency=currency.upper() if currency else None,
    )
    request = replace(request, locks=_locks(data.get("locks"), request.dates))
    return replace(request, day_rules=_day_rules(data.get("day_rules"), request))


def request_to_json(request: TripRequest) -> dict[str, Any]:
    """The request as plain JSON, defaults filled in: parse_request(request_to_json(r)) == r."""
    base: object
    if isinstance(request.base, tuple):
        base = {"lat": request.base[0], "lon": request.base[1]}
    else:
        base = request.base
    return {
        "destination": request.destination,
        "start_date": request.start_date.isoformat(),
        "days": request.days,
        "day_start": f"{request.day_start:%H:%M}",
        "day_end": f"{request.day_end:%H:%M}",
        "base": base,
        "modes": list(request.modes),
        "must_see": list(request.must_see),
        "avoid": list(request.avoid),
        "interests": list(request.interests),
        "budget": None
        if request.budget is None
        else {"amount": str(request.budget[0]), "currency": request.budget[1]},
        "party": {"adults": request.adults, "children": request.children},
        "pace": request.pace,
        "locks": [_lock_json(lock) for lock in request.locks],
        "currency": request.currency,
        "day_rules": [
            {
                "day": rule.day,
                "start": None if rule.start is None else f"{rule.start:%H:%M}",
                "end": None if rule.end is None else f"{rule.end:%H:%M}",
                "pace": rule.pace,
                "avoid_kinds": list(rule.avoid_kinds),
                "avoid_places": list(rule.avoid_places),
            }
            for rule in request.day_rules
        ],
    }
