import csv
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.paths import SHARED_DATA
from tripwise.core import hours
from tripwise.core.hours import (
    DayHours,
    DaySchedule,
    OpeningHoursError,
    OpenState,
    closed_weekdays,
    country_of_zone,
    describe_closed_days,
    hours_on,
    is_public_holiday,
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
REAL_WORLD = SHARED_DATA / "opening-hours" / "osm_real_world_opening_hours.csv"
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


def test_public_holidays_follow_the_country_of_the_zone() -> None:
    # Europe/Helsinki is Finland's zone, so New Year's Day (a Wednesday) is a public holiday there.
    validate_opening_hours("Mo-Fr 09:00-17:00; PH off")
    assert not state_at("Mo-Fr 09:00-17:00; PH off", datetime(2025, 1, 1, 12, tzinfo=HELSINKI)).is_open
    assert state_at("Mo-Fr 09:00-17:00; PH off", datetime(2025, 1, 2, 12, tzinfo=HELSINKI)).is_open
    # A zone with no country (UTC) has no holidays: the day reads as a plain Wednesday.
    assert state_at("Mo-Fr 09:00-17:00; PH off", datetime(2025, 1, 1, 12, tzinfo=ZoneInfo("UTC"))).is_open
    assert (country_of_zone(HELSINKI), country_of_zone(ASTANA), country_of_zone(ZoneInfo("UTC"))) == (
        "FI",
        "KZ",
        None,
    )


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


# ------------------------------------------------------------------------------------------- hours_on


def _times(day_hours: DayHours) -> list[tuple[str, str]]:
    return [(start.strftime("%a %H:%M"), end.strftime("%a %H:%M")) for start, end in day_hours.intervals]


FRIDAY = date(2026, 6, 5)
SATURDAY = date(2026, 6, 6)


def test_hours_on_a_plain_day() -> None:
    day = hours_on(MUSEUM, date(2026, 6, 2), HELSINKI)
    assert day == DayHours(
        intervals=((datetime(2026, 6, 2, 10, tzinfo=HELSINKI), datetime(2026, 6, 2, 18, tzinfo=HELSINKI)),),
        unknown=False,
        warning=None,
        comment=None,
    )
    assert hours_on(MUSEUM, date(2026, 6, 1), HELSINKI) == DayHours(
        (), unknown=False, warning=None, comment=None
    )


@pytest.mark.parametrize("value", [None, "", "   "])
def test_hours_on_nothing_said_is_unknown_without_a_warning(value: str | None) -> None:
    assert hours_on(value, FRIDAY, HELSINKI) == DayHours((), unknown=True, warning=None, comment=None)


def test_hours_on_unparseable_value_warns_with_the_value_and_the_reason() -> None:
    day = hours_on("Mo-Fr 08:00", FRIDAY, HELSINKI)
    assert day.unknown
    assert day.intervals == ()
    assert day.warning == (
        "Opening hours 'Mo-Fr 08:00' could not be read (at character 12: expected timespan_plus): assumed unknown"
    )


class _Panic(BaseException):
    """Stands in for pyo3's PanicException, which is a BaseException, not an Exception."""


def test_hours_on_survives_any_failure_inside_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise _Panic("called `Option::unwrap()` on a `None` value")

    monkeypatch.setattr(hours, "_three_days", explode)
    day = hours_on("Mo-Fr 10:00-11:00", FRIDAY, HELSINKI)
    assert day.unknown
    assert day.intervals == ()
    assert day.warning is not None
    assert "'Mo-Fr 10:00-11:00' could not be evaluated for 2026-06-05" in day.warning
    assert "_Panic: called `Option::unwrap()`" in day.warning


def test_a_value_the_library_fails_on_is_refused_when_saved(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise _Panic("index out of bounds")

    monkeypatch.setattr(hours, "_spans", explode)
    with pytest.raises(OpeningHoursError, match="could not be evaluated"):
        validate_opening_hours("Mo-Fr 10:00-11:00")


def test_hours_on_a_value_that_changes_too_often_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hours, "_MAX_SPANS", 3)
    day = hours_on("Mo-Su 10:00-11:00,12:00-13:00,14:00-15:00", FRIDAY, HELSINKI)
    assert day.unknown
    assert day.warning is not None
    assert "changes state more than 3 times" in day.warning


@pytest.mark.parametrize(
    "value", ["sunrise-sunset", "Mo-Fr 10:00-sunset", "Sa (sunrise+01:00)-12:00; Mo 10:00-12:00"]
)
def test_hours_on_sun_times_are_unknown(value: str) -> None:
    # Without coordinates the library silently uses 07:00 and 19:00; in Helsinki the sun sets at 15:15 in
    # December, so those hours would send a traveller to a closed park.
    day = hours_on(value, date(2026, 12, 1), HELSINKI)
    assert day.unknown
    assert day.intervals == ()
    assert day.warning is not None
    assert "sunrise, sunset" in day.warning
    assert repr(value) in day.warning


def test_hours_on_public_holidays_of_the_zone_country() -> None:
    value = "Mo-Fr 09:00-17:00; PH off"
    new_year = hours_on(value, date(2026, 1, 1), HELSINKI)  # Thursday, a holiday in Finland
    assert new_year == DayHours((), unknown=False, warning=None, comment=None)
    assert _times(hours_on(value, date(2026, 1, 2), HELSINKI)) == [("Fri 09:00", "Fri 17:00")]
    assert _times(hours_on("PH 10:00-12:00", date(2026, 12, 25), HELSINKI)) == [("Fri 10:00", "Fri 12:00")]
    # The caller may name the country, e.g. for a place in a zone shared by several.
    assert _times(hours_on(value, date(2026, 1, 1), HELSINKI, country="KZ")) == []


def test_a_holiday_is_not_a_closed_weekday() -> None:
    # The week of New Year 2026: Thursday is a holiday, but the regular week is closed on weekends only.
    value = "Mo-Fr 09:00-17:00; PH off"
    assert describe_closed_days(value, HELSINKI, date(2026, 1, 1)) == "Closed on Saturdays and Sundays"
    assert weekly_schedule(value, HELSINKI, date(2026, 1, 1))[3].intervals == ()  # this week's real table
    assert is_public_holiday(date(2026, 1, 1), HELSINKI) is True
    assert is_public_holiday(date(2026, 1, 2), HELSINKI) is False
    assert is_public_holiday(date(2026, 1, 1), ZoneInfo("UTC")) is None  # no country, no calendar


def test_hours_on_public_holidays_in_a_zone_without_a_country_are_unknown() -> None:
    day = hours_on("Mo-Fr 09:00-17:00; PH off", date(2026, 1, 2), ZoneInfo("UTC"))
    assert day.unknown
    assert day.warning is not None
    assert "public holidays (PH)" in day.warning
    assert "UTC" in day.warning
    # Without PH in the value, a zone without a country is no problem.
    assert _times(hours_on("Mo-Fr 09:00-17:00", date(2026, 1, 2), ZoneInfo("UTC"))) == [
        ("Fri 09:00", "Fri 17:00")
    ]


def test_hours_on_school_holidays_are_unknown() -> None:
    day = hours_on("Mo-Fr 09:00-17:00; SH off", FRIDAY, HELSINKI)
    assert day.unknown
    assert day.warning is not None
    assert "school holidays" in day.warning


def test_hours_on_week_numbers_and_easter() -> None:
    # 2026 has 53 ISO weeks; odd weeks only: week 1 (Mo 29 Dec 2025) and 3 (12 Jan), not week 2 (5 Jan).
    assert _times(hours_on("week 53 Mo-Su 10:00-12:00", date(2026, 12, 28), HELSINKI)) == [
        ("Mon 10:00", "Mon 12:00")
    ]
    assert hours_on("week 01-53/2 Mo 10:00-12:00", date(2026, 1, 5), HELSINKI).intervals == ()
    assert _times(hours_on("week 01-53/2 Mo 10:00-12:00", date(2026, 1, 12), HELSINKI)) == [
        ("Mon 10:00", "Mon 12:00")
    ]
    # Easter Sunday 2026 is 5 April.
    assert _times(hours_on("easter 10:00-12:00", date(2026, 4, 5), HELSINKI)) == [("Sun 10:00", "Sun 12:00")]
    assert hours_on("easter 10:00-12:00", date(2026, 4, 12), HELSINKI).intervals == ()
    assert hours_on("Mo-Su 10:00-18:00; easter off", date(2026, 4, 5), HELSINKI).intervals == ()


@pytest.mark.parametrize(
    ("value", "day", "comment"),
    [
        ('"by appointment"', FRIDAY, "by appointment"),
        ('08:00-18:00; Sa,Su "On request"', SATURDAY, "On request"),
        ('Mo-Fr 08:00-16:00 || "on appointment"', SATURDAY, "on appointment"),
        ('Mo-Fr 10:00-12:00 unknown "call ahead"', FRIDAY, "call ahead"),
    ],
)
def test_hours_on_a_comment_alone_is_unknown_not_open(value: str, day: date, comment: str) -> None:
    # The library calls a comment-only rule open all day; a planner must not send anyone at 03:00.
    result = hours_on(value, day, HELSINKI)
    assert result.intervals == ()
    assert result.unknown
    assert result.comment == comment
    assert result.warning is not None
    assert f"({comment})" in result.warning


def test_hours_on_comments_with_times_or_states_are_kept() -> None:
    lunch = hours_on('Mo-Fr 11:00-15:00 open "Lunch"', FRIDAY, HELSINKI)
    assert (_times(lunch), lunch.unknown, lunch.comment) == ([("Fri 11:00", "Fri 15:00")], False, "Lunch")
    closed = hours_on('off "closed for renovation"', FRIDAY, HELSINKI)
    assert closed == DayHours((), unknown=False, warning=None, comment="closed for renovation")
    weekdays = hours_on('08:00-18:00; Sa,Su "On request"', FRIDAY, HELSINKI)
    assert (_times(weekdays), weekdays.unknown) == ([("Fri 08:00", "Fri 18:00")], False)


def test_hours_on_an_open_end_gives_no_invented_closing_time() -> None:
    value = 'We 11:00-18:00; Fr-Sa 11:00+ "Closes after evening service"'
    wednesday = hours_on(value, date(2026, 6, 3), HELSINKI)
    assert (_times(wednesday), wednesday.unknown) == ([("Wed 11:00", "Wed 18:00")], False)
    friday = hours_on(value, FRIDAY, HELSINKI)
    assert friday.intervals == ()  # the library would say 11:00-24:00
    assert friday.unknown
    assert friday.comment == "Closes after evening service"
    assert friday.warning is not None
    assert "give no closing time on Friday 5 June 2026 (open from 11:00)" in friday.warning
    # The range before an open end is definite; so is the end of "12:00-16:00+" (open at least until then).
    split = hours_on("Mo-Fr 08:00-11:00, 13:00+", FRIDAY, HELSINKI)
    assert (_times(split), split.unknown) == ([("Fri 08:00", "Fri 11:00")], True)
    at_least = hours_on("Mo-Fr 12:00-16:00+", FRIDAY, HELSINKI)
    assert (_times(at_least), at_least.unknown) == ([("Fri 12:00", "Fri 16:00")], False)
    assert hours_on("Mo-Su 23:59+", FRIDAY, HELSINKI).intervals == ()


def test_hours_on_reports_the_early_hours_of_an_opening_begun_the_day_before() -> None:
    bar = "Fr 20:00-03:00"
    assert _times(hours_on(bar, FRIDAY, HELSINKI)) == [("Fri 20:00", "Sat 03:00")]
    assert _times(hours_on(bar, SATURDAY, HELSINKI)) == [("Sat 00:00", "Sat 03:00")]
    # Open since Monday 16:00 without a break: all of Tuesday is open (to the end of Wednesday, clipped).
    tuesday = hours_on("open; Mo 15:00-16:00 off", date(2026, 6, 2), HELSINKI)
    assert _times(tuesday) == [("Tue 00:00", "Thu 00:00")]


def test_hours_on_the_spring_change() -> None:
    # Helsinki skips 03:00-04:00 on 29 March 2026: that hour never opens, and the night shift is 3 hours long.
    assert hours_on("Su 03:00-04:00", date(2026, 3, 29), HELSINKI).intervals == ()
    [(start, end)] = hours_on("Su 01:00-05:00", date(2026, 3, 29), HELSINKI).intervals
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=3)
