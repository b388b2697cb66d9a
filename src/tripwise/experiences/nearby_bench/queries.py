"""The query kinds of the nearby benchmark, the naive baseline, and the timing.

Every kind is timed twice on the same points: with the real search (tripwise.places.nearby.nearest, also
inside experiences_near) and with the baseline swapped in, a bounding-box filter on latitude and longitude
(the (lat, lon) index of places; experiences have none) and exact distances over every row in the box.
"""

from __future__ import annotations

import math
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from unittest import mock

from tripwise.experiences.nearby_bench.world import City, World, accumulate, offset, pick

CITY_RADIUS_M = 5_000
COUNTRY_RADIUS_M = 50_000
LIMIT = 12
# A nearby search with the signature of tripwise.places.nearby.nearest: the real one or the baseline.
Search = Callable[..., list[Any]]


@dataclass
class Figures:
    name: str
    queries: int
    median_ms: float
    p95_ms: float
    p99_ms: float
    hits: float  # mean rows returned per query
    baseline_queries: int = 0
    baseline_median_ms: float = 0.0
    baseline_p95_ms: float = 0.0
    baseline_p99_ms: float = 0.0
    agree: str = ""  # same answers as the baseline on a sample
    cpu_median_ms: float = 0.0  # this process's CPU time: the wall time less waiting for a busy CPU
    cpu_p95_ms: float = 0.0


@dataclass(frozen=True)
class Case:
    lat: float
    lon: float
    on: date | None = None
    language: str | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    cases: list[Case]
    run: Callable[[Case, Search], list[int]]  # the ids found, in order


def naive_nearest(query: Any, *, lat: float, lon: float, radius_m: float, limit: int) -> list[Any]:
    """The baseline: one bounding box of the whole radius on lat/lon, exact distances over every row in it."""
    from django.db.models import Q

    from tripwise.core.experiences import bounding_box
    from tripwise.core.geo import distance_m
    from tripwise.places.nearby import MAX_RADIUS_M, Near

    if radius_m <= 0 or limit <= 0:
        return []
    radius_m = min(radius_m, MAX_RADIUS_M)
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_m)
    box = Q(lat__range=(min_lat, max_lat))
    if min_lon <= max_lon:
        box &= Q(lon__range=(min_lon, max_lon))
    else:  # across the antimeridian
        box &= Q(lon__gte=min_lon) | Q(lon__lte=max_lon)
    found = []
    for row in query.filter(box).order_by().values("id", "lat", "lon"):
        metres = distance_m(lat, lon, row["lat"], row["lon"])
        if metres <= radius_m:
            found.append(Near(row["id"], metres))
    found.sort(key=lambda near: (near.distance_m, near.id))
    return found[:limit]


def _places(radius_m: float) -> Callable[[Case, Search], list[int]]:
    def run(case: Case, search: Search) -> list[int]:
        from tripwise.places.models import Place

        found = search(Place.objects.all(), lat=case.lat, lon=case.lon, radius_m=radius_m, limit=LIMIT)
        return [near.id for near in found]

    return run


class _NaiveSearch:
    """The naive search in the shape experiences_near asks for (tripwise.places.nearby.NearestSearch)."""

    def __init__(self, query: Any, *, lat: float, lon: float, radius_m: float) -> None:
        self.query, self.lat, self.lon, self.radius_m = query, lat, lon, radius_m

    def take(self, limit: int) -> list[Any]:
        return naive_nearest(self.query, lat=self.lat, lon=self.lon, radius_m=self.radius_m, limit=limit)


def _experiences(case: Case, search: Search) -> list[int]:
    from tripwise.experiences import selectors
    from tripwise.places.nearby import nearest

    def call() -> list[int]:
        found = selectors.experiences_near(
            lat=case.lat, lon=case.lon, on=case.on, language=case.language, party=2 if case.on else 1
        )
        return [hit.experience.pk for hit in found]

    if search is nearest:
        return call()
    with mock.patch.object(selectors, "NearestSearch", _NaiveSearch):
        return call()


def _far(lat: float, lon: float, town: City, km: float) -> bool:
    from tripwise.core.geo import distance_m

    return abs(lat - town.lat) > km / 111 or distance_m(lat, lon, town.lat, town.lon) > km * 1000


