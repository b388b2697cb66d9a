from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from tests.paths import HELSINKI
from tests.transit.tiny_feed import MakeFeed, hourly_stop_times
from tripwise.core.errors import TripwiseError
from tripwise.places.models import Access, Destination, Place
from tripwise.transit.models import (
    Agency,
    Fare,
    FareRule,
    Feed,
    Frequency,
    Route,
    Service,
    ServiceException,
    Stop,
    StopTime,
    Trip,
)
from tripwise.transit.services import feed_import

pytestmark = pytest.mark.django_db

TABLES = (
    Destination,
    Feed,
    Agency,
    Stop,
    Route,
    Service,
    ServiceException,
    Trip,
    StopTime,
    Frequency,
    Fare,
    FareRule,
)
HELSINKI_FEED = HELSINKI / "hsl-helsinki-gtfs-20220222.zip"


def nothing_written() -> bool:
    return all(not model.objects.exists() for model in TABLES)


def test_a_small_feed_imports_with_exact_counts(make_feed: MakeFeed) -> None:
    messages: list[str] = []
    report = feed_import(
        path=make_feed(), destination_name="Astana", feed_name="bus", progress=messages.append
    )

    assert report.counts == {
        "agencies": 1,
        "stops": 4,
        "routes": 2,
        "services": 2,
        "service exceptions": 2,
        "trips": 15,
        "stop times": 45,
        "frequencies": 1,
        "fares": 0,
        "fare rules": 0,
    }
    assert report.skipped == {}
    assert report.ignored_files == ("shapes.txt",)
    assert (Stop.objects.count(), Trip.objects.count(), StopTime.objects.count()) == (4, 15, 45)
    assert "stop_times.txt: 45 rows read" in messages
    text = report.as_text()
    assert "stop times" in text
    assert "Not imported (not used yet): shapes.txt." in text

    feed = Feed.objects.get()
    assert (feed.name, feed.timezone, str(feed.start_date), str(feed.end_date)) == (
        "bus",
        "Asia/Almaty",
        "2024-01-01",
        "2024-12-31",
    )
    middle = Stop.objects.get(stop_id="S2")
    assert middle.name == 'Middle, the "old" square'
    assert middle.location_type == 0
    assert middle.zone_id == ""  # the tiny feed has no zone_id column
    untimed = StopTime.objects.get(trip__trip_id="T0700", stop=middle)
    assert (untimed.arrival_seconds, untimed.departure_seconds) == (None, None)
    assert (
        StopTime.objects.get(trip__trip_id="T2000", stop__stop_id="S3").arrival_seconds == 20 * 3600 + 45 * 60
    )
    assert Route.objects.get(route_id="R5").agency == Agency.objects.get()
    extra = Service.objects.get(service_id="EXTRA")
    assert (extra.weekdays, extra.start_date, extra.end_date) == ("0000000", None, None)


def test_the_destination_is_created_with_the_agency_zone_and_the_stops_centre(make_feed: MakeFeed) -> None:
    report = feed_import(path=make_feed(), destination_name="Astana")

    destination = Destination.objects.get()
    assert report.destination_created
    assert (destination.name, destination.timezone) == ("Astana", "Asia/Almaty")
    assert destination.lat == pytest.approx(51.075)
    assert destination.lon == pytest.approx((71.40 + 71.40 + 71.30 + 71.10) / 4)
    assert "new destination, time zone Asia/Almaty" in report.as_text()
    # The feed is named after its folder (or zip) when no name is given.
    assert report.feed_name == Feed.objects.get().name == "feed0"


def test_an_existing_destination_keeps_its_own_settings(make_feed: MakeFeed) -> None:
    Destination.objects.create(slug="astana", name="Astana", timezone="Asia/Almaty", lat=51.16, lon=71.47)

    report = feed_import(path=make_feed(), destination_name="astana")

    assert not report.destination_created
    assert Destination.objects.get().lat == 51.16


