"""Template filters that read a plan document (docs/plans.md) for the plan page.

The document is the planner's output, stored as JSON; these filters only pick and format what it says. They
never recompute the plan, and they tolerate a missing optional key, since an older stored plan may lack it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from tripwise.core.money import Money, UnknownCurrencyError, format_money
from tripwise.places.models import Place

register = template.Library()

# One colour per day, on the timeline and the map alike. Dark enough for white numbers on them and distinct
# from each other on a light map; a trip longer than the palette reuses colours (the legend still says which).
DAY_COLOURS = ["#1b6ca8", "#b8321f", "#2e7d32", "#7b3fa0", "#b35900", "#0f7c86", "#8a6d00", "#a61e4d"]

VEHICLES = {"0": "Tram", "1": "Metro", "2": "Train", "3": "Bus", "4": "Ferry", "11": "Trolleybus"}


@register.filter
def hhmm(value: object) -> str:
    """'09:00' from '2026-12-01T09:00:00+05:00'.

    The plan's times are already in the destination's zone, so the wall-clock part is read as written:
    converting would show the server's or the browser's zone instead.
    """
    if isinstance(value, str) and len(value) >= 16 and value[10] == "T":
        return value[11:16]
    return ""


@register.filter
def iso_date(value: object) -> date | None:
    """The date of '2026-12-01' or of an ISO datetime, for the date filter."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _minutes_between(start: object, end: object) -> int | None:
    begin, finish = _instant(start), _instant(end)
    if begin is None or finish is None:
        return None
    return max(0, math.ceil((finish - begin).total_seconds() / 60))


def _money(value: object) -> Money | None:
    if not isinstance(value, Mapping):
        return None
    try:
        return Money(Decimal(str(value.get("amount"))), str(value.get("currency")))
    except (InvalidOperation, TypeError, ValueError, UnknownCurrencyError):
        return None


@register.filter
def money(value: object) -> str:
    """'₸1,440' from {"amount": "1440", "currency": "KZT"}; '' when there is no amount."""
    amount = _money(value)
    if amount is not None:
        return format_money(amount)
    if isinstance(value, Mapping) and value.get("amount") is not None:
        return f"{value.get('amount')} {value.get('currency', '')}".strip()
    return ""


@register.filter
def is_free(value: object) -> bool:
    amount = _money(value)
    return amount is not None and amount.amount == 0


@register.filter
def traveller_total(cost: object) -> object:
    """The total in the traveller's currency: beside the total (docs/plans.md) or nested in it."""
    if not isinstance(cost, Mapping):
        return None
    total = cost.get("total")
    return cost.get("traveller") or (total.get("traveller") if isinstance(total, Mapping) else None)


@register.filter
def over_budget(cost: object) -> bool:
    """Whether the total exceeds the budget; only compared in one currency, which the plan gives both in."""
    if not isinstance(cost, Mapping):
        return False
    total, budget = _money(cost.get("total")), _money(cost.get("budget"))
    if total is None or budget is None or total.currency != budget.currency:
        return False
    return total.amount > budget.amount


@register.filter
def distance(metres: object) -> str:
    """'450 m' or '38 km'."""
    if not isinstance(metres, int | float) or metres <= 0:
        return ""
    return f"{round(metres / 1000, 1):g} km" if metres >= 1000 else f"{round(metres)} m"


@register.filter
def party_text(party: object) -> str:
    if not isinstance(party, Mapping):
        return ""
    adults, children = int(party.get("adults") or 0), int(party.get("children") or 0)
    words = [f"{adults} adult{'s' if adults != 1 else ''}"]
    if children:
        words.append(f"{children} child{'ren' if children != 1 else ''}")
    return ", ".join(words)


@register.filter
def problem_text(problem: object) -> str:
    """A checker problem as a sentence, whether the checker gives a string or a {code, message} object."""
    if isinstance(problem, Mapping):
        return str(problem.get("message") or "; ".join(f"{key}: {value}" for key, value in problem.items()))
    return str(problem)


def _vehicle(leg: Mapping[str, Any]) -> str:
    kind = leg.get("vehicle") or VEHICLES.get(str(leg.get("route_type", "3")), "Bus")
    return str(kind).capitalize()


def _name(point: object) -> str:
    return str(point.get("name") or "") if isinstance(point, Mapping) else ""


