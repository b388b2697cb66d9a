"""`python -m tripwise.bench.transit FEED [--day YYYY-MM-DD] [--queries N] [--points N] [--seed N]`.

Times the transit routing of the planner on a GTFS feed (a .zip or a folder), without Django: building the
network of one service day, `journey()` between random points (median, p95, max), and `connections()` for
random points x departure samples every 15 minutes over 12 hours (median of 3 runs). Figures go to stdout,
progress to stderr.

The feed is read here with the csv module rather than with tripwise.transit.gtfs_reader, which belongs to
the Django app and is out of bounds for the benchmark (import-linter keeps the bench package pure). Only
what routing needs is read: stops, routes, trips, stop_times, frequencies and the service calendars.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import statistics
import sys
import time
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

from tripwise.core.transit.calendar import ServiceCalendar, parse_gtfs_time
from tripwise.core.transit.feed import Call, FeedData, ScheduledTrip, StopPoint, scheduled_trips
from tripwise.core.transit.network import SAMPLE_BUDGET, TransitNetwork, warm_up

__all__ = ["TransitBench", "first_service_day", "main", "read_feed", "run"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _rows(path: Path, name: str) -> Iterator[dict[str, str]]:
    """Rows of one file of the feed (absent file: no rows), names and values stripped."""
    if path.is_dir():
        file = path / name
        if not file.exists():
            return
        handle: io.TextIOBase = open(file, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    else:
        archive = zipfile.ZipFile(path)
        members = {member.rsplit("/", 1)[-1]: member for member in archive.namelist()}
        if name not in members:
            return
        handle = io.TextIOWrapper(archive.open(members[name]), encoding="utf-8-sig", newline="")
    with handle:
        reader = csv.reader(handle)
        header = [column.strip() for column in next(reader, [])]
        for fields in reader:
            if fields and any(field.strip() for field in fields):
                yield {column: value.strip() for column, value in zip(header, fields, strict=False)}


def _date(text: str) -> date:
    return datetime.strptime(text, "%Y%m%d").date()  # noqa: DTZ007 - a calendar date


def _time(text: str) -> int | None:
    return parse_gtfs_time(text) if text else None


def read_feed(path: Path, *, name: str | None = None) -> FeedData:
    """A GTFS feed as FeedData, frequencies expanded and untimed calls interpolated."""
    try:
        return _read_feed(path, name=name)
    except KeyError as missing:
        raise ValueError(
            f"{path}: the column {missing} is missing from one of its files; is this a complete GTFS feed?"
        ) from None


def _read_feed(path: Path, *, name: str | None) -> FeedData:
    if not path.exists():
        raise ValueError(f"{path} does not exist: give a GTFS .zip or a folder of GTFS .txt files.")
    timezone = next((row["agency_timezone"] for row in _rows(path, "agency.txt")), "")
    if not timezone:
        raise ValueError(f"{path}: agency.txt names no agency_timezone; is this a GTFS feed?")
    stops = tuple(
        StopPoint(row["stop_id"], row.get("stop_name", ""), float(row["stop_lat"]), float(row["stop_lon"]))
        for row in _rows(path, "stops.txt")
        if row.get("stop_lat") and row.get("stop_lon") and row.get("location_type", "") in ("", "0")
    )
    routes = {
        row["route_id"]: row.get("route_short_name") or row.get("route_long_name") or row["route_id"]
        for row in _rows(path, "routes.txt")
    }
    weekly: dict[str, tuple[frozenset[int], date, date]] = {}
    for row in _rows(path, "calendar.txt"):
        days = frozenset(i for i, day in enumerate(WEEKDAYS) if row.get(day) == "1")
        weekly[row["service_id"]] = (days, _date(row["start_date"]), _date(row["end_date"]))
    added: dict[str, set[date]] = defaultdict(set)
    removed: dict[str, set[date]] = defaultdict(set)
    for row in _rows(path, "calendar_dates.txt"):
        (added if row["exception_type"] == "1" else removed)[row["service_id"]].add(_date(row["date"]))
    calendars = tuple(
        ServiceCalendar(
            service_id,
            weekly.get(service_id, (frozenset(), None, None))[0],
            weekly[service_id][1] if service_id in weekly else None,
            weekly[service_id][2] if service_id in weekly else None,
            frozenset(added[service_id]),
            frozenset(removed[service_id]),
        )
        for service_id in sorted({*weekly, *added, *removed})
    )
    calls: dict[str, list[tuple[int, Call]]] = defaultdict(list)
    for row in _rows(path, "stop_times.txt"):
        calls[row["trip_id"]].append(
            (
                int(row["stop_sequence"]),
                (
                    row["stop_id"],
                    _time(row.get("arrival_time", "")),
                    _time(row.get("departure_time", "")),
                    int(row.get("pickup_type") or 0),
                    int(row.get("drop_off_type") or 0),
                ),
            )
        )
    periods: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for row in _rows(path, "frequencies.txt"):
        start, end = parse_gtfs_time(row["start_time"]), parse_gtfs_time(row["end_time"])
        periods[row["trip_id"]].append((start, end, int(row["headway_secs"])))
    trips: list[ScheduledTrip] = []
    for row in _rows(path, "trips.txt"):
        trip_calls = sorted(calls.get(row["trip_id"], ()))
        trips += scheduled_trips(
            trip_id=row["trip_id"],
            route_id=row["route_id"],
            route_name=routes.get(row["route_id"], row["route_id"]),
            headsign=row.get("trip_headsign", ""),
            service_id=row["service_id"],
            calls=[call for _, call in trip_calls],
            frequencies=periods.get(row["trip_id"], ()),
        )
    version = f"{path.resolve()}:{path.stat().st_mtime_ns}"
    return FeedData(
        name=name or path.name.removesuffix(".zip"),
        timezone=timezone,
        stops=stops,
        trips=tuple(trips),
        calendars=calendars,
        version=version,
    )


def first_service_day(feed: FeedData) -> date:
    """The first day on which any service of the feed runs."""
    starts = [c.start for c in feed.calendars if c.start is not None] + [
        d for c in feed.calendars for d in c.added
    ]
    if not starts:
        raise ValueError(f"Feed {feed.name!r} has no service calendar, so no day to route on.")
    day = min(starts)
    for _ in range(3 * 366):
        if any(calendar.runs_on(day) for calendar in feed.calendars):
            return day
        day += timedelta(days=1)
    raise ValueError(f"No service of feed {feed.name!r} runs within three years of {min(starts)}.")


@dataclass(frozen=True)
class TransitBench:
    feed: str
    day: date
    stops: int
    trips: int
    build_seconds: float
    compile_seconds: float
    journeys: int
    found: int
    journey_ms: tuple[float, float, float]  # median, p95, max
    points: int
    samples: int
    connections: int  # every departure (sample_budget=None)
    connections_seconds: float  # median of the runs: connection_table(), arrays only
    connections_dict_seconds: float  # median of the runs: connections(), the dict of Connection objects
    budget_connections: int  # the same with the default sample_budget
    budget_seconds: float
    budget_dict_seconds: float
    runs: int

    def as_text(self) -> str:
        median, p95, most = self.journey_ms
        return "\n".join(
            [
                f"feed {self.feed}, service day {self.day}: {self.stops:,} stops, {self.trips:,} trips",
                f"build: {self.build_seconds:.2f} s (warm-up of the compiled scan: {self.compile_seconds:.2f} s)",
                f"journey(): {self.journeys:,} queries, {self.found:,} with a ride; "
                f"median {median:.1f} ms, p95 {p95:.1f} ms, max {most:.1f} ms",
                f"connections(): {self.points} points x {self.samples} departures, every departure "
                f"(sample_budget=None) -> {self.connections:,} connections; connection_table() "
                f"{self.connections_seconds * 1000:.0f} ms, connections() {self.connections_dict_seconds * 1000:.0f} ms "
                f"(median of {self.runs})",
                f"connections(): the same with sample_budget={SAMPLE_BUDGET:,} -> {self.budget_connections:,} "
                f"connections; connection_table() {self.budget_seconds * 1000:.0f} ms, connections() "
                f"{self.budget_dict_seconds * 1000:.0f} ms (median of {self.runs})",
            ]
        )


def _near(rng: random.Random, network: TransitNetwork, metres: float = 300.0) -> tuple[float, float]:
    """A random point within about `metres` of a random stop."""
    stop = network.stops[rng.randrange(len(network.stops))]
    north, east = rng.uniform(-metres, metres), rng.uniform(-metres, metres)
    lat = stop.lat + north / 111_195.0
    lon = stop.lon + east / (111_195.0 * max(0.01, abs(math.cos(math.radians(stop.lat)))))
    return (max(-90.0, min(90.0, lat)), max(-180.0, min(180.0, lon)))


def run(
    path: Path,
    *,
    day: date | None = None,
    queries: int = 1000,
    points: int = 300,
    samples: int = 48,
    runs: int = 3,
    seed: int = 0,
) -> TransitBench:
    if queries < 0 or points < 0 or samples < 1 or runs < 1:
        raise ValueError("Give queries >= 0, points >= 0, samples >= 1 and runs >= 1.")
    _progress(f"reading {path}")
    feed = read_feed(path)
    day = day or first_service_day(feed)
    zone = ZoneInfo(feed.timezone)
    origin = datetime.combine(day, clock_time(0), tzinfo=zone)
    compile_seconds = warm_up()
    _progress(f"building the network of {day}")
    started = time.perf_counter()
    network = TransitNetwork.build([feed], day=day, clock_origin=origin).prepare()
    build_seconds = time.perf_counter() - started
    if not network.stops:
        raise ValueError(f"Feed {feed.name!r} has no stop with coordinates to route between.")

    rng = random.Random(seed)  # noqa: S311 - sampling, not secrets
    timings: list[float] = []
    found = 0
    for number in range(queries):
        if number and number % 200 == 0:
            _progress(f"journey() {number}/{queries}")
        a, b = _near(rng, network), _near(rng, network)
        depart = rng.randrange(7 * 3600, 20 * 3600)
        began = time.perf_counter()
        journey = network.journey(a, b, depart)
        timings.append((time.perf_counter() - began) * 1000)
        found += journey is not None
    timings.sort()
    journey_ms = (
        statistics.median(timings) if timings else 0.0,
        timings[min(len(timings) - 1, int(0.95 * len(timings)))] if timings else 0.0,
        timings[-1] if timings else 0.0,
    )

    sample_points = [_near(rng, network) for _ in range(points)]
    departures = [8 * 3600 + 900 * i for i in range(samples)]
    figures: dict[int | None, tuple[float, float, int]] = {}
    for budget in (None, SAMPLE_BUDGET):
        table_times: list[float] = []
        dict_times: list[float] = []
        count = 0
        for attempt in range(runs):
            _progress(f"connections(sample_budget={budget}) run {attempt + 1}/{runs}")
            began = time.perf_counter()
            count = len(network.connection_table(sample_points, departures, sample_budget=budget).depart)
            table_times.append(time.perf_counter() - began)
            began = time.perf_counter()
            network.connections(sample_points, departures, sample_budget=budget)
            dict_times.append(time.perf_counter() - began)
        figures[budget] = (statistics.median(table_times), statistics.median(dict_times), count)
    return TransitBench(
        feed=feed.name,
        day=day,
        stops=len(network.stops),
        trips=len(network.trips),
        build_seconds=build_seconds,
        compile_seconds=compile_seconds,
        journeys=queries,
        found=found,
        journey_ms=journey_ms,
        points=points,
        samples=samples,
        connections=figures[None][2],
        connections_seconds=figures[None][0],
        connections_dict_seconds=figures[None][1],
        budget_connections=figures[SAMPLE_BUDGET][2],
        budget_seconds=figures[SAMPLE_BUDGET][0],
        budget_dict_seconds=figures[SAMPLE_BUDGET][1],
        runs=runs,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tripwise.bench.transit", description=__doc__)
    parser.add_argument("feed", type=Path, help="a GTFS .zip or folder")
    parser.add_argument("--day", type=date.fromisoformat, help="service day (default: the feed's first)")
    parser.add_argument("--queries", type=int, default=1000, help="journey() queries (default 1000)")
    parser.add_argument("--points", type=int, default=300, help="points for connections() (default 300)")
    parser.add_argument(
        "--samples", type=int, default=48, help="departure samples, 15 min apart (default 48)"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        result = run(
            args.feed,
            day=args.day,
            queries=args.queries,
            points=args.points,
            samples=args.samples,
            seed=args.seed,
        )
    except (ValueError, OSError, zipfile.BadZipFile) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(result.as_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
