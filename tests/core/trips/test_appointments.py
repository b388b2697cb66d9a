"""Booked experiences are fixed appointments: kept at their time for their length, whatever the place's
opening hours, inside the traveller's day, already paid for, and held to all of that by the checker."""

from __future__ import annotations

import copy
import itertools
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.core.trips.world import FEED, PLACES, check_facts, planning_input
from tripwise.core.errors import TripwiseError
from tripwise.core.trips.build import PlanningInput
from tripwise.core.trips.changes import apply_change, apply_changes
from tripwise.core.trips.check import check_plan
from tripwise.core.trips.explain import swap_days
from tripwise.core.trips.planner import make_plan
from tripwise.core.trips.request import Lock, parse_request, request_to_json

MONDAY = "2026-11-30"
LABEL = "Tower sunrise tour in English (booking TW-7K3Q)"
# The tower opens at 10:00; the tour meets there at 08:00 and takes an hour and a half.
TOUR = {"place_id": "tower", "date": MONDAY, "start": "08:00", "minutes": 90, "label": LABEL}
EARLY_DAY = {"start_date": MONDAY, "day_start": "07:30", "day_end": "20:00", "interests": ["history"]}


def planned(request: dict[str, Any]) -> tuple[PlanningInput, dict[str, Any]]:
    data = planning_input(request)
    document = make_plan(data, feeds=(FEED,), time_limit=0.3)
    assert document["check"] == {"ok": True, "problems": []}
    assert check_plan(document, check_facts(data)) == []
    return data, document


def plan(request: dict[str, Any]) -> dict[str, Any]:
    return planned(request)[1]


def visit_of(document: dict[str, Any], place_id: str) -> dict[str, Any]:
    (item,) = [
        item
        for day in document["days"]
        for item in day["items"]
        if item["type"] == "visit" and item["place_id"] == place_id and not item["meal"]
    ]
    return item


def clock(text: str) -> str:
    return f"{datetime.fromisoformat(text):%H:%M}"


@pytest.fixture(scope="module")
def tour_plan() -> tuple[PlanningInput, dict[str, Any]]:
    return planned({**EARLY_DAY, "party": {"adults": 2}, "locks": [TOUR]})


def test_a_tour_before_the_place_opens_is_kept_at_its_time_for_its_length(
    tour_plan: tuple[PlanningInput, dict[str, Any]],
) -> None:
    _data, document = tour_plan
    tour = visit_of(document, "tower")
    assert tour["start"] == "2026-11-30T08:00:00+05:00"
    assert tour["end"] == "2026-11-30T09:30:00+05:00"
    assert tour["booking"] == LABEL
    assert tour["locked"] is True
    assert tour["notes"] == []
    assert document["unscheduled"] == []


def test_the_rest_of_the_day_is_planned_around_the_tour(
    tour_plan: tuple[PlanningInput, dict[str, Any]],
) -> None:
    _data, document = tour_plan
    (day,) = document["days"]
    others = [item for item in day["items"] if item["type"] == "visit" and item["place_id"] != "tower"]
    assert others, "a long day with a morning tour still has other sights"
    for item in others:
        assert clock(item["start"]) >= "09:30" or clock(item["end"]) <= "08:00"
        assert "booking" not in item
    # The way there leaves in time for 08:00, and nothing overlaps anything.
    items = day["items"]
    for before, after in itertools.pairwise(items):
        end = before.get("end") or before["arrive"]
        start = after.get("start") or after["depart"]
        assert datetime.fromisoformat(end) <= datetime.fromisoformat(start)


def test_the_tour_was_paid_when_booked_so_its_ticket_is_not_counted(
    tour_plan: tuple[PlanningInput, dict[str, Any]],
) -> None:
    _data, document = tour_plan
    tour = visit_of(document, "tower")
    assert tour["cost"] is None
    (day,) = document["days"]
    counted = sum(
        (
            Decimal(item["cost"]["amount"])
            for item in day["items"]
            if item["type"] == "visit" and item["cost"]
        ),
        Decimal(0),
    ) + sum((Decimal(item["fare"]["amount"]) for item in day["items"] if item.get("fare")), Decimal(0))
    assert Decimal(day["cost"]["amount"]) == counted
    assert Decimal(document["cost"]["total"]["amount"]) == counted


