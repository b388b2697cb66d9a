"""The Markdown report of the nearby benchmark: the loads, the figures against the baseline and the target,
the load average, whether the ring queries are index-only, and where a slow kind's time goes."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tripwise.bench.table import machine
from tripwise.experiences.nearby_bench.plans import Plan
from tripwise.experiences.nearby_bench.queries import Figures
from tripwise.experiences.nearby_bench.world import TOWNS, cities, real_cities

TARGET_MS = 10.0
COMMAND = "python -m tripwise.experiences.nearby_bench --out docs/benchmarks/nearby-latest.md"


@dataclass
class Run:
    database: str
    version: str
    rows: dict[str, int]
    load_seconds: float
    size_mb: float
    figures: list[Figures] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    load_average: str = ""  # 1-minute load average before and after the timed queries
    profiles: dict[str, str] = field(default_factory=dict)  # kind name: where its time goes


def _intro(args: argparse.Namespace) -> list[str]:
    now = datetime.now(UTC)
    title = (
        "# Nearby search: 1,000,000 places, 100,000 experiences"
        if args.places == 1_000_000
        else "# Nearby search"
    )
    return [
        title,
        "",
        f"{now:%Y-%m-%d %H:%M} UTC · {machine()}",
        "",
        f"Synthetic world (seed {args.seed}): {args.places:,} places, 90% in Gaussian clusters around "
        f"{len(cities(args.seed))} city centres ({len(real_cities())} real cities "
        f"and {TOWNS} towns 30-300 km from them), 10% uniform over latitudes -55..70; {args.experiences:,} "
        f"experiences at random places, {args.slots_each} departures each within the next 14 days. "
        f"{args.queries:,} timed queries per kind after {args.warmup} warm-up queries, one process, one "
        "connection, timed around the Python call (the query, the rows and the distances). The baseline: the same "
        "calls with the search replaced by one bounding-box filter on lat/lon over the whole radius and exact "
        "distances on every row in the box (places use their (lat, lon) index; experiences have none), on the "
        f'first {args.baseline_queries} of the same points. "Same": queries whose answer (ids, in order) equals '
        "the baseline's.",
        "",
    ]


def _tables(runs: Sequence[Run]) -> list[str]:
    lines = [
        "| database | rows (places / experiences / departures) | load s | rows/s | size MB |",
        "|---|---|---:|---:|---:|",
    ]
    for run in runs:
        total = sum(run.rows.values())
        lines.append(
            f"| {run.version} | {run.rows['places']:,} / {run.rows['experiences']:,} / {run.rows['departures']:,} "
            f"| {run.load_seconds} | {total / max(run.load_seconds, 1e-9):,.0f} | {run.size_mb:,.0f} |"
        )
    lines += [
        "",
        "| database | query | n | median ms | p95 ms | p99 ms | CPU median ms | CPU p95 ms | found | baseline n "
        "| baseline median ms | baseline p95 ms | baseline p99 ms | p95 gain | same |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        for row in run.figures:
            gain = row.baseline_p95_ms / row.p95_ms if row.p95_ms else 0.0
            lines.append(
                f"| {run.database} | {row.name} | {row.queries} | {row.median_ms:.2f} | {row.p95_ms:.2f} | "
                f"{row.p99_ms:.2f} | {row.cpu_median_ms:.2f} | {row.cpu_p95_ms:.2f} | {row.hits} | "
                f"{row.baseline_queries} | {row.baseline_median_ms:.2f} | {row.baseline_p95_ms:.2f} | "
                f"{row.baseline_p99_ms:.2f} | {gain:.1f}× | {row.agree} |"
            )
    return lines


def report(runs: Sequence[Run], args: argparse.Namespace, seconds: float, *, machine_load: str = "") -> str:
    lines = _intro(args) + _tables(runs)
    lines += [
        "",
        "CPU ms: the benchmark process's own CPU time per query (time.process_time), which leaves out time spent "
        "waiting for a CPU that other programs hold; on SQLite it includes the database's work, on PostgreSQL "
        "the server's work is in another process and only in the wall-clock columns. 1-minute load average "
        "over the timed queries: "
        + "; ".join(f"{run.database} {run.load_average}" for run in runs)
        + f" (on {os.cpu_count()} CPUs)."
        + (f" {machine_load}" if machine_load else ""),
    ]
    worst = max((row.p95_ms for run in runs for row in run.figures), default=0.0)
    slow = [
        f"{run.database} {row.name[:3]}" for run in runs for row in run.figures if row.p95_ms >= TARGET_MS
    ]
    verdict = "met" if worst < TARGET_MS else f"NOT met ({', '.join(slow)})"
    lines += [
        "",
        f"Target p95 < {TARGET_MS:g} ms on every query kind and database: **{verdict}** (worst p95 {worst:.2f} ms).",
        "",
        "## Are the ring queries index-only?",
        "",
    ]
    for run in runs:
        for plan in run.plans:
            answer = "yes" if plan.index_only else "**no**"
            lines.append(f"- {run.version}, {plan.label}: index-only {answer} ({plan.why}).")
    lines.append("")
    for run in runs:
        lines += [f"Plans on {run.version}:", ""]
        for plan in run.plans:
            lines += ["```", f"{plan.label}:", plan.text, "```", ""]
    profiled = [(run, name, text) for run in runs for name, text in run.profiles.items()]
    if profiled:
        lines += ["## Where the time goes", ""]
        for run, name, text in profiled:
            lines += [f"### {run.database}: {name}", "", "```", text, "```", ""]
    lines += [
        f"Whole run: {seconds / 60:.1f} min. Run: `{COMMAND}` (`make bench-nearby`); the PostgreSQL server is "
        f"{args.postgres} (a database is created and dropped there).",
        "",
    ]
    return "\n".join(lines)
