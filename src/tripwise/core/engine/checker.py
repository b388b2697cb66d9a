"""The independent feasibility checker: re-simulates a plan from the raw problem, trusting nothing else.

Every engine test runs it on every answer, and the product runs it before showing a plan, so it is kept
small and obvious rather than fast. It takes bare routes (stop indices per tour, in visit order) and
recomputes every time itself: a solver's own arrival times, scores or costs are never read.

Why leaving each start as early as possible and starting each visit as early as possible is enough to
decide feasibility: travel is FIFO (leaving later never arrives earlier), and "the earliest start inside a
window at or after an arrival" never decreases when the arrival grows. So, by induction along the route,
the earliest-everything schedule reaches every stop, starts every visit and gets back no later than any
other schedule for the same route. If it misses a window or the end of the day, every schedule does.

>>> from tripwise.core.engine.model import MatrixTravel, Stop, Tour, Window
>>> museum = Stop(node=1, score=5, duration=10, windows=((Window(20, 30),),), label="museum")
>>> problem = Problem(stops=(museum,), tours=(Tour(0, 0, 0, 100),), travel=MatrixTravel(((0, 5), (5, 0))))
>>> result = check(problem, [[0]])
>>> result.feasible, result.plans[0].visits[0]
(True, Visit(stop=0, arrival=5, start=20, end=30))
"""

from __future__ import annotations

from dataclasses import dataclass

from tripwise.core.engine.model import NEVER, Problem, Routes, Solution, Stop, TourPlan, Visit, Window

__all__ = ["CheckResult", "assert_feasible", "check", "earliest_start", "stop_name", "windows_on"]


@dataclass(frozen=True)
class CheckResult:
    feasible: bool  # no violations; missing mandatory stops do not count (see missing_mandatory)
    violations: tuple[str, ...]  # every problem found, in plain words, in route order
    score: int  # of the visits the simulation could schedule, each stop counted once
    cost: int  # likewise
    plans: tuple[TourPlan, ...]  # one per problem tour; an infeasible route keeps the visits that worked
    # Mandatory stops on no route. Not a violation: a must-see can be impossible (closed all trip), and
    # the solver's Solution.left_out is where that is explained to the traveller.
    missing_mandatory: tuple[int, ...]


def stop_name(problem: Problem, index: int) -> str:
    """ "stop 3 (alzhir)": the index for engineers, the caller's label for everyone else."""
    label = problem.stops[index].label
    return f"stop {index} ({label})" if label else f"stop {index}"


def windows_on(stop: Stop, tour: int) -> tuple[Window, ...]:
    # A stop given fewer window lists than there are tours is closed on the tours it does not mention.
    return stop.windows[tour] if tour < len(stop.windows) else ()


def earliest_start(stop: Stop, tour: int, arrival: int) -> int | None:
    """The earliest start at or after `arrival` inside one of the stop's windows on `tour`, or None.

    Windows are sorted and disjoint, so the first one that has not closed yet gives the earliest start:
    waiting for it to open if need be.
    """
    for window in windows_on(stop, tour):
        if window.close >= arrival:
            return max(arrival, window.open)
    return None