def test_reimport_replaces_the_feed_without_duplicates(make_feed: MakeFeed) -> None:
    feed_import(path=make_feed(), destination_name="Astana", feed_name="bus")
    report = feed_import(path=make_feed(), destination_name="Astana", feed_name="bus")

    assert report.replaced
    assert report.as_text().startswith("Replaced GTFS feed 'bus'")
    assert Feed.objects.count() == 1
    assert (
        Stop.objects.count(),
        Trip.objects.count(),
        StopTime.objects.count(),
        Frequency.objects.count(),
    ) == (4, 15, 45, 1)
    assert ServiceException.objects.count() == 2
    # Another name is another feed of the same destination.
    feed_import(path=make_feed(), destination_name="Astana", feed_name="other")
    assert Feed.objects.count() == 2
    assert Destination.objects.count() == 1


def test_reimport_keeps_place_access_linked_by_gtfs_ids(make_feed: MakeFeed) -> None:
    feed_import(path=make_feed(), destination_name="Astana", feed_name="bus")
    destination = Destination.objects.get()
    place = Place.objects.create(
        destination=destination, slug="alzhir", name="ALZHIR", lat=51.02, lon=71.1, timezone="Asia/Almaty"
    )
    access = Access.objects.create(
        place=place,
        mode=Access.Mode.TRANSIT,
        route=Route.objects.get(route_id="R5"),
        from_stop=Stop.objects.get(stop_id="S1"),
        to_stop=Stop.objects.get(stop_id="S3"),
    )

    report = feed_import(path=make_feed(), destination_name="Astana", feed_name="bus")

    access.refresh_from_db()
    assert access.route == Route.objects.get(route_id="R5")
    assert access.from_stop is not None
    assert access.from_stop.stop_id == "S1"
    assert access.to_stop is not None
    assert access.to_stop.stop_id == "S3"
    assert (report.access_relinked, report.access_unlinked) == (1, 0)


def test_a_zip_with_bom_and_crlf_imports(make_feed: MakeFeed, tmp_path: Path) -> None:
    folder = make_feed(encoding="utf-8-sig", newline="\r\n")
    archive = tmp_path / "astana-bus.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in folder.iterdir():
            zipped.write(file, f"gtfs/{file.name}")  # some publishers zip the folder itself

    report = feed_import(path=archive, destination_name="Astana")

    assert report.feed_name == "astana-bus"
    assert report.counts["stop times"] == 45
    assert Agency.objects.get().agency_id == "A1"  # the BOM is not part of the first column's name


def test_a_feed_without_stop_times_is_refused_and_nothing_is_written(make_feed: MakeFeed) -> None:
    with pytest.raises(TripwiseError) as caught:
        feed_import(path=make_feed(stop_times__txt=None), destination_name="Astana")

    assert caught.value.code == "bad_gtfs"
    assert "lacks stop_times.txt" in caught.value.message
    assert nothing_written()


def test_a_feed_without_any_calendar_is_refused(make_feed: MakeFeed) -> None:
    with pytest.raises(TripwiseError, match=r"calendar\.txt or calendar_dates\.txt"):
        feed_import(path=make_feed(calendar__txt=None, calendar_dates__txt=None), destination_name="Astana")


def test_calendar_dates_alone_is_enough(make_feed: MakeFeed) -> None:
    trips = "route_id,service_id,trip_id\nR5,EXTRA,T0700\n"
    report = feed_import(path=make_feed(calendar__txt=None, trips__txt=trips), destination_name="Astana")

    assert report.counts["services"] == 2  # DAILY has only a removed date, EXTRA an added one
    assert report.skipped == {"stop_times.txt: unknown trip_id": 42, "frequencies.txt: unknown trip_id": 1}


