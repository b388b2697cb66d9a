"""The one nearby search: what lies within a radius of a point, nearest first, fast on a million rows.

Rows carry `cell`, a Z-order code of their coordinates (tripwise.core.experiences.nearby), under a covering
B-tree index on (cell, lat, lon, ...). A circle is covered by a few code ranges; each range is one index-only
scan (a UNION ALL of them, not an OR: PostgreSQL answers an OR with a bitmap scan that reads the table's
pages, one per row in a city whose rows were stored in no spatial order). Exact distances (numpy) sort and
trim what comes back.

The search starts with a small ring and widens it as the density seen so far says it must to hold `limit`
rows, reading only the ranges the narrower rings have not read, so a dense centre reads a few hundred index
entries and the countryside a few rings of nothing. Every other condition (active, price, a departure that
day) is part of the same SQL, so the rows counted are the rows wanted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connections
from django.db.models import QuerySet

from tripwise.core.experiences import cell_ranges
from tripwise.core.geo import distances_from

FIRST_RING_M = 1_000.0
FIRST_RING_ROWS = 12
MAX_RADIUS_M = 200_000.0
MAX_GROWTH = 6.0  # a ring at most this many times wider than the last: an empty ring says little

Ranges = list[tuple[int, int]]


@dataclass(frozen=True)
class Near:
    id: int
    distance_m: float


def _minus(ranges: Ranges, done: Ranges) -> Ranges:
    """The parts of `ranges` outside `done` (both sorted, disjoint, inclusive)."""
    left: Ranges = []
    for low, high in ranges:
        start = low
        for done_low, done_high in done:
            if done_high < start or done_low > high:
                continue
            if done_low > start:
                left.append((start, done_low - 1))
            start = done_high + 1
            if start > high:
                break
        if start <= high:
            left.append((start, high))
    return left


def _union(first: Ranges, second: Ranges) -> Ranges:
    merged: Ranges = []
    for low, high in sorted(first + second):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


# Bounds no real code reaches, replaced by each range's bounds in the compiled SQL (see _RangeQuery).
_LOW, _HIGH = -(2**62) + 1, -(2**62) + 2


class _RangeQuery:
    """The SQL of `query` restricted to one code range, compiled once and reused for every range of every
    ring: Django takes a millisecond or more to compile a query with an EXISTS, far longer than the index
    scan itself, so the search writes the UNION ALL of the ranges from one compiled part."""

    def __init__(self, query: QuerySet[Any]) -> None:
        part = query.filter(cell__range=(_LOW, _HIGH)).order_by().values_list("id", "lat", "lon")
        self.db = part.db
        self.sql, params = part.query.get_compiler(using=self.db).as_sql()
        self.params = list(params)
        self.slots = (self.params.index(_LOW), self.params.index(_HIGH))

    def _part(self, low: int, high: int) -> list[Any]:
        params = list(self.params)
        params[self.slots[0]], params[self.slots[1]] = low, high
        return params

    def rows(self, ranges: Ranges) -> list[tuple[int, float, float]]:
        sql = " UNION ALL ".join([self.sql] * len(ranges))
        params = [value for low, high in ranges for value in self._part(low, high)]
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            return [(int(row[0]), float(row[1]), float(row[2])) for row in cursor.fetchall()]


def within(query: QuerySet[Any], *, lat: float, lon: float, radius_m: float) -> QuerySet[Any]:
    """(id, lat, lon) of the rows of `query` in the cells covering the circle (a superset), as a queryset,
    for a look at the database's plan; the search itself runs the same SQL through _RangeQuery."""
    ranges = cell_ranges(lat, lon, radius_m)
    parts = [query.filter(cell__range=bounds).order_by().values_list("id", "lat", "lon") for bounds in ranges]
    return parts[0] if len(parts) == 1 else parts[0].union(*parts[1:], all=True)


