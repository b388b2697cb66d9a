"""`make bench`: every TOPTW instance for M = 1..4, the engine and OR-Tools side by side, in one process.

    python -m tripwise.bench.table [--time-limit 2] [--seed 0] [--solvers tripwise,ortools]
                                   [--routes 1,2,3,4] [--data DIR] [--out docs/benchmarks/toptw-latest.md]

Prints a markdown table row per instance as it goes (progress on stderr), then the summary per set (average
and worst gap to the best-known score, mean and max seconds, infeasible answers) and the machine; --out
writes the same markdown to a file. Gap = (best-known - score) / best-known * 100.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tripwise.bench.runner import SOLVERS, BenchResult

REPO = Path(__file__).resolve().parents[3]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "benchmarks" / "toptw"

Bks = dict[tuple[str, int], int]


@dataclass(frozen=True)
class SummaryRow:
    set_name: str  # "Solomon" or "Cordeau"
    routes: int
    solver: str
    count: int  # instances run
    average_gap: float | None  # None where no instance has a best-known score
    worst_gap: float | None
    mean_seconds: float
    max_seconds: float
    infeasible: int
    average_score: float


def set_of(instance: str) -> str:
    return "Cordeau" if instance.lower().startswith("pr") else "Solomon"


def gap(score: int, bks: int) -> float:
    return (bks - score) / bks * 100


def read_bks(path: Path) -> Bks:
    with path.open(newline="") as handle:
        return {(row["instance"], int(row["m"])): int(row["bks"]) for row in csv.DictReader(handle)}


def summarize(results: Sequence[BenchResult], bks: Bks) -> list[SummaryRow]:
    """One row per (set, M, solver): Solomon M=1, Cordeau M=1.., Solomon M=2..; solvers in order of appearance."""
    groups: dict[tuple[str, int, str], list[BenchResult]] = {}
    for result in results:
        groups.setdefault((set_of(result.instance), result.routes, result.solver), []).append(result)
    solver_order = {
        solver: position for position, solver in enumerate(dict.fromkeys(r.solver for r in results))
    }
    rows = []
    for (set_name, routes, solver), group in sorted(
        groups.items(),
        key=lambda item: (_set_rank(item[0][0], item[0][1]), item[0][1], solver_order[item[0][2]]),
    ):
        gaps = [gap(r.score, bks[(r.instance, r.routes)]) for r in group if (r.instance, r.routes) in bks]
        seconds = [r.seconds for r in group]
        rows.append(
            SummaryRow(
                set_name=set_name,
                routes=routes,
                solver=solver,
                count=len(group),
                average_gap=sum(gaps) / len(gaps) if gaps else None,
                worst_gap=max(gaps) if gaps else None,
                mean_seconds=sum(seconds) / len(seconds),
                max_seconds=max(seconds),
                infeasible=sum(not r.feasible for r in group),
                average_score=sum(r.score for r in group) / len(group),
            )
        )
    return rows


def _set_rank(set_name: str, routes: int) -> int:
    """The headline sets first (Solomon M=1, then Cordeau by M), then Solomon M>1, which has no best-known."""
    if set_name == "Solomon":
        return 0 if routes == 1 else 2
    return 1


def summary_markdown(rows: Sequence[SummaryRow]) -> list[str]:
    lines = [
        "| set | M | solver | instances | average gap % | worst gap % | mean s | max s | infeasible | average score |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row.set_name} | {row.routes} | {row.solver} | {row.count} | {_percent(row.average_gap)} | "
            f"{_percent(row.worst_gap)} | {row.mean_seconds:.2f} | {row.max_seconds:.2f} | {row.infeasible} | "
            f"{row.average_score:.1f} |"
        )
    return lines


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cpus} CPUs (nproc), {model}, Python {platform.python_version()}, {platform.system()}"


def instance_files(data: Path) -> list[Path]:
    files = sorted(data.glob("*/*.txt"), key=lambda path: (set_of(path.stem) == "Cordeau", path.stem))
    return [path for path in files if path.name != "TOPTW_format.txt"]


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _cell(result: BenchResult, best: int | None) -> str:
    gap_text = "-" if best is None else f"{gap(result.score, best):.2f}"
    return f"{result.score} | {gap_text} | {result.seconds:.2f} | {'yes' if result.feasible else '**NO**'}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tripwise.bench.table", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--time-limit", type=float, default=2.0, help="seconds per instance (default 2)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--solvers", default=",".join(SOLVERS), help="comma-separated: tripwise,ortools")
    parser.add_argument("--routes", default="1,2,3,4", help="comma-separated values of M")
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder of instance folders + bks-dev.csv"
    )
    parser.add_argument("--only", help="comma-separated instance names (default: all)")
    parser.add_argument("--out", type=Path, help="also write the markdown here")
    args = parser.parse_args(argv)
    solvers = [name.strip() for name in args.solvers.split(",") if name.strip()]
    if unknown := [name for name in solvers if name not in SOLVERS]:
        parser.error(f"unknown solver(s) {', '.join(unknown)}: choose from {', '.join(SOLVERS)}")
    routes_list = [int(value) for value in args.routes.split(",")]
    files = instance_files(args.data)
    if args.only:
        wanted = set(args.only.split(","))
        files = [path for path in files if path.stem in wanted]
    if not files:
        parser.error(f"no instance files under {args.data}")
    bks_path = args.data / "bks-dev.csv"
    bks = read_bks(bks_path) if bks_path.is_file() else {}

    from tripwise.bench.runner import run
    from tripwise.bench.toptw import read_instance

    lines: list[str] = []

    def emit(line: str = "") -> None:
        lines.append(line)
        print(line, flush=True)

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = datetime.now(UTC)
    emit("# TOPTW benchmark: the Tripwise engine and OR-Tools")
    emit()
    emit(f"Date: {started:%Y-%m-%d %H:%M} UTC. Machine: {machine()}.")
    emit(
        f"Command: `python -m tripwise.bench.table --time-limit {args.time_limit:g} --seed {args.seed} "
        f"--solvers {','.join(solvers)} --routes {args.routes}`. One process; time limit {args.time_limit:g} s "
        "wall clock per instance and solver; seconds are the solve alone. Every answer is re-verified by the "
        "independent checker (feasible column). Gap = (best-known - score) / best-known * 100."
    )
    if "tripwise" in solvers:
        from tripwise.core.engine import solver

        warm = solver.warm_up()
        progress(f"engine warm-up (numba compilation): {warm:.2f} s")
        emit(f"Engine warm-up (compilation, once per process, not counted in the seconds): {warm:.2f} s.")

    results: list[BenchResult] = []
    total = len(files) * len(routes_list) * len(solvers)
    done = 0
    for routes in routes_list:
        emit()
        emit(f"## M = {routes}")
        emit()
        header = "| instance | M | best-known |" + "".join(
            f" {name} score | {name} gap % | {name} s | {name} feasible |" for name in solvers
        )
        emit(header)
        emit("| --- | ---: | ---: |" + " ---: | ---: | ---: | :---: |" * len(solvers))
        for path in files:
            instance = read_instance(path, routes=routes)
            best = bks.get((instance.name, routes))
            cells = []
            for name in solvers:
                done += 1
                progress(f"[{done}/{total}] {instance.name} M={routes} {name}")
                result = run(instance, solver_name=name, time_limit=args.time_limit, seed=args.seed)
                results.append(result)
                cells.append(_cell(result, best))
                for violation in result.violations:
                    progress(f"  {name} INFEASIBLE on {instance.name} M={routes}: {violation}")
            emit(
                f"| {instance.name} | {routes} | {'-' if best is None else best} | "
                + " | ".join(cells)
                + " |"
            )

    emit()
    emit("## Summary per set")
    emit()
    for line in summary_markdown(summarize(results, bks)):
        emit(line)
    finished = datetime.now(UTC)
    emit()
    emit(
        f"Finished {finished:%Y-%m-%d %H:%M} UTC ({(finished - started).total_seconds() / 60:.1f} minutes in all)."
    )
    if args.out:
        out = args.out if args.out.is_absolute() else Path.cwd() / args.out
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(lines) + "\n")
        progress(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
