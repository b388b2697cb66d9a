"""The exact solver: equal to an independent brute force on tiny instances, always accepted by the checker."""

from __future__ import annotations

import itertools

from hypothesis import given, settings

from tests.core.engine.strategies import problems
from tests.core.engine.test_checker import DAY1, museum, naive_feasible, park, trip
from tripwise.core.engine.checker import check
from tripwise.core.engine.exact import solve_exact
from tripwise.core.engine.model import NEVER, MatrixTravel, Problem, Stop, Tour, Window


def brute_force(problem: Problem) -> tuple[int, int]:
    """The best (mandatory visited, score): every assignment of stops to tours, every order within a tour.

    Feasibility comes from test_checker's naive simulation, not from the checker or the exact solver.
    """
    n, m = len(problem.stops), len(problem.tours)
    best = (0, 0)
    for assignment in itertools.product(range(-1, m), repeat=n):
        chosen = [i for i in range(n) if assignment[i] >= 0]
        key = (sum(problem.stops[i].mandatory for i in chosen), sum(problem.stops[i].score for i in chosen))
        if key <= best:
            continue
        per_tour = [[i for i in range(n) if assignment[i] == t] for t in range(m)]
        if all(
            any(
                naive_feasible(problem, [list(order) if u == t else [] for u in range(m)])
                for order in itertools.permutations(members)
            )
            for t, members in enumerate(per_tour)
        ) and (problem.budget is None or sum(problem.stops[i].cost for i in chosen) <= problem.budget):
            best = key
    return best


def objective(problem: Problem, routes: list[list[int]]) -> tuple[int, int]:
    visited = [i for route in routes for i in route]
    return sum(problem.stops[i].mandatory for i in visited), sum(problem.stops[i].score for i in visited)


def test_too_many_stops_gives_none() -> None:
    many = trip(*[park(label=f"p{i}") for i in range(9)])
    assert solve_exact(many) is None
    assert solve_exact(many, max_stops=9) is not None


def test_no_tours_and_no_stops() -> None:
    assert solve_exact(Problem(stops=(), tours=(), travel=MatrixTravel(((0,),)))) == []
    assert solve_exact(trip()) == [[], []]


def test_a_small_trip_is_planned_optimally() -> None:
    # The museum is open only on day 1 and the park both days: both fit on day 1 (museum first, 10:00 opening).
    problem = trip(museum(), park())
    assert solve_exact(problem) == [[1, 0], []]
    assert check(problem, [[1, 0], []]).score == 14


def test_the_tie_break_prefers_the_earlier_return() -> None:
    # Either day holds the park; day 1 ends earlier in the clock, so that sum of return times is smaller.
    assert solve_exact(trip(park())) == [[0], []]


def test_a_must_see_outweighs_any_score() -> None:
    # Only one of them fits in the day; the mandatory one wins despite its lower score.
    slot = ((Window(600, 600),), ())
    problem = trip(museum(windows=slot, score=1, mandatory=True), park(windows=slot, score=50), tours=(DAY1,))
    assert solve_exact(problem) == [[0]]


def test_a_detour_beats_the_direct_road() -> None:
    # No triangle inequality: 0 -> 1 direct takes 100, but 0 -> 2 -> 1 takes 2. The day is only 50 long.
    travel = MatrixTravel(((0, 100, 1), (1, 0, 100), (1, 1, 0)))
    stops = tuple(Stop(node=node, score=5, duration=0, windows=((Window(0, 50),),)) for node in (1, 2))
    problem = Problem(stops=stops, tours=(Tour(0, 0, 0, 50),), travel=travel)
    assert solve_exact(problem) == [[1, 0]]


def test_unreachable_stops_are_left_out() -> None:
    travel = MatrixTravel(((0, NEVER), (NEVER, 0)))
    stop = Stop(node=1, score=5, duration=0, windows=((Window(0, 50),),))
    assert solve_exact(Problem(stops=(stop,), tours=(Tour(0, 0, 0, 50),), travel=travel)) == [[]]


def test_budget_is_respected() -> None:
    problem = trip(museum(cost=30), park(cost=25), budget=50)
    routes = solve_exact(problem)
    assert routes == [[0], []]
    assert check(problem, routes).feasible


@settings(max_examples=200, deadline=None)
@given(problems(max_stops=5, max_tours=2))
def test_exact_equals_brute_force(problem: Problem) -> None:
    routes = solve_exact(problem)
    assert routes is not None
    assert check(problem, routes).feasible
    assert objective(problem, routes) == brute_force(problem)


@settings(max_examples=60, deadline=None)
@given(problems(min_stops=6, max_stops=8))
def test_every_exact_answer_passes_the_checker(problem: Problem) -> None:
    routes = solve_exact(problem)
    assert routes is not None
    result = check(problem, routes)
    assert result.feasible, result.violations
    assert solve_exact(problem) == routes  # deterministic


@settings(max_examples=30, deadline=None)
@given(problems(min_stops=6, max_stops=8, max_duration=3, max_travel_time=5))
def test_exact_is_fast_enough_when_everything_fits(problem: Problem) -> None:
    # Short visits and short walks: most orders are feasible, the worst case for the search.
    routes = solve_exact(problem)
    assert routes is not None
    assert check(problem, routes).feasible
