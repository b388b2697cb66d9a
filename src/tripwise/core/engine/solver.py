"""The itinerary solver: which stops to visit, on which tour, in which order.

Tiny problems go to the exact search (`exact.solve_exact`), whose answer is the proven optimum. Everything
else goes to a ruin-and-recreate search with simulated annealing, compiled with numba (`_search`, whose
doc has the details): it removes a few visits, re-inserts greedily by weight^p / added time, shortens
tours by or-opt, fills again and accepts by annealing. The goal is lexicographic: mandatory stops first,
then score; a mandatory stop simply weighs more than every score together.

The compiled search runs in chunks between which the wall clock is read (numba code cannot read it), and
all of its state lives in arrays that outlast a chunk, so that a search capped by `max_iterations` is the
same search however it is chunked: deterministic for a seed.

>>> from tripwise.core.engine.model import MatrixTravel, Stop, Tour, Window
>>> museum = Stop(node=1, score=5, duration=10, windows=((Window(20, 30),),), label="museum")
>>> problem = Problem(stops=(museum,), tours=(Tour(0, 0, 0, 100),), travel=MatrixTravel(((0, 5), (5, 0))))
>>> solve(problem).routes()
[[0]]
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import numpy as np

from tripwise.core.engine import _search
from tripwise.core.engine._arrays import Arrays, build_arrays
from tripwise.core.engine.checker import check
from tripwise.core.engine.exact import solve_exact
from tripwise.core.engine.explain import left_out_reasons
from tripwise.core.engine.model import (
    LeftOut,
    MatrixTravel,
    Problem,
    Solution,
    Stop,
    TimetableTravel,
    Tour,
    Window,
)

__all__ = ["solve", "warm_up"]

EXACT_MAX_STOPS = 8  # the exact search proves its optimum in milliseconds up to about here
_CHUNK_SECONDS = 0.02  # how long one compiled chunk may run before the clock is read again
_RESERVE_SECONDS = 0.05  # kept back from the time limit for building the answer
_PATIENCE = 30_000  # iterations without a new best after which a time-limited search stops early
_PATIENCE_PER_STOP = 500  # ... or this many per stop, if more


def solve(
    problem: Problem,
    *,
    time_limit: float = 2.0,
    seed: int = 0,
    max_iterations: int | None = None,
    explain: bool = True,
    exact: bool = True,
    workers: int = 1,
) -> Solution:
    """The best plan found within `time_limit` seconds (or exactly `max_iterations` search iterations).

    A time-limited search stops early once it has gone long without a new best. With `max_iterations`
    the answer depends only on the problem and the seed (and the time limit is not read). The reasons
    for left-out stops are worked out after the search, outside `time_limit`, and can take seconds on a
    large problem: `explain=False` skips them but for missing mandatory stops (a benchmark needs none).
    `exact=False` runs the heuristic even on a tiny problem (tests measure it against the optimum).
    `workers` > 1 runs that many independent searches in threads and keeps the best. Raises TypeError for
    a travel model other than MatrixTravel, TimetableTravel or TableTravel.
    """
    started = time.perf_counter()
    arrays = build_arrays(problem)
    routes: list[list[int]] | None = None
    stats: dict[str, int] = {}
    if exact and len(problem.stops) <= EXACT_MAX_STOPS:
        routes = solve_exact(problem, max_stops=EXACT_MAX_STOPS)
        if routes is not None:
            stats = {"exact": 1, "iterations": 0}
    if routes is None:
        deadline = started + time_limit - _RESERVE_SECONDS
        routes, stats = _heuristic(
            arrays, seed=seed, deadline=deadline, max_iterations=max_iterations, workers=workers
        )
    return _solution(problem, routes, stats, started, explain=explain)


def _heuristic(
    arrays: Arrays, *, seed: int, deadline: float, max_iterations: int | None, workers: int = 1
) -> tuple[list[list[int]], dict[str, int]]:
    """Run `workers` independent searches (threads: the compiled code releases the GIL), keep the best.

    Worker k is seeded from (seed, k) and always runs in the same thread, so a capped run is as
    deterministic with several workers as with one; ties go to the lowest k.
    """
    searches = [_Search(arrays, seed=(seed * 1_000_003 + k) % 2**32) for k in range(max(workers, 1))]
    threads = [
        threading.Thread(target=search.run, args=(deadline, max_iterations), daemon=True)
        for search in searches[1:]
    ]
    for thread in threads:
        thread.start()
    searches[0].run(deadline, max_iterations)
    for thread in threads:
        thread.join()
    winner = max(searches, key=lambda search: int(search.best.totals[0]))  # the first of equals
    best = winner.best
    routes = [[int(e) for e in best.seq[t, 1 : best.length[t] + 1]] for t in range(arrays.n_tours)]
    stats = {
        "iterations": sum(int(search.ctl[_search.IT]) for search in searches),
        "restarts": sum(int(search.ctl[_search.RESTARTS]) for search in searches),
        "best_found_at_iteration": int(winner.ctl[_search.BEST_AT]),
        "workers": len(searches),
    }
    return routes, stats


class _Search:
    """One compiled search with its own state; run() drives it in chunks until the deadline or the cap."""

    def __init__(self, arrays: Arrays, *, seed: int) -> None:
        self.arrays = arrays
        self.seed = seed
        self.state = _search.new_state(arrays)
        self.cand = _search.new_state(arrays)
        self.best = _search.new_state(arrays)
        self.ctl = np.zeros(_search.CTL_SIZE, dtype=np.int64)
        params = np.zeros(_search.PARAMS_SIZE, dtype=np.float64)
        params[_search.NOISE] = 0.3
        params[_search.RESTART_AFTER] = 2000
        params[_search.RUIN_FRACTION] = 0.6
        params[_search.RUIN_MOST] = 25
        scores = arrays.weight[: arrays.n]
        # Temperature in score units: losing about one average stop is often accepted at first.
        mean = float(scores[scores > 0].mean()) if (scores > 0).any() else 0.0
        params[_search.TEMPERATURE] = 2.0 * mean
        params[_search.COOLING] = 0.01
        params[_search.POWER_LOW] = 1.0
        params[_search.POWER_HIGH] = 2.0
        params[_search.BAN] = 0.5
        params[_search.POLISH_SPAN] = 10
        params[_search.MIX] = 0.5
        params[_search.STRING_TOURS] = 0.3
        self.params = params
        # A search this long without a new best has settled: a small trip need not take the whole limit.
        self.patience = max(_PATIENCE, _PATIENCE_PER_STOP * arrays.n)
        self.work = _search.new_work(arrays, self.ctl, params)

    def run(self, deadline: float, max_iterations: int | None) -> None:
        arrays, ctl, params = self.arrays, self.ctl, self.params
        if not arrays.n_tours:
            return
        _search.start_search(arrays, self.state, self.best, self.work, self.seed)
        begun = time.perf_counter()
        span = max(deadline - begun, 1e-3)
        chunk = 8
        while True:
            done = int(ctl[_search.IT])
            if max_iterations is not None:
                steps = min(chunk, max_iterations - done)
                if steps <= 0:
                    return
                params[_search.PROGRESS] = done / max_iterations
                params[_search.PROGRESS_STEP] = 1.0 / max_iterations
            else:
                now = time.perf_counter()
                if now >= deadline or done - int(ctl[_search.BEST_AT]) > self.patience:
                    return
                steps = chunk
                params[_search.PROGRESS] = (now - begun) / span
                params[_search.PROGRESS_STEP] = _CHUNK_SECONDS / span / chunk
            before = time.perf_counter()
            _search.run_search(arrays, self.state, self.cand, self.best, self.work, steps)
            took = time.perf_counter() - before
            if max_iterations is None:
                # Aim each chunk at _CHUNK_SECONDS, so the clock is read often but costs nothing.
                chunk = max(1, min(chunk * 2, int(steps * _CHUNK_SECONDS / max(took, 1e-6))))
            else:
                chunk = min(chunk * 2, 1024)


def _solution(
    problem: Problem, routes: list[list[int]], stats: dict[str, int], started: float, *, explain: bool
) -> Solution:
    result = check(problem, routes)
    if not result.feasible:
        # A bug in the compiled bookkeeping must never reach a traveller: keep what re-simulates.
        routes = _repair(problem, routes)
        result = check(problem, routes)
        stats = {**stats, "repaired": 1}
    left_out: tuple[LeftOut, ...] = ()
    if explain or result.missing_mandatory:
        left_out = left_out_reasons(problem, routes)
        if not explain:
            missing = set(result.missing_mandatory)
            left_out = tuple(left for left in left_out if left.stop in missing)
    return Solution(
        tours=result.plans,
        left_out=left_out,
        score=result.score,
        cost=result.cost,
        seconds=time.perf_counter() - started,
        stats=stats,
    )


def _repair(problem: Problem, routes: Sequence[Sequence[int]]) -> list[list[int]]:
    kept: list[list[int]] = [[] for _ in problem.tours]
    for t in range(len(problem.tours)):
        for stop in routes[t] if t < len(routes) else ():
            trial = [list(route) for route in kept]
            trial[t].append(stop)
            if check(problem, trial).feasible:
                kept = trial
    return kept


def warm_up() -> float:
    """Compile the search (static and timetable travel) on a tiny problem; the seconds it took.

    numba compiles on first call and caches the machine code in __pycache__, so this is slow once per
    install and fast afterwards; a benchmark calls it before starting its clock.
    """
    started = time.perf_counter()
    times = ((0, 3, 4, 5), (3, 0, 2, 4), (4, 2, 0, 3), (5, 4, 3, 0))
    stops = tuple(
        Stop(node=i, score=i, duration=2, windows=((Window(0, 30),), (Window(0, 5), Window(10, 30))))
        for i in range(1, 4)
    )
    tours = (Tour(0, 0, 0, 40), Tour(0, 0, 0, 40))
    for travel in (MatrixTravel(times), TimetableTravel(fixed=times, connections={})):
        problem = Problem(stops=stops, tours=tours, travel=travel)
        _heuristic(build_arrays(problem), seed=0, deadline=0.0, max_iterations=3)
    single = Problem(
        stops=tuple(Stop(node=i, score=i, duration=2, windows=((Window(0, 30),),)) for i in range(1, 4)),
        tours=(Tour(0, 0, 0, 40),),
        travel=MatrixTravel(times),
    )
    _heuristic(build_arrays(single), seed=0, deadline=0.0, max_iterations=3)
    return time.perf_counter() - started
