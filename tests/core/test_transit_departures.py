from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tripwise.core.transit.calendar import (
    ServiceCalendar,
    format_gtfs_time,
    parse_gtfs_time,
    service_day_origin,
)
from tripwise.core.transit.departures import Departure, ScheduledDeparture, next_departures

ASTANA = ZoneInfo("Asia/Almaty")
HELSINKI = ZoneInfo("Europe/Helsinki")
MONDAY = date(2025, 1, 6)
EVERY_DAY = frozenset(range(7))
DAILY = ServiceCalendar("daily", EVERY_DAY, date(2025, 1, 1), date(2025, 12, 31), frozenset(), frozenset())
HOURLY_BUS = [
    ScheduledDeparture(f"bus-{hour}", "daily", hour * 3600, hour * 3600 + 1800, "ALZHIR")
    for hour in range(7, 21)
]


def at(day: date, hour: int, minute: int = 0, tz: ZoneInfo = ASTANA) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def departs(found: list[Departure]) -> list[datetime]:
    return [departure.departs for departure in found]


def test_early_morning_waits_for_the_first_bus() -> None:
    [first] = next_departures(HOURLY_BUS, {"daily": DAILY}, at(MONDAY, 6, 10), ASTANA, limit=1)
    assert first == Departure("bus-7", at(MONDAY, 7), at(MONDAY, 7, 30), "ALZHIR")


def test_evening_runs_over_into_tomorrow() -> None:
    tuesday = MONDAY + timedelta(days=1)
    found = next_departures(HOURLY_BUS, {"daily": DAILY}, at(MONDAY, 19, 30), ASTANA)
    assert departs(found) == [at(MONDAY, 20), at(tuesday, 7), at(tuesday, 8)]


def test_after_the_last_bus_comes_tomorrows_first() -> None:
    found = next_departures(HOURLY_BUS, {"daily": DAILY}, at(MONDAY, 20, 1), ASTANA, limit=1)
    assert departs(found) == [at(MONDAY + timedelta(days=1), 7)]


def test_departure_exactly_at_after_counts() -> None:
    found = next_departures(HOURLY_BUS, {"daily": DAILY}, at(MONDAY, 8), ASTANA, limit=1)
    assert departs(found) == [at(MONDAY, 8)]


def test_after_midnight_trip_belongs_to_the_previous_service_day() -> None:
    mondays = ServiceCalendar("mon", frozenset({0}), MONDAY, date(2025, 12, 31), frozenset(), frozenset())
    night = [ScheduledDeparture("owl", "mon", parse_gtfs_time("25:10:00"), None, "Depot")]
    tuesday = MONDAY + timedelta(days=1)
    found = next_departures(night, {"mon": mondays}, at(tuesday, 0, 30), ASTANA, limit=2)
    assert found == [
        Departure("owl", at(tuesday, 1, 10), None, "Depot"),
        Departure("owl", at(tuesday + timedelta(days=7), 1, 10), None, "Depot"),
    ]


def test_removed_date_is_skipped_and_added_date_runs() -> None:
    tuesday = MONDAY + timedelta(days=1)
    calendar = ServiceCalendar(
        "daily", EVERY_DAY, date(2025, 1, 1), date(2025, 12, 31), frozenset(), frozenset({tuesday})
    )
    found = next_departures(HOURLY_BUS, {"daily": calendar}, at(MONDAY, 20, 30), ASTANA, limit=1)
    assert departs(found) == [at(tuesday + timedelta(days=1), 7)]
    extra = ServiceCalendar("extra", frozenset(), None, None, frozenset({tuesday}), frozenset())
    assert extra.runs_on(tuesday)
    assert not extra.runs_on(MONDAY)


def test_calendar_range_and_weekdays() -> None:
    weekdays = ServiceCalendar("wk", frozenset(range(5)), MONDAY, date(2025, 1, 31), frozenset(), frozenset())
    assert weekdays.runs_on(MONDAY)
    assert not weekdays.runs_on(date(2025, 1, 11))  # Saturday
    assert not weekdays.runs_on(date(2025, 2, 3))  # past the end
    with pytest.raises(ValueError, match="start"):
        ServiceCalendar("x", EVERY_DAY, date(2025, 2, 1), date(2025, 1, 1), frozenset(), frozenset())


def test_gtfs_times() -> None:
    assert parse_gtfs_time("7:05:00") == 7 * 3600 + 5 * 60
    assert parse_gtfs_time("25:10:00") == 25 * 3600 + 10 * 60
    assert format_gtfs_time(parse_gtfs_time("25:10:00")) == "25:10:00"
    assert format_gtfs_time(25500) == "07:05:00"
    for bad in ["7:5:00", "07:60:00", "noon", "07:05", "-1:00:00"]:
        with pytest.raises(ValueError, match="GTFS time"):
            parse_gtfs_time(bad)


