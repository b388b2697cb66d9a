"""Transit fares from the feed count in a plan's costs and against its budget, and the checker prices them
again from the rides."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from tests.core.trips.world import FEED, check_facts, planning_input
from tripwise.core.transit.fares import FareProduct
from tripwise.core.trips.check import check_plan
from tripwise.core.trips.planner import make_plan

# One flat fare and no fare rules: every ride of the feed costs it.
PAID_FEED = replace(FEED, fares=(FareProduct("single", Decimal(250), "KZT"),))
TUESDAY = {"start_date": "2026-12-01", "must_see": ["memorial"], "party": {"adults": 2}}


def plan(request: dict[str, Any]) -> dict[str, Any]:
    data = planning_input(request, feeds=(PAID_FEED,))
    document = make_plan(data, feeds=(PAID_FEED,), time_limit=0.3)
    assert check_plan(document, check_facts(data, feeds=(PAID_FEED,))) == []
    return document


def test_each_bus_ride_costs_the_fare_for_the_whole_party() -> None:
    document = plan(TUESDAY)
    rides = [item for item in document["days"][0]["items"] if item.get("mode") == "transit"]
    assert len(rides) == 2
    assert all(item["fare"]["amount"] == "500.00" for item in rides)  # 2 people x 250
    visits = sum(Decimal(item["cost"]["amount"]) for item in document["days"][0]["items"] if item.get("cost"))
    assert Decimal(document["cost"]["total"]["amount"]) == visits + 1000


def test_fares_are_kept_inside_the_budget() -> None:
    # Enough for the memorial's tickets (1,440) and the two bus fares (1,000), nothing more.
    document = plan({**TUESDAY, "budget": {"amount": "2500", "currency": "KZT"}})
    assert Decimal(document["cost"]["total"]["amount"]) <= 2500
    assert document["check"]["ok"] is True
