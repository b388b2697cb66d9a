"""The proven optimum of a tiny problem, by exhaustive depth-first search.

It exists so that a real trip with a handful of candidate places gets a plan that is provably the best,
and so that property tests can measure the heuristic solver against the optimum.

The objective is lexicographic: first the number of mandatory stops visited (a must-see outweighs any
score), then the total score, then the smaller sum of the times each used tour gets back to its end (an
earlier evening, and a deterministic answer), and last the lexicographically smallest routes.

The search extends one tour at a time, each with the earliest-start simulation the checker uses (FIFO
travel makes that schedule dominate every other, see checker's module doc). Two prunings keep it small:
- bound: a branch whose mandatory count and score, plus everything still unvisited, cannot reach the best
  found is dropped;
- dominance: two partial plans on the same tour, with the same stops visited and the same last stop, where
  one is there no later and has no larger arrival sum so far, can be completed the same way, and FIFO makes
  the earlier one's completions at least as good. The search meets partial plans in lexicographic order
  (closing a tour sorts before any further stop, as a shorter tuple sorts first), so the first one kept
  also wins every tie.
It never assumes the triangle inequality: a detour can be faster than the direct road.
"""

from __future__ import annotations

from tripwise.core.engine.checker import check, earliest_start, windows_on
from tripwise.core.engine.model import NEVER, Problem

__all__ = ["solve_exact"]

_START = -1  # "last stop" of a tour that has not visited anything yet


def solve_exact(problem: Problem, *, max_stops: int = 8) -> list[list[int]] | None:
    """The optimal routes (stop indices per tour, in order), or None when there are more than max_stops stops.

    Always returns an answer the checker accepts (all routes empty at worst); mandatory stops that no
    plan can hold are simply absent, as check() reports them in missing_mandatory.
    """
    stops = problem.stops
    tours = problem.tours
    if len(stops) > max_stops:
        return None
    if not tours:
        return []
    travel = problem.travel
    budget = problem.budget
    routes: list[list[int]] = [[] for _ in tours]
    best_key: tuple[int, int, int] | None = None  # (mandatory, score, -arrival sum)
    best_routes: list[list[int]] = [[] for _ in tours]
    # (tour, visited mask, last stop) -> Pareto front of (time, arrival sum) already explored
    explored: dict[tuple[int, int, int], list[tuple[int, int]]] = {}

    def dominated(state: tuple[int, int, int], time: int, arrivals: int) -> bool:
        front = explored.setdefault(state, [])
        if any(t0 <= time and a0 <= arrivals for t0, a0 in front):
            return True
        front[:] = [(t0, a0) for t0, a0 in front if not (time <= t0 and arrivals <= a0)]
        front.append((time, arrivals))
        return False

    def search(
        t: int,
        last: int,
        node: int,
        time: int,
        visited: int,
        mandatory: int,
        score: int,
        cost: int,
        arrivals: int,
        mandatory_left: int,
        score_left: int,
    ) -> None:
        nonlocal best_key, best_routes
        if best_key is not None and (mandatory + mandatory_left, score + score_left) < best_key[:2]:
            return
        if dominated((t, visited, last), time, arrivals):
            return
        tour = tours[t]
        # Close this tour: an empty one costs nothing, a used one must get back in time.
        back = 0
        closes = True
        if routes[t]:
            back = travel.arrival(node, tour.end_node, time, t)
            closes = back < NEVER and back <= tour.latest
        if closes:
            if t + 1 == len(tours):
                key = (mandatory, score, -(arrivals + back))
                if best_key is None or key > best_key:
                    best_key = key
                    best_routes = [list(route) for route in routes]
            else:
                following = tours[t + 1]
                search(
                    t + 1,
                    _START,
                    following.start_node,
                    following.earliest,
                    visited,
                    mandatory,
                    score,
                    cost,
                    arrivals + back,
                    mandatory_left,
                    score_left,
                )
        for index, stop in enumerate(stops):
            if visited >> index & 1 or not windows_on(stop, t):
                continue
            if budget is not None and cost + stop.cost > budget:
                continue
            arrival = travel.arrival(node, stop.node, time, t)
            if arrival >= NEVER:
                continue
            start = earliest_start(stop, t, arrival)
            if start is None:
                continue
            routes[t].append(index)
            search(
                t,
                index,
                stop.node,
                start + stop.duration,
                visited | 1 << index,
                mandatory + stop.mandatory,
                score + stop.score,
                cost + stop.cost,
                arrivals,
                mandatory_left - stop.mandatory,
                score_left - stop.score,
            )
            routes[t].pop()

    first = tours[0]
    search(
        0,
        _START,
        first.start_node,
        first.earliest,
        0,
        0,
        0,
        0,
        0,
        sum(stop.mandatory for stop in stops),
        sum(stop.score for stop in stops),
    )
    result = check(problem, best_routes)
    if not result.feasible:  # pragma: no cover - the search simulates exactly as the checker does
        raise AssertionError("solve_exact built an infeasible plan: " + "; ".join(result.violations))
    return best_routes
