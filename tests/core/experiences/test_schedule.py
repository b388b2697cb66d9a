"""Recurring start times: what a traveller is offered, in the place's own clock."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from tripwise.core.errors import TripwiseError
from tripwise.core.experiences import describe_schedule, normalise_schedule, slot_starts

ALMATY = ZoneInfo("Asia/Almaty")
HELSINKI = ZoneInfo("Europe/Helsinki")
UTC_ZONE = ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Tu-Su 11:00,15:00", "Tu-Su 11:00,15:00"),
        ("Tu-Su 11:00 and 15:00", "Tu-Su 11:00,15:00"),
        ("Tu-Su  15:00, 11:00", "Tu-Su 11:00,15:00"),
        ("Mo-Fr 10:00; Sa,Su 11:00 and 14:00; PH off", "Mo-Fr 10:00; Sa-Su 11:00,14:00; PH closed"),
        ("Sa 9:30", "Sa 09:30"),
        ("Mo 23:59", "Mo 23:59"),
        ("Mo 00:00", "Mo 00:00"),
        ('Mo,We,Fr 09:00 "in Russian; bring ID"', 'Mo,We,Fr 09:00 "in Russian; bring ID"'),
    ],
)
def test_normalise_gives_a_stable_canonical_text(text: str, canonical: str) -> None:
    assert normalise_schedule(text) == canonical
    assert normalise_schedule(canonical) == canonical


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("Tu-Su 10:00-18:00", "time range"),
        ("Mo 10:00+", "open end"),
        ("Mo 25:00", "not a time of day"),
        ("Mo 10:60", "not a time of day"),
        ("Mo-Fr 10:00; Sa", "gives no start time"),
        ("Mo-Fr 10:00, Sa", "gives no start time"),
        ("24/7", "gives no start time"),
        ("Mo sunrise", "sunrise"),
        ("SH 10:00", "school holidays"),
        ("Mo 10:00 unknown", "unknown"),
        ("Tu-Su 11:00 und 15:00", "cannot be read"),
        ("Xy 10:00", "cannot be read"),
    ],
)
def test_bad_schedules_say_what_is_wrong_and_show_an_example(text: str, says: str) -> None:
    with pytest.raises(TripwiseError) as caught:
        normalise_schedule(text)
    assert caught.value.code == "bad_schedule"
    assert caught.value.status == 400
    assert says in caught.value.message
    assert '"Tu-Su 11:00,15:00"' in caught.value.message


def test_alzhir_week_has_no_monday_and_keeps_astana_time() -> None:
    # Monday 30 November .. Sunday 6 December 2026
    starts = slot_starts("Tu-Su 11:00,15:00", tz=ALMATY, first=date(2026, 11, 30), last=date(2026, 12, 6))
    assert len(starts) == 12
    assert {s.date() for s in starts} == {date(2026, 12, d) for d in range(1, 7)}
    assert {(s.hour, s.minute) for s in starts} == {(11, 0), (15, 0)}
    assert all(s.tzinfo is ALMATY and s.utcoffset() == timedelta(hours=5) for s in starts)
    assert starts == sorted(starts)


def test_plain_words_schedule_gives_the_same_starts() -> None:
    window = {"tz": ALMATY, "first": date(2026, 11, 30), "last": date(2026, 12, 6)}
    assert slot_starts("Tu-Su 11:00 and 15:00", **window) == slot_starts("Tu-Su 11:00,15:00", **window)


def test_public_holiday_off_uses_the_zone_country() -> None:
    # Kazakhstan's Independence Day, Wednesday 16 December 2026.
    starts = slot_starts("Mo-Fr 10:00; PH off", tz=ALMATY, first=date(2026, 12, 14), last=date(2026, 12, 18))
    assert [s.day for s in starts] == [14, 15, 17, 18]


def test_country_can_be_given_for_a_zone_without_one() -> None:
    window = {"tz": UTC_ZONE, "first": date(2026, 12, 14), "last": date(2026, 12, 18)}
    with_kz = slot_starts("Mo-Fr 10:00; PH off", country="KZ", **window)
    assert [s.day for s in with_kz] == [14, 15, 17, 18]
    # No holiday calendar for UTC: "PH off" removes nothing.
    assert [s.day for s in slot_starts("Mo-Fr 10:00; PH off", **window)] == [14, 15, 16, 17, 18]


def test_start_only_on_public_holidays() -> None:
    starts = slot_starts("PH 12:00", tz=ALMATY, first=date(2026, 12, 1), last=date(2026, 12, 31))
    assert [s.date() for s in starts] == [date(2026, 12, 16)]


def test_start_in_the_spring_forward_gap_is_skipped() -> None:
    # Helsinki moves from 03:00 to 04:00 on Sunday 29 March 2026.
    starts = slot_starts("03:30", tz=HELSINKI, first=date(2026, 3, 28), last=date(2026, 3, 30))
    assert [s.date() for s in starts] == [date(2026, 3, 28), date(2026, 3, 30)]
    sunday = slot_starts(
        "Su 02:30,03:00,03:30,04:00", tz=HELSINKI, first=date(2026, 3, 29), last=date(2026, 3, 29)
    )
    assert [f"{s:%H:%M %z}" for s in sunday] == ["02:30 +0200", "04:00 +0300"]


def test_start_in_the_repeated_hour_happens_once() -> None:
    # Helsinki goes back from 04:00 to 03:00 on Sunday 25 October 2026: 03:00-03:59 happens twice.
    sunday = slot_starts(
        "Su 02:30,03:00,03:30,04:00", tz=HELSINKI, first=date(2026, 10, 25), last=date(2026, 10, 25)
    )
    assert [f"{s:%H:%M %z}" for s in sunday] == ["02:30 +0300", "03:00 +0300", "03:30 +0300", "04:00 +0200"]
    assert all(s.fold == 0 for s in sunday)
    assert len({s.timestamp() for s in sunday}) == 4


def test_almaty_change_of_offset_in_2024() -> None:
    # Kazakhstan moved Almaty from +06 to +05 at midnight on 1 March 2024: 23:00-23:59 on 29 February repeats.
    starts = slot_starts("23:30", tz=ALMATY, first=date(2024, 2, 28), last=date(2024, 3, 1))
    assert [f"{s:%Y-%m-%d %H:%M %z}" for s in starts] == [
        "2024-02-28 23:30 +0600",
        "2024-02-29 23:30 +0600",
        "2024-03-01 23:30 +0500",
    ]


def test_dates_are_inclusive_and_an_empty_window_gives_nothing() -> None:
    one_day = slot_starts("Tu 11:00", tz=ALMATY, first=date(2026, 12, 1), last=date(2026, 12, 1))
    assert len(one_day) == 1
    assert slot_starts("Tu 11:00", tz=ALMATY, first=date(2026, 12, 2), last=date(2026, 12, 1)) == []


def test_bad_schedule_is_refused_by_slot_starts_too() -> None:
    with pytest.raises(TripwiseError) as caught:
        slot_starts("Tu-Su 10:00-18:00", tz=ALMATY, first=date(2026, 12, 1), last=date(2026, 12, 7))
    assert caught.value.code == "bad_schedule"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Tu-Su 11:00,15:00", "Tuesday to Sunday at 11:00 and 15:00"),
        (
            "Mo-Fr 10:00; Sa,Su 11:00,14:00; PH off",
            "Monday to Friday at 10:00; Saturday and Sunday at 11:00 and 14:00; not on public holidays",
        ),
        ("Mo-Su 10:00, 12:00 and 14:00", "Every day at 10:00, 12:00 and 14:00"),
        ("Mo,We,Fr 09:00", "Monday, Wednesday and Friday at 09:00"),
        ("PH 12:00", "On public holidays at 12:00"),
        ("Sa,Su,PH 11:00", "Saturday, Sunday and public holidays at 11:00"),
        ("Mo[1] 10:00", "Mo[1] 10:00"),
        ("Mo-Su 10:00; Dec 25 off", "Every day at 10:00; Dec 25 closed"),
    ],
)
def test_describe_in_plain_words(text: str, words: str) -> None:
    assert describe_schedule(text) == words
