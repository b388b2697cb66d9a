"""A plan as GPX 1.1 for map and hiking apps (OsmAnd, Organic Maps, Garmin, QGIS).

Written with the standard library's ElementTree rather than a GPX library so the element order is exactly
the schema's (gpx: metadata, wpt*, rte*; wpt: time, name, desc, link, type; rte: name, desc, number,
rtept*): the XSD is a strict sequence and apps that validate refuse a file with `name` before `time`.

Visits become waypoints. Each day becomes one route (`rte`, a planned way, as opposed to a recorded
`trk`) through the points the traveller passes in order: the start, every stop of every transit
journey, and each visited place. GPX times are UTC by the standard, so local times are converted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

from tripwise.core.export.document import (
    Point,
    Stop,
    day_items,
    item_points,
    money_text,
    parse_time,
    point_of,
)

__all__ = ["GPX_NAMESPACE", "plan_to_gpx"]

GPX_NAMESPACE = "http://www.topografix.com/GPX/1/1"
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{GPX_NAMESPACE} http://www.topografix.com/GPX/1/1/gpx.xsd"
CREATOR = "Tripwise"


def _tag(name: str) -> str:
    return f"{{{GPX_NAMESPACE}}}{name}"


def _sub(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, _tag(name), attributes)
    if text is not None:
        element.text = text
    return element


def _decimal(value: float) -> str:
    # xsd:decimal has no exponent form, so repr() (which may write 1e-05) is not allowed; 7 places are
    # about a centimetre, trailing zeros are dropped to keep files small.
    text = f"{value:.7f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def _lon(point: Point) -> float:
    # The schema's longitude is [-180, 180): the antimeridian is written as -180.
    return -180.0 if point.lon >= 180 else point.lon


def _coordinates(point: Point) -> dict[str, str]:
    return {"lat": _decimal(point.lat), "lon": _decimal(_lon(point))}


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _visit_description(item: Mapping[str, Any]) -> str:
    parts: list[str] = []
    start, end = parse_time(item.get("start")), parse_time(item.get("end"))
    if start and end:
        # Local wall-clock times: what the traveller reads on the plan page and on the museum's door.
        parts.append(f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} (UTC{start:%z})")
    if item.get("why"):
        parts.append(str(item["why"]))
    if cost := money_text(item.get("cost")):
        parts.append(f"Cost: {cost}")
    notes = item.get("notes")
    if isinstance(notes, list):
        parts.extend(str(note) for note in notes if note)
    return ". ".join(part.rstrip(".") for part in parts)


def plan_to_gpx(document: Mapping[str, Any], *, name: str, url: str) -> bytes:
    """The plan as a GPX 1.1 document (UTF-8 bytes). `url` is the plan page's absolute address."""
    ET.register_namespace("", GPX_NAMESPACE)
    ET.register_namespace("xsi", XSI_NAMESPACE)
    root = ET.Element(
        _tag("gpx"),
        {"version": "1.1", "creator": CREATOR, f"{{{XSI_NAMESPACE}}}schemaLocation": SCHEMA_LOCATION},
    )
    items = list(day_items(document))

    all_points = [stop.point for _, _, _, item in items for stop in item_points(item)]
    metadata = _sub(root, "metadata")
    _sub(metadata, "name", name)
    destination = document.get("destination")
    if isinstance(destination, Mapping) and destination.get("name"):
        _sub(metadata, "desc", f"A trip plan for {destination['name']}, made with Tripwise.")
    link = _sub(metadata, "link", href=url)
    _sub(link, "text", name)
    if all_points:
        lats, lons = [p.lat for p in all_points], [_lon(p) for p in all_points]
        _sub(
            metadata,
            "bounds",
            minlat=_decimal(min(lats)),
            minlon=_decimal(min(lons)),
            maxlat=_decimal(max(lats)),
            maxlon=_decimal(max(lons)),
        )

    for _day, _date, _index, item in items:
        if item.get("type") != "visit":
            continue
        point = point_of(item, str(item.get("name") or ""))
        if point is None:
            continue
        waypoint = _sub(root, "wpt", **_coordinates(point))
        if start := parse_time(item.get("start")):
            _sub(waypoint, "time", _utc(start))
        _sub(waypoint, "name", point.name or str(item.get("place_id") or "Visit"))
        if description := _visit_description(item):
            _sub(waypoint, "desc", description)
        if item.get("url"):
            place_link = _sub(waypoint, "link", href=urljoin(url, str(item["url"])))
            _sub(place_link, "text", point.name or "Place")
        if item.get("kind"):
            _sub(waypoint, "type", str(item["kind"]))

    days = document.get("days")
    for number, day in enumerate(days if isinstance(days, list) else [], start=1):
        if not isinstance(day, Mapping):
            continue
        stops: list[Stop] = []
        for item in day.get("items") or []:
            if not isinstance(item, Mapping):
                continue
            for stop in item_points(item):
                # Arriving at a place and then visiting it is one point on the route, not two.
                if stops and (stops[-1].point.lat, stops[-1].point.lon) == (stop.point.lat, stop.point.lon):
                    continue
                stops.append(stop)
        if not stops:
            continue
        route = _sub(root, "rte")
        _sub(route, "name", f"Day {number} · {day.get('date', '')}".strip(" ·"))
        visits = sum(
            1 for item in day.get("items") or [] if isinstance(item, Mapping) and item.get("type") == "visit"
        )
        _sub(route, "desc", f"{visits} visit{'s' if visits != 1 else ''}")
        _sub(route, "number", str(number))
        for stop in stops:
            route_point = _sub(route, "rtept", **_coordinates(stop.point))
            if stop.time is not None:
                _sub(route_point, "time", _utc(stop.time))
            if stop.point.name:
                _sub(route_point, "name", stop.point.name)

    ET.indent(root)
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written + b"\n"