def test_a_bad_time_is_refused_naming_file_line_and_column(make_feed: MakeFeed) -> None:
    stop_times = hourly_stop_times().replace("T0800,08:00:00,", "T0800,7:99:00,")

    with pytest.raises(TripwiseError) as caught:
        feed_import(path=make_feed(stop_times__txt=stop_times), destination_name="Astana")

    # Header is line 1, trip T0700 takes lines 2-4, so T0800's first call is on line 5.
    assert caught.value.code == "bad_gtfs"
    assert caught.value.message.startswith(
        "stop_times.txt, line 5, column arrival_time: '7:99:00' is not a GTFS time"
    )
    assert nothing_written()  # the destination created earlier in the import is rolled back too


def test_a_missing_required_column_is_refused(make_feed: MakeFeed) -> None:
    routes = "route_id,route_short_name\nR5,5\n"

    with pytest.raises(TripwiseError, match=r"routes\.txt, line 1: the column route_type is missing"):
        feed_import(path=make_feed(routes__txt=routes), destination_name="Astana")
    assert nothing_written()


def test_a_blank_required_value_is_refused(make_feed: MakeFeed) -> None:
    stops = "stop_id,stop_name,stop_lat,stop_lon\nS1,Centre,,71.4\n"

    with pytest.raises(TripwiseError, match=r"stops\.txt, line 2, column stop_lat: stop_lat is required"):
        feed_import(path=make_feed(stops__txt=stops), destination_name="Astana")


def test_a_bad_agency_time_zone_is_refused(make_feed: MakeFeed) -> None:
    agency = "agency_name,agency_url,agency_timezone\nAstana Bus,https://example.org,Astana/Centre\n"

    with pytest.raises(TripwiseError, match=r"agency\.txt, line 2, column agency_timezone: 'Astana/Centre'"):
        feed_import(path=make_feed(agency__txt=agency), destination_name="Astana")


def test_rows_pointing_at_unknown_ids_are_skipped_and_counted(make_feed: MakeFeed) -> None:
    stop_times = hourly_stop_times() + "GHOST,09:00:00,09:00:00,S1,1,,\nGHOST,09:10:00,09:10:00,S3,2,,\n"
    stop_times += "T0700,07:50:00,07:50:00,NOWHERE,4,,\nT0700,07:55:00,07:55:00,S1,3,,\n"
    trips = "route_id,service_id,trip_id\nR5,DAILY,T0700\nR5,NEVER,T0800\nR7,DAILY,T0900\n"

    report = feed_import(
        path=make_feed(stop_times__txt=stop_times, trips__txt=trips), destination_name="Astana"
    )

    assert report.counts["trips"] == 1
    assert report.counts["stop times"] == 3
    assert report.skipped == {
        "frequencies.txt: unknown trip_id": 1,
        "stop_times.txt: repeated trip_id and stop_sequence": 1,
        "stop_times.txt: unknown stop_id": 1,
        "stop_times.txt: unknown trip_id": 2 + 13 * 3 + 3,
        "trips.txt: unknown route_id": 1,
        "trips.txt: unknown service_id (not in calendar.txt or calendar_dates.txt)": 1,
    }
    assert "Skipped rows:" in report.as_text()


def test_a_path_that_is_not_a_feed_is_refused(tmp_path: Path) -> None:
    not_zip = tmp_path / "feed.zip"
    not_zip.write_text("hello")

    with pytest.raises(TripwiseError, match="is not a zip file"):
        feed_import(path=not_zip, destination_name="Astana")
    with pytest.raises(TripwiseError, match="does not exist"):
        feed_import(path=tmp_path / "missing.zip", destination_name="Astana")


