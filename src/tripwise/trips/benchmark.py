"""Benchmark: POST /api/plans on a real city (Helsinki: OpenStreetMap places and the HSL timetable).

    python -m tripwise.trips.benchmark [--requests 30] [--days 3] [--out FILE.md]

Builds a throw-away SQLite database (or uses DATABASE_URL), imports the city with the same commands a user
runs (their wall times are part of the report), then sends trip requests through Django's full request
stack (middleware, JSON parsing, the view, the service, the database) and reports the median, 95th
percentile and worst time, with how many plans the checker accepted. The baseline, measured in the same
run, is the same trip on foot (no timetable to route on): the difference is what transit costs. The first request pays the one-off
costs (compiling the engine, loading the timetable into the process cache) and is reported apart.
Progress goes to stderr. Needs ../shared/data/cities/helsinki (the path can be given).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_CITY = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "cities" / "helsinki"
INTERESTS = ["history", "art", "architecture", "religion", "nature", "views", "food", "shopping", "culture"]


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _setup(database: Path | None) -> None:
    if database is not None:
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("TRIPWISE_SECRET_KEY", secrets.token_urlsafe(32))
    os.environ.setdefault("TRIPWISE_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tripwise.config.settings")
    import django

    django.setup()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _post(client: Any, request: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    response = client.post("/api/plans", json.dumps(request), content_type="application/json")
    seconds = time.perf_counter() - started
    if response.status_code != 201:
        raise RuntimeError(f"POST /api/plans answered {response.status_code}: {response.content[:300]!r}")
    plan: dict[str, Any] = response.json()
    return seconds, plan


def run(*, city: Path, requests: int, days: int, seed: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.test import Client

    from tripwise.places.models import Place
    from tripwise.places.osm_import import places_import_osm
    from tripwise.transit.services import feed_import

    call_command("migrate", verbosity=0)
    figures: dict[str, Any] = {}
    if not Place.objects.filter(destination__slug="helsinki").exists():
        started = time.perf_counter()
        places_import_osm(path=city / "helsinki-centre.osm.pbf", destination_name="Helsinki", progress=_say)
        figures["osm_import_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        feed_import(path=city / "hsl-helsinki-gtfs-20220222.zip", destination_name="Helsinki", progress=_say)
        figures["gtfs_import_s"] = round(time.perf_counter() - started, 2)
    places = list(Place.objects.filter(destination__slug="helsinki").values_list("slug", "kind"))
    sights = [slug for slug, kind in places if kind not in {"restaurant", "cafe"}]
    figures["places"] = len(places)
    rng = random.Random(seed)  # noqa: S311 - a reproducible workload, not a secret
    client = Client()
    timings: list[float] = []
    walk_timings: list[float] = []
    checked = candidates = 0
    for number in range(requests + 1):
        request = {
            "destination": "Helsinki",
            "start_date": "2022-02-22",
            "days": days,
            "base": rng.choice(sights),
            "modes": ["walk", "transit"],
            "interests": rng.sample(INTERESTS, 2),
            "must_see": rng.sample(sights, 2),
            "party": {"adults": 2, "children": rng.choice([0, 1])},
        }
        seconds, plan = _post(client, request)
        if number == 0:
            figures["first_request_s"] = round(seconds, 3)
            continue
        timings.append(seconds)
        # The baseline, in the same run: the same trip on foot, with no timetable to route on.
        walk_seconds, walk_plan = _post(client, {**request, "modes": ["walk"]})
        walk_timings.append(walk_seconds)
        checked += walk_plan["check"]["ok"]
        checked += plan["check"]["ok"]
        candidates = max(candidates, plan.get("stats", {}).get("candidates", 0))
        _say(
            f"[{number}/{requests}] {seconds * 1000:.0f} ms, checker {'ok' if plan['check']['ok'] else 'FAILED'}"
        )
    figures.update(
        requests=requests,
        days=days,
        candidates=candidates,
        median_ms=round(statistics.median(timings) * 1000),
        p95_ms=round(_percentile(timings, 0.95) * 1000),
        max_ms=round(max(timings) * 1000),
        walk_only_median_ms=round(statistics.median(walk_timings) * 1000),
        walk_only_p95_ms=round(_percentile(walk_timings, 0.95) * 1000),
        checker_ok=f"{checked}/{2 * requests}",
        machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--city", type=Path, default=DEFAULT_CITY, help="folder with the Helsinki extract and feed"
    )
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="also write the figures as a markdown table here")
    args = parser.parse_args(argv)
    if not (args.city / "helsinki-centre.osm.pbf").exists():
        print(f"benchmark: no Helsinki data in {args.city}: give --city FOLDER.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="tripwise-bench-") as folder:
        _setup(None if os.environ.get("DATABASE_URL") else Path(folder) / "bench.sqlite3")
        figures = run(city=args.city, requests=args.requests, days=args.days, seed=args.seed)
    print(json.dumps(figures))
    if args.out:
        lines = [
            "| figure | value |",
            "| --- | --- |",
            *(f"| {key} | {value} |" for key, value in figures.items()),
        ]
        args.out.write_text("# POST /api/plans on Helsinki\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
