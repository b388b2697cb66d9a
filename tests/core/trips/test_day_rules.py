"""What a traveller says about single days ("we arrive at 14:00", "day 2 relaxed", "no museums on Sunday",
a swap of days) reaches the plan, and the checker holds the plan to it."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest

from tests.core.trips.world import FEED, check_facts, planning_input
from tripwise.core.errors import TripwiseError
from tripwise.core.trips.changes import apply_change, apply_changes
from tripwise.core.trips.check import check_plan
from tripwise.core.trips.explain import swap_days, what_changed
from tripwise.core.trips.planner import make_plan
from tripwise.core.trips.request import parse_request, request_to_json

from .world import PLACES

TUESDAY = "2026-12-01"  # the memorial is closed on Mondays
BASIC = {"destination": "steppe-town", "start_date": TUESDAY, "days": 2}


def plan(request: dict[str, Any]) -> dict[str, Any]:
    data = planning_input(request)
    document = make_plan(data, feeds=(FEED,), time_limit=0.3)
    assert document["check"] == {"ok": True, "problems": []}
    assert check_plan(document, check_facts(data)) == []
    return document


def sights(day: dict[str, Any]) -> list[str]:
    return [item["place_id"] for item in day["items"] if item["type"] == "visit" and not item.get("meal")]


def kinds(day: dict[str, Any]) -> set[str]:
    return {item["kind"] for item in day["items"] if item["type"] == "visit" and not item.get("meal")}


def test_a_relaxed_day_is_shorter_and_an_arrival_time_starts_the_first_day() -> None:
    trip = parse_request(
        {**BASIC, "day_rules": [{"day": 2, "pace": "relaxed"}, {"day": 1, "start": "14:00"}]}
    )
    assert trip.hours(0) == (time(14), time(20))
    assert trip.hours(1) == (time(10), time(18))
    document = plan({"start_date": TUESDAY, "days": 2, "day_rules": request_to_json(trip)["day_rules"]})
    first, second = document["days"]
    assert all(
        datetime.fromisoformat(item.get("start", item.get("depart"))).hour >= 14 for item in first["items"]
    )
    assert datetime.fromisoformat(second["end"]).time() == time(18)
    assert all(
        datetime.fromisoformat(item.get("end", item.get("arrive"))).time() <= time(18)
        for item in second["items"]
    )


def test_a_relaxed_day_never_shrinks_below_four_hours() -> None:
    trip = parse_request(
        {**BASIC, "day_start": "10:00", "day_end": "15:00", "day_rules": [{"day": 1, "pace": "relaxed"}]}
    )
    start, end = trip.hours(0)
    assert (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute) >= 4 * 60


def test_no_museums_on_a_day_keeps_museums_off_that_day_only() -> None:
    document = plan({"start_date": TUESDAY, "days": 2, "interests": ["history"],
                     "day_rules": [{"day": 1, "avoid_kinds": ["museums"]}]})  # fmt: skip
    first, second = document["days"]
    assert "museum" not in kinds(first)
    assert "city-museum" in sights(second)


def test_a_must_see_kept_off_every_open_day_is_explained() -> None:
    document = plan({"start_date": "2026-11-30", "days": 2, "must_see": ["memorial"],
                     "day_rules": [{"day": 2, "avoid_kinds": ["memorial"]}]})  # fmt: skip
    (left,) = document["unscheduled"]
    assert left["place_id"] == "memorial"
    assert "you asked for no memorial on Tuesday" in left["reason"]


def test_a_day_lock_without_a_time_keeps_the_place_on_that_day() -> None:
    document = plan({"start_date": TUESDAY, "days": 2,
                     "locks": [{"place_id": "memorial", "date": "2026-12-02", "start": None}]})  # fmt: skip
    assert "memorial" in sights(document["days"][1])
    visit = next(i for i in document["days"][1]["items"] if i.get("place_id") == "memorial")
    assert visit["why"] == "On Wednesday, as you asked"


def test_the_checker_catches_a_visit_on_a_day_the_traveller_ruled_out() -> None:
    request = {"start_date": TUESDAY, "days": 2, "interests": ["history"]}
    data = planning_input(request)
    document = make_plan(data, feeds=(FEED,), time_limit=0.3)
    museum_day = next(i for i, day in enumerate(document["days"]) if "museum" in kinds(day))
    ruled = planning_input({**request, "day_rules": [{"day": museum_day + 1, "avoid_kinds": ["museum"]}]})
    problems = check_plan(document, check_facts(ruled))
    assert any("although that day has no museum" in problem for problem in problems)


def test_swapping_days_moves_sights_but_leaves_a_closed_place_where_it_opens() -> None:
    # Monday and Tuesday: the memorial (closed on Mondays) is on Tuesday and must stay there.
    request = {"start_date": "2026-11-30", "days": 2, "must_see": ["memorial", "tower"]}
    before = plan(request)
    trip = parse_request({"destination": "steppe-town", **request})
    changes, notes = swap_days(before, trip, {p.id: p for p in PLACES}, 1, 2)
    assert "Memorial is closed on Monday 30 November, so it stays on Tuesday." in notes
    after = plan(request_to_json(apply_changes(trip, changes)) | {"destination": "steppe-town"})
    monday_before, tuesday_before = (set(sights(day)) for day in before["days"])
    monday_after, tuesday_after = (set(sights(day)) for day in after["days"])
    assert "memorial" in tuesday_after
    assert "tower" in (monday_after if "tower" in tuesday_before else tuesday_after)
    assert not (monday_before - {"memorial"}) & monday_after  # what was on Monday left Monday
    said = what_changed(before, after)
    assert any("moved from" in line for line in said)


@pytest.mark.parametrize(
    ("change", "check"),
    [
        ({"action": "day", "day": 2, "pace": "relaxed"}, lambda t: t.rule(1).pace == "relaxed"),
        ({"action": "days", "days": 3}, lambda t: t.days == 3),
        (
            {"action": "budget", "budget": {"amount": "9000", "currency": "KZT"}},
            lambda t: t.budget[1] == "KZT",
        ),
        ({"action": "budget", "budget": None}, lambda t: t.budget is None),
        ({"action": "modes", "modes": ["walk", "car"]}, lambda t: t.modes == ("walk", "car")),
        ({"action": "interests", "interests": ["art"]}, lambda t: t.interests == ("art",)),
        ({"action": "party", "party": {"adults": 2, "children": 1}}, lambda t: t.party == 3),
        ({"action": "forget", "place_id": "a"}, lambda t: t.must_see == () and t.locks == ()),
    ],
)
def test_each_change_edits_one_thing(change: dict[str, Any], check: Any) -> None:
    trip = parse_request(
        {**BASIC, "must_see": ["a"], "locks": [{"place_id": "a", "date": TUESDAY, "start": "11:00"}]}
    )
    changed = apply_change(trip, change)
    assert check(changed)
    assert parse_request(request_to_json(changed)) == changed


def test_moving_the_trip_keeps_locks_and_rules_on_their_day_of_the_trip() -> None:
    trip = parse_request({**BASIC, "locks": [{"place_id": "a", "date": "2026-12-02", "start": None}],
                          "day_rules": [{"day": 2, "pace": "relaxed"}]})  # fmt: skip
    moved = apply_change(trip, {"action": "dates", "start_date": "2026-12-07"})
    assert moved.locks[0].date == date(2026, 12, 8)
    assert moved.rule(1).pace == "relaxed"
    shorter = apply_change(trip, {"action": "days", "days": 1})
    assert shorter.locks == ()
    assert shorter.day_rules == ()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"action": "day", "day": 3, "pace": "relaxed"}, "day: give the day's number, from 1 to 2"),
        (
            {"action": "day", "day": 1, "start": "21:00"},
            "day 1 would end at 20:00, before it starts at 21:00",
        ),
        ({"action": "day", "day": 1, "pace": "lazy"}, "'lazy' is not a pace"),
        ({"action": "dates", "start_date": "someday"}, "start_date"),
        ({"action": "budget"}, "needs the new budget"),
        ({"action": "teleport"}, "not a change"),
    ],
)
def test_a_bad_change_says_what_was_wrong(change: dict[str, Any], words: str) -> None:
    with pytest.raises(TripwiseError) as error:
        apply_change(parse_request(BASIC), change)
    assert words in error.value.message