@pytest.mark.slow
def test_the_helsinki_feed_imports() -> None:
    if not HELSINKI_FEED.exists():
        pytest.skip(f"the HSL feed is not at {HELSINKI_FEED}")

    report = feed_import(path=HELSINKI_FEED, destination_name="Helsinki")

    assert report.counts == {
        "agencies": 1,
        "stops": 1388,
        "routes": 200,
        "services": report.counts["services"],
        "service exceptions": 0,
        "trips": 3195,
        "stop times": 62485,
        "frequencies": 3226,
        "fares": 7,
        "fare rules": 29,
    }
    assert report.skipped == {}
    assert Destination.objects.get(name="Helsinki").timezone == "Europe/Helsinki"
    assert "shapes.txt" in report.ignored_files
    assert "fare_rules.txt" not in report.ignored_files
    assert report.seconds < 60
    # Zone fares: every stop is in zone A or B, and ticket AB is good for rides through A and B.
    assert set(Stop.objects.values_list("zone_id", flat=True)) == {"A", "B"}
    ab = Fare.objects.get(fare_id="AB")
    assert (ab.price, ab.currency, ab.transfers, ab.transfer_duration) == (Decimal("2.8"), "EUR", None, 4800)
    assert sorted(ab.rules.values_list("contains_id", flat=True)) == ["A", "B"]
    assert FareRule.objects.filter(fare__fare_id="D", route_id="9665A").count() == 3


FARE_ATTRIBUTES = (
    "fare_id,price,currency_type,payment_method,transfers,transfer_duration\n"
    "CITY,150,KZT,0,,3600\n"
    "MUSEUM,300.50,kzt,1,0,\n"
)
FARE_RULES = (
    "fare_id,route_id,origin_id,destination_id,contains_id\n"
    "CITY,,,,centre\n"
    "CITY,,,,suburb\n"
    "MUSEUM,R9,,,\n"
    "MUSEUM,R5,centre,museum,\n"
)
ZONED_STOPS = (
    "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,zone_id\n"
    "ST,Centre station,51.10,71.40,1,,\n"
    "S1,Centre,51.10,71.40,0,ST,centre\n"
    "S2,Middle,51.08,71.30,,,suburb\n"
    "S3,ALZHIR museum,51.02,71.10,0,,museum\n"
)


def fares_feed(make_feed: MakeFeed, **changes: str | None) -> Path:
    files: dict[str, str | None] = {
        "stops__txt": ZONED_STOPS,
        "fare_attributes__txt": FARE_ATTRIBUTES,
        "fare_rules__txt": FARE_RULES,
    }
    return make_feed(**(files | changes))


def test_fares_and_zones_are_imported(make_feed: MakeFeed) -> None:
    report = feed_import(path=fares_feed(make_feed), destination_name="Astana")

    assert (report.counts["fares"], report.counts["fare rules"]) == (2, 4)
    assert report.skipped == {}
    assert report.ignored_files == ("shapes.txt",)
    assert dict(Stop.objects.values_list("stop_id", "zone_id")) == {
        "ST": "",
        "S1": "centre",
        "S2": "suburb",
        "S3": "museum",
    }
    city, museum = Fare.objects.order_by("fare_id")
    assert (city.fare_id, city.price, city.currency, city.transfers, city.transfer_duration) == (
        "CITY",
        Decimal("150"),
        "KZT",
        None,  # blank: unlimited transfers
        3600,
    )
    assert (museum.price, museum.currency, museum.transfers, museum.transfer_duration) == (
        Decimal("300.50"),
        "KZT",  # written "kzt"
        0,
        None,
    )
    assert set(
        FareRule.objects.values_list(
            "fare__fare_id", "route_id", "origin_id", "destination_id", "contains_id"
        )
    ) == {
        ("CITY", "", "", "", "centre"),
        ("CITY", "", "", "", "suburb"),
        ("MUSEUM", "R9", "", "", ""),
        ("MUSEUM", "R5", "centre", "museum", ""),
    }
    # A re-import replaces the fares with the feed, without duplicates.
    feed_import(path=fares_feed(make_feed), destination_name="Astana", feed_name=report.feed_name)
    assert (Fare.objects.count(), FareRule.objects.count()) == (2, 4)


