"""A Problem as flat integer arrays, the only form the compiled search reads.

Stops are "extended": indices 0..n-1 are the problem's stops, then each tour t adds two pseudo-stops, its
start (n + 2t) and its end (n + 2t + 1), with zero duration, score and cost. A route is then simply
[start, stops..., end], and the departure from the start and the return to the end are checked by the same
code that checks a visit: the start has the one window [earliest, earliest] (leaving as early as possible
is never worse, travel being FIFO), the end has [earliest, latest].
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from tripwise.core.engine.model import NEVER, MatrixTravel, Problem, TableTravel, TimetableTravel

I64 = NDArray[np.int64]


class Arrays(NamedTuple):
    n: int  # the problem's stops; extended stops add 2 per tour
    n_tours: int
    n_nodes: int
    # Static travel and at most one window per stop and tour: a delay's effect on the rest of a route is
    # then summed up by one number per position (its slack), and insertions are checked in O(1).
    simple: bool
    static: bool  # MatrixTravel: times[o, d] is the travel time; otherwise the timetable arrays apply
    budget: int  # NEVER when the problem has none
    node: I64  # per extended stop
    weight: I64  # score, plus a weight above every score sum for a mandatory stop (lexicographic goal)
    duration: I64
    cost: I64
    win_ptr: I64  # (tours, extended stops + 1): windows of (t, e) are win_*[win_ptr[t, e]:win_ptr[t, e + 1]]
    win_open: I64
    win_close: I64
    times: I64  # (nodes, nodes): travel time (static) or the fixed-time alternative, NEVER for none
    conn_ptr: I64  # timetable: connections of (t, o, d) are conn_*[conn_ptr[k]:conn_ptr[k + 1]], k = (t*N + o)*N + d
    conn_depart: I64
    conn_best: I64  # the earliest arrival among this connection and every later one of the same triple
    # Per extended stop: a lower bound on the travel time to it from anywhere (-NEVER when travel can go
    # back in time). Departures along a route never decrease, so once the departure plus this bound is
    # past a stop's last window, no later position can take it.
    min_in: I64


def mandatory_weight(problem: Problem) -> int:
    """A weight that outranks any sum of scores, so that one more mandatory stop always wins."""
    return sum(max(stop.score, 0) for stop in problem.stops) + 1


def build_arrays(problem: Problem) -> Arrays:
    travel = problem.travel
    if isinstance(travel, MatrixTravel):
        static = True
        matrix = travel.times
    elif isinstance(travel, TimetableTravel | TableTravel):
        static = False
        matrix = travel.fixed
    else:
        raise TypeError(
            f"the solver takes MatrixTravel, TimetableTravel or TableTravel, not {type(travel).__name__}: its search is"
            " compiled and reads travel times as arrays"
        )
    n = len(problem.stops)
    n_tours = len(problem.tours)
    n_ext = n + 2 * n_tours
    times = np.array(matrix, dtype=np.int64).reshape(len(matrix), len(matrix))
    n_nodes = times.shape[0]

    big = mandatory_weight(problem)
    node = np.zeros(n_ext, dtype=np.int64)
    weight = np.zeros(n_ext, dtype=np.int64)
    duration = np.zeros(n_ext, dtype=np.int64)
    cost = np.zeros(n_ext, dtype=np.int64)
    for i, stop in enumerate(problem.stops):
        node[i] = stop.node
        weight[i] = max(stop.score, 0) + (big if stop.mandatory else 0)
        duration[i] = stop.duration
        cost[i] = stop.cost
    for t, tour in enumerate(problem.tours):
        node[n + 2 * t] = tour.start_node
        node[n + 2 * t + 1] = tour.end_node

    win_ptr = np.zeros((n_tours, n_ext + 1), dtype=np.int64)
    opens: list[int] = []
    closes: list[int] = []
    simple = static
    for t, tour in enumerate(problem.tours):
        for e in range(n_ext):
            win_ptr[t, e] = len(opens)
            if e < n:
                windows = problem.stops[e].windows
                on_tour = windows[t] if t < len(windows) else ()
                simple = simple and len(on_tour) <= 1
                for window in on_tour:
                    opens.append(window.open)
                    closes.append(window.close)
            elif e == n + 2 * t:
                opens.append(tour.earliest)
                closes.append(tour.earliest)
            elif e == n + 2 * t + 1:
                opens.append(tour.earliest)
                closes.append(tour.latest)
        win_ptr[t, n_ext] = len(opens)

    if isinstance(travel, TimetableTravel):
        conn_ptr, conn_depart, conn_best = _connections(travel, n_tours, n_nodes)
    elif isinstance(travel, TableTravel):
        conn_ptr, conn_depart, conn_best = _table_connections(travel, n_tours, n_nodes)
    else:
        conn_ptr = np.zeros(1, dtype=np.int64)
        conn_depart = np.zeros(0, dtype=np.int64)
        conn_best = np.zeros(0, dtype=np.int64)

    min_in = np.full(n_ext, -NEVER, dtype=np.int64)
    if isinstance(travel, MatrixTravel):
        if n_nodes and times.min() >= 0:
            min_in = times.min(axis=0)[node]
    elif isinstance(travel, TableTravel):
        if (times >= 0).all() and bool((travel.arrive >= travel.depart).all()):
            min_in[:] = 0
    elif (times >= 0).all() and all(
        option.arrive >= option.depart for options in travel.connections.values() for option in options
    ):
        min_in[:] = 0

    return Arrays(
        n=n,
        n_tours=n_tours,
        n_nodes=n_nodes,
        simple=simple,
        static=static,
        budget=NEVER if problem.budget is None else problem.budget,
        node=node,
        weight=weight,
        duration=duration,
        cost=cost,
        win_ptr=win_ptr,
        win_open=np.array(opens, dtype=np.int64),
        win_close=np.array(closes, dtype=np.int64),
        times=times,
        conn_ptr=conn_ptr,
        conn_depart=conn_depart,
        conn_best=conn_best,
        min_in=min_in.astype(np.int64),
    )


def _connections(travel: TimetableTravel, n_tours: int, n_nodes: int) -> tuple[I64, I64, I64]:
    keys = sorted(
        (tour, origin, destination)
        for (tour, origin, destination) in travel.connections
        if 0 <= tour < n_tours and 0 <= origin < n_nodes and 0 <= destination < n_nodes
    )
    counts = np.zeros(n_tours * n_nodes * n_nodes + 1, dtype=np.int64)
    departs: list[int] = []
    best: list[int] = []
    for key in keys:
        tour, origin, destination = key
        options = travel.connections[key]
        counts[(tour * n_nodes + origin) * n_nodes + destination + 1] = len(options)
        departs.extend(option.depart for option in options)
        # Suffix minimum: a slow bus that leaves first must not hide a fast one leaving later (FIFO).
        earliest = NEVER
        suffix: list[int] = []
        for option in reversed(options):
            earliest = min(earliest, option.arrive)
            suffix.append(earliest)
        best.extend(reversed(suffix))
    return (
        np.cumsum(counts).astype(np.int64),
        np.array(departs, dtype=np.int64),
        np.array(best, dtype=np.int64),
    )


def _table_connections(travel: TableTravel, n_tours: int, n_nodes: int) -> tuple[I64, I64, I64]:
    size = n_tours * n_nodes * n_nodes + 1
    ptr = np.asarray(travel.ptr, dtype=np.int64)
    if len(ptr) < size:  # tours after the last one given have no connections
        ptr = np.concatenate([ptr, np.full(size - len(ptr), ptr[-1], dtype=np.int64)])
    return ptr[:size], np.asarray(travel.depart, dtype=np.int64), np.asarray(travel.best, dtype=np.int64)
