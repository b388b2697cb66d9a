"""The checker: one hand-made case per violation, waiting, timetables, FIFO, and lying solvers caught."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings

from tests.core.engine.strategies import problem_and_routes, problems, routes_for
from tripwise.core.engine.checker import assert_feasible, check, earliest_start
from tripwise.core.engine.model import (
    NEVER,
    Connection,
    LeftOut,
    MatrixTravel,
    Problem,
    Reason,
    Routes,
    Solution,
    Stop,
    TimetableTravel,
    Tour,
    TourPlan,
    Visit,
    Window,
)

HOTEL, MUSEUM, PARK, CAFE = 0, 1, 2, 3
# Minutes on foot between the hotel, the museum, the park and the café (not symmetric on purpose).
WALK = MatrixTravel(
    times=(
        (0, 10, 20, 5),
        (12, 0, 15, 8),
        (20, 15, 0, 10),
        (5, 8, 10, 0),
    )
)
DAY1 = Tour(start_node=HOTEL, end_node=HOTEL, earliest=540, latest=1080)  # 09:00-18:00, in minutes
DAY2 = Tour(start_node=HOTEL, end_node=HOTEL, earliest=1440 + 540, latest=1440 + 1080)


def museum(**changes: Any) -> Stop:
    stop = Stop(
        node=MUSEUM,
        score=10,
        duration=90,
        windows=((Window(600, 930),), ()),  # day 1: starts 10:00-15:30; closed on day 2
        cost=5,
        label="museum",
    )
    return replace(stop, **changes)


def park(**changes: Any) -> Stop:
    stop = Stop(
        node=PARK, score=4, duration=60, windows=((Window(540, 1000),), (Window(1980, 2440),)), label="park"
    )
    return replace(stop, **changes)


def trip(*stops: Stop, budget: int | None = None, tours: tuple[Tour, ...] = (DAY1, DAY2)) -> Problem:
    return Problem(stops=stops, tours=tours, travel=WALK, budget=budget)


def only_violation(problem: Problem, routes: Routes) -> str:
    result = check(problem, routes)
    assert not result.feasible
    assert len(result.violations) == 1, result.violations
    return result.violations[0]


def test_waiting_for_the_museum_to_open_is_fine() -> None:
    result = check(trip(museum()), [[0], []])
    assert result.feasible
    assert result.violations == ()
    # Leaves at 09:00, arrives 09:10, waits 50 minutes for 10:00, leaves at 11:30, back 11:42.
    assert result.plans[0] == TourPlan(
        tour=0, depart=540, visits=(Visit(stop=0, arrival=550, start=600, end=690),), arrive=702
    )
    assert result.plans[0].visits[0].wait == 50
    assert result.plans[1] == TourPlan(tour=1, depart=1980, visits=(), arrive=1980)
    assert (result.score, result.cost) == (10, 5)


def test_the_second_window_is_used_when_the_first_has_closed() -> None:
    two_windows = museum(windows=((Window(500, 545), Window(700, 930)), ()))
    result = check(trip(two_windows), [[0], []])
    assert result.feasible
    assert result.plans[0].visits[0] == Visit(stop=0, arrival=550, start=700, end=790)


def test_earliest_start_picks_the_first_window_not_yet_closed() -> None:
    stop = museum(windows=((Window(10, 20), Window(30, 40)),))
    assert [earliest_start(stop, 0, t) for t in (5, 15, 20, 21, 35, 40, 41)] == [10, 15, 20, 30, 35, 40, None]
    assert earliest_start(stop, 1, 0) is None  # no window list for tour 1 at all: closed


def test_unknown_stop_index() -> None:
    message = only_violation(trip(museum()), [[0, 7], []])
    assert message == "tour 0, position 1: stop index 7 does not exist (the problem has 1 stops)"
    assert "does not exist" in only_violation(trip(museum()), [[-1], []])


def test_stop_visited_twice_in_one_tour() -> None:
    message = only_violation(trip(park()), [[0, 0], []])
    assert message == "tour 0, position 1: stop 0 (park) is visited twice (first at tour 0, position 0)"


def test_stop_visited_twice_across_tours() -> None:
    message = only_violation(trip(park()), [[0], [0]])
    assert message == "tour 1, position 0: stop 0 (park) is visited twice (first at tour 0, position 0)"


def test_no_window_on_that_tour() -> None:
    message = only_violation(trip(museum()), [[], [0]])
    assert message == "tour 1, position 0: stop 0 (museum) has no window on this tour (closed that day)"


def test_arrived_after_the_last_window_closed() -> None:
    late = replace(DAY1, earliest=925)  # leaves 15:25, reaches the museum 15:35, last start was 15:30
    message = only_violation(trip(museum(), tours=(late, DAY2)), [[0], []])
    assert (
        message
        == "tour 0, position 0: stop 0 (museum) is reached at 935, after its last window on this tour closed at 930"
    )


def test_unreachable_stop() -> None:
    no_path = TimetableTravel(fixed=((0, NEVER), (NEVER, 0)), connections={})
    problem = Problem(stops=(museum(),), tours=(DAY1,), travel=no_path)
    message = only_violation(problem, [[0]])
    assert (
        message
        == "tour 0, position 0: stop 0 (museum) is unreachable: leaving node 0 at 540 never gets to node 1"
    )


def test_back_too_late() -> None:
    short_day = replace(DAY1, latest=700)
    message = only_violation(trip(museum(), tours=(short_day, DAY2)), [[0], []])
    assert message == "tour 0: back too late: reaches the end node 0 at 702, the tour ends at 700"


def test_cannot_get_back_at_all() -> None:
    one_way = TimetableTravel(fixed=((0, 10), (NEVER, 0)), connections={})
    problem = Problem(stops=(museum(),), tours=(DAY1,), travel=one_way)
    assert only_violation(problem, [[0]]) == (
        "tour 0: cannot get back: leaving node 1 at 690 never gets to the end node 0"
    )


def test_over_budget() -> None:
    message = only_violation(trip(museum(cost=30), park(cost=25), budget=50), [[0, 1], []])
    assert message == "over budget: the visits cost 55, the budget is 50"


def test_a_budget_met_exactly_is_fine() -> None:
    assert check(trip(museum(cost=30), park(cost=20), budget=50), [[0, 1], []]).feasible


def test_wrong_number_of_routes() -> None:
    assert only_violation(trip(museum()), [[0]]).startswith("1 routes given for 2 tours")
    result = check(trip(museum()), [[0], [], [0]])
    assert result.violations[0].startswith("3 routes given for 2 tours")
    assert "route 2 has visits but there is no tour 2" in result.violations


def test_every_violation_is_collected_and_the_rest_still_simulated() -> None:
    problem = trip(museum(), park(), budget=3)
    result = check(problem, [[9, 0, 0, 1], [0]])
    assert len(result.violations) == 4, result.violations
    assert "stop index 9" in result.violations[0]
    assert "visited twice" in result.violations[1]
    assert "tour 1, position 0: stop 0 (museum) is visited twice" in result.violations[2]
    assert result.violations[3] == "over budget: the visits cost 5, the budget is 3"
    # The museum and the park were still scheduled on day 1.
    assert [visit.stop for visit in result.plans[0].visits] == [0, 1]
    assert result.score == 14


def test_missing_mandatory_is_reported_apart_not_as_a_violation() -> None:
    result = check(trip(museum(mandatory=True), park(mandatory=True)), [[1], []])
    assert result.feasible
    assert result.missing_mandatory == (0,)


def test_an_empty_day_is_feasible_even_when_its_end_is_out_of_reach() -> None:
    stranded = Tour(start_node=HOTEL, end_node=PARK, earliest=0, latest=5)
    assert check(trip(tours=(stranded,)), [[]]).feasible


# A bus network: the hotel (0) to the museum (1) by bus only; walking back takes 30.
def bus_trip(connections: tuple[Connection, ...], latest: int = 1080) -> Problem:
    travel = TimetableTravel(fixed=((0, NEVER), (30, 0)), connections={(0, HOTEL, MUSEUM): connections})
    return Problem(stops=(museum(),), tours=(replace(DAY1, latest=latest),), travel=travel)


def test_missing_the_bus_and_the_next_one_arrives_too_late() -> None:
    # The 08:50 bus has gone at 09:00; the next one, 15:00, arrives 15:40, after the last start at 15:30.
    problem = bus_trip((Connection(530, 560), Connection(900, 940)))
    assert only_violation(problem, [[0]]) == (
        "tour 0, position 0: stop 0 (museum) is reached at 940, after its last window on this tour closed at 930"
    )


def test_catching_the_later_bus_is_fine() -> None:
    problem = bus_trip((Connection(530, 560), Connection(800, 820)))
    result = check(problem, [[0]])
    assert result.feasible
    assert result.plans[0].visits[0] == Visit(stop=0, arrival=820, start=820, end=910)
    assert result.plans[0].arrive == 940


def test_a_slow_bus_leaving_first_does_not_hide_a_fast_one() -> None:
    # FIFO: the slow bus leaves at 09:10 and arrives 15:40; the express leaves 09:20 and arrives 09:40.
    problem = bus_trip((Connection(550, 940), Connection(560, 580)))
    result = check(problem, [[0]])
    assert result.feasible
    assert result.plans[0].visits[0].arrival == 600 - 20


# assert_feasible: a solver that lies is caught.


def honest(problem: Problem, routes: Routes) -> Solution:
    result = check(problem, routes)
    assert result.feasible
    return Solution(tours=result.plans, left_out=(), score=result.score, cost=result.cost)


def test_assert_feasible_accepts_an_honest_solution() -> None:
    problem = trip(museum(), park())
    result = assert_feasible(problem, honest(problem, [[0], [1]]))
    assert result.score == 14


def test_assert_feasible_catches_claimed_times_it_did_not_achieve() -> None:
    problem = trip(museum(), park())
    solution = honest(problem, [[0], [1]])
    early = replace(solution.tours[0].visits[0], arrival=545, start=545, end=635)  # before the museum opens
    lying = replace(solution, tours=(replace(solution.tours[0], visits=(early,)), solution.tours[1]))
    with pytest.raises(AssertionError, match=r"tour 0, position 0: claims Visit\(stop=0, arrival=545"):
        assert_feasible(problem, lying)


def test_assert_feasible_catches_a_later_start_than_the_earliest() -> None:
    problem = trip(museum(), park())
    solution = honest(problem, [[0], [1]])
    later = replace(solution.tours[0].visits[0], start=610, end=700)
    lying = replace(solution, tours=(replace(solution.tours[0], visits=(later,)), solution.tours[1]))
    with pytest.raises(AssertionError, match="earliest-start simulation gives"):
        assert_feasible(problem, lying)


def test_assert_feasible_catches_an_inflated_score_and_cost() -> None:
    problem = trip(museum(), park())
    solution = honest(problem, [[0], [1]])
    with pytest.raises(AssertionError, match="claimed score 99, the simulation scores 14"):
        assert_feasible(problem, replace(solution, score=99))
    with pytest.raises(AssertionError, match="claimed cost 0, the simulation costs 5"):
        assert_feasible(problem, replace(solution, cost=0))


def test_assert_feasible_catches_an_infeasible_route() -> None:
    problem = trip(museum(), park())
    solution = honest(problem, [[0], [1]])
    wrong_day = Solution(
        tours=(
            replace(solution.tours[0], visits=()),
            replace(solution.tours[1], visits=solution.tours[0].visits),
        ),
        left_out=(),
        score=10,
        cost=5,
    )
    with pytest.raises(AssertionError, match="has no window on this tour"):
        assert_feasible(problem, wrong_day)


def test_assert_feasible_requires_a_reason_for_a_missing_must_see() -> None:
    problem = trip(museum(mandatory=True), park())
    solution = honest(problem, [[], [1]])
    with pytest.raises(AssertionError, match=r"mandatory stop 0 \(museum\) is left out without a reason"):
        assert_feasible(problem, solution)
    explained = replace(solution, left_out=(LeftOut(0, Reason.DISPLACED, "..."),))
    assert assert_feasible(problem, explained).missing_mandatory == (0,)
    with pytest.raises(AssertionError, match="left_out names stop 1, which is visited"):
        assert_feasible(
            problem, replace(explained, left_out=(*explained.left_out, LeftOut(1, Reason.DISPLACED, "")))
        )


# Properties on random problems, against a second, deliberately naive simulation.


def naive_feasible(problem: Problem, routes: list[list[int]]) -> bool:
    """Feasibility by the definitions alone, written apart from the checker to cross-check it."""
    flat = [index for route in routes for index in route]
    if len(flat) != len(set(flat)):
        return False
    if problem.budget is not None and sum(problem.stops[i].cost for i in flat) > problem.budget:
        return False
    for t, (tour, route) in enumerate(zip(problem.tours, routes, strict=True)):
        if not route:
            continue
        node, time = tour.start_node, tour.earliest
        for index in route:
            stop = problem.stops[index]
            arrival = problem.travel.arrival(node, stop.node, time, t)
            starts = [max(arrival, w.open) for w in stop.windows[t] if arrival <= w.close]
            if arrival >= NEVER or not starts:
                return False
            node, time = stop.node, min(starts) + stop.duration
        if problem.travel.arrival(node, tour.end_node, time, t) > tour.latest:
            return False
    return True


@settings(max_examples=300, deadline=None)
@given(problem_and_routes())
def test_the_checker_agrees_with_a_naive_simulation(case: tuple[Problem, list[list[int]]]) -> None:
    problem, routes = case
    result = check(problem, routes)
    assert result.feasible == naive_feasible(problem, routes), result.violations
    assert len(result.plans) == len(problem.tours)
    if result.feasible:
        assert [[visit.stop for visit in plan.visits] for plan in result.plans] == routes
        assert result.score == sum(problem.stops[i].score for route in routes for i in route)


@settings(max_examples=200, deadline=None)
@given(problem_and_routes())
def test_a_feasible_schedule_keeps_every_rule(case: tuple[Problem, list[list[int]]]) -> None:
    problem, routes = case
    result = check(problem, routes)
    for t, plan in enumerate(result.plans):
        tour = problem.tours[t]
        node, time = tour.start_node, tour.earliest
        for visit in plan.visits:
            stop = problem.stops[visit.stop]
            assert visit.arrival == problem.travel.arrival(node, stop.node, time, t)
            assert visit.start >= visit.arrival
            assert any(w.open <= visit.start <= w.close for w in stop.windows[t])
            assert visit.end == visit.start + stop.duration
            node, time = stop.node, visit.end
        if result.feasible and plan.visits:
            assert plan.arrive <= tour.latest


@settings(max_examples=100, deadline=None)
@given(problems(max_stops=4).flatmap(lambda p: routes_for(p, repeats=True).map(lambda r: (p, r))))
def test_the_checker_never_crashes_on_repeated_stops(case: tuple[Problem, list[list[int]]]) -> None:
    problem, routes = case
    result = check(problem, routes)
    flat = [index for route in routes for index in route]
    if len(flat) != len(set(flat)):
        assert any("visited twice" in message for message in result.violations)
