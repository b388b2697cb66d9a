"""The GPX export: valid against the GPX 1.1 XSD and read back with gpxpy.

The schema is TopoGrafix's gpx.xsd for GPX 1.1, kept beside this test (data/, with its SOURCE.txt) since
nothing may be downloaded at test time. Validation is by xmlschema, independent of how the file was written.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import gpxpy
import pytest
import xmlschema

from tests.core.export.documents import astana, helsinki_across_dst
from tripwise.core.export import plan_to_gpx
from tripwise.core.export.gpx import GPX_NAMESPACE

URL = "https://trips.example/plans/astana-plan-1/"
NS = {"g": GPX_NAMESPACE}


@cache
def gpx_schema() -> xmlschema.XMLSchema:
    path = Path(__file__).with_name("data") / "gpx-1.1.xsd"
    schema = xmlschema.XMLSchema(str(path))
    assert schema.target_namespace == GPX_NAMESPACE
    return schema


def tree(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 - the document parsed is this project's own output


def export(document: dict[str, Any]) -> bytes:
    return plan_to_gpx(document, name="A trip", url=URL)


@pytest.mark.parametrize("document", [astana(), helsinki_across_dst()], ids=["astana", "helsinki"])
def test_the_file_is_valid_gpx_1_1(document: dict[str, Any]) -> None:
    data = export(document)
    gpx_schema().validate(tree(data))
    root = tree(data)
    assert root.tag == f"{{{GPX_NAMESPACE}}}gpx"
    assert root.get("version") == "1.1"
    assert root.get("creator") == "Tripwise"


def test_the_schema_really_checks_element_order() -> None:
    # A waypoint with <name> before <time> breaks the schema's sequence: the validator must say so, or the
    # test above would prove nothing.
    broken = export(astana()).replace(b"<time>2026-12-01T05:00:00Z</time>\n    <name>ALZHIR Museum</name>",
                                      b"<name>ALZHIR Museum</name>\n    <time>2026-12-01T05:00:00Z</time>")  # fmt: skip
    assert broken != export(astana())
    assert not gpx_schema().is_valid(tree(broken))


def test_visits_are_waypoints_with_name_time_and_description() -> None:
    gpx = gpxpy.parse(export(astana()).decode())
    assert [w.name for w in gpx.waypoints] == ["ALZHIR Museum", "Bayterek Tower"]
    alzhir = gpx.waypoints[0]
    assert (alzhir.latitude, alzhir.longitude) == (51.06568, 70.97777)
    assert alzhir.time == datetime.fromisoformat("2026-12-01T10:00:00+05:00")
    assert alzhir.description.startswith("2026-12-01 10:00–12:00 (UTC+0500). Must-see. Cost: 1440 KZT")
    assert alzhir.type == "memorial"
    assert gpx.name == "A trip"
    assert gpx.link == URL


def test_each_day_is_a_route_through_its_stops_in_order() -> None:
    gpx = gpxpy.parse(export(astana()).decode())
    assert [r.name for r in gpx.routes] == ["Day 1 · 2026-12-01", "Day 2 · 2026-12-02"]
    day1, day2 = gpx.routes
    assert [p.name for p in day1.points] == ["Base", "Asia Park", "Akmol, ALZHIR Museum", "ALZHIR Museum"]
    assert [p.time for p in day1.points] == [
        datetime.fromisoformat(t)
        for t in (
            "2026-12-01T08:41+05:00",
            "2026-12-01T08:56+05:00",
            "2026-12-01T09:45+05:00",
            "2026-12-01T09:48+05:00",
        )
    ]
    assert [p.name for p in day2.points] == ["Base", "Bayterek Tower", "Base"]
    assert (day1.points[1].latitude, day1.points[1].longitude) == (51.12805, 71.41155)


def test_times_are_utc_across_the_dst_change() -> None:
    gpx = gpxpy.parse(export(helsinki_across_dst()).decode())
    saturday, sunday = gpx.waypoints
    assert saturday.time == datetime.fromisoformat("2022-03-26T08:00:00+00:00")
    assert sunday.time == datetime.fromisoformat("2022-03-27T07:00:00+00:00")
    raw = export(helsinki_across_dst())
    assert b"<time>2022-03-27T07:00:00Z</time>" in raw


def test_metadata_bounds_enclose_every_point() -> None:
    root = tree(export(astana()))
    bounds = root.find("g:metadata/g:bounds", NS)
    assert bounds is not None
    assert {k: float(v) for k, v in bounds.attrib.items()} == {
        "minlat": 51.06568, "minlon": 70.97777, "maxlat": 51.128240, "maxlon": 71.43058
    }  # fmt: skip


def test_odd_values_still_give_a_valid_file() -> None:
    document = astana()
    document["days"][1]["items"][1]["lon"] = 180.0  # the antimeridian: the schema's range is [-180, 180)
    document["days"][1]["items"][1]["lat"] = 0.000001  # never written as 1e-06, which xsd:decimal refuses
    document["days"][0]["items"][1]["name"] = '<Museum> & "friends"'
    data = export(document)
    gpx_schema().validate(tree(data))
    assert gpxpy.parse(data.decode()).waypoints[0].name == '<Museum> & "friends"'


def test_an_empty_plan_is_still_a_valid_file() -> None:
    gpx_schema().validate(tree(plan_to_gpx({"days": []}, name="Nothing yet", url=URL)))
