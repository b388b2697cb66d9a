"""Applications on workdays only, judged in the museum's zone (the ALZHIR guided tours)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tripwise.core.experiences import (
    ApplicationRules,
    accepts_at,
    earliest_visit,
    is_workday,
    next_submission,
    offered_dates,
    refusal_message,
    slot_starts,
)

ALMATY = ZoneInfo("Asia/Almaty")
BERLIN = ZoneInfo("Europe/Berlin")
HELSINKI = ZoneInfo("Europe/Helsinki")
RULES = ApplicationRules()


def test_rules_defaults() -> None:
    assert ApplicationRules(workdays_only=True, office_opens=time(9, 0), notice_hours=48) == RULES
    with pytest.raises(AttributeError):
        RULES.notice_hours = 1  # type: ignore[misc]


def test_saturday_application_waits_for_monday_morning() -> None:
    saturday = datetime(2026, 11, 28, 14, 0, tzinfo=ALMATY)
    assert not accepts_at(saturday, RULES, tz=ALMATY, country="KZ")
    sent = next_submission(saturday, RULES, tz=ALMATY, country="KZ")
    assert sent == datetime(2026, 11, 30, 9, 0, tzinfo=ALMATY)
    assert sent.isoformat() == "2026-11-30T09:00:00+05:00"
    message = refusal_message(saturday, RULES, tz=ALMATY, country="KZ")
    assert message is not None
    for words in ("workdays only", "Saturday 28 November", "Monday 30 November", "09:00", "Asia/Almaty"):
        assert words in message


def test_friday_evening_in_berlin_is_already_saturday_in_astana() -> None:
    friday_night = datetime(2026, 11, 27, 21, 0, tzinfo=BERLIN)  # 01:00 Saturday in Almaty
    assert not accepts_at(friday_night, RULES, tz=ALMATY, country="KZ")
    sent = next_submission(friday_night, RULES, tz=ALMATY, country="KZ")
    assert sent == datetime(2026, 11, 30, 9, 0, tzinfo=ALMATY)
    message = refusal_message(friday_night, RULES, tz=ALMATY, country="KZ")
    assert message is not None
    assert "Saturday 28 November" in message


def test_workday_application_is_taken_as_it_is() -> None:
    tuesday = datetime(2026, 12, 1, 7, 30, tzinfo=ALMATY)
    assert accepts_at(tuesday, RULES, tz=ALMATY, country="KZ")
    assert next_submission(tuesday, RULES, tz=ALMATY, country="KZ") is tuesday
    assert refusal_message(tuesday, RULES, tz=ALMATY, country="KZ") is None


def test_independence_day_is_refused_and_the_next_day_offered() -> None:
    holiday = datetime(2026, 12, 16, 10, 0, tzinfo=ALMATY)  # a Wednesday
    assert not is_workday(date(2026, 12, 16), tz=ALMATY, country="KZ")
    assert not accepts_at(holiday, RULES, tz=ALMATY, country="KZ")
    assert next_submission(holiday, RULES, tz=ALMATY, country="KZ") == datetime(
        2026, 12, 17, 9, 0, tzinfo=ALMATY
    )
    message = refusal_message(holiday, RULES, tz=ALMATY, country="KZ")
    assert message is not None
    assert "Wednesday 16 December is a public holiday" in message
    assert "Thursday 17 December at 09:00" in message


def test_new_year_holidays_run_into_the_weekend() -> None:
    new_year = datetime(2027, 1, 1, 12, 0, tzinfo=ALMATY)  # Friday 1 and Saturday 2 January are holidays
    assert next_submission(new_year, RULES, tz=ALMATY, country="KZ") == datetime(
        2027, 1, 4, 9, 0, tzinfo=ALMATY
    )


def test_new_year_eve_message_names_the_year_of_the_next_submission() -> None:
    saturday = datetime(2022, 12, 31, 12, 0, tzinfo=ALMATY)
    message = refusal_message(saturday, RULES, tz=ALMATY, country="KZ")
    assert message is not None
    assert "January 2023" in message


def test_zone_country_is_used_when_none_given() -> None:
    assert not is_workday(date(2026, 12, 16), tz=ALMATY, country=None)


def test_unknown_holiday_data_is_not_a_holiday() -> None:
    utc = ZoneInfo("UTC")
    assert is_workday(date(2026, 12, 16), tz=utc, country=None)
    assert not is_workday(date(2026, 12, 19), tz=utc, country=None)  # a Saturday is still a weekend


def test_rules_without_workday_limit_always_accept() -> None:
    anytime = ApplicationRules(workdays_only=False)
    saturday = datetime(2026, 11, 28, 14, 0, tzinfo=ALMATY)
    assert accepts_at(saturday, anytime, tz=ALMATY, country="KZ")
    assert refusal_message(saturday, anytime, tz=ALMATY, country="KZ") is None


def test_office_opening_time_is_used() -> None:
    rules = ApplicationRules(office_opens=time(10, 30))
    sent = next_submission(datetime(2026, 11, 28, 14, 0, tzinfo=ALMATY), rules, tz=ALMATY, country="KZ")
    assert sent == datetime(2026, 11, 30, 10, 30, tzinfo=ALMATY)


def test_notice_is_elapsed_time_across_a_clock_change() -> None:
    # Helsinki goes back one hour early on Sunday 25 October 2026: 48 real hours end at 11:00 on the clock.
    submitted = datetime(2026, 10, 24, 12, 0, tzinfo=HELSINKI)
    visit = earliest_visit(submitted, RULES)
    assert visit - submitted == timedelta(hours=47)  # wall-clock difference
    assert visit.timestamp() - submitted.timestamp() == 48 * 3600
    assert f"{visit:%Y-%m-%d %H:%M %z}" == "2026-10-26 11:00 +0200"


def test_offered_dates_after_a_saturday_application() -> None:
    saturday = datetime(2026, 11, 28, 14, 0, tzinfo=ALMATY)
    submit_at = next_submission(saturday, RULES, tz=ALMATY, country="KZ")  # Monday 09:00
    starts = slot_starts("Tu-Su 09:00,15:00", tz=ALMATY, first=date(2026, 11, 28), last=date(2026, 12, 6))
    dates = offered_dates(submit_at=submit_at, rules=RULES, tz=ALMATY, starts=starts)
    # 48 hours' notice: Wednesday 2 December 09:00 is the first start that can be booked (exactly on time).
    assert dates == [date(2026, 12, d) for d in range(2, 7)]


def test_offered_dates_are_local_sorted_and_unique() -> None:
    submit_at = datetime(2026, 11, 30, 9, 0, tzinfo=ALMATY)
    late_utc = datetime(2026, 12, 3, 20, 0, tzinfo=ZoneInfo("UTC"))  # already Friday 4 December in Almaty
    starts = [
        late_utc,
        datetime(2026, 12, 3, 11, 0, tzinfo=ALMATY),
        datetime(2026, 12, 3, 15, 0, tzinfo=ALMATY),
    ]
    dates = offered_dates(submit_at=submit_at, rules=RULES, tz=ALMATY, starts=starts)
    assert dates == [date(2026, 12, 3), date(2026, 12, 4)]


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        accepts_at(datetime(2026, 11, 28, 14, 0), RULES, tz=ALMATY, country="KZ")