def _next_ring(ring: float, inside: int, limit: int, *, previous: float, last_found: int) -> float:
    """A ring wide enough to hold `limit` rows, with some margin; at least 1.5 times wider, at most MAX_GROWTH.

    Two estimates, the larger wins: the density inside the whole ring (area grows with the square of the
    radius), and the density of the last band read (`last_found` rows between `previous` and `ring`), which
    says better what lies beyond once the search has passed a town's edge. A band with nothing in it says
    nothing: MAX_GROWTH."""
    if inside == 0 or last_found == 0:
        return ring * MAX_GROWTH
    whole = ring * 1.25 * math.sqrt(limit / inside)
    band_density = last_found / max(ring**2 - previous**2, 1.0)  # rows per square metre, without π
    band = math.sqrt(ring**2 + 1.25 * (limit - inside) / band_density)
    return min(ring * MAX_GROWTH, max(ring * 1.5, whole, band))


class NearestSearch:
    """The nearest rows of `query` within `radius_m` of a point, asked for in growing numbers: `take(n)` widens
    the rings only as far as n rows need, and a later, larger `take` goes on from there without reading again
    what was read (for a caller that filters the rows further and finds it needs more)."""

    def __init__(self, query: QuerySet[Any], *, lat: float, lon: float, radius_m: float) -> None:
        self.lat, self.lon = lat, lon
        self.radius = min(radius_m, MAX_RADIUS_M)
        self.ring = min(FIRST_RING_M, self.radius)
        self.done: Ranges = []
        self.rows: list[tuple[int, float, float]] = []
        self.metres = np.zeros(0)
        self.compiled = _RangeQuery(query)
        self.started = False
        self.last_found = 1  # rows the last ring read added
        self.previous = 0.0  # the ring before this one

    def _read(self) -> int:
        """Read the ranges of the current ring not read yet; how many rows lie inside the ring."""
        ranges = cell_ranges(self.lat, self.lon, self.ring)
        fresh = _minus(ranges, self.done)
        self.last_found = 0
        if fresh:
            found = self.compiled.rows(fresh)
            self.last_found = len(found)
            self.done = _union(self.done, ranges)
            if found:
                self.rows.extend(found)
                table = np.array(self.rows, dtype=np.float64)
                self.metres = distances_from(self.lat, self.lon, table[:, 1], table[:, 2])
        return int(np.count_nonzero(self.metres <= self.ring))

    def take(self, limit: int) -> list[Near]:
        """The `limit` nearest, nearest first (ties by id); fewer when the radius holds fewer."""
        if self.radius <= 0 or limit <= 0:
            return []
        if not self.started:
            # A first ring for `limit` rows at a town's density (FIRST_RING_M holds about FIRST_RING_ROWS).
            self.ring = min(self.radius, FIRST_RING_M * max(1.0, math.sqrt(limit / FIRST_RING_ROWS)))
            self.started = True
            inside = self._read()
        else:
            inside = int(np.count_nonzero(self.metres <= self.ring))
        # Enough inside this ring means the nearest `limit` are all inside it: anything outside is farther.
        while inside < limit and self.ring < self.radius:
            wider = _next_ring(self.ring, inside, limit, previous=self.previous, last_found=self.last_found)
            self.previous, self.ring = self.ring, min(self.radius, wider)
            inside = self._read()
        if not self.rows:
            return []
        metres = self.metres
        order = sorted(
            (float(metres[i]), int(self.rows[i][0])) for i in np.flatnonzero(metres <= self.ring).tolist()
        )
        return [Near(row_id, distance) for distance, row_id in order[:limit]]


def nearest(query: QuerySet[Any], *, lat: float, lon: float, radius_m: float, limit: int) -> list[Near]:
    """Ids of the `limit` nearest rows of `query` within `radius_m`, nearest first (ties by id)."""
    return NearestSearch(query, lat=lat, lon=lon, radius_m=radius_m).take(limit)
