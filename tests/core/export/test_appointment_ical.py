"""One appointment as an iCalendar invitation, read back with the icalendar library: at its instant, in the
start's zone with a VTIMEZONE that gives the right offsets, and cancelled under the same UID."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event, Timezone

from tripwise.core.export.ical import APPOINTMENT_PRODID, appointment_to_ical

ALMATY = ZoneInfo("Asia/Almaty")
HELSINKI = ZoneInfo("Europe/Helsinki")
START = datetime(2026, 12, 1, 10, 0, tzinfo=ALMATY)


def appointment(**overrides: Any) -> bytes:
    arguments: dict[str, Any] = {
        "uid": "booking-BK-42",
        "title": "Horse ride in the steppe",
        "start": START,
        "end": START + timedelta(hours=2, minutes=30),
        "location": "Asia Park, gate 2",
        "lat": 51.1283,
        "lon": 71.4305,
        "description": "Booking BK-42 for 2. Manage it: https://trips.example/bookings/BK-42/",
        "url": "https://trips.example/bookings/BK-42/",
    }
    return appointment_to_ical(**{**arguments, **overrides})


def parsed(data: bytes) -> tuple[Calendar, Event]:
    calendar = Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def vtimezone(data: bytes, zone: str) -> Timezone:
    (found,) = [tz for tz in Calendar.from_ical(data).walk("VTIMEZONE") if str(tz["TZID"]) == zone]
    return found


def test_a_booking_is_an_rfc_5545_request_at_its_time_in_its_zone() -> None:
    data = appointment()
    calendar, event = parsed(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == APPOINTMENT_PRODID
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == "booking-BK-42@tripwise"
    assert int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Horse ride in the steppe"
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTEND") == START + timedelta(hours=2, minutes=30)
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=5)
    assert str(event["DTSTART"].params["TZID"]) == "Asia/Almaty"
    assert str(event["DTEND"].params["TZID"]) == "Asia/Almaty"
    assert b"DTSTART;TZID=Asia/Almaty:20261201T100000\r\n" in data
    assert b"DTEND;TZID=Asia/Almaty:20261201T123000\r\n" in data
    assert str(event["LOCATION"]) == "Asia Park, gate 2"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (51.1283, 71.4305)
    assert str(event["DESCRIPTION"]).startswith("Booking BK-42 for 2.")
    assert str(event["URL"]) == "https://trips.example/bookings/BK-42/"
    stamp = event.decoded("DTSTAMP")
    assert stamp.utcoffset() == timedelta(0)
    assert abs(stamp - datetime.now(UTC)) < timedelta(minutes=1)


def test_the_vtimezone_carries_kazakhstans_2024_change() -> None:
    zone = vtimezone(appointment(), "Asia/Almaty").to_tz()
    assert zone.utcoffset(datetime(2026, 12, 1, 10, 0)) == timedelta(hours=5)
    assert zone.utcoffset(datetime(2023, 12, 1, 10, 0)) == timedelta(hours=6)


def test_lines_are_crlf_terminated_and_folded_at_75_octets() -> None:
    data = appointment(description="A long description that goes on. " * 10)
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    _, event = parsed(data)
    assert str(event["DESCRIPTION"]) == "A long description that goes on. " * 10


def test_a_cancellation_has_the_same_uid_a_higher_sequence_and_removes_the_event() -> None:
    _, booked = parsed(appointment())
    calendar, cancelled = parsed(appointment(sequence=1, cancelled=True))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == str(booked["UID"])
    assert int(cancelled["SEQUENCE"]) == 1 > int(booked["SEQUENCE"])
    assert cancelled.decoded("DTSTART") == booked.decoded("DTSTART")


def test_across_the_helsinki_dst_change_the_end_is_written_in_the_starts_zone() -> None:
    start = datetime(2022, 3, 27, 1, 30, tzinfo=HELSINKI)  # EET, +2: DST begins at 03:00 that night
    end = datetime(2022, 3, 27, 2, 0, tzinfo=UTC)  # 05:00 EEST, +3
    data = appointment(start=start, end=end)
    _, event = parsed(data)
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == end
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=2)
    assert event.decoded("DTEND").utcoffset() == timedelta(hours=3)
    assert b"DTSTART;TZID=Europe/Helsinki:20220327T013000\r\n" in data
    assert b"DTEND;TZID=Europe/Helsinki:20220327T050000\r\n" in data
    zone = vtimezone(data, "Europe/Helsinki").to_tz()
    assert zone.utcoffset(datetime(2022, 3, 27, 2, 59)) == timedelta(hours=2)
    assert zone.utcoffset(datetime(2022, 3, 27, 4, 0)) == timedelta(hours=3)


def test_a_start_in_utc_is_written_in_utc() -> None:
    start = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
    data = appointment(start=start, end=start + timedelta(hours=1))
    calendar, event = parsed(data)
    assert b"DTSTART:20261201T050000Z\r\n" in data
    assert event.decoded("DTSTART") == start
    assert calendar.walk("VTIMEZONE") == []


def test_what_is_not_known_is_left_out() -> None:
    _, event = parsed(appointment(lat=None, location="", description="", url=""))
    for name in ("GEO", "LOCATION", "DESCRIPTION", "URL"):
        assert name not in event
    _, event = parsed(appointment(lon=None))
    assert "GEO" not in event
    _, event = parsed(appointment(lat=0.0, lon=0.0))  # the Gulf of Guinea is a place too
    assert (event["GEO"].latitude, event["GEO"].longitude) == (0.0, 0.0)


def test_a_uid_with_its_own_domain_is_kept() -> None:
    _, event = parsed(appointment(uid="bk-42@bookings.trips.example"))
    assert str(event["UID"]) == "bk-42@bookings.trips.example"


def test_times_without_a_zone_or_in_the_wrong_order_are_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        appointment(start=datetime(2026, 12, 1, 10, 0), end=datetime(2026, 12, 1, 11, 0))
    with pytest.raises(ValueError, match="no time zone"):
        appointment(end=datetime(2026, 12, 1, 11, 0))
    fixed = datetime(2026, 12, 1, 10, 0, tzinfo=timezone(timedelta(hours=5)))
    with pytest.raises(ValueError, match="IANA zone"):
        appointment(start=fixed, end=fixed + timedelta(hours=1))
    with pytest.raises(ValueError, match="before it starts"):
        appointment(end=START)


def test_the_provider_organises_and_the_traveller_attends() -> None:
    """Mail clients show an invitation card (and apply a cancellation) only with ORGANIZER and ATTENDEE."""

    start = datetime(2026, 12, 2, 11, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    written = appointment_to_ical(
        uid="booking-TW-ABC234",
        title="ALZHIR guided tour in English",
        start=start,
        end=start + timedelta(minutes=90),
        location="Museum entrance",
        lat=None,
        lon=None,
        description="",
        url="",
        organizer=("ALZHIR Museum", "tours@alzhir-museum.example"),
        attendee=("Ann Traveller", "ann@example.org"),
    )
    event = next(iter(Calendar.from_ical(written).walk("VEVENT")))
    assert str(event["ORGANIZER"]) == "mailto:tours@alzhir-museum.example"
    assert event["ORGANIZER"].params["CN"] == "ALZHIR Museum"
    assert str(event["ATTENDEE"]) == "mailto:ann@example.org"
    assert event["ATTENDEE"].params["CN"] == "Ann Traveller"