def test_a_tour_fits_a_budget_that_its_ticket_would_not() -> None:
    document = plan({**EARLY_DAY, "modes": ["walk"], "party": {"adults": 2}, "locks": [TOUR],
                     "budget": {"amount": "0", "currency": "KZT"}})  # fmt: skip
    assert visit_of(document, "tower")["start"][11:16] == "08:00"
    assert Decimal(document["cost"]["total"]["amount"]) == 0


def test_a_tour_outside_the_day_is_unscheduled_with_the_reason() -> None:
    document = plan({"start_date": MONDAY, "locks": [TOUR]})  # the day starts at 09:00
    (entry,) = document["unscheduled"]
    assert entry["place_id"] == "tower"
    assert "booked on Monday 30 November at 08:00 for 90 minutes" in entry["reason"]
    assert "outside your day (09:00-20:00)" in entry["reason"]
    assert all(item.get("place_id") != "tower" for item in document["days"][0]["items"])


def test_a_tour_running_past_the_end_of_a_day_rule_is_unscheduled() -> None:
    late = {**TOUR, "start": "17:00", "minutes": 120}
    document = plan({"start_date": MONDAY, "locks": [late], "day_rules": [{"day": 1, "end": "18:00"}]})
    (entry,) = document["unscheduled"]
    assert "outside your day (09:00-18:00)" in entry["reason"]


def test_an_appointment_round_trips_through_json() -> None:
    request = parse_request({"destination": "steppe-town", "start_date": MONDAY, "days": 2,
                             "locks": [TOUR, {"place_id": "city-museum", "date": "2026-12-01", "start": "11:00"}]})  # fmt: skip
    tour, museum = request.locks
    assert tour == Lock("tower", date(2026, 11, 30), time(8), minutes=90, label=LABEL)
    assert tour.appointment
    assert not museum.appointment
    as_json = request_to_json(request)
    assert as_json["locks"] == [TOUR, {"place_id": "city-museum", "date": "2026-12-01", "start": "11:00"}]
    assert parse_request(as_json) == request


@pytest.mark.parametrize(
    ("lock", "message"),
    [
        ({"start": None}, "locks.start: a booked appointment (tower, 90 minutes) needs its start time"),
        ({"minutes": 0}, "locks.minutes: give the booked appointment's length in whole minutes, 1 to 1440"),
        ({"minutes": 1441}, "locks.minutes"),
        ({"minutes": "an hour"}, "locks.minutes"),
        ({"label": "x" * 201}, "locks.label: keep it to 200 characters"),
        ({"label": 7}, "locks.label: give the booking's name as text"),
    ],
)
def test_a_bad_appointment_says_what_to_write(lock: dict[str, Any], message: str) -> None:
    with pytest.raises(TripwiseError) as caught:
        parse_request({"destination": "x", "start_date": MONDAY, "locks": [{**TOUR, **lock}]})
    assert caught.value.code == "invalid_request"
    assert message in str(caught.value)


def test_the_lock_edit_books_an_appointment_and_a_plain_lock_replaces_it() -> None:
    request = parse_request({"destination": "x", "start_date": MONDAY})
    booked = apply_change(request, {"action": "lock", **TOUR})
    assert booked.locks == (Lock("tower", request.start_date, time(8), minutes=90, label=LABEL),)
    plain = apply_change(booked, {"action": "lock", "place_id": "tower", "date": MONDAY, "start": "15:00"})
    assert plain.locks == (Lock("tower", request.start_date, time(15)),)
    with pytest.raises(TripwiseError, match="needs its start time"):
        apply_change(
            request, {"action": "lock", "place_id": "tower", "date": MONDAY, "start": None, "minutes": 30}
        )


def replace_request(data: PlanningInput, **fields: Any) -> PlanningInput:
    return replace(data, request=replace(data.request, **fields))


def _shift(item: dict[str, Any], start: timedelta, end: timedelta) -> None:
    item["start"] = (datetime.fromisoformat(item["start"]) + start).isoformat()
    item["end"] = (datetime.fromisoformat(item["end"]) + end).isoformat()


