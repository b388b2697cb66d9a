"""The chips above a conversation's plan: each field of the trip request as the traveller would say it, with
what is needed to edit it in place (a small form per chip, posted as a structured change)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tripwise.core.trips.request import MODES
from tripwise.places.models import Place

__all__ = ["ChipView", "request_chips"]


MODE_WORDS = {"walk": "on foot", "transit": "public transport", "car": "by car"}


@dataclass(frozen=True)
class ChipView:
    key: str  # which edit form the chip opens: dates, party, budget, modes, pace, interests, place, lock, day
    label: str
    text: str
    values: dict[str, Any] = field(default_factory=dict)


def _days_text(start: date, days: int) -> str:
    last = start + timedelta(days=days - 1)
    if days == 1:
        return f"{start:%a %d %b %Y} · 1 day"
    return f"{start:%a %d %b} – {last:%a %d %b %Y} · {days} days"


def _party_text(adults: int, children: int) -> str:
    text = f"{adults} adult{'s' if adults != 1 else ''}"
    return text + (f", {children} child{'ren' if children != 1 else ''}" if children else "")


def request_chips(request: dict[str, Any], places: Sequence[Place]) -> list[ChipView]:
    names = {place.slug: place.name for place in places}
    start = date.fromisoformat(request["start_date"])
    party = request.get("party") or {"adults": 1, "children": 0}
    budget = request.get("budget")
    chips = [
        ChipView("dates", "When", _days_text(start, request["days"]),
                 {"start_date": request["start_date"], "days": request["days"]}),
        ChipView("party", "Who", _party_text(party["adults"], party["children"]), dict(party)),
        ChipView("budget", "Budget", f"{budget['amount']} {budget['currency']}" if budget else "no budget",
                 dict(budget) if budget else {}),
        ChipView("modes", "Getting around", ", ".join(MODE_WORDS[mode] for mode in request.get("modes", [])), {"modes": request.get("modes", []), "choices": list(MODES)}),
        ChipView("pace", "Pace", request.get("pace", "normal"), {"pace": request.get("pace", "normal")}),
        ChipView("interests", "Interests", ", ".join(request.get("interests", [])) or "none",
                 {"interests": ", ".join(request.get("interests", []))}),
    ]  # fmt: skip
    for place in request.get("must_see", []):
        chips.append(ChipView("place", "Must see", names.get(place, place), {"place_id": place}))
    for place in request.get("avoid", []):
        chips.append(ChipView("place", "Avoid", names.get(place, place), {"place_id": place}))
    for lock in request.get("locks", []):
        when = f"{date.fromisoformat(lock['date']):%a %d %b}" + (
            f" {lock['start']}" if lock.get("start") else ""
        )
        chips.append(
            ChipView("lock", "Kept", f"{names.get(lock['place_id'], lock['place_id'])}, {when}", dict(lock))
        )
    for rule in request.get("day_rules", []):
        parts = [
            *([f"from {rule['start']}"] if rule.get("start") else []),
            *([f"until {rule['end']}"] if rule.get("end") else []),
            *([rule["pace"]] if rule.get("pace") else []),
            *([f"no {', '.join(rule['avoid_kinds'])}"] if rule.get("avoid_kinds") else []),
            *(
                [f"{len(rule['avoid_places'])} sights moved to another day"]
                if rule.get("avoid_places")
                else []
            ),
        ]
        chips.append(ChipView("day", f"Day {rule['day']}", "; ".join(parts), {"day": rule["day"]}))
    return chips
