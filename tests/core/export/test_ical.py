"""The iCalendar export, read back with the icalendar library: every event at the plan's instant, in the
destination's zone, with a VTIMEZONE that itself gives the right offsets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar, Event, Timezone

from tests.core.export.documents import astana, helsinki_across_dst
from tripwise.core.export import plan_to_ical

STAMP = datetime(2026, 11, 28, 8, 30, tzinfo=UTC)
URL = "https://trips.example/plans/astana-plan-1/?share=tok"


def export(document: dict[str, Any], zone: str, revision: int = 4) -> bytes:
    return plan_to_ical(document, name="A trip", url=URL, timezone=zone, revision=revision, stamp=STAMP)


def events(data: bytes) -> dict[str, Event]:
    calendar = Calendar.from_ical(data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def vtimezone(data: bytes, zone: str) -> Timezone:
    (found,) = [tz for tz in Calendar.from_ical(data).walk("VTIMEZONE") if str(tz["TZID"]) == zone]
    return found


def visits(document: dict[str, Any]) -> list[tuple[str, int, dict[str, Any]]]:
    return [
        (day["date"], index, item)
        for day in document["days"]
        for index, item in enumerate(day["items"])
        if item["type"] == "visit"
    ]


def test_the_calendar_is_rfc_5545_with_product_version_and_the_plan_name() -> None:
    calendar = Calendar.from_ical(export(astana(), "Asia/Almaty"))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//Tripwise//")
    assert str(calendar["X-WR-CALNAME"]) == "A trip"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Almaty"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)


def test_lines_are_crlf_terminated_and_folded_at_75_octets() -> None:
    data = export(astana(), "Asia/Almaty")
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75


def test_each_visit_is_an_event_at_its_time_in_astana_at_utc_plus_5() -> None:
    document = astana()
    found = events(export(document, "Asia/Almaty"))
    for date, index, visit in visits(document):
        event = found[f"astana-plan-1-{date}-{index}@tripwise"]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start == datetime.fromisoformat(visit["start"])
        assert end == datetime.fromisoformat(visit["end"])
        # Kazakhstan moved to UTC+5 on 1 March 2024: a calendar on older rules would show these an hour late.
        assert start.utcoffset() == end.utcoffset() == timedelta(hours=5)
        assert str(event["DTSTART"].params["TZID"]) == "Asia/Almaty"
        assert str(event["SUMMARY"]) == visit["name"]
        assert str(event["LOCATION"]) == visit["name"]
        assert (event["GEO"].latitude, event["GEO"].longitude) == (visit["lat"], visit["lon"])
        assert str(event["URL"]) == f"https://trips.example{visit['url']}"
    alzhir = found["astana-plan-1-2026-12-01-1@tripwise"]
    description = str(alzhir["DESCRIPTION"])
    assert "Must-see" in description
    assert "Cost: 1440 KZT (≈ 2.76 EUR)" in description
    assert "Closed on Mondays: planned for Tuesday." in description
    assert b"DTSTART;TZID=Asia/Almaty:20261201T100000\r\n" in export(document, "Asia/Almaty")


def test_the_vtimezone_itself_says_plus_5_for_astana_in_2026() -> None:
    # Outlook and some phones read the VTIMEZONE, not their own tz database: it must carry the 2024 change.
    zone = vtimezone(export(astana(), "Asia/Almaty"), "Asia/Almaty").to_tz()
    assert zone.utcoffset(datetime(2026, 12, 1, 10, 0)) == timedelta(hours=5)
    assert zone.utcoffset(datetime(2023, 12, 1, 10, 0)) == timedelta(hours=6)


def test_a_transit_journey_is_an_event_with_route_trip_and_stops() -> None:
    event = events(export(astana(), "Asia/Almaty"))["astana-plan-1-2026-12-01-0@tripwise"]
    assert str(event["SUMMARY"]) == "Bus 300 Asia Park → Akmol, ALZHIR Museum"
    assert event.decoded("DTSTART") == datetime.fromisoformat("2026-12-01T08:41:00+05:00")
    assert event.decoded("DTEND") == datetime.fromisoformat("2026-12-01T09:48:00+05:00")
    assert str(event["LOCATION"]) == "Asia Park"
    description = str(event["DESCRIPTION"])
    ride = "Bus 300 (trip 300-out-0900, towards Akmol (ALZHIR)): Asia Park [asia-park] 09:00 → Akmol, ALZHIR Museum [akmol-alzhir] 09:45"
    assert ride in description
    assert "Walk from Base to Asia Park, 08:41–08:56" in description
    assert "Fare: 500.00 KZT" in description


def test_walks_are_folded_into_the_visits_not_events_of_their_own() -> None:
    found = events(export(astana(), "Asia/Almaty"))
    assert len(found) == 3  # the bus journey and two visits; the two walks of day 2 are in Bayterek's text
    bayterek = str(found["astana-plan-1-2026-12-02-1@tripwise"]["DESCRIPTION"])
    assert "Getting there: Walk 20 min from Base to Bayterek Tower, 09:40–10:00 (1.5 km)" in bayterek
    assert "Afterwards: Walk 20 min from Bayterek Tower to Base, 11:00–11:20 (1.5 km)" in bayterek


def test_uids_stay_and_sequence_follows_the_revision_so_subscriptions_update_in_place() -> None:
    first, second = events(export(astana(), "Asia/Almaty", 1)), events(export(astana(), "Asia/Almaty", 2))
    assert first.keys() == second.keys()
    assert {int(e["SEQUENCE"]) for e in first.values()} == {1}
    assert {int(e["SEQUENCE"]) for e in second.values()} == {2}
    assert {e.decoded("DTSTAMP") for e in first.values()} == {STAMP}
    # Same inputs, same bytes: a calendar app polling an unchanged plan sees no change at all.
    assert export(astana(), "Asia/Almaty") == export(astana(), "Asia/Almaty")


def test_across_the_helsinki_dst_change_each_day_keeps_its_wall_clock_and_offset() -> None:
    document = helsinki_across_dst()
    data = export(document, "Europe/Helsinki")
    found = events(data)
    saturday = found["helsinki-dst-2022-03-26-0@tripwise"]
    sunday = found["helsinki-dst-2022-03-27-1@tripwise"]
    for event, visit in ((saturday, visits(document)[0][2]), (sunday, visits(document)[1][2])):
        assert event.decoded("DTSTART") == datetime.fromisoformat(visit["start"])
        assert event.decoded("DTEND") == datetime.fromisoformat(visit["end"])
        assert str(event["DTSTART"].params["TZID"]) == "Europe/Helsinki"
    assert saturday.decoded("DTSTART").utcoffset() == timedelta(hours=2)
    assert sunday.decoded("DTSTART").utcoffset() == timedelta(hours=3)
    # 10:00 both days, an hour apart in UTC.
    assert saturday.decoded("DTSTART").astimezone(UTC).hour == 8
    assert sunday.decoded("DTSTART").astimezone(UTC).hour == 7
    assert b"DTSTART;TZID=Europe/Helsinki:20220326T100000" in data
    assert b"DTSTART;TZID=Europe/Helsinki:20220327T100000" in data
    zone = vtimezone(data, "Europe/Helsinki").to_tz()
    assert zone.utcoffset(datetime(2022, 3, 27, 2, 59)) == timedelta(hours=2)
    assert zone.utcoffset(datetime(2022, 3, 27, 4, 0)) == timedelta(hours=3)
    ferry = found["helsinki-dst-2022-03-27-0@tripwise"]
    assert str(ferry["SUMMARY"]) == "Ferry 19 Kauppatori → Suomenlinna"
    assert "[1030701] 09:40" in str(ferry["DESCRIPTION"])


def test_times_written_in_another_offset_are_shown_in_the_destinations_zone() -> None:
    document = astana()
    visit = document["days"][1]["items"][1]
    visit["start"], visit["end"] = "2026-12-02T05:00:00+00:00", "2026-12-02T06:00:00Z"
    event = events(export(document, "Asia/Almaty"))["astana-plan-1-2026-12-02-1@tripwise"]
    assert event.decoded("DTSTART").strftime("%H:%M %z") == "10:00 +0500"


def test_items_without_times_or_coordinates_are_skipped_not_fatal() -> None:
    document = astana()
    document["days"][0]["items"][1].pop("start")
    document["days"][1]["items"][1].pop("lat")
    found = events(export(document, "Asia/Almaty"))
    assert "astana-plan-1-2026-12-01-1@tripwise" not in found
    assert "GEO" not in found["astana-plan-1-2026-12-02-1@tripwise"]


def test_an_unknown_zone_is_refused_with_what_to_give() -> None:
    with pytest.raises(ValueError, match="IANA"):
        export(astana(), "Mars/Olympus")
