"""Why a stop was left out: each reason on a hand-made trip, and one reason per left-out stop always."""

from __future__ import annotations

from hypothesis import given, settings

from tests.core.engine.strategies import problem_and_routes
from tests.core.engine.test_checker import DAY1, DAY2, museum, park, trip
from tripwise.core.engine.checker import check
from tripwise.core.engine.explain import _tour_feasible, left_out_reasons
from tripwise.core.engine.model import LeftOut, Problem, Reason, Window


def test_closed_on_every_day_of_the_trip() -> None:
    closed = museum(windows=((), ()))
    assert left_out_reasons(trip(closed), [[], []]) == (
        LeftOut(0, Reason.NO_WINDOW, "no window on any day: it is closed on every day of the trip"),
    )


def test_open_but_out_of_reach_within_the_day() -> None:
    # Open on day 1 only, and the visit lasts past the end of the day.
    too_long = museum(duration=600)
    assert left_out_reasons(trip(too_long), [[], []]) == (
        LeftOut(
            0,
            Reason.NO_WINDOW,
            "it is open on day 1, but it cannot be reached and visited between that day's start and end",
        ),
    )


def test_it_fits_in_time_but_not_in_what_is_left_of_the_budget() -> None:
    problem = trip(museum(cost=30), park(cost=25), budget=50)
    (reason,) = left_out_reasons(problem, [[0], []])
    assert reason == LeftOut(
        1,
        Reason.OVER_BUDGET,
        "it fits into day 1 in time, but it costs 25 and only 20 of the budget of 50 is left",
    )


def test_it_costs_more_than_the_whole_budget() -> None:
    problem = trip(museum(cost=30), park(cost=60), budget=50)
    (reason,) = left_out_reasons(problem, [[0], []])
    assert reason == LeftOut(1, Reason.OVER_BUDGET, "it costs 60, more than the whole budget of 50")


def test_displaced_by_visits_worth_more() -> None:
    # One day; the museum (10) fills the only slot the park (4) could use.
    crowded_park = park(windows=((Window(600, 600),), ()))
    problem = trip(museum(windows=((Window(550, 600),), ())), crowded_park, tours=(DAY1,))
    assert check(problem, [[0]]).feasible
    assert not _tour_feasible(problem, 0, [0, 1])
    assert not _tour_feasible(problem, 0, [1, 0])
    assert left_out_reasons(problem, [[0]]) == (
        LeftOut(
            1,
            Reason.DISPLACED,
            "it fits alone on day 1, but every plan that holds it drops visits worth more",
        ),
    )


def test_a_stop_that_would_still_fit_is_said_so() -> None:
    problem = trip(museum(), park(), budget=None, tours=(DAY1, DAY2))
    (reason,) = left_out_reasons(problem, [[0], []])
    assert reason.reason is Reason.DISPLACED
    assert (
        reason.detail
        == "it would still fit into day 1 without dropping anything, but the planner did not add it"
    )


def test_tour_feasible_ignores_the_budget() -> None:
    assert _tour_feasible(trip(museum(cost=99), budget=1), 0, [0])
    assert not _tour_feasible(trip(museum()), 1, [0])


@settings(max_examples=150, deadline=None)
@given(problem_and_routes(max_stops=6))
def test_every_left_out_stop_gets_exactly_one_reason(case: tuple[Problem, list[list[int]]]) -> None:
    problem, routes = case
    reasons = left_out_reasons(problem, routes)
    routed = {index for route in routes for index in route}
    assert [reason.stop for reason in reasons] == [i for i in range(len(problem.stops)) if i not in routed]
    for reason in reasons:
        assert reason.detail
        alone = any(_tour_feasible(problem, t, [reason.stop]) for t in range(len(problem.tours)))
        assert (reason.reason is Reason.NO_WINDOW) == (not alone)
        if reason.reason is Reason.OVER_BUDGET:
            assert problem.budget is not None
