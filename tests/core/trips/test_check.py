"""The plan checker catches each way a plan can break a rule, on a plan it first accepts."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from tests.core.trips.world import FEED, check_facts, planning_input
from tripwise.core.trips.build import PlanningInput
from tripwise.core.trips.check import check_plan
from tripwise.core.trips.planner import make_plan

REQUEST = {"start_date": "2026-12-01", "days": 1, "must_see": ["memorial"], "day_end": "20:00"}


@pytest.fixture(scope="module")
def planned() -> tuple[PlanningInput, dict[str, Any]]:
    data = planning_input(REQUEST)
    document = make_plan(data, feeds=(FEED,), time_limit=0.3)
    assert check_plan(document, check_facts(data)) == []
    return data, document


def _items(document: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = document["days"][0]["items"]
    return items


def _memorial(document: dict[str, Any]) -> dict[str, Any]:
    return next(item for item in _items(document) if item.get("place_id") == "memorial")


def _ride(document: dict[str, Any]) -> dict[str, Any]:
    ride: dict[str, Any] = next(item for item in _items(document) if item.get("rides"))["rides"][0]
    return ride


def _shift_memorial_to_monday(document: dict[str, Any]) -> None:
    visit = _memorial(document)
    visit["start"] = visit["start"].replace("2026-12-01", "2026-11-30")
    visit["end"] = visit["end"].replace("2026-12-01", "2026-11-30")


def _ride_five_minutes_late(document: dict[str, Any]) -> None:
    ride = _ride(document)
    ride["depart"] = ride["depart"][:14] + "05" + ride["depart"][16:]


def _ride_on_a_trip_that_does_not_exist(document: dict[str, Any]) -> None:
    _ride(document)["trip_id"] = "300-out-2300"


def _walk_too_fast(document: dict[str, Any]) -> None:
    walk = next(item for item in _items(document) if item.get("mode") == "walk" and item["distance_m"] > 300)
    walk["arrive"] = walk["depart"]


def _no_way_home(document: dict[str, Any]) -> None:
    _items(document).pop()


def _must_see_silently_dropped(document: dict[str, Any]) -> None:
    document["days"][0]["items"] = [item for item in _items(document) if item.get("place_id") != "memorial"]


def _visit_outside_the_day(document: dict[str, Any]) -> None:
    last = _items(document)[-1]
    last["arrive"] = last["arrive"][:11] + "21:30:00+05:00"


BREAKAGES: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "closed day": (_shift_memorial_to_monday, "Memorial is not open"),
    "ride off the timetable": (_ride_five_minutes_late, "is not in the timetable"),
    "unknown trip": (_ride_on_a_trip_that_does_not_exist, "is not in the timetable"),
    "teleport": (_walk_too_fast, "impossibly fast"),
    "no way home": (_no_way_home, "does not end back at"),
    "must-see dropped": (_must_see_silently_dropped, "must-see memorial is neither planned nor explained"),
    "day too long": (_visit_outside_the_day, "after 20:00"),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_the_checker_reports_a_broken_rule(name: str, planned: tuple[PlanningInput, dict[str, Any]]) -> None:
    data, document = planned
    breakage, expected = BREAKAGES[name]
    broken = copy.deepcopy(document)
    breakage(broken)
    problems = check_plan(broken, check_facts(data))
    assert any(expected in problem for problem in problems), problems


def test_the_checker_holds_the_plan_to_the_budget(planned: tuple[PlanningInput, dict[str, Any]]) -> None:
    data, document = planned
    poorer = replace(data, request=replace(data.request, budget=(Decimal(100), "KZT")))
    assert any("over the budget" in problem for problem in check_plan(document, check_facts(poorer)))


def test_the_checker_refuses_a_place_the_traveller_avoids(
    planned: tuple[PlanningInput, dict[str, Any]],
) -> None:
    data, document = planned
    avoiding = replace(data, avoid=frozenset({"memorial"}))
    assert any("wants to avoid" in problem for problem in check_plan(document, check_facts(avoiding)))