def check(problem: Problem, routes: Routes) -> CheckResult:
    """Simulate `routes` (routes[t]: stop indices for tour t, in order) and report every violation.

    A stop that cannot be scheduled (unknown, repeated, closed, missed, unreachable) is reported and then
    skipped: the rest of the tour is simulated as if it were not there, so each later message is about a
    problem of its own rather than an echo of the first one.

    A tour with no visits is always feasible: the traveller simply does not go out that day (its plan
    still shows the direct trip from start to end, which may be NEVER).
    """
    violations: list[str] = []
    if len(routes) != len(problem.tours):
        violations.append(
            f"{len(routes)} routes given for {len(problem.tours)} tours: give exactly one route per tour"
            " (an empty one for a day without visits)"
        )
    first_seen: dict[int, tuple[int, int]] = {}  # stop -> (tour, position) where it is first visited
    plans: list[TourPlan] = []
    score = 0
    cost = 0
    for t, tour in enumerate(problem.tours):
        route = routes[t] if t < len(routes) else ()
        node, time = tour.start_node, tour.earliest
        visits: list[Visit] = []
        for position, index in enumerate(route):
            where = f"tour {t}, position {position}"
            if not 0 <= index < len(problem.stops):
                violations.append(
                    f"{where}: stop index {index} does not exist (the problem has {len(problem.stops)} stops)"
                )
                continue
            name = stop_name(problem, index)
            if index in first_seen:
                seen_tour, seen_position = first_seen[index]
                violations.append(
                    f"{where}: {name} is visited twice (first at tour {seen_tour}, position {seen_position})"
                )
                continue
            first_seen[index] = (t, position)
            stop = problem.stops[index]
            if not windows_on(stop, t):
                violations.append(f"{where}: {name} has no window on this tour (closed that day)")
                continue
            arrival = problem.travel.arrival(node, stop.node, time, t)
            if arrival >= NEVER:
                violations.append(
                    f"{where}: {name} is unreachable: leaving node {node} at {time} never gets to node {stop.node}"
                )
                continue
            start = earliest_start(stop, t, arrival)
            if start is None:
                last_close = windows_on(stop, t)[-1].close
                violations.append(
                    f"{where}: {name} is reached at {arrival}, after its last window on this tour"
                    f" closed at {last_close}"
                )
                continue
            visit = Visit(stop=index, arrival=arrival, start=start, end=start + stop.duration)
            visits.append(visit)
            score += stop.score
            cost += stop.cost
            node, time = stop.node, visit.end
        back = problem.travel.arrival(node, tour.end_node, time, t)
        if visits and back >= NEVER:
            violations.append(
                f"tour {t}: cannot get back: leaving node {node} at {time} never gets to the end node"
                f" {tour.end_node}"
            )
        elif visits and back > tour.latest:
            violations.append(
                f"tour {t}: back too late: reaches the end node {tour.end_node} at {back},"
                f" the tour ends at {tour.latest}"
            )
        plans.append(TourPlan(tour=t, depart=tour.earliest, visits=tuple(visits), arrive=back))
    for t in range(len(problem.tours), len(routes)):
        if routes[t]:
            violations.append(f"route {t} has visits but there is no tour {t}")
    if problem.budget is not None and cost > problem.budget:
        violations.append(f"over budget: the visits cost {cost}, the budget is {problem.budget}")
    routed = {index for route in routes for index in route}
    missing = tuple(i for i, stop in enumerate(problem.stops) if stop.mandatory and i not in routed)
    return CheckResult(
        feasible=not violations,
        violations=tuple(violations),
        score=score,
        cost=cost,
        plans=tuple(plans),
        missing_mandatory=missing,
    )


def assert_feasible(problem: Problem, solution: Solution) -> CheckResult:
    """Check a solver's answer and that it tells the truth about itself; raise AssertionError if not.

    Beyond check(solution.routes()), it requires the claimed score and cost to equal the simulated ones,
    and every Visit's arrival, start and end to EQUAL the earliest-start simulation. Equality, not "later
    but still feasible": the solver's contract is to report the earliest-start schedule (the one that
    proves feasibility, see the module doc), so any other time is bookkeeping that drifted from reality.
    A tour's `depart` and `arrive` are not compared: a planner may choose to leave later to wait less.
    It also requires left_out to name only unvisited stops, each once, and to explain every missing
    mandatory stop (the benchmark may leave left_out empty otherwise: explaining costs time).
    """
    result = check(problem, solution.routes())
    problems = list(result.violations)
    if solution.score != result.score:
        problems.append(f"claimed score {solution.score}, the simulation scores {result.score}")
    if solution.cost != result.cost:
        problems.append(f"claimed cost {solution.cost}, the simulation costs {result.cost}")
    if len(solution.tours) != len(problem.tours):
        problems.append(f"{len(solution.tours)} tour plans for {len(problem.tours)} tours")
    for t, (claimed, simulated) in enumerate(zip(solution.tours, result.plans, strict=False)):
        if claimed.tour != t:
            problems.append(f"tour plan {t} says it is for tour {claimed.tour}")
        for position, (said, did) in enumerate(zip(claimed.visits, simulated.visits, strict=False)):
            if said != did:
                problems.append(
                    f"tour {t}, position {position}: claims {said}, the earliest-start simulation gives {did}"
                )
    visited = {index for route in solution.routes() for index in route}
    explained: set[int] = set()
    for left in solution.left_out:
        if left.stop in visited:
            problems.append(f"left_out names stop {left.stop}, which is visited")
        if left.stop in explained:
            problems.append(f"left_out names stop {left.stop} twice")
        explained.add(left.stop)
    for index in result.missing_mandatory:
        if index not in explained:
            problems.append(f"mandatory {stop_name(problem, index)} is left out without a reason")
    if problems:
        raise AssertionError("infeasible or misreported solution:\n  " + "\n  ".join(problems))
    return result