def test_service_day_origin_on_the_helsinki_spring_change() -> None:
    spring = date(2025, 3, 30)
    origin = service_day_origin(spring, HELSINKI)
    assert origin == datetime(2025, 3, 29, 23, tzinfo=HELSINKI)  # noon minus 12 h, not midnight
    assert service_day_origin(MONDAY, ASTANA) == at(MONDAY, 0)


def test_departures_on_the_helsinki_spring_change() -> None:
    spring = date(2025, 3, 30)
    calendar = ServiceCalendar("d", EVERY_DAY, date(2025, 1, 1), date(2025, 12, 31), frozenset(), frozenset())
    trips = [ScheduledDeparture("t8", "d", parse_gtfs_time("08:00:00"), None, "Centre")]
    [found] = next_departures(trips, {"d": calendar}, at(spring, 0, tz=HELSINKI), HELSINKI, limit=1)
    # GTFS counts from 23:00 the evening before, so "08:00:00" is 08:00 on the clocks after the jump.
    assert found.departs == datetime(2025, 3, 30, 8, tzinfo=HELSINKI)
    assert found.departs.utcoffset() == timedelta(hours=3)


def test_limit_and_horizon() -> None:
    saturdays = ServiceCalendar("sat", frozenset({5}), MONDAY, date(2025, 12, 31), frozenset(), frozenset())
    trips = [ScheduledDeparture("s", "sat", 9 * 3600, None, "Lake")]
    start = at(MONDAY, 12)
    assert next_departures(trips, {"sat": saturdays}, start, ASTANA, horizon_days=4) == []
    assert len(next_departures(trips, {"sat": saturdays}, start, ASTANA, horizon_days=5)) == 1
    assert len(next_departures(HOURLY_BUS, {"daily": DAILY}, start, ASTANA, limit=5)) == 5
    assert next_departures(HOURLY_BUS, {"daily": DAILY}, start, ASTANA, limit=0) == []
    assert next_departures(HOURLY_BUS, {}, start, ASTANA) == []  # no calendar: never runs
    with pytest.raises(ValueError, match="naive"):
        next_departures(HOURLY_BUS, {"daily": DAILY}, datetime(2025, 1, 6, 12), ASTANA)


Timetable = tuple[list[ScheduledDeparture], dict[str, ServiceCalendar]]
ZONES = st.sampled_from([ASTANA, HELSINKI, ZoneInfo("America/New_York")])


@st.composite
def timetables(draw: st.DrawFn) -> Timetable:
    calendars: dict[str, ServiceCalendar] = {}
    for index in range(draw(st.integers(1, 3))):
        start = draw(st.dates(date(2025, 1, 1), date(2025, 12, 1)))
        days = st.dates(date(2025, 1, 1), date(2025, 12, 31))
        calendars[f"s{index}"] = ServiceCalendar(
            f"s{index}",
            draw(st.frozensets(st.integers(0, 6))),
            start,
            start + timedelta(days=draw(st.integers(0, 60))),
            draw(st.frozensets(days, max_size=3)),
            draw(st.frozensets(days, max_size=3)),
        )
    scheduled = draw(
        st.lists(
            st.builds(
                ScheduledDeparture,
                trip_id=st.text("abc", min_size=1, max_size=3),
                service_id=st.sampled_from(sorted(calendars)),
                departure_seconds=st.integers(0, 30 * 3600),
                arrival_seconds_at_destination=st.none(),
                headsign=st.just("x"),
            ),
            max_size=12,
        )
    )
    return scheduled, calendars


@given(
    timetable=timetables(),
    after=st.datetimes(datetime(2025, 1, 1), datetime(2025, 12, 31), timezones=st.just(UTC)),
    tz=ZONES,
    limit=st.integers(0, 6),
)
def test_departures_are_sorted_later_and_on_running_service_days(
    timetable: Timetable, after: datetime, tz: ZoneInfo, limit: int
) -> None:
    scheduled, calendars = timetable
    found = next_departures(scheduled, calendars, after, tz, limit=limit)
    assert len(found) <= limit
    assert departs(found) == sorted(departs(found))
    for departure in found:
        assert departure.departs >= after
        assert departure.departs.tzinfo is tz
        local_day = departure.departs.astimezone(tz).date()
        assert any(
            calendars[s.service_id].runs_on(day)
            # Elapsed seconds, added in UTC: aware arithmetic in the zone would be wall-clock time, an hour
            # off across a DST change (a trip at 30:00:00 runs into the next day, where the change may be).
            and service_day_origin(day, tz).astimezone(UTC) + timedelta(seconds=seconds) == departure.departs
            for day in (local_day - timedelta(days=1), local_day)
            # Every scheduled row, not one per (trip, time): the same trip id may run under two services.
            for s in scheduled
            if s.trip_id == departure.trip_id
            for seconds in (s.departure_seconds,)
        )