def test_fare_rows_with_unknown_or_repeated_ids_are_skipped_and_counted(make_feed: MakeFeed) -> None:
    attributes = FARE_ATTRIBUTES + "CITY,999,KZT,0,,\n"
    rules = FARE_RULES + "CITY,,,,centre\nGHOST,,,,centre\n"

    report = feed_import(
        path=fares_feed(make_feed, fare_attributes__txt=attributes, fare_rules__txt=rules),
        destination_name="Astana",
    )

    assert (report.counts["fares"], report.counts["fare rules"]) == (2, 4)
    assert Fare.objects.get(fare_id="CITY").price == Decimal("150")  # the first row of an id wins
    assert report.skipped == {
        "fare_attributes.txt: repeated fare_id": 1,
        "fare_rules.txt: repeated rule": 1,
        "fare_rules.txt: unknown fare_id": 1,
    }
    # Rules without fare_attributes.txt price nothing: all skipped.
    report = feed_import(path=fares_feed(make_feed, fare_attributes__txt=None), destination_name="Astana")
    assert (report.counts["fares"], report.counts["fare rules"]) == (0, 0)
    assert report.skipped == {"fare_rules.txt: unknown fare_id": 4}


@pytest.mark.parametrize(
    ("row", "column", "problem"),
    [
        ("CITY,1.5.0,KZT,0,,", "price", "'1.5.0' is not a price"),
        ("CITY,-1,KZT,0,,", "price", "'-1' is not a price"),
        ("CITY,1e3,KZT,0,,", "price", "'1e3' is not a price"),
        ("CITY,0.123456,KZT,0,,", "price", "0.123456 has more than 4 decimals"),
        ("CITY,,KZT,0,,", "price", "price is required"),
        ("CITY,150,tenge,0,,", "currency_type", "'tenge' is not an ISO 4217 currency code"),
        ("CITY,150,KZT,2,,", "payment_method", "2 is not allowed here; use one of 0, 1"),
        ("CITY,150,KZT,0,5,", "transfers", "5 is not allowed here; use one of 0, 1, 2"),
        ("CITY,150,KZT,0,,an hour", "transfer_duration", "'an hour' is not a whole number"),
        ("CITY,150,KZT,0,,-60", "transfer_duration", "-60 is negative"),
    ],
)
def test_a_bad_fare_is_refused_and_nothing_is_written(
    make_feed: MakeFeed, row: str, column: str, problem: str
) -> None:
    attributes = "fare_id,price,currency_type,payment_method,transfers,transfer_duration\n" + row + "\n"

    with pytest.raises(TripwiseError) as caught:
        feed_import(path=fares_feed(make_feed, fare_attributes__txt=attributes), destination_name="Astana")

    assert caught.value.code == "bad_gtfs"
    assert caught.value.message.startswith(f"fare_attributes.txt, line 2, column {column}: {problem}")
    assert nothing_written()


def test_a_fare_file_without_its_required_columns_is_refused(make_feed: MakeFeed) -> None:
    with pytest.raises(
        TripwiseError, match=r"fare_attributes\.txt, line 1: the column currency_type is missing"
    ):
        feed_import(
            path=fares_feed(make_feed, fare_attributes__txt="fare_id,price\nCITY,150\n"),
            destination_name="Astana",
        )
    too_long = "x" * 121
    with pytest.raises(
        TripwiseError, match=r"fare_rules\.txt, line 2, column contains_id: 'x+'\.\.\. is longer"
    ):
        feed_import(
            path=fares_feed(make_feed, fare_rules__txt=f"fare_id,contains_id\nCITY,{too_long}\n"),
            destination_name="Astana",
        )
    assert nothing_written()


def test_fares_show_read_only_in_the_admin(make_feed: MakeFeed, alice_client: Client) -> None:
    feed_import(path=fares_feed(make_feed), destination_name="Astana")
    museum = Fare.objects.get(fare_id="MUSEUM")

    listing = alice_client.get("/admin/transit/fare/")
    page = alice_client.get(f"/admin/transit/fare/{museum.pk}/change/")

    assert listing.status_code == page.status_code == 200
    assert "CITY" in listing.content.decode()
    html = page.content.decode()
    assert "R5" in html
    assert "museum" in html
    assert alice_client.get("/admin/transit/fare/add/").status_code == 403
    assert alice_client.get("/admin/transit/stop/").status_code == 200
