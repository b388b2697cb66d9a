import csv
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tripwise.core.hours import (
    DaySchedule,
    OpeningHoursError,
    OpenState,
    closed_weekdays,
    describe_closed_days,
    open_intervals,
    state_at,
    validate_opening_hours,
    weekly_schedule,
)

ASTANA = ZoneInfo("Asia/Almaty")  # UTC+5 all year since March 2024
HELSINKI = ZoneInfo("Europe/Helsinki")
MONDAY = date(2025, 1, 6)
TUESDAY = date(2025, 1, 7)
HELSINKI_SPRING_CHANGE = date(2025, 3, 30)  # clocks jump 03:00 -> 04:00
REAL_WORLD = Path("/work/shared/data/opening-hours/osm_real_world_opening_hours.csv")
MUSEUM = "Tu-Su 10:00-18:00"


def test_museum_is_closed_on_monday_noon() -> None:
    state = state_at(MUSEUM, datetime(2025, 1, 6, 12, tzinfo=ASTANA))
    assert not state.is_open
    assert not state.unknown
    assert state.next_change == datetime(2025, 1, 7, 10, tzinfo=ASTANA)


def test_museum_is_open_on_tuesday_noon_until_six() -> None:
    state = state_at(MUSEUM, datetime(2025, 1, 7, 12, tzinfo=ASTANA))
    assert state == OpenState(
        is_open=True, unknown=False, next_change=datetime(2025, 1, 7, 18, tzinfo=ASTANA), comment=None
    )
    assert state.next_change is not None
    assert state.next_change.utcoffset() == timedelta(hours=5)


def test_utc_instant_is_judged_on_the_local_day() -> None:
    # Monday 23:30 UTC is Tuesday 04:30 in Astana: open under "Tu-Su 04:00-18:00", closed if read as Monday.
    instant = datetime(2025, 1, 6, 23, 30, tzinfo=UTC)
    assert state_at("Tu-Su 04:00-18:00", instant, tz=ASTANA).is_open
    assert state_at("Tu-Su 04:00-18:00", instant.astimezone(ASTANA)).is_open
    assert not state_at("Tu-Su 04:00-18:00", instant).is_open  # read in UTC, as the caller asked


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        state_at(MUSEUM, datetime(2025, 1, 6, 12))


def test_always_open() -> None:
    state = state_at("24/7", datetime(2025, 1, 6, 3, tzinfo=ASTANA))
    assert state.is_open
    assert state.next_change is None
    assert open_intervals("24/7", MONDAY, ASTANA) == [
        (datetime(2025, 1, 6, tzinfo=ASTANA), datetime(2025, 1, 8, tzinfo=ASTANA))
    ]
    assert describe_closed_days("24/7", ASTANA, MONDAY) is None


def test_public_holidays_without_a_country_do_not_crash() -> None:
    # No country is handed to the library, so "PH" never matches: New Year's Day reads as a plain Wednesday.
    validate_opening_hours("Mo-Fr 09:00-17:00; PH off")
    assert state_at("Mo-Fr 09:00-17:00; PH off", datetime(2025, 1, 1, 12, tzinfo=HELSINKI)).is_open


def test_unknown_state_and_comment() -> None:
    state = state_at('Mo-Fr 10:00-12:00 unknown "call ahead"', datetime(2025, 1, 6, 11, tzinfo=ASTANA))
    assert state == OpenState(
        is_open=False, unknown=True, next_change=datetime(2025, 1, 6, 12, tzinfo=ASTANA), comment="call ahead"
    )


def test_open_intervals_on_the_night_of_the_spring_change() -> None:
    intervals = open_intervals("Mo-Su 01:00-05:00", HELSINKI_SPRING_CHANGE, HELSINKI)
    [(start, end)] = intervals
    assert start.utcoffset() == timedelta(hours=2)
    assert end.utcoffset() == timedelta(hours=3)
    # Subtract in UTC: Python subtracts two datetimes sharing a ZoneInfo by their wall clocks (4 hours).
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=3)


def test_opening_inside_the_dst_gap_moves_to_the_real_instant() -> None:
    [(start, _end)] = open_intervals("Su 03:30-10:00", HELSINKI_SPRING_CHANGE, HELSINKI)
    assert (start.hour, start.minute, start.utcoffset()) == (4, 30, timedelta(hours=3))


def test_interval_past_midnight_belongs_to_the_day_it_starts() -> None:
    bar = "Fr 20:00-03:00"
    friday, saturday = date(2025, 1, 10), date(2025, 1, 11)
    assert open_intervals(bar, friday, ASTANA) == [
        (datetime(2025, 1, 10, 20, tzinfo=ASTANA), datetime(2025, 1, 11, 3, tzinfo=ASTANA))
    ]
    assert open_intervals(bar, saturday, ASTANA) == []


def test_weekly_schedule_for_a_facts_panel() -> None:
    schedule = weekly_schedule("Tu-Sa 10:00-18:00; Su 10:00-14:00, 15:00-24:00", ASTANA, date(2025, 1, 9))
    assert [day.day_name for day in schedule][:2] == ["Monday", "Tuesday"]
    assert schedule[0] == DaySchedule(weekday=0, day_name="Monday", intervals=())
    assert schedule[1].intervals == ((time(10), time(18)),)
    assert schedule[6].intervals == ((time(10), time(14)), (time(15), time(0)))


def test_closed_weekdays() -> None:
    assert closed_weekdays(MUSEUM, ASTANA, MONDAY) == [0]
    assert closed_weekdays("Mo-Fr 09:00-17:00", ASTANA, MONDAY) == [5, 6]
    assert closed_weekdays("Mo unknown; Tu-Su 10:00-18:00", ASTANA, MONDAY) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (MUSEUM, "Closed on Mondays"),
        ("We-Su 10:00-18:00", "Closed on Mondays and Tuesdays"),
        ("Tu-Fr 10:00-18:00", "Closed on Saturdays, Sundays and Mondays"),
        ("Tu-Th,Sa 10:00-18:00", "Closed on Fridays, Sundays and Mondays"),
        ("Mo-Su 10:00-18:00", None),
        ("off", "Closed all week"),
    ],
)
def test_describe_closed_days(value: str, expected: str | None) -> None:
    assert describe_closed_days(value, ASTANA, MONDAY) == expected


@pytest.mark.parametrize("value", ["Mo-Fr 25:00-18:00", "Montags 10-18", "Mo-Fr 09:00-17:00;", "", "   "])
def test_bad_values_are_refused_with_the_value_in_the_message(value: str) -> None:
    with pytest.raises(OpeningHoursError) as caught:
        validate_opening_hours(value)
    assert repr(value) in str(caught.value)
    assert "Tu-Su 10:00-18:00" in str(caught.value)  # says what to write instead
    with pytest.raises(OpeningHoursError):
        state_at(value, datetime(2025, 1, 6, 12, tzinfo=ASTANA))


def test_every_real_world_value_validates_or_is_refused_cleanly() -> None:
    if not REAL_WORLD.exists():
        pytest.skip(f"{REAL_WORLD} is absent: the shared OSM opening_hours sample is not mounted")
    with REAL_WORLD.open(newline="", encoding="utf-8") as handle:
        values = sorted({row["value"] for row in csv.DictReader(handle)})
    assert values
    at = datetime(2025, 1, 6, 12, tzinfo=HELSINKI)
    valid = 0
    for value in values:
        try:
            validate_opening_hours(value)
        except OpeningHoursError:
            continue
        valid += 1
        assert isinstance(state_at(value, at), OpenState), value
    assert valid > len(values) // 2
