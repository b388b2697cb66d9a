"""Hypothesis strategies for random small engine problems, shared by the checker, exact and solver tests.

Everything is drawn through hypothesis (no `random`), so a failing example replays and shrinks. The
problems are deliberately unkind:
- each tour is a "day" with its own start and end node and its own clock range (tour t lives in
  [t * DAY, (t + 1) * DAY)), so nothing may assume that tours share times or places;
- each stop has 0-2 windows per tour; no window is "closed that day";
- MatrixTravel times are arbitrary non-negative integers: no symmetry, no zero diagonal, no triangle
  inequality (a detour can beat the direct road);
- TimetableTravel has a fixed-time option that is sometimes NEVER (no walking path) plus a few
  connections per pair whose durations vary, so a slow bus may leave before a fast one;
- costs, an optional budget, and some mandatory stops.

Typical use:

    @given(problems(max_stops=5, max_tours=2))
    def test_something(problem: Problem) -> None: ...

    @given(problem_and_routes())
    def test_checker(case: tuple[Problem, list[list[int]]]) -> None: ...
"""

from __future__ import annotations

from typing import Any, Literal

from hypothesis import strategies as st

from tripwise.core.engine.model import (
    NEVER,
    Connection,
    MatrixTravel,
    Problem,
    Stop,
    TimetableTravel,
    Tour,
    Travel,
    Window,
)

DAY = 100  # length of one tour's clock range; tour t lives in [t * DAY, (t + 1) * DAY)
TravelKind = Literal["matrix", "timetable", "any"]

__all__ = ["DAY", "problem_and_routes", "problems", "routes_for", "travels", "windows_in_day"]


@st.composite
def windows_in_day(draw: st.DrawFn, tour: int, *, max_windows: int = 2) -> tuple[Window, ...]:
    """0..max_windows sorted, disjoint windows inside tour `tour`'s day (0 windows: closed that day)."""
    count = draw(st.integers(0, max_windows))
    points = sorted(
        draw(st.lists(st.integers(0, DAY - 1), min_size=2 * count, max_size=2 * count, unique=True))
    )
    base = tour * DAY
    return tuple(Window(base + points[2 * i], base + points[2 * i + 1]) for i in range(count))


@st.composite
def travels(
    draw: st.DrawFn, nodes: int, tours: int, kind: TravelKind = "any", *, max_time: int = 40
) -> Travel:
    """A MatrixTravel or TimetableTravel over `nodes` nodes, with times up to max_time."""
    if kind == "any":
        kind = draw(st.sampled_from(["matrix", "timetable"]))
    row = st.lists(st.integers(0, max_time), min_size=nodes, max_size=nodes).map(tuple)
    if kind == "matrix":
        return MatrixTravel(times=tuple(draw(st.lists(row, min_size=nodes, max_size=nodes))))
    fixed_time = st.one_of(st.integers(0, max_time), st.just(NEVER))
    fixed_row = st.lists(fixed_time, min_size=nodes, max_size=nodes).map(tuple)
    fixed = tuple(draw(st.lists(fixed_row, min_size=nodes, max_size=nodes)))
    pair = st.tuples(st.integers(0, tours - 1), st.integers(0, nodes - 1), st.integers(0, nodes - 1))
    connections: dict[tuple[int, int, int], tuple[Connection, ...]] = {}
    for key in draw(st.lists(pair, max_size=2 * nodes, unique=True)):
        departures = draw(st.lists(st.integers(0, DAY - 1), min_size=1, max_size=3))
        rides = [
            Connection(key[0] * DAY + depart, key[0] * DAY + depart + draw(st.integers(1, max_time)))
            for depart in departures
        ]
        connections[key] = tuple(sorted(rides, key=lambda ride: (ride.depart, ride.arrive)))
    return TimetableTravel(fixed=fixed, connections=connections)


@st.composite
def problems(
    draw: st.DrawFn,
    *,
    min_stops: int = 0,
    max_stops: int = 8,
    min_tours: int = 1,
    max_tours: int = 3,
    travel: TravelKind = "any",
    max_duration: int = 20,
    max_travel_time: int = 40,
    budgets: bool = True,
    mandatory: bool = True,
) -> Problem:
    """A random small Problem; see the module doc for what it exercises."""
    stop_count = draw(st.integers(min_stops, max_stops))
    tour_count = draw(st.integers(min_tours, max_tours))
    nodes = draw(st.integers(1, stop_count + 2))
    node = st.integers(0, nodes - 1)
    tours = []
    for t in range(tour_count):
        earliest, latest = sorted(draw(st.lists(st.integers(0, DAY - 1), min_size=2, max_size=2)))
        tours.append(
            Tour(
                start_node=draw(node),
                end_node=draw(node),
                earliest=t * DAY + earliest,
                latest=t * DAY + latest,
            )
        )
    stops = tuple(
        Stop(
            node=draw(node),
            score=draw(st.integers(0, 20)),
            duration=draw(st.integers(0, max_duration)),
            windows=tuple(draw(windows_in_day(t)) for t in range(tour_count)),
            cost=draw(st.integers(0, 10)) if budgets else 0,
            mandatory=draw(st.booleans()) if mandatory and draw(st.integers(0, 3)) == 0 else False,
            label=f"s{index}",
        )
        for index in range(stop_count)
    )
    budget = draw(st.one_of(st.none(), st.integers(0, 40))) if budgets else None
    return Problem(
        stops=stops,
        tours=tuple(tours),
        travel=draw(travels(nodes, tour_count, travel, max_time=max_travel_time)),
        budget=budget,
    )


@st.composite
def routes_for(draw: st.DrawFn, problem: Problem, *, repeats: bool = False) -> list[list[int]]:
    """Random routes for `problem` (feasible or not): distinct stops unless repeats, split over its tours."""
    indices = st.integers(0, len(problem.stops) - 1) if problem.stops else st.nothing()
    if repeats:
        chosen = draw(st.lists(indices, max_size=2 * len(problem.stops)))
    else:
        chosen = draw(st.permutations(range(len(problem.stops))))
        chosen = chosen[: draw(st.integers(0, len(chosen)))]
    routes: list[list[int]] = [[] for _ in problem.tours]
    for index in chosen:
        routes[draw(st.integers(0, len(problem.tours) - 1))].append(index)
    return routes


@st.composite
def problem_and_routes(draw: st.DrawFn, /, **problem_options: Any) -> tuple[Problem, list[list[int]]]:
    """A problem from problems(**problem_options) and random distinct-stop routes for it."""
    problem = draw(problems(**problem_options))
    return problem, draw(routes_for(problem))