def travel_steps(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The lines under a travel row: walks, waits and rides in order.

    `legs` (walk and ride, in order) give the most detail; a wait is the gap between arriving at a stop and
    the ride leaving it. Older documents carry only `rides` and a total `wait_minutes`.
    """
    steps: list[dict[str, Any]] = []
    legs = item.get("legs") or []
    if legs:
        previous_arrive: object = None
        for leg in legs:
            if not isinstance(leg, Mapping):
                continue
            wait = _minutes_between(previous_arrive, leg.get("depart")) if previous_arrive else None
            if wait:
                steps.append({"kind": "wait", "minutes": wait, "at": _name(leg.get("from"))})
            if leg.get("mode") == "ride":
                steps.append(
                    {
                        "kind": "ride",
                        "vehicle": _vehicle(leg),
                        "route": leg.get("route", ""),
                        "trip_id": leg.get("trip_id", ""),
                        "headsign": leg.get("headsign", ""),
                        "from": _name(leg.get("from")),
                        "to": _name(leg.get("to")),
                        "depart": leg.get("depart"),
                        "arrive": leg.get("arrive"),
                    }
                )
            else:
                steps.append(
                    {
                        "kind": str(leg.get("mode") or "walk"),
                        "minutes": _minutes_between(leg.get("depart"), leg.get("arrive")),
                        "from": _name(leg.get("from")),
                        "to": _name(leg.get("to")),
                    }
                )
            previous_arrive = leg.get("arrive")
        return steps
    for ride in item.get("rides") or []:
        steps.append(
            {
                "kind": "ride",
                "vehicle": _vehicle(ride),
                "route": ride.get("route", ""),
                "trip_id": ride.get("trip_id", ""),
                "headsign": ride.get("headsign", ""),
                "from": ride.get("from_stop_name") or ride.get("from_stop_id", ""),
                "to": ride.get("to_stop_name") or ride.get("to_stop_id", ""),
                "depart": ride.get("depart"),
                "arrive": ride.get("arrive"),
            }
        )
    if steps and item.get("wait_minutes"):
        steps.insert(0, {"kind": "wait", "minutes": item["wait_minutes"], "at": steps[0]["from"]})
    return steps


@register.filter
def plan_days(result: object) -> list[dict[str, Any]]:
    """Each day with its colour and number, its visits numbered as on the map, travel rows with steps."""
    if not isinstance(result, Mapping):
        return []
    days = []
    for index, day in enumerate(result.get("days") or []):
        number = 0
        rows = []
        for item in day.get("items") or []:
            if item.get("type") == "visit":
                number += 1
                rows.append({"item": item, "number": number})
            else:
                rows.append({"item": item, "steps": travel_steps(item)})
        days.append(
            {
                "day": day,
                "index": index + 1,
                "colour": DAY_COLOURS[index % len(DAY_COLOURS)],
                "rows": rows,
                "visits": number,
            }
        )
    return days


def _point(value: object) -> list[float] | None:
    if not isinstance(value, Mapping):
        return None
    lat, lon = value.get("lat"), value.get("lon")
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        return [float(lat), float(lon)]
    return None


def _lines(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Map lines of a travel item: each leg from where it starts to where it ends (rides stop to stop)."""
    pieces = [leg for leg in item.get("legs") or [] if isinstance(leg, Mapping)] or [item]
    lines = []
    for piece in pieces:
        start, end = _point(piece.get("from")), _point(piece.get("to"))
        if start is None or end is None:
            continue
        mode = str(piece.get("mode") or "walk")
        lines.append({"mode": mode, "dashed": mode == "walk", "points": [start, end]})
    return lines


@register.filter
def plan_map(result: object) -> dict[str, Any]:
    """What plan.js draws: per day its colour, numbered visits and travel lines; the base if known."""
    days = []
    for view in plan_days(result):
        day = view["day"]
        visits, lines = [], []
        for row in view["rows"]:
            item = row["item"]
            if item.get("type") == "visit":
                point = _point(item)
                if point is not None:
                    visits.append(
                        {
                            "n": row["number"],
                            "name": item.get("name", ""),
                            "url": item.get("url", ""),
                            "time": f"{hhmm(item.get('start'))}–{hhmm(item.get('end'))}",
                            "lat": point[0],
                            "lon": point[1],
                        }
                    )
            else:
                lines.extend(_lines(item))
        days.append(
            {"date": day.get("date", ""), "index": view["index"], "colour": view["colour"], "visits": visits,
             "lines": lines}
        )  # fmt: skip
    base = None
    if isinstance(result, Mapping):
        # The request's base when given as coordinates; a base named by place id is written on each day.
        request = result.get("request")
        base = _point(request.get("base")) if isinstance(request, Mapping) else None
        for day in result.get("days") or []:
            base = base or _point(day.get("base"))
    return {"days": days, "base": base}


def scheduled_place_ids(result: object) -> set[str]:
    if not isinstance(result, Mapping):
        return set()
    return {
        str(item.get("place_id"))
        for day in result.get("days") or []
        for item in day.get("items") or []
        if item.get("type") == "visit"
    }


@register.filter
def not_in_plan(places: Iterable[Place], result: object) -> list[Place]:
    """The places the "Add a place" control offers: those the plan does not visit yet."""
    scheduled = scheduled_place_ids(result)
    return [place for place in places if place.slug not in scheduled]


@register.filter
def chip_value(value: object) -> str:
    """An understood value as a person reads it: lists joined, amounts with their currency, a party in words."""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict) and "amount" in value:
        return f"{value['amount']} {value.get('currency', '')}".strip()
    if isinstance(value, dict) and "adults" in value:
        return f"{value['adults']} adults, {value.get('children', 0)} children"
    return str(value)


@register.filter
def get_item(mapping: object, key: str) -> object:
    """mapping[key] in a template (comments by place id); None when absent."""
    return mapping.get(key) if isinstance(mapping, Mapping) else None
