"""Solve one instance with the engine or the OR-Tools baseline; the independent checker judges both.

`seconds` is the wall clock of the solve alone (not the reading of the file, not the check). The score is
the checker's, recomputed from the raw input, and an infeasible answer is reported as such, never hidden.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from tripwise.bench.ortools_baseline import solve_ortools
from tripwise.bench.toptw import ToptwInstance, vertex_numbers
from tripwise.core.engine import checker

SOLVERS = ("tripwise", "ortools")


@dataclass(frozen=True)
class BenchResult:
    instance: str
    routes: int
    solver: str  # "tripwise" or "ortools"
    score: int
    tours: tuple[tuple[int, ...], ...]  # vertex numbers per route, in visit order, without the depot
    seconds: float
    feasible: bool
    violations: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        """The shape DESIGN.md fixes, then our own keys."""
        return {
            "instance": self.instance,
            "routes": self.routes,
            "score": self.score,
            "tours": [list(tour) for tour in self.tours],
            "seconds": round(self.seconds, 3),
            "feasible": self.feasible,
            "solver": self.solver,
            "violations": list(self.violations),
        }


def run_engine(instance: ToptwInstance, *, time_limit: float, seed: int) -> BenchResult:
    from tripwise.core.engine.solver import solve  # here: an OR-Tools-only run need not load numba

    started = time.perf_counter()
    # No reasons for left-out stops: the benchmark scores the plan only, and explaining every stop of a large
    # instance costs seconds that would count against the time limit.
    solution = solve(instance.problem, time_limit=time_limit, seed=seed, explain=False)
    seconds = time.perf_counter() - started
    return _judged(instance, "tripwise", solution.routes(), seconds, claimed=solution.score)


def run_ortools(instance: ToptwInstance, *, time_limit: float) -> BenchResult:
    started = time.perf_counter()
    routes = solve_ortools(instance.problem, time_limit=time_limit)
    seconds = time.perf_counter() - started
    if routes is None:  # no solution found: nothing visited
        routes = [[] for _ in instance.problem.tours]
    return _judged(instance, "ortools", routes, seconds, claimed=None)


def run(instance: ToptwInstance, *, solver_name: str, time_limit: float, seed: int) -> BenchResult:
    if solver_name == "tripwise":
        return run_engine(instance, time_limit=time_limit, seed=seed)
    if solver_name == "ortools":
        return run_ortools(instance, time_limit=time_limit)
    raise ValueError(f"unknown solver {solver_name!r}: choose one of {', '.join(SOLVERS)}")


def _judged(
    instance: ToptwInstance, solver_name: str, routes: list[list[int]], seconds: float, *, claimed: int | None
) -> BenchResult:
    verdict = checker.check(instance.problem, routes)
    violations = [str(violation) for violation in verdict.violations]
    if claimed is not None and claimed != verdict.score:
        violations.append(f"the solver claims score {claimed}, the checker counts {verdict.score}")
    return BenchResult(
        instance=instance.name,
        routes=len(instance.problem.tours),
        solver=solver_name,
        score=verdict.score,
        tours=tuple(tuple(tour) for tour in vertex_numbers(instance, routes)),
        seconds=seconds,
        feasible=verdict.feasible and not violations,
        violations=tuple(violations),
    )
