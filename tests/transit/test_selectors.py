from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.transit.tiny_feed import MakeFeed
from tripwise.core.errors import TripwiseError
from tripwise.places.models import Destination
from tripwise.transit.models import Feed, Route, Stop
from tripwise.transit.selectors import route_and_stops_find, route_next_departures, service_calendars
from tripwise.transit.services import feed_import

pytestmark = pytest.mark.django_db

ASTANA = ZoneInfo("Asia/Almaty")
MONDAY = date(2024, 6, 3)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ASTANA)


@pytest.fixture
def astana(make_feed: MakeFeed) -> Destination:
    feed_import(path=make_feed(), destination_name="Astana", feed_name="bus")
    return Destination.objects.get()


def find(destination: Destination, route: str, from_stop: str, to_stop: str) -> tuple[Route, Stop, Stop]:
    return route_and_stops_find(destination=destination, route=route, from_stop=from_stop, to_stop=to_stop)


def test_route_found_by_short_name_or_route_id(astana: Destination) -> None:
    route, from_stop, to_stop = find(astana, "5", "S1", "S3")
    assert (route.route_id, from_stop.stop_id, to_stop.stop_id) == ("R5", "S1", "S3")
    assert find(astana, "R9", "S1", "S3")[0].short_name == "9"


def test_unknown_route_or_stop_is_a_clear_error(astana: Destination) -> None:
    with pytest.raises(TripwiseError, match="No route '42' in the timetables of Astana") as caught:
        find(astana, "42", "S1", "S3")
    assert caught.value.code == "not_found"
    with pytest.raises(TripwiseError, match="No stop 'S7' in feed 'bus'"):
        find(astana, "5", "S1", "S7")


def test_a_destination_without_feed_says_to_import_one() -> None:
    elsewhere = Destination.objects.create(
        slug="turkistan", name="Turkistan", timezone="Asia/Almaty", lat=43, lon=68
    )
    with pytest.raises(TripwiseError, match="has no timetable yet"):
        find(elsewhere, "5", "S1", "S3")


def test_service_calendars_carry_weekdays_and_exceptions(astana: Destination) -> None:
    calendars = service_calendars(Feed.objects.get())

    assert set(calendars) == {"DAILY", "EXTRA"}
    daily, extra = calendars["DAILY"], calendars["EXTRA"]
    assert daily.weekdays == frozenset(range(7))
    assert daily.removed == frozenset({date(2024, 5, 9)})
    assert not daily.runs_on(date(2024, 5, 9))
    assert daily.runs_on(date(2024, 5, 8))
    assert (extra.start, extra.end, extra.added) == (None, None, frozenset({date(2024, 5, 10)}))


def test_hourly_bus_in_the_evening_gives_the_last_one_then_tomorrow_morning(astana: Destination) -> None:
    route, from_stop, to_stop = find(astana, "5", "S1", "S3")

    found = route_next_departures(
        route=route, from_stop=from_stop, to_stop=to_stop, after=at(MONDAY, 19, 30), limit=2
    )

    tuesday = MONDAY + timedelta(days=1)
    assert [(d.trip_id, d.departs, d.arrives) for d in found] == [
        ("T2000", at(MONDAY, 20), at(MONDAY, 20, 45)),
        ("T0700", at(tuesday, 7), at(tuesday, 7, 45)),
    ]
    assert found[0].departs.tzinfo == ASTANA
    assert found[0].headsign == "ALZHIR"


def test_departures_are_in_the_feed_zone_whatever_zone_after_is_in(astana: Destination) -> None:
    route, from_stop, to_stop = find(astana, "5", "S1", "S3")
    after_in_utc = at(MONDAY, 19, 30).astimezone(ZoneInfo("UTC"))

    [found] = route_next_departures(
        route=route, from_stop=from_stop, to_stop=to_stop, after=after_in_utc, limit=1
    )

    assert found.departs == at(MONDAY, 20)


def test_a_removed_date_is_skipped(astana: Destination) -> None:
    route, from_stop, to_stop = find(astana, "5", "S1", "S3")

    [found] = route_next_departures(
        route=route, from_stop=from_stop, to_stop=to_stop, after=at(date(2024, 5, 8), 20, 30), limit=1
    )

    assert found.departs == at(date(2024, 5, 10), 7)  # none on 9 May (removed), first bus on the 10th


def test_the_wrong_direction_has_no_departures(astana: Destination) -> None:
    route, museum, centre = find(astana, "5", "S3", "S1")

    assert route_next_departures(route=route, from_stop=museum, to_stop=centre, after=at(MONDAY, 6)) == []


def test_a_station_stands_for_its_platforms(astana: Destination) -> None:
    route, station, museum = find(astana, "5", "ST", "S3")

    [found] = route_next_departures(
        route=route, from_stop=station, to_stop=museum, after=at(MONDAY, 9, 1), limit=1
    )

    assert found.departs == at(MONDAY, 10)


def test_frequencies_are_expanded_from_each_period_start(astana: Destination) -> None:
    route, middle, museum = find(astana, "9", "S2", "S3")

    found = route_next_departures(
        route=route, from_stop=middle, to_stop=museum, after=at(MONDAY, 6, 51), limit=4
    )

    # Starts every 20 minutes from 06:00 until before 08:00; the template reaches S2 10 minutes after its
    # start and S3 30 minutes after.
    tuesday = MONDAY + timedelta(days=1)
    assert [(d.departs, d.arrives) for d in found] == [
        (at(MONDAY, 7, 10), at(MONDAY, 7, 30)),
        (at(MONDAY, 7, 30), at(MONDAY, 7, 50)),
        (at(MONDAY, 7, 50), at(MONDAY, 8, 10)),
        (at(tuesday, 6, 10), at(tuesday, 6, 30)),
    ]
    assert {d.trip_id for d in found} == {"F1"}
