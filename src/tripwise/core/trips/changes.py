"""Edits to a trip request: each is a small JSON object, so an edit can be shown, stored, undone and replayed.

The plan page, the API and the assistant all speak these (docs/plans.md lists them):

>>> from tripwise.core.trips.request import parse_request
>>> trip = parse_request({"destination": "astana", "start_date": "2026-11-30", "days": 2})
>>> trip = apply_change(trip, {"action": "day", "day": 2, "pace": "relaxed"})
>>> trip.hours(1)
(datetime.time(10, 0), datetime.time(18, 0))
>>> apply_change(trip, {"action": "dates", "start_date": "2026-12-07"}).start_date
datetime.date(2026, 12, 7)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from tripwise.core.errors import TripwiseError
from tripwise.core.trips.request import (
    PACES,
    Lock,
    TripRequest,
    parse_request,
    request_to_json,
)

__all__ = ["ACTIONS", "apply_change", "apply_changes"]

ACTIONS = ("lock", "unlock", "remove", "add", "forget", "pace", "day", "dates", "days", "budget", "modes",
           "interests", "party")  # fmt: skip
_DAY_FIELDS = ("start", "end", "pace", "avoid_kinds", "avoid_places")


def _invalid(field_name: str, message: str) -> TripwiseError:
    return TripwiseError("invalid_request", f"{field_name}: {message}")


def _reparsed(request: TripRequest, **fields: Any) -> TripRequest:
    """The request with `fields` replaced in its JSON form, checked again by the one parser."""
    return parse_request({**request_to_json(request), **fields})


def _place_change(request: TripRequest, action: str, place: str, change: Mapping[str, Any]) -> TripRequest:
    unlocked = [lock for lock in request_to_json(request)["locks"] if lock["place_id"] != place]
    if action == "lock":
        lock = {"place_id": place, "date": change.get("date"), "start": change.get("start")}
        # A booked appointment: its length and the booking's name ride along; the parser checks them.
        lock.update({key: change[key] for key in ("minutes", "label") if change.get(key) is not None})
        if lock["date"] is None:
            raise _invalid("date", "the 'lock' change needs the date (YYYY-MM-DD) of a day of the trip.")
        avoid = [name for name in request.avoid if name != place]
        return _reparsed(request, locks=[*unlocked, lock], avoid=avoid)
    if action == "unlock":
        return _reparsed(request, locks=unlocked)
    if action == "forget":  # neither a must-see nor avoided nor locked: the planner decides again
        must_see = [name for name in request.must_see if name != place]
        avoid = [name for name in request.avoid if name != place]
        return _reparsed(request, locks=unlocked, must_see=must_see, avoid=avoid)
    if action == "remove":
        must_see = [name for name in request.must_see if name != place]
        avoid = list(request.avoid) if place in request.avoid else [*request.avoid, place]
        return _reparsed(request, locks=unlocked, must_see=must_see, avoid=avoid)
    avoid = [name for name in request.avoid if name != place]
    must_see = list(request.must_see) if place in request.must_see else [*request.must_see, place]
    return _reparsed(request, must_see=must_see, avoid=avoid)


def _day_change(request: TripRequest, change: Mapping[str, Any]) -> TripRequest:
    """Set (or, with null, clear) the given fields of one day's rule; the others stay."""
    rules = request_to_json(request)["day_rules"]
    day = change.get("day")
    if not isinstance(day, int) or isinstance(day, bool) or not 1 <= day <= request.days:
        raise _invalid("day", f"give the day's number, from 1 to {request.days}, not {day!r}.")
    rule = next((r for r in rules if r["day"] == day), {"day": day})
    updated = {**rule, **{key: change[key] for key in _DAY_FIELDS if key in change}}
    others = [r for r in rules if r["day"] != day]
    return _reparsed(request, day_rules=[*others, updated])


def _booked_outside(lock: Lock, trip: TripRequest) -> TripwiseError:
    what = lock.label or lock.place
    return TripwiseError(
        "booked_outside_trip",
        f"{what} is booked for {lock.date:%A %d %B}, which the trip would no longer include "
        f"({trip.dates[0]:%d %B} to {trip.dates[-1]:%d %B}). Choose dates that include it, or cancel the "
        "booking first.",
    )


def _dates_change(request: TripRequest, change: Mapping[str, Any]) -> TripRequest:
    """Move the trip to another first day; locks keep their day of the trip (day 2 stays day 2), but a
    booked appointment keeps its date: the tour happens then, whatever the trip does."""
    moved = _reparsed(request, start_date=change.get("start_date"), locks=[])
    shift = moved.start_date - request.start_date
    locks = []
    for item, lock in zip(request_to_json(request)["locks"], request.locks, strict=True):
        if lock.appointment and lock.date not in moved.dates:
            raise _booked_outside(lock, moved)
        locks.append(item if lock.appointment else {**item, "date": (lock.date + shift).isoformat()})
    return _reparsed(moved, locks=locks)


def _days_change(request: TripRequest, change: Mapping[str, Any]) -> TripRequest:
    """Lengthen or shorten the trip; locks and rules of the days dropped go with them, except a booked
    appointment, which refuses the change (its booking would be forgotten)."""
    days = change.get("days")
    shorter = _reparsed(request, days=days, locks=[], day_rules=[])
    kept = shorter.dates
    as_json = request_to_json(request)
    for lock in request.locks:
        if lock.appointment and lock.date not in kept:
            raise _booked_outside(lock, shorter)
    locks = [item for item, lock in zip(as_json["locks"], request.locks, strict=True) if lock.date in kept]
    rules = [rule for rule in as_json["day_rules"] if rule["day"] <= shorter.days]
    return _reparsed(shorter, locks=locks, day_rules=rules)


def apply_change(request: TripRequest, change: Mapping[str, Any]) -> TripRequest:
    """The request after one edit; TripwiseError("invalid_request") says what was wrong with it."""
    if not isinstance(change, Mapping):
        raise _invalid("change", 'give an object such as {"action": "pace", "pace": "relaxed"}.')
    action = change.get("action")
    if action in {"lock", "unlock", "remove", "add", "forget"}:
        place = str(change.get("place_id") or "").strip()
        if not place:
            raise _invalid("place_id", f"the {action!r} change needs the place's id.")
        return _place_change(request, str(action), place, change)
    if action == "pace":
        pace = str(change.get("pace") or "").lower()
        if pace not in PACES:
            raise _invalid("pace", f"{pace!r} is not a pace: use relaxed, normal or packed.")
        return replace(request, pace=pace)
    if action == "day":
        return _day_change(request, change)
    if action == "dates":
        return _dates_change(request, change)
    if action == "days":
        return _days_change(request, change)
    if action in {"budget", "modes", "interests", "party"}:
        if action not in change:
            raise _invalid(action, f"the {action!r} change needs the new {action} (or null to clear it).")
        return _reparsed(request, **{action: change[action]})
    raise _invalid("action", f"{action!r} is not a change: use one of {', '.join(ACTIONS)}.")


def apply_changes(request: TripRequest, changes: Sequence[Mapping[str, Any]]) -> TripRequest:
    for change in changes:
        request = apply_change(request, change)
    return request
