"""What the databases do with the nearby search's SQL: the plan of one ring query of places and of
experiences (are they index-only scans of place_nearby and experience_nearby?), and the plans of every
statement of one query of a kind.

Index-only, on PostgreSQL: every scan of the table is an Index Only Scan of the covering index with Heap
Fetches 0 (the VACUUM after loading set the visibility map). On SQLite: every SEARCH uses the COVERING
INDEX. A plain Index Scan, a Bitmap Heap Scan or an index that does not cover the query reads the table's
pages, one per row in a city whose rows were stored in no spatial order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tripwise.experiences.nearby_bench.world import World

RING_M = {"places": 1_000, "experiences": 25_000}


@dataclass
class Plan:
    label: str
    text: str
    index_only: bool
    why: str  # what the verdict rests on


def _verdict(vendor: str, text: str, index: str) -> tuple[bool, str]:
    if vendor == "postgresql":
        scans = re.findall(r"(Index Only Scan|Index Scan|Bitmap Heap Scan|Seq Scan)(?: using (\w+))?", text)
        fetches = [int(number) for number in re.findall(r"Heap Fetches: (\d+)", text)]
        only = bool(scans) and all(kind == "Index Only Scan" and name == index for kind, name in scans)
        only = only and sum(fetches) == 0
        return (
            only,
            f"{len(scans)} scans: {sorted({f'{k} {n}'.strip() for k, n in scans})}; heap fetches {sum(fetches)}",
        )
    searches = [line for line in text.splitlines() if "SEARCH" in line or "SCAN" in line]
    only = bool(searches) and all(f"USING COVERING INDEX {index}" in line for line in searches)
    return (
        only,
        f"{len(searches)} searches, {sum(f'COVERING INDEX {index}' in s for s in searches)} on the covering index {index}",
    )


def ring_plans(world: World) -> list[Plan]:
    """EXPLAIN (ANALYZE on PostgreSQL) of the first ring of places and of experiences at the first city:
    the SQL the search runs (tripwise.places.nearby.within writes the same UNION ALL of range scans)."""
    from django.db import connection

    from tripwise.experiences.models import Experience
    from tripwise.places.models import Place
    from tripwise.places.nearby import within

    town = world.towns[0]
    found = []
    for label, query, index in (
        ("places", Place.objects.all(), "place_nearby"),
        # the query of experiences_near without a date or a language: active, room for the party
        ("experiences", Experience.objects.filter(is_active=True, max_party__gte=1), "experience_nearby"),
    ):
        rows = within(query, lat=town.lat, lon=town.lon, radius_m=RING_M[label])
        postgres = connection.vendor == "postgresql"
        text = rows.explain(analyze=True, buffers=True) if postgres else rows.explain()
        only, why = _verdict(connection.vendor, text, index)
        title = f"{label}, {RING_M[label] / 1000:g} km ring at {town.name} ({len(rows)} rows in the ranges)"
        found.append(Plan(title, text, only, why))
    return found


def _shortened(text: str, most: int = 40) -> str:
    """A long plan (a ring of 16 ranges is 16 alike scans) cut in the middle; the totals at its end kept."""
    lines = text.splitlines()
    if len(lines) <= most:
        return text
    return "\n".join([*lines[: most - 6], f"… {len(lines) - most + 2} more lines …", *lines[-4:]])


def explain_statements(statements: Sequence[tuple[str, Sequence[Any]]]) -> list[str]:
    """The plan of each statement: EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, EXPLAIN QUERY PLAN on SQLite."""
    from django.db import connection

    plans = []
    for sql, params in statements:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue  # a SET LOCAL has no plan
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                text = "\n".join(row[0] for row in cursor.fetchall())
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                text = "\n".join(" ".join(str(value) for value in row) for row in cursor.fetchall())
        head = sql if len(sql) <= 400 else f"{sql[:300]} … {sql[-100:]}"
        plans.append(f"-- {head}\n{_shortened(text)}")
    return plans
