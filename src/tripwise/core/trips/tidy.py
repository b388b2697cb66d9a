"""Reorder each day's visits so that the day ends as early as it can, keeping every visit it has.

The solver maximises what is seen; among orders that see the same, it does not care whether the traveller
idles all morning and sightsees late. Here each day's order is improved by moving one visit at a time (and
reversing stretches) while the day stays feasible and it gets back to the base sooner (then: spends less
time away). Finishing early puts the sights in the morning and leaves the evening free. Days hold a
handful of visits, so this takes milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence

from tripwise.core.engine.checker import earliest_start
from tripwise.core.engine.model import NEVER, Problem

__all__ = ["tidy_routes"]

_MAX_ROUNDS = 50


def _time_away(
    problem: Problem, tour: int, route: Sequence[int], give_up_after: int = NEVER
) -> tuple[int, int] | None:
    """(return time, time away from the base) for `route` on `tour`, or None when it is not feasible.

    Time away counts from the latest moment one could leave for the first visit: waiting at the base for a
    museum to open is not waiting.
    """
    plan = problem.tours[tour]
    node, now = plan.start_node, plan.earliest
    left: int | None = None
    for index in route:
        stop = problem.stops[index]
        arrival = problem.travel.arrival(node, stop.node, now, tour)
        if arrival >= NEVER:
            return None
        start = earliest_start(stop, tour, arrival)
        if start is None:
            return None
        if left is None:
            left = now + (start - arrival)  # leaving this much later still arrives in time (FIFO travel)
        node, now = stop.node, start + stop.duration
        if now > give_up_after:  # already later than the best order gets home: it cannot win
            return None
    back = problem.travel.arrival(node, plan.end_node, now, tour)
    if back > plan.latest:
        return None
    return (back, back - (left if left is not None else plan.earliest))


def _neighbours(route: list[int]) -> list[list[int]]:
    moves: list[list[int]] = []
    for i in range(len(route)):
        rest = route[:i] + route[i + 1 :]
        for j in range(len(route)):
            if j != i:
                moves.append([*rest[:j], route[i], *rest[j:]])
    for i in range(len(route)):
        for j in range(i + 2, len(route) + 1):
            moves.append(route[:i] + route[i:j][::-1] + route[j:])
    return moves


def tidy_routes(problem: Problem, routes: Sequence[Sequence[int]]) -> list[list[int]]:
    """Each route reordered (same visits, same day) to be back soonest; infeasible ones are left as given."""
    tidied: list[list[int]] = []
    for tour, given in enumerate(routes):
        route = list(given)
        best = _time_away(problem, tour, route)
        for _round in range(_MAX_ROUNDS if best is not None else 0):
            improved = False
            for candidate in _neighbours(route):
                value = _time_away(problem, tour, candidate, best[0] if best is not None else NEVER)
                if value is not None and best is not None and value < best:
                    route, best, improved = candidate, value, True
                    break
            if not improved:
                break
        tidied.append(route)
    return tidied
