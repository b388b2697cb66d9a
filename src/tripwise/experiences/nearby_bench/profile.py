"""Where the time of a slow query kind goes, measured after its timed queries (never during them).

Two passes over the same cases: one with a database execute wrapper, which splits each query's wall time
into its SQL statements (grouped by what they are) and the rest (Python: Django compiling and building
objects, the distances); one under cProfile, for the Python functions. Then the plans of every statement
of the slowest case (see plans.explain_statements).
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from tripwise.experiences.nearby_bench.plans import explain_statements
from tripwise.experiences.nearby_bench.queries import Case, Kind

Statement = tuple[str, Sequence[Any]]


def _what(sql: str) -> str:
    """A statement of the nearby search by its shape."""
    if "ROW_NUMBER()" in sql:
        return "next departures (window function)"
    if " UNION ALL " in sql or '"cell" BETWEEN' in sql:
        return "rings (a UNION ALL of index range scans each)"
    if '"lat" BETWEEN' in sql:
        return "baseline box"
    if "experiences_experience" in sql and " IN (" in sql:
        return "experiences by id (in_bulk)"
    return sql.split(" FROM ")[0][:60]


class _Recorder:
    def __init__(self) -> None:
        self.statements: list[tuple[str, Sequence[Any], float]] = []

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((sql, params, (time.perf_counter() - started) * 1000))


def _split(kind: Kind, cases: Sequence[Case]) -> tuple[str, list[Statement]]:
    from django.db import connection

    from tripwise.places.nearby import nearest

    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])  # ms, count
    wall, ranges, slowest, slowest_ms = 0.0, 0, [], -1.0
    for case in cases:
        recorder = _Recorder()
        started = time.perf_counter()
        with connection.execute_wrapper(recorder):
            kind.run(case, nearest)
        ms = (time.perf_counter() - started) * 1000
        wall += ms
        for sql, _params, statement_ms in recorder.statements:
            totals[_what(sql)][0] += statement_ms
            totals[_what(sql)][1] += 1
            ranges += sql.count(" UNION ALL ") + 1 if '"cell" BETWEEN' in sql else 0
        if ms > slowest_ms:
            slowest_ms, slowest = ms, [(sql, params) for sql, params, _ms in recorder.statements]
    count = len(cases)
    sql_ms = sum(ms for ms, _n in totals.values())
    lines = [
        f"{count} queries, mean {wall / count:.2f} ms: SQL {sql_ms / count:.2f} ms "
        f"(executing and fetching), the rest (Python) {(wall - sql_ms) / count:.2f} ms. Per query:"
    ]
    for what, (ms, number) in sorted(totals.items(), key=lambda item: -item[1][0]):
        lines.append(f"  {ms / count:7.2f} ms  {number / count:5.2f}×  {what}")
    lines.append(f"  ({ranges / count:.1f} index range scans per query in all)")
    lines.append(f"Slowest: {slowest_ms:.2f} ms, {len(slowest)} statements (plans below).")
    return "\n".join(lines), slowest


def _profiled(kind: Kind, cases: Sequence[Case], top: int) -> str:
    from tripwise.places.nearby import nearest

    profiler = cProfile.Profile()
    profiler.enable()
    for case in cases:
        kind.run(case, nearest)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs()
    out.write(f"cProfile over the same {len(cases)} queries (times inflated by the profiler):\n")
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    # pstats prints a preamble and blank lines; keep the tables.
    return "\n".join(
        line for line in out.getvalue().splitlines() if line.strip() and "function calls" not in line
    )


def where_time_goes(kind: Kind, cases: Sequence[Case], *, top: int = 15) -> str:
    split, slowest = _split(kind, cases)
    return "\n\n".join([split, _profiled(kind, cases, top), *explain_statements(slowest)])
