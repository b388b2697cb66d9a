"""TableTravel (connections in arrays) answers exactly as TimetableTravel does, and the solver agrees."""

from __future__ import annotations

import random

import numpy as np

from tripwise.core.engine.model import (
    NEVER,
    Connection,
    Problem,
    Stop,
    TableTravel,
    TimetableTravel,
    Tour,
    Window,
)
from tripwise.core.engine.solver import solve


def _pair_of_travels(seed: int, nodes: int = 6, tours: int = 2) -> tuple[TimetableTravel, TableTravel]:
    rng = random.Random(seed)
    fixed = tuple(
        tuple(0 if o == d else (rng.randint(20, 90) if rng.random() < 0.7 else NEVER) for d in range(nodes))
        for o in range(nodes)
    )
    connections: dict[tuple[int, int, int], tuple[Connection, ...]] = {}
    for t in range(tours):
        for o in range(nodes):
            for d in range(nodes):
                if o != d and rng.random() < 0.5:
                    departs = sorted(rng.sample(range(0, 400), rng.randint(1, 6)))
                    # Some slow connections leave before fast ones: the suffix minimum must see past them.
                    connections[(t, o, d)] = tuple(Connection(x, x + rng.randint(5, 120)) for x in departs)
    counts = np.zeros(tours * nodes * nodes, dtype=np.int64)
    departs_flat: list[int] = []
    arrives_flat: list[int] = []
    for k in range(tours * nodes * nodes):
        t, rest = divmod(k, nodes * nodes)
        options = connections.get((t, *divmod(rest, nodes)), ())
        counts[k] = len(options)
        departs_flat += [c.depart for c in options]
        arrives_flat += [c.arrive for c in options]
    ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    table = TableTravel(
        fixed, ptr, np.array(departs_flat, dtype=np.int64), np.array(arrives_flat, dtype=np.int64)
    )
    return TimetableTravel(fixed=fixed, connections=connections), table


def test_table_travel_gives_the_same_arrivals_as_the_timetable() -> None:
    for seed in range(5):
        timetable, table = _pair_of_travels(seed)
        rng = random.Random(seed)
        for _ in range(500):
            o, d, t, depart = rng.randrange(6), rng.randrange(6), rng.randrange(2), rng.randrange(-20, 450)
            assert table.arrival(o, d, depart, t) == timetable.arrival(o, d, depart, t)


def test_the_solver_plans_the_same_with_either_travel() -> None:
    timetable, table = _pair_of_travels(7)
    stops = tuple(
        Stop(node=1 + i % 5, score=3 + i, duration=15, windows=((Window(0, 300),), (Window(100, 400),)))
        for i in range(9)
    )
    tours = (Tour(0, 0, 0, 500), Tour(0, 0, 0, 500))
    answers = [
        solve(Problem(stops, tours, travel), max_iterations=300, seed=3, exact=False, explain=False)
        for travel in (timetable, table)
    ]
    assert answers[0].routes() == answers[1].routes()
    assert answers[0].score == answers[1].score
