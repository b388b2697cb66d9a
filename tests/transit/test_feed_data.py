"""Feeds read from the database for the planner's routing: feed_data_for and transit_network_for."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.paths import HELSINKI as HELSINKI_DATA
from tests.transit.tiny_feed import MakeFeed, hourly_stop_times, tiny_feed_files
from tripwise.core.money import Money
from tripwise.core.transit.fares import FareProduct, FareRuleData, RideZones, journey_fare, ride_zones
from tripwise.core.transit.feed import FeedData
from tripwise.places.models import Destination
from tripwise.transit.selectors import feed_data_for, transit_network_for
from tripwise.transit.services import feed_import

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
HELSINKI = ZoneInfo("Europe/Helsinki")
NEAR_S1 = (51.1009, 71.40)  # 100 m north of Centre (S1)
NEAR_S3 = (51.0209, 71.10)  # 100 m north of the museum stop (S3)
HSL_FEED = HELSINKI_DATA / "hsl-helsinki-gtfs-20220222.zip"


@pytest.fixture(autouse=True)
def _count_from_zero() -> None:
    """Unlike the import tests, these keep the demo (bus 300) and add their feeds to a new destination."""


def midnight(day: date, zone: ZoneInfo = ALMATY) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def tiny(make_feed: MakeFeed, **changes: str | None) -> Destination:
    feed_import(path=make_feed(**changes), destination_name="Tinytown", feed_name="bus")
    return Destination.objects.get(name="Tinytown")


def network_trips(destination: Destination, day: date, zone: ZoneInfo = ALMATY) -> list[tuple[str, int]]:
    network = transit_network_for(destination=destination, day=day, clock_origin=midnight(day, zone))
    assert network is not None
    return sorted((ref.trip.trip_id, ref.trip.departures[0] + ref.shift) for ref in network.trips)


def test_feed_data_expands_frequencies_and_times_untimed_stops(make_feed: MakeFeed) -> None:
    [data] = feed_data_for(destination=tiny(make_feed))
    assert isinstance(data, FeedData)
    assert (data.name, data.timezone) == ("bus", "Asia/Almaty")
    # The station ST is not called at by any trip: only the stops ridden to are kept.
    assert sorted(stop.stop_id for stop in data.stops) == ["S1", "S2", "S3"]
    trips = {trip.trip_id: trip for trip in data.trips}
    assert [name for name in trips if name.startswith("F1")] == [
        "F1@06:00:00",
        "F1@06:20:00",
        "F1@06:40:00",
        "F1@07:00:00",
        "F1@07:20:00",
        "F1@07:40:00",
    ]
    assert trips["F1@06:20:00"].arrivals == (6 * 3600 + 1200, 6 * 3600 + 1800, 6 * 3600 + 3000)
    seven = trips["T0700"]
    assert seven.stop_ids == ("S1", "S2", "S3")
    assert seven.arrivals == (7 * 3600, 7 * 3600 + 1350, 7 * 3600 + 2700)  # S2 halfway: 07:22:30
    assert (seven.route_id, seven.route_name, seven.headsign, seven.service_id) == (
        "R5",
        "5",
        "ALZHIR",
        "DAILY",
    )
    assert {calendar.service_id for calendar in data.calendars} == {"DAILY", "EXTRA"}


def test_calendar_dates_remove_and_add_service_days(make_feed: MakeFeed) -> None:
    trips = "route_id,service_id,trip_id,trip_headsign,direction_id\n" + "\n".join(
        [f"R5,DAILY,T{hour:02d}00,ALZHIR,0" for hour in range(7, 21)]
        + ["R9,DAILY,F1,Museum,", "R5,EXTRA,X1,Extra,0"]
    )
    stop_times = hourly_stop_times() + "X1,12:10:00,12:10:00,S1,1,,\nX1,12:50:00,12:50:00,S3,2,,\n"
    destination = tiny(make_feed, trips__txt=trips + "\n", stop_times__txt=stop_times)
    assert len(network_trips(destination, date(2024, 5, 8))) == 14 + 6
    assert network_trips(destination, date(2024, 5, 9)) == []  # DAILY removed that day
    on_tenth = [name for name, _ in network_trips(destination, date(2024, 5, 10))]
    assert "X1" in on_tenth  # EXTRA added that day only
    assert "X1" not in [name for name, _ in network_trips(destination, date(2024, 5, 11))]


def test_a_trip_after_midnight_is_ridden_the_next_morning(make_feed: MakeFeed) -> None:
    trips = str(tiny_feed_files()["trips.txt"]) + "R5,DAILY,N1,Night,0\n"
    stop_times = hourly_stop_times() + "N1,24:30:00,24:30:00,S1,1,,\nN1,25:15:00,25:15:00,S3,2,,\n"
    destination = tiny(make_feed, trips__txt=trips, stop_times__txt=stop_times)
    day = date(2024, 6, 4)
    assert ("N1", 30 * 60) in network_trips(destination, day)  # Monday's 24:30 is Tuesday 00:30
    network = transit_network_for(destination=destination, day=day, clock_origin=midnight(day))
    assert network is not None
    journey = network.journey(NEAR_S1, NEAR_S3, 20 * 60)
    assert journey is not None
    ride = journey.legs[1]
    assert (ride.trip_id, ride.depart, ride.arrive) == ("N1", 30 * 60, 75 * 60)
    assert (ride.from_stop_id, ride.to_stop_id, ride.feed, ride.route_name) == ("S1", "S3", "bus", "5")


def test_gtfs_times_on_a_dst_day_count_from_noon_minus_12_hours(make_feed: MakeFeed) -> None:
    agency = "agency_id,agency_name,agency_url,agency_timezone\nA1,HSL,https://example.org,Europe/Helsinki\n"
    destination = tiny(make_feed, agency__txt=agency)
    spring = date(2024, 3, 31)  # Europe/Helsinki: 23 hours long, clocks go forward at 03:00
    trips = dict(network_trips(destination, spring, HELSINKI))
    assert trips["T1000"] == 9 * 3600  # 10:00 on the wall is 9 hours after that midnight


def test_networks_are_kept_until_the_feed_is_imported_again(make_feed: MakeFeed) -> None:
    destination = tiny(make_feed)
    day = date(2024, 6, 4)
    first = transit_network_for(destination=destination, day=day, clock_origin=midnight(day))
    with CaptureQueriesContext(connection) as queries:
        again = transit_network_for(destination=destination, day=day, clock_origin=midnight(day))
    assert again is first
    assert len(queries) == 1  # which feeds, and when imported: the cache key
    feed_import(path=make_feed(), destination_name="Tinytown", feed_name="bus")
    assert transit_network_for(destination=destination, day=day, clock_origin=midnight(day)) is not first


def test_no_network_without_a_feed() -> None:
    nowhere = Destination.objects.create(
        slug="nowhere", name="Nowhere", timezone="Asia/Almaty", lat=43, lon=68
    )
    day = date(2024, 6, 4)
    assert transit_network_for(destination=nowhere, day=day, clock_origin=midnight(day)) is None
    assert feed_data_for(destination=nowhere) == ()


def test_the_demo_bus_300_takes_you_to_the_alzhir_museum() -> None:
    astana = Destination.objects.get(slug="astana")
    day = date(2026, 11, 30)
    network = transit_network_for(destination=astana, day=day, clock_origin=midnight(day))
    assert network is not None
    asia_park = (51.1289, 71.41155)  # 95 m north of the stop
    museum = (51.06568, 70.97777)
    journey = network.journey(asia_park, museum, 8 * 3600 + 30 * 60)
    assert journey is not None
    ride = journey.legs[1]
    assert (ride.route_name, ride.trip_id, ride.from_stop_id, ride.to_stop_id) == (
        "300",
        "300-out-0900",
        "asia-park",
        "akmol-alzhir",
    )
    assert journey.legs[0].arrive == ride.depart == 9 * 3600  # no waiting at the stop
    connections = network.connections([asia_park, museum], [8 * 3600, 9 * 3600])
    assert [(c.depart, c.arrive) for c in connections[(0, 1)]] == [
        (8 * 3600, journey.arrive),  # 95 m from the stop: the 08:00 bus has gone, the 09:00 one it is
        (9 * 3600, journey.arrive + 3600),
    ]


ZONED_STOPS = (
    "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,zone_id\n"
    "ST,Centre station,51.10,71.40,1,,\n"
    "S1,Centre,51.10,71.40,0,ST,centre\n"
    "S2,Middle,51.08,71.30,,,suburb\n"
    "S3,ALZHIR museum,51.02,71.10,0,,museum\n"
)
FARE_ATTRIBUTES = (
    "fare_id,price,currency_type,payment_method,transfers,transfer_duration\n"
    "CITY,150,KZT,0,,3600\n"
    "MUSEUM,300.50,KZT,1,0,\n"
)
FARE_RULES = (
    "fare_id,route_id,origin_id,destination_id,contains_id\n"
    "CITY,,,,centre\n"
    "CITY,,,,suburb\n"
    "MUSEUM,R5,centre,museum,\n"
)


def test_feed_data_carries_zones_and_fares(make_feed: MakeFeed) -> None:
    destination = tiny(
        make_feed, stops__txt=ZONED_STOPS, fare_attributes__txt=FARE_ATTRIBUTES, fare_rules__txt=FARE_RULES
    )
    [data] = feed_data_for(destination=destination)

    assert {stop.stop_id: stop.zone_id for stop in data.stops} == {
        "S1": "centre",
        "S2": "suburb",
        "S3": "museum",
    }
    assert data.fares == (
        FareProduct("CITY", Decimal("150"), "KZT", None, 3600),
        FareProduct("MUSEUM", Decimal("300.50"), "KZT", 0, None),
    )
    assert data.fare_rules == (
        FareRuleData("CITY", contains_id="centre"),
        FareRuleData("CITY", contains_id="suburb"),
        FareRuleData("MUSEUM", route_id="R5", origin_id="centre", destination_id="museum"),
    )

    # A journey the network finds, priced by its rides: bus 5 from the centre zone to the museum's.
    day = date(2024, 6, 4)
    network = transit_network_for(destination=destination, day=day, clock_origin=midnight(day))
    assert network is not None
    journey = network.journey(NEAR_S1, NEAR_S3, 9 * 3600 + 50 * 60)
    assert journey is not None
    trips = {trip.trip_id: trip for trip in data.trips}
    zone_of = {stop.stop_id: stop.zone_id for stop in data.stops}
    rides = []
    for leg in journey.legs:
        if leg.kind == "ride":
            assert leg.trip_id is not None
            trip = trips[leg.trip_id]
            board, alight = trip.stop_ids.index(leg.from_stop_id), trip.stop_ids.index(leg.to_stop_id)
            rides.append(ride_zones(trip, board, alight, zone_of))
    assert rides == [RideZones("R5", "centre", "museum", frozenset({"centre", "suburb", "museum"}))]
    fare = journey_fare(rides, journey.depart, journey.arrive, data.fares, data.fare_rules)
    assert fare is not None
    assert fare.money == Money(Decimal("300.50"), "KZT")
    # The same bus only as far as the middle stays within the city ticket's zones.
    middle = ride_zones(trips["T1000"], 0, 1, zone_of)
    assert journey_fare([middle], 0, 1350, data.fares, data.fare_rules) == data.fares[0]


def test_a_feed_without_fares_has_none(make_feed: MakeFeed) -> None:
    [data] = feed_data_for(destination=tiny(make_feed))
    assert (data.fares, data.fare_rules) == ((), ())
    assert {stop.zone_id for stop in data.stops} == {""}


@pytest.mark.slow
def test_a_helsinki_ride_inside_zone_a_costs_the_ab_ticket() -> None:
    if not HSL_FEED.exists():
        pytest.skip(f"the HSL feed is not at {HSL_FEED} (../shared is not beside this checkout)")
    feed_import(path=HSL_FEED, destination_name="Helsinki", feed_name="hsl")
    [data] = feed_data_for(destination=Destination.objects.get(name="Helsinki"))
    assert len(data.fares) == 7
    assert len(data.fare_rules) == 29

    zone_of = {stop.stop_id: stop.zone_id for stop in data.stops}
    inside_a = next(trip for trip in data.trips if {zone_of.get(stop) for stop in trip.stop_ids} == {"A"})
    ride = ride_zones(inside_a, 0, len(inside_a.stop_ids) - 1, zone_of)
    assert ride.zones == {"A"}
    span = inside_a.arrivals[-1] - inside_a.departures[0]
    fare = journey_fare([ride], 0, span, data.fares, data.fare_rules)
    assert fare is not None
    assert (fare.fare_id, fare.money) == ("AB", Money(Decimal("2.8"), "EUR"))
    # A trip that crosses into zone B is still within AB: both its zones are on the ticket.
    crossing = next(
        trip for trip in data.trips if {zone_of.get(stop) for stop in trip.stop_ids} == {"A", "B"}
    )
    whole = ride_zones(crossing, 0, len(crossing.stop_ids) - 1, zone_of)
    assert whole.zones == {"A", "B"}
    assert journey_fare([whole], 0, 600, data.fares, data.fare_rules) == fare
