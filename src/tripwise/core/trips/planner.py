"""Plan a trip: build the engine's problem, solve it, re-time it exactly, explain it, check it.

>>> # see tests/core/trips/test_planner.py for complete examples
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from tripwise.core.engine.checker import check
from tripwise.core.engine.solver import solve
from tripwise.core.money import Money, convert
from tripwise.core.transit.feed import FeedData
from tripwise.core.trips.build import PlanningInput, build_problem, minor
from tripwise.core.trips.check import CheckFacts, check_plan
from tripwise.core.trips.document import assemble_days, money_json
from tripwise.core.trips.fares import FareTables
from tripwise.core.trips.opening import ASSUMED_HOURS
from tripwise.core.trips.reasons import unscheduled_reason
from tripwise.core.trips.request import request_to_json
from tripwise.core.trips.tidy import tidy_routes

__all__ = ["make_plan"]

_BUDGET_ATTEMPTS = 4
MIN_SEARCH_S = 0.15  # the solver's least search time, however long building took
FINISHING_S = 0.1  # kept back for tidying, re-timing with exact journeys and checking
ESTIMATES = "Walking and driving times are estimated from the distance; transit times are from the timetable."


def _minor_total(days: Sequence[dict[str, Any]], data: PlanningInput) -> int:
    return minor(Money(sum((Decimal(day["cost"]["amount"]) for day in days), Decimal(0)), data.currency))


def make_plan(
    data: PlanningInput, *, feeds: Sequence[FeedData] = (), time_limit: float = 1.0, seed: int = 0
) -> dict[str, Any]:
    """The plan document (docs/plans.md) for `data`, with the checker's verdict in its "check" field.

    `time_limit` is for the whole plan: the solver searches for what is left of it once the problem is built
    (but never less than MIN_SEARCH_S), so a slow start does not make a slow answer.
    """
    started = time.perf_counter()
    fares = FareTables(feeds)
    reserve = 0
    budget = None
    if data.request.budget is not None:
        amount, currency = data.request.budget
        budget = minor(convert(Money(amount, currency), data.currency, data.rates))
    for _attempt in range(_BUDGET_ATTEMPTS):
        built = build_problem(data, fare_reserve=reserve)
        remaining = time_limit - (time.perf_counter() - started) - FINISHING_S
        solution = solve(built.problem, time_limit=max(MIN_SEARCH_S, remaining), seed=seed, explain=False)
        # The engine's own checker re-simulates the tidied routes: the times it gives are what the exact
        # re-timing in assemble_days must meet or beat.
        tidied = check(built.problem, tidy_routes(built.problem, solution.routes()))
        if not tidied.feasible:
            raise RuntimeError(f"the solver's plan is not feasible: {'; '.join(tidied.violations)}")
        days = assemble_days(data, built, tidied.plans, fares)
        # Fares depend on the journeys chosen, which the engine does not price; when they push the plan over
        # the budget, plan again with that much kept aside for them.
        if budget is None or _minor_total(days, data) <= budget or reserve >= budget:
            break
        reserve += _minor_total(days, data) - budget
    unscheduled = []
    for left in solution.left_out:
        stop = built.problem.stops[left.stop]
        if not stop.mandatory:
            continue
        candidate = built.candidates[left.stop]
        unscheduled.append(
            {
                "place_id": candidate.place.id,
                "name": candidate.place.name,
                "reason": unscheduled_reason(candidate, left.stop, left, data, built),
            }
        )

    planned = {item["place_id"] for day in days for item in day["items"] if item["type"] == "visit"}
    assumptions = [ESTIMATES]
    for candidate in built.candidates:
        place = candidate.place
        booked = candidate.lock is not None and candidate.lock.appointment  # its hours do not apply
        if place.id in planned and not booked and any(opening.assumed for opening in candidate.opening):
            start, end = ASSUMED_HOURS
            text = f"Opening hours of {place.name} are unknown: assumed {start:%H:%M}-{end:%H:%M}; check before you go."
            if text not in assumptions:
                assumptions.append(text)

    total = Money(sum((Decimal(day["cost"]["amount"]) for day in days), Decimal(0)), data.currency)
    traveller = data.request.currency
    cost: dict[str, Any] = {"total": money_json(total, traveller, data.rates), "budget": None}
    if data.request.budget is not None:
        amount, currency = data.request.budget
        limit = convert(Money(amount, currency), data.currency, data.rates)
        cost["budget"] = money_json(limit, traveller, data.rates)
    document: dict[str, Any] = {
        "destination": {
            "id": data.destination_id,
            "name": data.destination_name,
            "timezone": data.timezone,
            "currency": data.currency,
        },
        "request": request_to_json(data.request),
        "days": days,
        "unscheduled": unscheduled,
        "assumptions": assumptions,
        "cost": cost,
        "stats": {"candidates": len(built.problem.stops), "solver_seconds": round(solution.seconds, 3)},
    }
    facts = CheckFacts(
        request=data.request,
        timezone=data.timezone,
        currency=data.currency,
        places={place.id: place for place in data.places},
        base=data.base,
        must_see=frozenset(data.must_see) | {lock.place for lock in data.locks},
        avoid=data.avoid,
        feeds=feeds,
        rates=data.rates,
    )
    problems = check_plan(document, facts)
    document["check"] = {"ok": not problems, "problems": problems}
    return document
