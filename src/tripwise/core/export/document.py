"""Typed reading of the plan document shared by the exporters.

The document is JSON from the database, written by the planner at some revision of its code; exporters
read it defensively (a missing name or coordinate skips that detail, never the whole export), because a
calendar feed that breaks on one odd item stops updating for everyone subscribed to it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = [
    "Point",
    "Stop",
    "day_items",
    "item_points",
    "money_text",
    "parse_time",
    "point_of",
    "rides",
    "route_label",
    "stop_name",
    "vehicle",
]

# GTFS route_type to what a traveller calls it; the planner's document names the route only, so a ride
# without a type is a bus, as on the plan page (the demo's only feed runs buses).
VEHICLES = {"0": "Tram", "1": "Metro", "2": "Train", "3": "Bus", "4": "Ferry", "11": "Trolleybus"}


@dataclass(frozen=True)
class Point:
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Stop:
    """A point on a day's way, with when the traveller is there (None when the document does not say)."""

    point: Point
    time: datetime | None


def parse_time(value: object) -> datetime | None:
    """An aware datetime from the document's ISO 8601 text; None for anything else.

    A naive time would silently take the server's zone in every consumer, so it is refused here.
    """
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.utcoffset() is not None else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def point_of(value: object, fallback_name: str = "") -> Point | None:
    """A point from `{"name", "lat", "lon"}` (or a visit, which carries its own lat and lon)."""
    if not isinstance(value, Mapping):
        return None
    lat, lon = _number(value.get("lat")), _number(value.get("lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return Point(str(value.get("name") or fallback_name), lat, lon)


def day_items(document: Mapping[str, Any]) -> Iterator[tuple[int, str, int, Mapping[str, Any]]]:
    """(day number from 1, day date, item index within the day, item) for every item, in plan order."""
    days = document.get("days")
    if not isinstance(days, list):
        return
    for number, day in enumerate(days, start=1):
        if not isinstance(day, Mapping):
            continue
        date = str(day.get("date") or "")
        items = day.get("items")
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if isinstance(item, Mapping):
                yield number, date, index, item


def item_points(item: Mapping[str, Any]) -> list[Stop]:
    """The points an item passes, in order: a visit's place; a travel item's legs end to end (each stop of
    a transit journey), or its from and to when it has no legs."""
    if item.get("type") == "visit":
        point = point_of(item, str(item.get("name") or ""))
        return [Stop(point, parse_time(item.get("start")))] if point else []
    stops: list[Stop] = []
    legs = item.get("legs")
    pieces: list[tuple[object, object, object, object]] = []
    if isinstance(legs, list) and legs:
        for leg in legs:
            if isinstance(leg, Mapping):
                pieces.append((leg.get("from"), leg.get("depart"), leg.get("to"), leg.get("arrive")))
    else:
        pieces.append((item.get("from"), item.get("depart"), item.get("to"), item.get("arrive")))
    for start, depart, end, arrive in pieces:
        for value, when in ((start, depart), (end, arrive)):
            point = point_of(value)
            if point is None:
                continue
            # A leg starts where the one before it ended: keep one stop there, not two.
            if stops and (stops[-1].point.lat, stops[-1].point.lon) == (point.lat, point.lon):
                continue
            stops.append(Stop(point, parse_time(when)))
    return stops


def rides(item: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = item.get("rides")
    return [ride for ride in found if isinstance(ride, Mapping)] if isinstance(found, list) else []


def vehicle(ride: Mapping[str, Any]) -> str:
    kind = ride.get("vehicle") or VEHICLES.get(str(ride.get("route_type", "3")), "Bus")
    return str(kind).capitalize()


def route_label(ride: Mapping[str, Any]) -> str:
    """'Bus 300'."""
    route = str(ride.get("route") or ride.get("route_id") or "").strip()
    return f"{vehicle(ride)} {route}".strip()


def stop_name(ride: Mapping[str, Any], end: str) -> str:
    return str(ride.get(f"{end}_stop_name") or ride.get(f"{end}_stop_id") or "")


def money_text(value: object) -> str:
    """'1440 KZT (≈ 2.76 EUR)' from a document amount; '' when there is none."""
    if not isinstance(value, Mapping) or value.get("amount") in (None, ""):
        return ""
    text = f"{value['amount']} {value.get('currency', '')}".strip()
    other = value.get("traveller")
    if isinstance(other, Mapping) and other.get("amount") not in (None, ""):
        text += f" (≈ {other['amount']} {other.get('currency', '')})".rstrip()
    return text