def kinds(world: World, *, count: int, seed: int) -> list[Kind]:
    """The query kinds, each with `count` points drawn from the seed (the same on every database)."""
    rng = random.Random(seed + 1)  # noqa: S311 - reproducible points, not secrets
    weights = accumulate(town.weight for town in world.towns)
    big = [town for town in world.towns if town.sigma_km >= 4] or world.towns

    def centre() -> Case:
        # A city drawn by its size (a small town gives way to a big city), a point near its centre.
        town = world.towns[pick(weights, rng.random() * weights[-1])]
        if town.sigma_km < 4:
            town = rng.choice(big)
        spread = town.sigma_km / 3
        lat, lon = offset(town.lat, town.lon, rng.gauss(0, spread), rng.gauss(0, spread))
        return Case(lat, lon)

    def countryside() -> Case:
        low, high = math.sin(math.radians(-55)), math.sin(math.radians(70))
        while True:  # a uniform point at least 4 spreads (and 40 km) from every centre
            lat, lon = math.degrees(math.asin(rng.uniform(low, high))), rng.uniform(-180.0, 180.0)
            if all(_far(lat, lon, town, max(40.0, 4 * town.sigma_km)) for town in world.towns):
                return Case(lat, lon)

    def filtered() -> Case:
        point = centre()
        language = rng.choice(("en", "en", "en", "ru", "de", "fr", "es", "zh", "ja"))
        return Case(point.lat, point.lon, world.today + timedelta(days=rng.randrange(2, 14)), language)

    return [
        Kind(
            "(a) places near a city centre: 5 km, 12 nearest",
            [centre() for _ in range(count)],
            _places(CITY_RADIUS_M),
        ),
        Kind(
            "(b) experiences_near in a city, default radius", [centre() for _ in range(count)], _experiences
        ),
        Kind(
            "(c) experiences_near in a city: date, language, party of 2",
            [filtered() for _ in range(count)],
            _experiences,
        ),
        Kind(
            "(d) places in the countryside: 50 km, 12 nearest",
            [countryside() for _ in range(count)],
            _places(COUNTRY_RADIUS_M),
        ),
        Kind(
            "(e) experiences_near in the countryside, default radius",
            [countryside() for _ in range(count)],
            _experiences,
        ),
    ]


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))]


def timed(
    kind: Kind, cases: Sequence[Case], search: Search
) -> tuple[list[float], list[list[int]], list[float]]:
    """Wall-clock ms per query, the answers, and this process's CPU ms per query."""
    timings, answers, cpu = [], [], []
    for case in cases:
        started, cpu_started = time.perf_counter(), time.process_time()
        found = kind.run(case, search)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        answers.append(found)
    return timings, answers, cpu


def measure_kind(kind: Kind, *, warmup: int, baseline: int) -> Figures:
    """The kind's first `warmup` cases untimed, the rest timed; then the baseline on the first timed ones."""
    from tripwise.places.nearby import nearest

    timed(kind, kind.cases[:warmup], nearest)
    timings, answers, cpu = timed(kind, kind.cases[warmup:], nearest)
    timed(kind, kind.cases[: min(warmup, 20)], naive_nearest)
    slow, naive_answers, _cpu = timed(kind, kind.cases[warmup : warmup + baseline], naive_nearest)
    same = sum(fast == naive for fast, naive in zip(answers, naive_answers, strict=False))
    row = Figures(
        name=kind.name,
        queries=len(timings),
        median_ms=round(statistics.median(timings), 2),
        p95_ms=round(percentile(timings, 0.95), 2),
        p99_ms=round(percentile(timings, 0.99), 2),
        hits=round(statistics.mean(len(found) for found in answers), 1),
        baseline_queries=len(slow),
        baseline_median_ms=round(statistics.median(slow), 2),
        baseline_p95_ms=round(percentile(slow, 0.95), 2),
        baseline_p99_ms=round(percentile(slow, 0.99), 2),
        agree=f"{same}/{len(naive_answers)}",
        cpu_median_ms=round(statistics.median(cpu), 2),
        cpu_p95_ms=round(percentile(cpu, 0.95), 2),
    )
    print(
        f"  {kind.name}: median {row.median_ms} ms, p95 {row.p95_ms} ms, p99 {row.p99_ms} ms, "
        f"{row.hits} found; baseline median {row.baseline_median_ms} ms, p95 {row.baseline_p95_ms} ms; "
        f"same answers {row.agree}",
        file=sys.stderr,
        flush=True,
    )
    return row
