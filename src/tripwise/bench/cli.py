"""`tripwise bench toptw FILE... --routes M --time-limit S [--json] [--seed N] [--solver tripwise|ortools]`.

One JSON object per line (DESIGN.md fixes the first five keys), or one readable line per file. Progress and
the engine's warm-up (numba compilation, paid once, before the first file) go to stderr. The command uses
only the pure core, so its parser is marked `needs_django=False`: the CLI skips django.setup() for it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tripwise.core.errors import TripwiseError


def add_bench_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `bench toptw` to the `tripwise` command's subparsers."""
    bench = subparsers.add_parser("bench", help="run the engine on published benchmark instances")
    kinds = bench.add_subparsers(dest="benchmark", required=True)
    toptw: argparse.ArgumentParser = kinds.add_parser(
        "toptw", help="solve TOPTW instance files (Solomon, Cordeau) with M routes and print the scores"
    )
    toptw.add_argument("files", nargs="+", metavar="FILE", help="instance files in the standard TOPTW format")
    toptw.add_argument("--routes", type=_positive_int, required=True, metavar="M", help="number of routes")
    toptw.add_argument(
        "--time-limit", type=_positive_float, required=True, metavar="SECONDS", help="wall clock per file"
    )
    toptw.add_argument("--json", action="store_true", help="one JSON object per line")
    toptw.add_argument("--seed", type=int, default=0, help="the engine's random seed (default 0)")
    toptw.add_argument("--solver", choices=("tripwise", "ortools"), default="tripwise")
    toptw.add_argument(
        "--decimals",
        type=int,
        choices=(0, 1, 2, 3),
        help="truncate travel times to this many decimals (default: 2 for pr* files, 1 for the others)",
    )
    toptw.set_defaults(handler=cmd_bench_toptw, needs_django=False)
    return toptw


def cmd_bench_toptw(args: argparse.Namespace) -> int:
    from tripwise.bench.runner import run
    from tripwise.bench.toptw import read_instance

    instances = []
    for name in args.files:  # read them all first: a bad file is refused before any time is spent
        try:
            instances.append(read_instance(Path(name), routes=args.routes, decimals=args.decimals))
        except (OSError, ValueError) as error:
            raise TripwiseError("bench_bad_instance", f"{error}. Give a file in the TOPTW format.") from None
    if args.solver == "tripwise":
        from tripwise.core.engine import solver

        _progress(f"warming up the engine (compiling)... {solver.warm_up():.2f} s")
    for number, instance in enumerate(instances, start=1):
        _progress(f"[{number}/{len(instances)}] {instance.name} M={args.routes} ({args.solver})")
        result = run(instance, solver_name=args.solver, time_limit=args.time_limit, seed=args.seed)
        if args.json:
            print(json.dumps(result.as_json()), flush=True)
        else:
            verdict = "feasible" if result.feasible else "INFEASIBLE: " + "; ".join(result.violations)
            print(
                f"{result.instance}  M={result.routes}  score {result.score}  "
                f"visits {sum(len(tour) for tour in result.tours)}  {result.seconds:.2f} s  {verdict}",
                flush=True,
            )
    return 0


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value
