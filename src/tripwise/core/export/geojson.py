"""A plan as GeoJSON (RFC 7946) for map apps and GIS tools.

A FeatureCollection of Point features for visits and one LineString feature for each travel item (the way
from one place to the next: a walk, a drive, or a transit journey through its stops). Positions are
[longitude, latitude] in WGS 84, as RFC 7946 requires; there is no `crs` member (RFC 7946 removed it) and
coordinates keep six decimals (about 10 cm), the precision the RFC recommends.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

from tripwise.core.export.document import (
    Point,
    day_items,
    item_points,
    point_of,
    rides,
    route_label,
    stop_name,
)

__all__ = ["plan_to_geojson"]


def _position(point: Point) -> list[float]:
    return [round(point.lon, 6), round(point.lat, 6)]


def _copy(item: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {key: item[key] for key in keys if item.get(key) is not None}


def plan_to_geojson(document: Mapping[str, Any], *, name: str, url: str) -> bytes:
    """The plan as an RFC 7946 FeatureCollection (UTF-8 JSON bytes)."""
    features: list[dict[str, Any]] = []
    positions: list[list[float]] = []
    for day, date, index, item in day_items(document):
        where = {"day": day, "date": date}
        if item.get("type") == "visit":
            point = point_of(item, str(item.get("name") or ""))
            if point is None:
                continue
            properties = {
                "name": point.name,
                **where,
                **_copy(item, "start", "end", "place_id", "kind", "why", "meal", "cost", "notes"),
                "url": urljoin(url, str(item["url"])) if item.get("url") else None,
            }
            geometry: dict[str, Any] = {"type": "Point", "coordinates": _position(point)}
            positions.append(geometry["coordinates"])
        elif item.get("type") == "travel":
            line = [_position(stop.point) for stop in item_points(item)]
            if not line:
                continue
            if len(line) == 1:
                line.append(list(line[0]))  # a LineString needs two positions; a hop next door has one spot
            journey = rides(item)
            origin, target = point_of(item.get("from")), point_of(item.get("to"))
            properties = {
                **where,
                **_copy(item, "mode", "depart", "arrive", "minutes", "distance_m", "fare"),
                "from": origin.name if origin else None,
                "to": target.name if target else None,
                "routes": list(dict.fromkeys(route_label(ride) for ride in journey)),
                "rides": [
                    {
                        **_copy(ride, "route", "trip_id", "headsign", "from_stop_id", "to_stop_id"),
                        "from_stop": stop_name(ride, "from"),
                        "to_stop": stop_name(ride, "to"),
                        **_copy(ride, "depart", "arrive"),
                    }
                    for ride in journey
                ],
            }
            geometry = {"type": "LineString", "coordinates": line}
            positions.extend(line)
        else:
            continue
        features.append(
            {"type": "Feature", "id": f"{date}-{index}", "geometry": geometry, "properties": properties}
        )
    collection: dict[str, Any] = {"type": "FeatureCollection"}
    if positions:
        lons, lats = [p[0] for p in positions], [p[1] for p in positions]
        collection["bbox"] = [min(lons), min(lats), max(lons), max(lats)]
    # `name` and `url` are foreign members (RFC 7946 §6.1): ignored by map apps, handy for people.
    collection.update(name=name, url=url, features=features)
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
