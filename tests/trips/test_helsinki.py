"""A second, real city: Helsinki's OpenStreetMap places and the HSL timetable, imported with the user's
commands and planned on the feed's one service day. Every plan passes the checker."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.paths import HELSINKI
from tripwise.core.hours import open_intervals
from tripwise.places.models import Place
from tripwise.places.osm_import import places_import_osm
from tripwise.transit.services import feed_import
from tripwise.trips.services import plan_create

HELSINKI_TIME = ZoneInfo("Europe/Helsinki")
PASILA = {"lat": 60.1989, "lon": 24.9336}

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not HELSINKI.exists(), reason=f"the Helsinki data is not at {HELSINKI}"),
]


def _open_through(place: Place, start: datetime, end: datetime) -> bool:
    spans = open_intervals(place.opening_hours, start.date(), HELSINKI_TIME)
    return any(opens <= start and end <= closes for opens, closes in spans)


def _rides(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [ride for day in document["days"] for item in day["items"] for ride in item.get("rides", [])]


def test_plans_in_helsinki_ride_real_hsl_trips_and_pass_the_checker() -> None:
    places_import_osm(path=HELSINKI / "helsinki-centre.osm.pbf", destination_name="Helsinki")
    feed_import(path=HELSINKI / "hsl-helsinki-gtfs-20220222.zip", destination_name="Helsinki")
    sights = list(
        Place.objects.filter(destination__slug="helsinki", kind__in=["museum", "church", "landmark"])
        .exclude(opening_hours="")
        .order_by("lat")
    )
    morning = (
        datetime(2022, 2, 22, 10, tzinfo=HELSINKI_TIME),
        datetime(2022, 2, 22, 14, tzinfo=HELSINKI_TIME),
    )
    south = next(place for place in sights if _open_through(place, *morning))
    # A hotel by Pasila station, 4 km north of the centre: too far to walk (walks stop at 45 minutes), so
    # the day can only be made on HSL's trains, trams and buses, there and back.
    request = {
        "destination": "Helsinki",
        "start_date": "2022-02-22",
        "day_start": "10:00",
        "day_end": "15:00",
        "base": PASILA,
        "modes": ["walk", "transit"],
        "must_see": [south.slug],
        "party": {"adults": 2},
        "currency": "EUR",
    }
    document = plan_create(request=request).result
    assert document["check"] == {"ok": True, "problems": []}
    assert document["destination"]["timezone"] == "Europe/Helsinki"
    assert document["unscheduled"] == []
    rides = _rides(document)
    assert len(rides) >= 2, "only transit gets there and back"
    journeys = [item for item in document["days"][0]["items"] if item.get("mode") == "transit"]
    # HSL's zones A and B hold every stop of this feed: one AB ticket (2.80 EUR) each, for two people.
    assert {(item["fare"]["amount"], item["fare"]["currency"]) for item in journeys} == {("5.60", "EUR")}
    assert document["destination"]["currency"] == "EUR"
    for ride in rides:
        departs = datetime.fromisoformat(ride["depart"])
        assert departs.date().isoformat() == "2022-02-22"  # the feed's one service day
        assert departs.utcoffset() == timedelta(hours=2)  # Helsinki in winter
        assert ride["trip_id"]
        assert ride["from_stop_id"] != ride["to_stop_id"]


def test_a_day_without_timetable_is_walked_and_still_checked() -> None:
    places_import_osm(path=HELSINKI / "helsinki-centre.osm.pbf", destination_name="Helsinki")
    feed_import(path=HELSINKI / "hsl-helsinki-gtfs-20220222.zip", destination_name="Helsinki")
    request = {"destination": "Helsinki", "start_date": "2022-02-24", "modes": ["walk", "transit"]}
    document = plan_create(request=request).result
    assert document["check"]["ok"] is True
    items = document["days"][0]["items"]
    assert any(item["type"] == "visit" for item in items)
    assert all(
        item.get("mode") in (None, "walk") for item in items
    )  # no HSL service on the 24th in this feed
