"""The GeoJSON export: RFC 7946 by the `geojson` package's validation and by its rules checked here
([lon, lat] positions, no crs member, LineStrings of two or more positions, a bbox that encloses them)."""

from __future__ import annotations

import json
from typing import Any

import geojson
import pytest

from tests.core.export.documents import astana, helsinki_across_dst
from tripwise.core.export import plan_to_geojson

URL = "https://trips.example/plans/astana-plan-1/"


def export(document: dict[str, Any]) -> dict[str, Any]:
    data = plan_to_geojson(document, name="A trip", url=URL)
    parsed = geojson.loads(data.decode())
    assert parsed.is_valid, parsed.errors()
    result: dict[str, Any] = json.loads(data)
    return result


def positions(collection: dict[str, Any]) -> list[list[float]]:
    found: list[list[float]] = []
    for feature in collection["features"]:
        coordinates = feature["geometry"]["coordinates"]
        found.extend([coordinates] if feature["geometry"]["type"] == "Point" else coordinates)
    return found


@pytest.mark.parametrize("document", [astana(), helsinki_across_dst()], ids=["astana", "helsinki"])
def test_a_valid_rfc_7946_feature_collection(document: dict[str, Any]) -> None:
    collection = export(document)
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection  # RFC 7946 §4: WGS 84 only, the member was removed
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert set(feature) == {"type", "id", "geometry", "properties"}
        if feature["geometry"]["type"] == "LineString":
            assert len(feature["geometry"]["coordinates"]) >= 2
    west, south, east, north = collection["bbox"]
    for lon, lat in positions(collection):
        assert west <= lon <= east
        assert south <= lat <= north


def test_visits_are_points_at_lon_lat_with_their_properties() -> None:
    collection = export(astana())
    points = [f for f in collection["features"] if f["geometry"]["type"] == "Point"]
    assert [p["properties"]["name"] for p in points] == ["ALZHIR Museum", "Bayterek Tower"]
    alzhir = points[0]
    # Longitude first: 70.98 E, 51.07 N. The other way round would put ALZHIR in the Barents Sea.
    assert alzhir["geometry"]["coordinates"] == [70.97777, 51.06568]
    assert alzhir["properties"] == {
        "name": "ALZHIR Museum",
        "day": 1,
        "date": "2026-12-01",
        "start": "2026-12-01T10:00:00+05:00",
        "end": "2026-12-01T12:00:00+05:00",
        "place_id": "alzhir-museum",
        "kind": "memorial",
        "why": "Must-see",
        "cost": {"amount": "1440", "currency": "KZT", "traveller": {"amount": "2.76", "currency": "EUR"}},
        "notes": ["Closed on Mondays: planned for Tuesday."],
        "url": "https://trips.example/places/alzhir-museum/",
    }
    assert alzhir["id"] == "2026-12-01-1"


def test_each_way_is_a_line_through_its_stops_with_mode_times_and_routes() -> None:
    collection = export(astana())
    lines = [f for f in collection["features"] if f["geometry"]["type"] == "LineString"]
    bus, walk_there, walk_back = lines
    assert bus["geometry"]["coordinates"] == [
        [71.43, 51.128],
        [71.41155, 51.12805],
        [70.978, 51.0659],
        [70.97777, 51.06568],
    ]
    assert bus["properties"]["mode"] == "transit"
    assert bus["properties"]["depart"] == "2026-12-01T08:41:00+05:00"
    assert bus["properties"]["arrive"] == "2026-12-01T09:48:00+05:00"
    assert bus["properties"]["routes"] == ["Bus 300"]
    (ride,) = bus["properties"]["rides"]
    assert ride["trip_id"] == "300-out-0900"
    assert (ride["from_stop_id"], ride["to_stop_id"]) == ("asia-park", "akmol-alzhir")
    assert (ride["from_stop"], ride["to_stop"]) == ("Asia Park", "Akmol, ALZHIR Museum")
    assert walk_there["properties"]["mode"] == "walk"
    assert walk_there["properties"]["routes"] == []
    assert walk_there["geometry"]["coordinates"] == [[71.43, 51.128], [71.43058, 51.12824]]
    assert walk_back["properties"]["from"] == "Bayterek Tower"


def test_a_hop_next_door_is_still_a_valid_line() -> None:
    document = astana()
    walk = document["days"][1]["items"][0]
    walk["to"] = walk["from"]
    collection = export(document)
    line = next(f for f in collection["features"] if f["id"] == "2026-12-02-0")
    assert line["geometry"]["coordinates"] == [[71.43, 51.128], [71.43, 51.128]]


def test_coordinates_keep_six_decimals() -> None:
    document = astana()
    document["days"][0]["items"][1]["lat"] = 51.065681234
    assert export(document)["features"][1]["geometry"]["coordinates"] == [70.97777, 51.065681]


def test_an_empty_plan_is_an_empty_collection() -> None:
    data = json.loads(plan_to_geojson({"days": []}, name="Nothing yet", url=URL))
    assert data["features"] == []
    assert "bbox" not in data
    assert geojson.loads(json.dumps(data)).is_valid
