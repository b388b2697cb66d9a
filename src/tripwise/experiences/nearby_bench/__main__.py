"""How fast is "what is near here" on a million places: `python -m tripwise.experiences.nearby_bench`.

The target: nearby search answers within 10 ms at the 95th percentile with 1,000,000 places and 100,000
experiences, on SQLite and on PostgreSQL. The benchmark makes its own databases (a throw-away SQLite file,
and a fresh PostgreSQL database that it creates and drops on the local server), migrates them, loads a
synthetic world (places clustered around about 300 cities, a tenth scattered over the countryside;
experiences at places, each with a few departures), and times, after a warm-up, every kind of query:

- places near a point in a city centre (`tripwise.places.nearby.nearest`, 5 km, 12 nearest);
- `experiences_near` with its default radius, and with a date, a language and a party of 2;
- places and experiences near a point in the countryside, where the rings must widen.

The baseline, on the same data and points: the same calls with the search swapped for the naive one, a
bounding-box filter on latitude and longitude (the (lat, lon) index of places; experiences have none) and
exact distances over every row in the box. Each database runs in its own process (the settings read
DATABASE_URL once); the same seed gives both the same rows and points. The table goes to --out; a kind
whose p95 misses the target is profiled after its timed queries (--profile-over).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from tripwise.experiences.nearby_bench.load import POSTGRES_SERVER, Postgres, describe, load, setup
from tripwise.experiences.nearby_bench.plans import Plan
from tripwise.experiences.nearby_bench.queries import Figures
from tripwise.experiences.nearby_bench.report import TARGET_MS, Run, report

PASSED = ("places", "experiences", "slots_each", "queries", "warmup", "baseline_queries", "seed")


def worker(url: str, result: Path, args: argparse.Namespace) -> None:
    """One database: migrate, load, time every kind, profile the slow ones, write the Run to `result`."""
    setup(url)
    from django.core.management import call_command
    from django.db import connection

    from tripwise.experiences.models import Experience, Slot
    from tripwise.experiences.nearby_bench.plans import ring_plans
    from tripwise.experiences.nearby_bench.profile import where_time_goes
    from tripwise.experiences.nearby_bench.queries import kinds, measure_kind
    from tripwise.places.models import Place

    print(f"{connection.vendor}: migrating", file=sys.stderr, flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    world = load(places=args.places, experiences=args.experiences, slots_each=args.slots_each, seed=args.seed)
    load_seconds = time.perf_counter() - started
    version, size = describe()
    run = Run(
        database=connection.vendor,
        version=version,
        rows={
            "places": Place.objects.count(),
            "experiences": Experience.objects.count(),
            "departures": Slot.objects.count(),
        },
        load_seconds=round(load_seconds, 1),
        size_mb=round(size / 2**20),
    )
    print(
        f"{connection.vendor}: loaded {run.rows} in {run.load_seconds} s; measuring",
        file=sys.stderr,
        flush=True,
    )
    before = os.getloadavg()[0]
    measured = []
    for kind in kinds(world, count=args.warmup + args.queries, seed=args.seed):
        run.figures.append(measure_kind(kind, warmup=args.warmup, baseline=args.baseline_queries))
        measured.append(kind)
    run.load_average = f"{before:.1f} → {os.getloadavg()[0]:.1f}"
    run.plans = ring_plans(world)
    # Profiling comes after every timed query, so that it cannot slow any of them.
    for kind, row in zip(measured, run.figures, strict=True):
        if args.profile_over >= 0 and row.p95_ms >= args.profile_over:
            print(f"  profiling {kind.name}", file=sys.stderr, flush=True)
            cases = kind.cases[args.warmup : args.warmup + args.profile_queries]
            run.profiles[kind.name] = where_time_goes(kind, cases)
    result.write_text(json.dumps(asdict(run), default=str))


def _spawn(url: str, folder: Path, args: argparse.Namespace, label: str) -> Run:
    result = folder / f"{label}.json"
    passed = [f"--{name.replace('_', '-')}={getattr(args, name)}" for name in PASSED]
    passed += [f"--profile-over={args.profile_over}", f"--profile-queries={args.profile_queries}"]
    command = [
        sys.executable,
        "-m",
        "tripwise.experiences.nearby_bench",
        "--worker",
        url,
        "--result",
        str(result),
    ]
    subprocess.run([*command, *passed], check=True)
    data = json.loads(result.read_text())
    data["figures"] = [Figures(**row) for row in data["figures"]]
    data["plans"] = [Plan(**plan) for plan in data["plans"]]
    return Run(**data)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, help="write the Markdown table here")
    parser.add_argument("--places", type=int, default=1_000_000)
    parser.add_argument("--experiences", type=int, default=100_000)
    parser.add_argument("--slots-each", type=int, default=3, help="departures per experience")
    parser.add_argument("--queries", type=int, default=2_000, help="timed queries per kind and database")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--baseline-queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--postgres", default=POSTGRES_SERVER, help="server URL without a database name")
    parser.add_argument(
        "--profile-over",
        type=float,
        default=TARGET_MS,
        help="profile, after the timing, every kind whose p95 is at least this many ms (negative: none)",
    )
    parser.add_argument("--profile-queries", type=int, default=200, help="queries per profiled kind")
    parser.add_argument("--note", default="", help="a sentence for the report, e.g. what else ran meanwhile")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.result, args)
        return 0
    started = time.perf_counter()
    load_at_start = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    runs = []
    with tempfile.TemporaryDirectory(prefix="tripwise-nearby-") as folder:
        for database in args.databases.split(","):
            if database == "sqlite":
                runs.append(_spawn(f"sqlite:///{folder}/nearby.sqlite3", Path(folder), args, "sqlite"))
            elif database == "postgres":
                with Postgres(args.postgres) as url:
                    runs.append(_spawn(url, Path(folder), args, "postgres"))
            else:
                parser.error(f"unknown database {database!r}: use sqlite and/or postgres")
    machine_load = f"Load average (1, 5, 15 min) when the run started: {load_at_start}. {args.note}".strip()
    text = report(runs, args, time.perf_counter() - started, machine_load=machine_load)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
