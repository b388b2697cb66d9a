"""The solver: every answer passes the independent checker, and on tiny problems it is the optimum.

Searches here are capped by iterations (max_iterations), never by time: the answers are the same on a
slow CI machine, and no test asserts anything about speed.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings

from tests.core.engine.strategies import problems
from tripwise.core.engine.checker import assert_feasible, check
from tripwise.core.engine.exact import solve_exact
from tripwise.core.engine.model import (
    Connection,
    MatrixTravel,
    Problem,
    Reason,
    Solution,
    Stop,
    TimetableTravel,
    Tour,
    Window,
)
from tripwise.core.engine.solver import solve, warm_up

SEARCH = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def mandatory_and_score(problem: Problem, routes: list[list[int]]) -> tuple[int, int]:
    visited = [index for route in routes for index in route]
    return sum(problem.stops[i].mandatory for i in visited), sum(problem.stops[i].score for i in visited)


def grid_problem(stops: int, tours: int, *, seed: int = 1) -> Problem:
    """A benchmark-like problem: stops on a grid, Euclidean times, one window each, same day per tour."""
    points = [(0, 0)] + [
        ((i * 37 + seed * 11) % 50 - 25, (i * 53 + seed * 7) % 50 - 25) for i in range(stops)
    ]
    times = tuple(tuple(int(math.dist(a, b)) for b in points) for a in points)
    opens = [(i * 29) % 150 for i in range(stops)]
    return Problem(
        stops=tuple(
            Stop(
                node=i + 1,
                score=1 + (i * 7) % 10,
                duration=5,
                windows=tuple((Window(opens[i], opens[i] + 40),) for _ in range(tours)),
            )
            for i in range(stops)
        ),
        tours=tuple(Tour(0, 0, 0, 200) for _ in range(tours)),
        travel=MatrixTravel(times),
    )


def test_warm_up_compiles_and_says_how_long() -> None:
    assert warm_up() >= 0.0


@SEARCH
@given(problems(max_stops=14, max_tours=3))
def test_every_answer_is_feasible_and_truthful(problem: Problem) -> None:
    solution = solve(problem, max_iterations=60, exact=False)
    result = assert_feasible(problem, solution)
    assert problem.budget is None or result.cost <= problem.budget
    visited = {index for route in solution.routes() for index in route}
    assert {left.stop for left in solution.left_out} == set(range(len(problem.stops))) - visited


def metric(problem: Problem) -> Problem:
    """The problem with its travel times replaced by shortest paths, so the triangle inequality holds.

    Without it a plan can be feasible while no part of it is (a detour beats the direct road), which no
    insertion heuristic builds one stop at a time; tiny real problems go to the exact search for that.
    """
    assert isinstance(problem.travel, MatrixTravel)
    times = [list(row) for row in problem.travel.times]
    size = len(times)
    for via in range(size):
        for a in range(size):
            for b in range(size):
                times[a][b] = min(times[a][b], times[a][via] + times[via][b])
    return replace(problem, travel=MatrixTravel(tuple(tuple(row) for row in times)))


@SEARCH
@given(problems(max_stops=6, max_tours=2, travel="matrix").map(metric))
def test_the_heuristic_finds_the_optimum_of_tiny_problems(problem: Problem) -> None:
    optimum = solve_exact(problem)
    assert optimum is not None
    solution = solve(problem, max_iterations=300, exact=False, explain=False)
    assert_feasible(problem, solution)
    # Lexicographic: it keeps every mandatory stop some feasible plan holds, then matches the score.
    assert mandatory_and_score(problem, solution.routes()) == mandatory_and_score(problem, optimum)


@settings(max_examples=30, deadline=None)
@given(problems(max_stops=8, max_tours=3))
def test_tiny_problems_get_the_exact_optimum(problem: Problem) -> None:
    optimum = solve_exact(problem)
    assert optimum is not None
    solution = solve(problem)
    assert_feasible(problem, solution)
    assert solution.stats["exact"] == 1
    assert mandatory_and_score(problem, solution.routes()) == mandatory_and_score(problem, optimum)


@settings(max_examples=20, deadline=None)
@given(problems(min_stops=9, max_stops=16, max_tours=3))
def test_a_capped_search_is_deterministic_for_a_seed(problem: Problem) -> None:
    first = solve(problem, max_iterations=80, seed=7)
    again = solve(problem, max_iterations=80, seed=7)
    assert first.routes() == again.routes()
    assert first.stats == again.stats
    assert first.left_out == again.left_out


def test_parallel_workers_are_deterministic_too_and_never_worse_than_one() -> None:
    problem = grid_problem(40, 2, seed=3)
    alone = solve(problem, max_iterations=100, seed=5, explain=False)
    first = solve(problem, max_iterations=100, seed=5, explain=False, workers=2)
    again = solve(problem, max_iterations=100, seed=5, explain=False, workers=2)
    assert_feasible(problem, first)
    assert first.routes() == again.routes()
    assert first.stats["workers"] == 2
    # Worker 0 runs the same search as a single worker; the others can only add.
    assert first.score >= alone.score


def test_a_stop_closed_on_every_tour_is_left_out_with_no_window() -> None:
    problem = grid_problem(12, 2)
    closed = Stop(node=1, score=100, duration=1, windows=((), ()), label="closed museum")
    problem = Problem(stops=(*problem.stops, closed), tours=problem.tours, travel=problem.travel)
    solution = solve(problem, max_iterations=50)
    assert_feasible(problem, solution)
    reasons = {left.stop: left.reason for left in solution.left_out}
    assert reasons[len(problem.stops) - 1] == Reason.NO_WINDOW


def test_the_budget_is_respected() -> None:
    base = grid_problem(20, 2)
    stops = tuple(
        Stop(node=s.node, score=s.score, duration=s.duration, windows=s.windows, cost=10) for s in base.stops
    )
    problem = Problem(stops=stops, tours=base.tours, travel=base.travel, budget=35)
    solution = solve(problem, max_iterations=200)
    result = assert_feasible(problem, solution)
    assert result.cost <= 35
    assert len(solution.routes()[0]) + len(solution.routes()[1]) == 3
    assert any(left.reason == Reason.OVER_BUDGET for left in solution.left_out)


def test_a_mandatory_stop_beats_any_score() -> None:
    base = grid_problem(15, 1)
    stops = list(base.stops)
    # Far out and with a small score: only the must-see rule brings it in.
    stops[0] = Stop(node=stops[0].node, score=1, duration=60, windows=stops[0].windows, mandatory=True)
    problem = Problem(stops=tuple(stops), tours=base.tours, travel=base.travel)
    solution = solve(problem, max_iterations=200)
    assert_feasible(problem, solution)
    assert 0 in solution.routes()[0]


def test_timetable_travel_uses_the_bus() -> None:
    # Walking there takes 100 (too long for the day); the 10:00 bus takes 5.
    fixed = ((0, 100, 100), (100, 0, 100), (100, 100, 0))
    connections = {(0, 0, 1): (Connection(10, 15),), (0, 1, 0): (Connection(30, 35), Connection(50, 52))}
    stops = tuple(Stop(node=1, score=5 + i, duration=3, windows=((Window(0, 45),),)) for i in range(10))
    problem = Problem(
        stops=stops, tours=(Tour(0, 0, 0, 60),), travel=TimetableTravel(fixed=fixed, connections=connections)
    )
    solution = solve(problem, max_iterations=100)
    result = assert_feasible(problem, solution)
    # Two buses back; everything fits between the 15:00 arrival and the 50:00 bus.
    assert result.score == sum(stop.score for stop in stops)
    assert solution.tours[0].visits[0].arrival == 15


@pytest.mark.parametrize("tours", [1, 2, 4])
def test_a_benchmark_like_problem_is_solved_within_a_time_limit(tours: int) -> None:
    problem = grid_problem(60, tours, seed=tours)
    solution: Solution = solve(problem, time_limit=0.3, explain=False)
    result = assert_feasible(problem, solution)
    assert result.score > 0
    assert solution.stats["iterations"] > 0
    assert len(solution.tours) == tours
    assert check(problem, solution.routes()).feasible


def test_unknown_travel_is_refused_with_the_types_it_takes() -> None:
    class Teleport:
        def arrival(self, origin: int, destination: int, depart: int, tour: int) -> int:
            return depart

    problem = Problem(stops=(), tours=(Tour(0, 0, 0, 10),), travel=Teleport())
    with pytest.raises(TypeError, match="MatrixTravel, TimetableTravel or TableTravel"):
        solve(problem)
