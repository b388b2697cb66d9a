"""What changed between two plan documents, and why, in a few sentences a traveller reads at a glance.

The assistant says these after each refinement: "ALZHIR Museum: Saturday → Tuesday (Closed on Mondays:
planned for Tuesday.)", "Day 2 now runs 10:00-18:00.", "Total: 24000 → 17500 KZT."
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tripwise.core.hours import hours_on
from tripwise.core.trips.model import PlaceFacts
from tripwise.core.trips.request import TripRequest

__all__ = ["swap_days", "what_changed"]


def _visits(document: Mapping[str, Any]) -> dict[str, tuple[int, Mapping[str, Any]]]:
    """Sights (not meals) by place id: (day index, item)."""
    found: dict[str, tuple[int, Mapping[str, Any]]] = {}
    for index, day in enumerate(document.get("days", [])):
        for item in day["items"]:
            if item["type"] == "visit" and not item.get("meal"):
                found.setdefault(item["place_id"], (index, item))
    return found


def _when(item: Mapping[str, Any]) -> str:
    return f"{datetime.fromisoformat(item['start']):%A %H:%M}"


def _hours(day: Mapping[str, Any]) -> str:
    return f"{datetime.fromisoformat(day['start']):%H:%M}-{datetime.fromisoformat(day['end']):%H:%M}"


def _plain(amount: Decimal) -> str:
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"


def what_changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Sentences on what differs from `before` to `after`: dates, hours of days, visits added, dropped or
    moved (with the plan's note saying why), must-sees that could not be kept, and the total."""
    said: list[str] = []
    days_before, days_after = before.get("days", []), after.get("days", [])
    if [d["date"] for d in days_before] != [d["date"] for d in days_after] and days_after:
        first, last = date.fromisoformat(days_after[0]["date"]), date.fromisoformat(days_after[-1]["date"])
        span = f"{first:%a %d %b}" if first == last else f"{first:%a %d %b} to {last:%a %d %b}"
        said.append(f"The trip now runs {span}.")
    for index, (old, new) in enumerate(zip(days_before, days_after, strict=False)):
        if _hours(old) != _hours(new):
            said.append(f"Day {index + 1} now runs {_hours(new)} (was {_hours(old)}).")
    was, now = _visits(before), _visits(after)
    for place, (_index, item) in now.items():
        notes = " ".join(item.get("notes") or [])
        if place not in was:
            said.append(f"Added {item['name']}: {_when(item)}." + (f" {notes}" if notes else ""))
        elif was[place][1]["start"][:10] != item["start"][:10]:
            said.append(
                f"{item['name']} moved from {_when(was[place][1])} to {_when(item)}."
                + (f" {notes}" if notes else "")
            )
        elif days_before and days_after and days_before[0]["date"] != days_after[0]["date"] and notes:
            said.append(f"{item['name']} is on {_when(item)}. {notes}")
    left = {entry["place_id"]: entry["reason"] for entry in after.get("unscheduled", [])}
    left_before = {entry["place_id"] for entry in before.get("unscheduled", [])}
    for place, (_index, item) in was.items():
        if place not in now:
            said.append(f"Dropped {item['name']}." + (f" {left[place]}" if place in left else ""))
    said += [reason for place, reason in left.items() if place not in was and place not in left_before]
    total_before, total_after = before.get("cost", {}).get("total"), after.get("cost", {}).get("total")
    if total_before and total_after and total_before["amount"] != total_after["amount"]:
        said.append(
            f"Total: {_plain(Decimal(total_before['amount']))} → {_plain(Decimal(total_after['amount']))}"
            f" {total_after['currency']}."
        )
    return said or ["The plan stays as it was: nothing else fits better under these rules."]


def swap_days(
    document: Mapping[str, Any],
    request: TripRequest,
    places: Mapping[str, PlaceFacts],
    first: int,
    second: int,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Changes that swap two days of a plan (days from 1), and notes on what could not move.

    The traveller's must-sees and locked visits are kept on the other day; the other sights are moved off
    their day, so the planner puts them on the other one where they fit. A place closed on the other day,
    and a booked appointment, stay where they are, and a note says why."""
    days: Sequence[Mapping[str, Any]] = document.get("days", [])
    essential = set(request.must_see) | {lock.place for lock in request.locks}
    booked = {lock.place for lock in request.locks if lock.appointment}
    changes: list[dict[str, Any]] = []
    notes: list[str] = []
    for source, target in ((first, second), (second, first)):
        from_date, to_date = (date.fromisoformat(days[n - 1]["date"]) for n in (source, target))
        moved_off: list[str] = []
        for item in days[source - 1]["items"]:
            if item["type"] != "visit" or item.get("meal"):
                continue
            if item["place_id"] in booked:  # a booking is the provider's date, not the plan's to move
                notes.append(
                    f"{item['name']} is booked for {from_date:%A %d %B}, so it stays on {from_date:%A}."
                )
                continue
            place = places.get(item["place_id"])
            if place is not None and place.opening_hours is not None:
                on = hours_on(place.opening_hours, to_date, ZoneInfo(place.timezone))
                if not on.intervals and not on.unknown:
                    notes.append(
                        f"{item['name']} is closed on {to_date:%A %d %B}, so it stays on {from_date:%A}."
                    )
                    continue
            if item["place_id"] in essential:
                changes.append(
                    {
                        "action": "lock",
                        "place_id": item["place_id"],
                        "date": to_date.isoformat(),
                        "start": None,
                    }
                )
            else:
                moved_off.append(item["place_id"])
        changes.append({"action": "day", "day": source, "avoid_places": moved_off})
    return changes, notes
