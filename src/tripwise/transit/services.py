"""Writes for transit: importing a GTFS feed into one destination, in one transaction."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from django.db import models, transaction

from tripwise.places.models import Access
from tripwise.places.services import destination_get_or_create
from tripwise.transit.gtfs_reader import GtfsFeedFiles, GtfsRow, bad_gtfs
from tripwise.transit.models import (
    Agency,
    Fare,
    FareRule,
    Feed,
    Frequency,
    Route,
    Service,
    ServiceException,
    Stop,
    StopTime,
    Trip,
)

__all__ = ["BATCH_SIZE", "PROGRESS_EVERY", "FeedImportReport", "feed_import"]

BATCH_SIZE = 5_000
PROGRESS_EVERY = 20_000
ID_LENGTH = 120  # max_length of every *_id column in transit.models
MAX_SECONDS = 2_147_483_647  # the largest PositiveIntegerField every backend stores

# The files we read. Anything else in the feed is listed in the report as not imported.
USED_FILES = (
    "agency.txt",
    "stops.txt",
    "routes.txt",
    "calendar.txt",
    "calendar_dates.txt",
    "trips.txt",
    "stop_times.txt",
    "frequencies.txt",
    "feed_info.txt",
    "fare_attributes.txt",
    "fare_rules.txt",
)

ModelT = TypeVar("ModelT", bound=models.Model)
Progress = Callable[[str], None]


def _no_progress(message: str) -> None:
    pass


@dataclass(frozen=True)
class FeedImportReport:
    """What an import did: rows stored per table, rows skipped per reason, files left aside."""

    feed_name: str
    destination: str
    destination_created: bool
    timezone: str
    replaced: bool
    counts: Mapping[str, int]
    skipped: Mapping[str, int]
    ignored_files: tuple[str, ...]
    seconds: float
    # Place access options (places.Access) that pointed at the replaced feed, re-pointed by route_id/stop_id,
    # and those whose route or stop is gone from the new feed (left without a transit link).
    access_relinked: int = 0
    access_unlinked: int = 0

    def as_text(self) -> str:
        where = (
            f"{self.destination} (new destination, time zone {self.timezone})"
            if self.destination_created
            else (self.destination)
        )
        verb = "Replaced" if self.replaced else "Imported"
        lines = [f"{verb} GTFS feed {self.feed_name!r} in {where} in {self.seconds:.1f} s."]
        width = max((len(name) for name in self.counts), default=0)
        lines += [f"  {name:<{width}}  {count:>10,}" for name, count in self.counts.items()]
        if self.skipped:
            lines.append("Skipped rows:")
            reason_width = max(len(reason) for reason in self.skipped)
            lines += [f"  {reason:<{reason_width}}  {count:>10,}" for reason, count in self.skipped.items()]
        else:
            lines.append("Skipped rows: none.")
        if self.ignored_files:
            lines.append(f"Not imported (not used yet): {', '.join(self.ignored_files)}.")
        if self.access_relinked or self.access_unlinked:
            lines.append(
                f"Place access options re-linked to the new feed: {self.access_relinked}; "
                f"left without a route or stop (gone from the feed): {self.access_unlinked}."
            )
        return "\n".join(lines)


@dataclass
class _Import:
    """The state of one import while it runs."""

    files: GtfsFeedFiles
    progress: Progress
    counts: dict[str, int] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)

    def skip(self, row: GtfsRow, reason: str) -> None:
        self.skipped[f"{row.file}: {reason}"] += 1

    def rows(self, name: str, required: Iterable[str] = ()) -> Iterable[GtfsRow]:
        """Rows of `name`, with a progress line every PROGRESS_EVERY rows and one at the end."""
        count = 0
        for count, row in enumerate(self.files.rows(name, tuple(required)), start=1):
            if count % PROGRESS_EVERY == 0:
                self.progress(f"{name}: {count:,} rows")
            yield row
        self.progress(f"{name}: {count:,} rows read")


def _bulk_create(model: type[ModelT], objects: Iterable[ModelT], *, ignore_conflicts: bool = False) -> int:
    """Insert in batches of BATCH_SIZE without holding the whole table in memory; the number inserted."""
    batch: list[ModelT] = []
    total = 0
    for obj in objects:
        batch.append(obj)
        if len(batch) >= BATCH_SIZE:
            model._default_manager.bulk_create(
                batch, batch_size=BATCH_SIZE, ignore_conflicts=ignore_conflicts
            )
            total += len(batch)
            batch = []
    if batch:
        model._default_manager.bulk_create(batch, batch_size=BATCH_SIZE, ignore_conflicts=ignore_conflicts)
        total += len(batch)
    return total


def _ids(model: type[models.Model], feed: Feed, key: str) -> dict[str, int]:
    """{GTFS id: primary key} of a table just inserted (works whether or not the backend returns new ids)."""
    return dict(model._default_manager.filter(feed=feed).values_list(key, "pk"))


def _unique(run: _Import, rows: Iterable[GtfsRow], column: str) -> Iterable[tuple[str, GtfsRow]]:
    """Rows with their id in `column`, dropping (and counting) repeats of an id already seen."""
    seen: set[str] = set()
    for row in rows:
        key = row.required(column, ID_LENGTH)
        if key in seen:
            run.skip(row, f"repeated {column}")
            continue
        seen.add(key)
        yield key, row


def _read_agencies(run: _Import) -> list[Agency]:
    agencies: list[Agency] = []
    for agency_id, row in _unique(
        run, _with_blank_id(run.rows("agency.txt", ["agency_name", "agency_timezone"])), "agency_id"
    ):
        agencies.append(
            Agency(
                agency_id="" if agency_id == _BLANK else agency_id,
                name=row.required("agency_name", 200),
                url=row.text("agency_url", 300),
                timezone=row.timezone("agency_timezone"),
            )
        )
    if not agencies:
        raise bad_gtfs("agency.txt has no agency. Add one row with agency_name and agency_timezone.")
    return agencies


_BLANK = "\x00blank"


def _with_blank_id(rows: Iterable[GtfsRow]) -> Iterable[GtfsRow]:
    # agency_id may be blank when the feed has a single agency; give it a placeholder key for _unique.
    for row in rows:
        if not row.text("agency_id"):
            row.values["agency_id"] = _BLANK
        yield row


def _read_stops(run: _Import) -> list[Stop]:
    stops: list[Stop] = []
    for stop_id, row in _unique(run, run.rows("stops.txt", ["stop_id"]), "stop_id"):
        location_type = row.integer("location_type", default=0, choices=range(5))
        # Coordinates are required for stops, stations and entrances; optional for nodes and boarding areas.
        needs_place = location_type <= 2
        stops.append(
            Stop(
                stop_id=stop_id,
                code=row.text("stop_code", 60),
                name=row.text("stop_name", 200),
                lat=row.coordinate("stop_lat", limit=90, required=needs_place),
                lon=row.coordinate("stop_lon", limit=180, required=needs_place),
                location_type=location_type,
                parent_station=row.text("parent_station", ID_LENGTH),
                platform_code=row.text("platform_code", 60),
                zone_id=_optional_id(row, "zone_id"),
            )
        )
    return stops


def _optional_id(row: GtfsRow, column: str) -> str:
    """An id that may be blank; refused when too long (clipping could make two ids one)."""
    value = row.text(column)
    return row.required(column, ID_LENGTH) if value else ""


def _import_routes(run: _Import, feed: Feed, agencies: dict[str, int]) -> dict[str, int]:
    only_agency = next(iter(agencies.values())) if len(agencies) == 1 else None

    def routes() -> Iterable[Route]:
        for route_id, row in _unique(run, run.rows("routes.txt", ["route_id", "route_type"]), "route_id"):
            agency_id = row.text("agency_id")
            color = row.text("route_color").lstrip("#")
            yield Route(
                feed=feed,
                route_id=route_id,
                agency_id=agencies.get(agency_id, only_agency) if agency_id else only_agency,
                short_name=row.text("route_short_name", 60),
                long_name=row.text("route_long_name", 300),
                route_type=row.required_integer("route_type"),
                color=color.upper() if len(color) == 6 else "",
            )

    run.counts["routes"] = _bulk_create(Route, routes())
    return _ids(Route, feed, "route_id")


def _import_services(run: _Import, feed: Feed) -> tuple[dict[str, int], date | None, date | None]:
    """calendar.txt then calendar_dates.txt; a service only in calendar_dates.txt gets no weekly pattern."""
    services: dict[str, Service] = {}
    weekday_columns = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    if run.files.has("calendar.txt"):
        required = ["service_id", *weekday_columns, "start_date", "end_date"]
        for service_id, row in _unique(run, run.rows("calendar.txt", required), "service_id"):
            start, end = row.date("start_date"), row.date("end_date")
            assert start is not None
            assert end is not None
            if start > end:
                raise row.error(
                    "end_date", f"end_date {end:%Y%m%d} is before start_date {start:%Y%m%d}; swap them."
                )
            weekdays = "".join(str(row.required_integer(day, choices=(0, 1))) for day in weekday_columns)
            services[service_id] = Service(
                feed=feed, service_id=service_id, weekdays=weekdays, start_date=start, end_date=end
            )
    exceptions: list[tuple[str, date, int]] = []
    if run.files.has("calendar_dates.txt"):
        seen: set[tuple[str, date]] = set()
        for row in run.rows("calendar_dates.txt", ["service_id", "date", "exception_type"]):
            service_id = row.required("service_id", ID_LENGTH)
            day = row.date("date")
            assert day is not None
            kind = row.required_integer("exception_type", choices=(1, 2))
            if (service_id, day) in seen:
                run.skip(row, "repeated service_id and date")
                continue
            seen.add((service_id, day))
            if service_id not in services:
                services[service_id] = Service(feed=feed, service_id=service_id)
            exceptions.append((service_id, day, kind))
    run.counts["services"] = _bulk_create(Service, services.values())
    ids = _ids(Service, feed, "service_id")
    run.counts["service exceptions"] = _bulk_create(
        ServiceException,
        (
            ServiceException(service_id=ids[service_id], date=day, kind=kind)
            for service_id, day, kind in exceptions
        ),
    )
    days = [d for s in services.values() for d in (s.start_date, s.end_date) if d is not None]
    days += [day for _, day, kind in exceptions if kind == ServiceException.Kind.ADDED]
    return ids, min(days, default=None), max(days, default=None)


def _import_trips(
    run: _Import, feed: Feed, routes: dict[str, int], services: dict[str, int]
) -> dict[str, int]:
    def trips() -> Iterable[Trip]:
        for trip_id, row in _unique(
            run, run.rows("trips.txt", ["route_id", "service_id", "trip_id"]), "trip_id"
        ):
            route = routes.get(row.required("route_id"))
            service = services.get(row.required("service_id"))
            if route is None:
                run.skip(row, "unknown route_id")
                continue
            if service is None:
                run.skip(row, "unknown service_id (not in calendar.txt or calendar_dates.txt)")
                continue
            yield Trip(
                feed=feed,
                trip_id=trip_id,
                route_id=route,
                service_id=service,
                headsign=row.text("trip_headsign", 200),
                direction_id=row.integer("direction_id", choices=(0, 1)),
                shape_id=row.text("shape_id", ID_LENGTH),
            )

    run.counts["trips"] = _bulk_create(Trip, trips())
    return _ids(Trip, feed, "trip_id")


def _import_stop_times(run: _Import, feed: Feed, trips: dict[str, int], stops: dict[str, int]) -> None:
    def stop_times() -> Iterable[StopTime]:
        for row in run.rows("stop_times.txt", ["trip_id", "stop_id", "stop_sequence"]):
            trip = trips.get(row.required("trip_id"))
            if trip is None:
                run.skip(row, "unknown trip_id")
                continue
            stop = stops.get(row.required("stop_id"))
            if stop is None:
                run.skip(row, "unknown stop_id")
                continue
            arrival = row.time("arrival_time")
            departure = row.time("departure_time")
            # A stop with one time only arrives and departs at once; untimed intermediate stops keep NULL.
            yield StopTime(
                trip_id=trip,
                stop_id=stop,
                stop_sequence=row.required_integer("stop_sequence"),
                arrival_seconds=arrival if arrival is not None else departure,
                departure_seconds=departure if departure is not None else arrival,
                pickup_type=row.integer("pickup_type", default=0, choices=range(4)),
                drop_off_type=row.integer("drop_off_type", default=0, choices=range(4)),
            )

    # A repeated (trip_id, stop_sequence) would break the unique constraint: let the database drop the repeat
    # (no ids are returned with ignore_conflicts, and none are needed), then count what it kept.
    read = _bulk_create(StopTime, stop_times(), ignore_conflicts=True)
    stored = StopTime.objects.filter(trip__feed=feed).count()
    if read > stored:
        run.skipped["stop_times.txt: repeated trip_id and stop_sequence"] += read - stored
    run.counts["stop times"] = stored


def _import_frequencies(run: _Import, trips: dict[str, int]) -> None:
    def frequencies() -> Iterable[Frequency]:
        required = ["trip_id", "start_time", "end_time", "headway_secs"]
        for row in run.rows("frequencies.txt", required):
            trip = trips.get(row.required("trip_id"))
            if trip is None:
                run.skip(row, "unknown trip_id")
                continue
            start, end = row.time("start_time", required=True), row.time("end_time", required=True)
            assert start is not None
            assert end is not None
            headway = row.required_integer("headway_secs")
            if headway <= 0:
                raise row.error("headway_secs", "headway_secs must be more than 0 seconds.")
            if end < start:
                raise row.error("end_time", "end_time is before start_time; a period runs forward.")
            yield Frequency(
                trip_id=trip,
                start_seconds=start,
                end_seconds=end,
                headway_seconds=headway,
                exact_times=row.integer("exact_times", default=0, choices=(0, 1)) == 1,
            )

    run.counts["frequencies"] = _bulk_create(Frequency, frequencies())


def _import_fares(run: _Import, feed: Feed) -> None:
    """fare_attributes.txt and fare_rules.txt, when the feed has them (fares v1).

    A rule's route and zones stay text and are not checked against routes.txt and stops.txt: regional feeds
    cut from a bigger network (HSL's) keep rules for routes and zones outside the cut, which do no harm.
    """
    fare_ids: dict[str, int] = {}
    if run.files.has("fare_attributes.txt"):

        def fares() -> Iterable[Fare]:
            rows = run.rows("fare_attributes.txt", ["fare_id", "price", "currency_type"])
            for fare_id, row in _unique(run, rows, "fare_id"):
                # Read only to refuse a wrong value: paying on board or before does not change the price.
                row.integer("payment_method", choices=(0, 1))
                duration = row.integer("transfer_duration")
                if duration is not None and duration > MAX_SECONDS:
                    raise row.error("transfer_duration", f"{duration} seconds is more than Tripwise stores.")
                yield Fare(
                    feed=feed,
                    fare_id=fare_id,
                    price=row.price("price", places=4),
                    currency=row.currency("currency_type"),
                    # Blank means unlimited transfers in GTFS, hence None rather than a default of 0.
                    transfers=row.integer("transfers", choices=(0, 1, 2)),
                    transfer_duration=duration,
                )

        run.counts["fares"] = _bulk_create(Fare, fares())
        fare_ids = _ids(Fare, feed, "fare_id")
    else:
        run.counts["fares"] = 0

    def rules() -> Iterable[FareRule]:
        seen: set[tuple[int, str, str, str, str]] = set()
        for row in run.rows("fare_rules.txt", ["fare_id"]):
            fare = fare_ids.get(row.required("fare_id", ID_LENGTH))
            if fare is None:
                run.skip(row, "unknown fare_id")
                continue
            route, origin, destination, contains = (
                _optional_id(row, column)
                for column in ("route_id", "origin_id", "destination_id", "contains_id")
            )
            key = (fare, route, origin, destination, contains)
            if key in seen:
                run.skip(row, "repeated rule")
                continue
            seen.add(key)
            yield FareRule(
                fare_id=fare,
                route_id=route,
                origin_id=origin,
                destination_id=destination,
                contains_id=contains,
            )

    run.counts["fare rules"] = _bulk_create(FareRule, rules()) if run.files.has("fare_rules.txt") else 0


def _feed_info(run: _Import) -> dict[str, str | date | None]:
    if not run.files.has("feed_info.txt"):
        return {}
    for row in run.rows("feed_info.txt"):
        return {
            "publisher": row.text("feed_publisher_name", 200),
            "version": row.text("feed_version", 120),
            "start_date": row.date("feed_start_date", required=False),
            "end_date": row.date("feed_end_date", required=False),
        }
    return {}


def _mean_position(stops: list[Stop]) -> tuple[float | None, float | None]:
    # Stops and stations only: entrances and nodes would weigh big stations more than once.
    placed = [
        (s.lat, s.lon) for s in stops if s.lat is not None and s.lon is not None and s.location_type <= 1
    ]
    if not placed:
        return None, None
    return sum(lat for lat, _ in placed) / len(placed), sum(lon for _, lon in placed) / len(placed)


@dataclass(frozen=True)
class _AccessLink:
    access_id: int
    route_id: str | None
    from_stop_id: str | None
    to_stop_id: str | None


def _access_links(feed: Feed) -> list[_AccessLink]:
    """Place access options pointing at this feed, by GTFS ids (which outlive a re-import; pks do not)."""
    rows = Access.objects.filter(
        models.Q(route__feed=feed) | models.Q(from_stop__feed=feed) | models.Q(to_stop__feed=feed)
    ).values_list("pk", "route__route_id", "from_stop__stop_id", "to_stop__stop_id")
    return [_AccessLink(*row) for row in rows]


def _access_relink(
    links: list[_AccessLink], feed: Feed, routes: dict[str, int], stops: dict[str, int]
) -> int:
    """Re-point access options to the new feed's rows; the number left with a missing route or stop."""
    lost = 0
    for link in links:
        route = routes.get(link.route_id) if link.route_id else None
        from_stop = stops.get(link.from_stop_id) if link.from_stop_id else None
        to_stop = stops.get(link.to_stop_id) if link.to_stop_id else None
        if (
            (link.route_id and route is None)
            or (link.from_stop_id and from_stop is None)
            or (link.to_stop_id and to_stop is None)
        ):
            lost += 1
        Access.objects.filter(pk=link.access_id).update(
            route_id=route, from_stop_id=from_stop, to_stop_id=to_stop
        )
    return lost


def _feed_delete(feed: Feed) -> None:
    # Biggest tables first with one DELETE each, so the cascade from Feed has little left to collect.
    StopTime.objects.filter(trip__feed=feed).delete()
    Frequency.objects.filter(trip__feed=feed).delete()
    ServiceException.objects.filter(service__feed=feed).delete()
    feed.delete()


def feed_import(
    *,
    path: Path,
    destination_name: str,
    feed_name: str | None = None,
    progress: Progress = _no_progress,
) -> FeedImportReport:
    """Import the GTFS feed at `path` (a .zip or a folder) into the destination, in one transaction.

    A feed of the same name in that destination is replaced. A new destination takes its time zone from
    agency.txt and its position from the mean of the stops. Fares (fare_attributes.txt, fare_rules.txt) are
    read when the feed has them. Rows that refer to unknown trips, routes, services, stops or fares are skipped
    and counted; a malformed value in a required field refuses the whole feed.
    """
    started = time.perf_counter()
    name = (feed_name or path.name.removesuffix(".zip")).strip()
    if not name:
        raise bad_gtfs("The feed needs a name: pass --name, e.g. --name hsl.")
    with GtfsFeedFiles(path) as files, transaction.atomic():
        files.check_required()
        progress(f"Reading {path}")
        run = _Import(files=files, progress=progress)
        agencies = _read_agencies(run)
        timezone = agencies[0].timezone
        stops = _read_stops(run)
        lat, lon = _mean_position(stops)
        destination, created = destination_get_or_create(
            name=destination_name, timezone=timezone, lat=lat, lon=lon
        )
        if created and lat is None:
            raise bad_gtfs("stops.txt has no stop with coordinates, so the new destination cannot be placed.")

        old = Feed.objects.filter(destination=destination, name=name).first()
        access_links: list[_AccessLink] = []
        if old is not None:
            progress(f"Replacing feed {name!r} of {destination}")
            access_links = _access_links(old)
            _feed_delete(old)

        feed = Feed.objects.create(destination=destination, name=name, timezone=timezone, **_feed_info(run))
        for agency in agencies:
            agency.feed = feed
        run.counts["agencies"] = _bulk_create(Agency, agencies)
        agency_ids = _ids(Agency, feed, "agency_id")
        for stop in stops:
            stop.feed = feed
        run.counts["stops"] = _bulk_create(Stop, stops)
        del stops
        stop_ids = _ids(Stop, feed, "stop_id")
        route_ids = _import_routes(run, feed, agency_ids)
        service_ids, first_day, last_day = _import_services(run, feed)
        trip_ids = _import_trips(run, feed, route_ids, service_ids)
        _import_stop_times(run, feed, trip_ids, stop_ids)
        if files.has("frequencies.txt"):
            _import_frequencies(run, trip_ids)
        else:
            run.counts["frequencies"] = 0
        _import_fares(run, feed)

        if feed.start_date is None or feed.end_date is None:
            feed.start_date = feed.start_date or first_day
            feed.end_date = feed.end_date or last_day
            feed.save(update_fields=["start_date", "end_date"])
        lost = _access_relink(access_links, feed, route_ids, stop_ids)

    return FeedImportReport(
        feed_name=name,
        destination=str(destination),
        destination_created=created,
        timezone=timezone,
        replaced=old is not None,
        counts=dict(run.counts),
        skipped=dict(sorted(run.skipped.items())),
        ignored_files=tuple(n for n in files.names if n not in USED_FILES),
        seconds=time.perf_counter() - started,
        access_relinked=len(access_links) - lost,
        access_unlinked=lost,
    )
