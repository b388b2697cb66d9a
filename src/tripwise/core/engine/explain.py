"""Why a stop was left out, in words a traveller understands.

Given the chosen routes, every stop not on them gets one reason, decided by simulation with the checker:

- NO_WINDOW: even alone, on every tour, it cannot be reached and visited within the day (closed every day,
  or open only when the traveller cannot get there and back).
- OVER_BUDGET: it could be fitted into the plan in time, or it fits alone but costs more than the whole
  budget, and its cost is more than the budget has left.
- DISPLACED: it fits alone, but not next to what was planned: every plan that holds it drops visits worth
  more. (If it would in fact fit without dropping anything, the detail says so plainly: the planner is a
  heuristic and that is the honest answer.)

Tours are called "day N" (1-based) in the details, since a tour is a day of the trip in the product.
Cost: for each left-out stop, one simulation per tour and insertion position, each as long as the route;
fine for a trip, worth skipping in a benchmark loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from tripwise.core.engine.checker import check, windows_on
from tripwise.core.engine.model import LeftOut, Problem, Reason, Routes

__all__ = ["left_out_reasons"]


def _tour_feasible(problem: Problem, tour: int, route: Sequence[int]) -> bool:
    """Whether `route` alone keeps tour `tour` within windows, travel and day bounds (budget ignored)."""
    routes: list[Sequence[int]] = [() for _ in problem.tours]
    routes[tour] = route
    return check(replace(problem, budget=None), routes).feasible


def _first_insertion(problem: Problem, routes: Routes, stop: int) -> tuple[int, int] | None:
    """The first (tour, position) where inserting `stop` keeps that tour feasible in time, or None."""
    for t in range(len(problem.tours)):
        if not windows_on(problem.stops[stop], t):
            continue
        route = list(routes[t]) if t < len(routes) else []
        for position in range(len(route) + 1):
            if _tour_feasible(problem, t, [*route[:position], stop, *route[position:]]):
                return t, position
    return None


def _day(tour: int) -> str:
    return f"day {tour + 1}"


def left_out_reasons(problem: Problem, routes: Routes) -> tuple[LeftOut, ...]:
    """One LeftOut per stop that is on no route, in stop order."""
    routed = {index for route in routes for index in route}
    planned_cost = sum(problem.stops[i].cost for i in routed if 0 <= i < len(problem.stops))
    reasons: list[LeftOut] = []
    for index, stop in enumerate(problem.stops):
        if index in routed:
            continue
        alone = [t for t in range(len(problem.tours)) if _tour_feasible(problem, t, [index])]
        if not alone:
            open_days = [t for t in range(len(problem.tours)) if windows_on(stop, t)]
            if not open_days:
                detail = "no window on any day: it is closed on every day of the trip"
            else:
                days = ", ".join(_day(t) for t in open_days)
                detail = (
                    f"it is open on {days}, but it cannot be reached and visited between that day's start"
                    " and end"
                )
            reasons.append(LeftOut(stop=index, reason=Reason.NO_WINDOW, detail=detail))
            continue
        budget = problem.budget
        if budget is not None and stop.cost > budget:
            detail = f"it costs {stop.cost}, more than the whole budget of {budget}"
            reasons.append(LeftOut(stop=index, reason=Reason.OVER_BUDGET, detail=detail))
            continue
        insertion = _first_insertion(problem, routes, index)
        if insertion is not None and budget is not None and planned_cost + stop.cost > budget:
            left = budget - planned_cost
            detail = (
                f"it fits into {_day(insertion[0])} in time, but it costs {stop.cost} and only {left} of"
                f" the budget of {budget} is left"
            )
            reasons.append(LeftOut(stop=index, reason=Reason.OVER_BUDGET, detail=detail))
        elif insertion is None:
            detail = (
                f"it fits alone on {_day(alone[0])}, but every plan that holds it drops visits worth more"
            )
            reasons.append(LeftOut(stop=index, reason=Reason.DISPLACED, detail=detail))
        else:
            detail = (
                f"it would still fit into {_day(insertion[0])} without dropping anything, but the planner"
                " did not add it"
            )
            reasons.append(LeftOut(stop=index, reason=Reason.DISPLACED, detail=detail))
    return tuple(reasons)