def test_the_checker_flags_a_tour_moved_or_shortened(tour_plan: tuple[PlanningInput, dict[str, Any]]) -> None:
    data, document = tour_plan
    moved = copy.deepcopy(document)
    _shift(visit_of(moved, "tower"), timedelta(minutes=-15), timedelta(minutes=-15))
    assert any(
        "tower was booked for 2026-11-30 08:00 but is planned at 2026-11-30 07:45" in problem
        for problem in check_plan(moved, check_facts(data))
    )
    shortened = copy.deepcopy(document)
    _shift(visit_of(shortened, "tower"), timedelta(0), timedelta(minutes=-30))
    assert any(
        "tower was booked for 90 minutes but is planned for 60 minutes" in problem
        for problem in check_plan(shortened, check_facts(data))
    )


def test_the_checker_excuses_opening_hours_and_the_ticket_only_for_the_booking(
    tour_plan: tuple[PlanningInput, dict[str, Any]],
) -> None:
    data, document = tour_plan
    total = Decimal(document["cost"]["total"]["amount"])
    within = replace_request(data, budget=(total, "KZT"))
    assert check_plan(document, check_facts(within)) == []
    # Were the same visit an ordinary lock, 08:00 would be before the tower opens and its tickets would count.
    ordinary = replace_request(
        data, budget=(total, "KZT"), locks=(Lock("tower", data.request.start_date, time(8)),)
    )
    problems = check_plan(document, check_facts(ordinary))
    assert any("Tower is not open from Mon 08:00 to 09:30" in problem for problem in problems)
    assert any("over the budget" in problem for problem in problems)


def test_ordinary_locks_still_follow_opening_hours_visit_length_and_prices() -> None:
    closed = plan({**EARLY_DAY, "locks": [{"place_id": "tower", "date": MONDAY, "start": "08:00"}]})
    (entry,) = closed["unscheduled"]
    assert "cannot start at 08:00" in entry["reason"]
    assert "opening hours" in entry["reason"]
    document = plan({**EARLY_DAY, "party": {"adults": 2},
                     "locks": [{"place_id": "tower", "date": MONDAY, "start": "15:00"}]})  # fmt: skip
    tower = visit_of(document, "tower")
    assert (clock(tower["start"]), clock(tower["end"])) == ("15:00", "16:00")
    assert tower["cost"]["amount"] == "1400.00"
    assert "booking" not in tower
    assert request_to_json(parse_request(document["request"]))["locks"] == [
        {"place_id": "tower", "date": MONDAY, "start": "15:00"}
    ]


def test_swapping_days_leaves_the_tour_on_the_day_it_was_booked_for() -> None:
    request = {**EARLY_DAY, "days": 2, "locks": [TOUR]}
    _data, document = planned(request)
    trip = parse_request({"destination": "steppe-town", **request})
    changes, notes = swap_days(document, trip, {p.id: p for p in PLACES}, 1, 2)
    assert "Tower is booked for Monday 30 November, so it stays on Monday." in notes
    assert all(change.get("place_id") != "tower" for change in changes)
    assert apply_changes(trip, changes).locks == trip.locks


def test_moving_the_trip_keeps_a_booked_tour_on_its_date_or_refuses() -> None:
    """A booking is for a date: moving the trip by a day must not carry the tour to a day nobody booked."""
    request = parse_request(
        {
            "destination": "astana",
            "start_date": "2026-12-01",
            "days": 3,
            "locks": [
                {
                    "place_id": "tower",
                    "date": "2026-12-02",
                    "start": "11:00",
                    "minutes": 90,
                    "label": "Tour (TW-1)",
                },
                {"place_id": "museum", "date": "2026-12-03", "start": "12:00"},
            ],
        }
    )
    moved = apply_change(request, {"action": "dates", "start_date": "2026-11-30"})
    booked, ordinary = moved.locks
    assert booked.date.isoformat() == "2026-12-02"  # the tour stays on the booked day
    assert ordinary.date.isoformat() == "2026-12-02"  # an ordinary lock keeps its day of the trip
    with pytest.raises(TripwiseError) as refused:
        apply_change(request, {"action": "dates", "start_date": "2026-12-05"})
    assert refused.value.code == "booked_outside_trip"
    assert "Wednesday 02 December" in refused.value.message
    with pytest.raises(TripwiseError) as shortened:
        apply_change(request, {"action": "days", "days": 1})
    assert shortened.value.code == "booked_outside_trip"
