"""Every distinct real OpenStreetMap opening_hours value either evaluates or gives a clear warning.

Figures with opening-hours-py 2.1.4 (printed with -s): of the 601 distinct values in the CSV, 582 evaluate
(581 with no warning on any day of the week read), 19 cannot be parsed and come back as unknown with a
warning naming the value and the parser's reason. None raises, and the slowest value reads a week in well
under a millisecond per day.
"""

from __future__ import annotations

import csv
import random
import time as clock
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.paths import SHARED_DATA
from tripwise.core.hours import DayHours, hours_on, state_at

OPENING_HOURS = SHARED_DATA / "opening-hours"
REAL_WORLD = OPENING_HOURS / "osm_real_world_opening_hours.csv"
RS_SAMPLE = OPENING_HOURS / "opening_hours_rs-sample.txt"
HELSINKI = ZoneInfo("Europe/Helsinki")
# Monday 23 to Sunday 29 March 2026: the week ends with Helsinki's spring change (03:00 -> 04:00).
WEEK = [date(2026, 3, 23) + timedelta(days=offset) for offset in range(7)]
# A slow value would stall a plan or an import: a week of one value must stay far below this.
SECONDS_PER_VALUE = 0.5


def _csv_values() -> list[str]:
    if not REAL_WORLD.is_file():
        pytest.skip(
            f"{REAL_WORLD} is absent: the shared OSM opening_hours sample (../shared/data) is not mounted"
        )
    with REAL_WORLD.open(newline="", encoding="utf-8") as handle:
        return sorted({row["value"] for row in csv.DictReader(handle)})


def _rs_values() -> list[str]:
    if not RS_SAMPLE.is_file():
        pytest.skip(
            f"{RS_SAMPLE} is absent: the shared opening-hours-rs sample (../shared/data) is not mounted"
        )
    lines = RS_SAMPLE.read_text(encoding="utf-8").splitlines()
    return sorted({line.strip() for line in lines if line.strip()})


def _unreadable(hours: DayHours) -> bool:
    return hours.warning is not None and ("could not be" in hours.warning or "depend on" in hours.warning)


def _check_week(value: str) -> tuple[str, float]:
    """'evaluates', 'partly unknown' or 'warns' for one value, after checking each day's invariants."""
    started = clock.perf_counter()
    days = [hours_on(value, day, HELSINKI) for day in WEEK]
    seconds = clock.perf_counter() - started
    for day, hours in zip(WEEK, days, strict=True):
        if _unreadable(hours):
            assert hours.unknown, value
            assert not hours.intervals, value
            assert repr(value) in (hours.warning or ""), value
            continue
        previous_end: datetime | None = None
        for start, end in hours.intervals:
            assert start.tzinfo is HELSINKI, value
            assert end.tzinfo is HELSINKI, value
            assert start.astimezone(UTC) < end.astimezone(UTC), (value, day, start, end)
            if previous_end is not None:
                assert previous_end.astimezone(UTC) < start.astimezone(UTC), (value, day, hours.intervals)
            previous_end = end
        assert hours.unknown == (hours.warning is not None), (value, day, hours)
    if any(_unreadable(hours) for hours in days):
        return "warns", seconds
    if any(hours.unknown for hours in days):
        return "partly unknown", seconds
    return "evaluates", seconds


def test_every_distinct_csv_value_evaluates_or_warns() -> None:
    values = _csv_values()
    outcomes: Counter[str] = Counter()
    slowest = (0.0, "")
    for value in values:
        outcome, seconds = _check_week(value)
        outcomes[outcome] += 1
        slowest = max(slowest, (seconds, value))
    print(
        f"\n{len(values)} distinct values: {outcomes['evaluates']} evaluate, "
        f"{outcomes['partly unknown']} evaluate with days partly unknown, {outcomes['warns']} warn; "
        f"slowest week {slowest[0] * 1000:.2f} ms for {slowest[1]!r}"
    )
    assert sum(outcomes.values()) == len(values) == 601
    assert outcomes["evaluates"] + outcomes["partly unknown"] >= 580
    assert outcomes["warns"] <= 21
    assert slowest[0] < SECONDS_PER_VALUE, slowest


def test_every_opening_hours_rs_sample_value_evaluates_or_warns() -> None:
    values = _rs_values()
    outcomes = Counter(_check_week(value)[0] for value in values)
    print(f"\nopening-hours-rs sample, {len(values)} values: {dict(outcomes)}")
    assert outcomes["evaluates"] + outcomes["partly unknown"] > len(values) // 2


def _covered(instant: datetime, days: list[DayHours]) -> bool:
    return any(start <= instant < end for hours in days for start, end in hours.intervals)


@pytest.mark.parametrize("source", ["csv", "rs"])
def test_intervals_agree_with_state_at(source: str) -> None:
    """Inside an interval state_at says open; a minute before or after, closed (unless another day's
    interval covers that minute, or a neighbouring day is not definite)."""
    values = _csv_values() if source == "csv" else _rs_values()
    rng = random.Random(20260328)
    minute = timedelta(minutes=1)
    checked = 0
    for value in values:
        if _check_week(value)[0] != "evaluates":
            continue
        for day in WEEK[::2]:
            around = [hours_on(value, day + timedelta(days=offset), HELSINKI) for offset in (-1, 0, 1, 2)]
            neighbours_definite = not any(hours.unknown for hours in around)
            for start, end in around[1].intervals:
                span = end.astimezone(UTC) - start.astimezone(UTC)
                inside = start.astimezone(UTC) + span * rng.random()
                assert state_at(value, inside, HELSINKI).is_open, (value, day, inside)
                checked += 1
                if not neighbours_definite:
                    continue
                for outside in (start.astimezone(UTC) - minute, end.astimezone(UTC) + minute):
                    if not _covered(outside, around):
                        assert not state_at(value, outside, HELSINKI).is_open, (value, day, outside)
    assert checked > (1000 if source == "csv" else 100)
