"""Public transport for the planner: GTFS feeds as plain data, one day's network, journeys and connections.

The Django app (tripwise.transit.selectors) and the benchmark (tripwise.bench.transit) read feeds into
`FeedData` (tripwise.core.transit.feed); `TransitNetwork.build` turns one or more of them into the network of one day on the planner's
clock (integer seconds since `clock_origin`), and answers two kinds of question:

- `journey(origin, destination, depart)`: the earliest-arriving journey between two points, with its legs
  (RAPTOR, tripwise.core.transit.raptor), for what a plan shows;
- `connections(points, departures)`: for every pair of points, when one arrives leaving at each sampled
  departure (a compiled Connection Scan, tripwise.core.transit._csa), for what the solver assumes;
  `connection_table()` gives the same as arrays, for callers that need no object per connection.

The scan is compiled with numba on first use and cached on disk; `warm_up()` pays for it up front.

Both walk the same way: straight-line distance times a detour factor at a fixed speed, rounded up to whole
seconds; to and from stops within `max_access_m`, and between stops within `max_transfer_m` (one footpath at
a time, as RAPTOR does), so both give the same earliest arrivals.

GTFS rules kept here: times count from the service day's "noon minus 12 h" origin (not midnight on DST
days) and may pass 24:00, so the network of a day also holds the previous service day's trips that run past
midnight. Calls with pickup_type 1 cannot be boarded and calls with drop_off_type 1 cannot be left: they are
carried on the trip (`no_pickup`, `no_drop_off` positions) and honoured by both searches.
"""

from __future__ import annotations

import gc
import itertools
import math
import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from numpy.typing import NDArray

from tripwise.core.engine.model import Connection
from tripwise.core.geo import EARTH_RADIUS_M, distances_from
from tripwise.core.transit import _csa
from tripwise.core.transit.calendar import ServiceCalendar, service_day_origin
from tripwise.core.transit.feed import FeedData, ScheduledTrip, StopPoint
from tripwise.core.transit.raptor import Footpath, Timetable, TripTimes, earliest_arrival

__all__ = [
    "ConnectionTable",
    "NetworkTrip",
    "TransitJourney",
    "TransitLeg",
    "TransitNetwork",
    "walking_seconds",
    "warm_up",
]

# connections() works out at most this many points x departures: 150 points every 15 minutes over 12 hours
# (Helsinki, two cores: 0.5 s for the scan, 0.8 s with the dict). Bigger inputs get every second (third...)
# departure: 300 points are answered every 30 minutes.
SAMPLE_BUDGET = 7_200
NEVER = _csa.NEVER
I64 = NDArray[np.int64]
I32 = NDArray[np.int32]
F64 = NDArray[np.float64]
Point = tuple[float, float]


# --- walking -------------------------------------------------------------------------------------------


def _seconds(metres: F64, detour: float, speed: float) -> I64:
    return np.ceil(metres * detour / speed).astype(np.int64)


def walking_seconds(
    points: Sequence[Point], *, walk_speed_mps: float = 1.2, detour: float = 1.25
) -> list[list[int]]:
    """Walking seconds between every two points, computed as the network computes them."""
    lats, lons = _point_arrays(points)
    return [
        _seconds(distances_from(lat, lon, lats, lons), detour, walk_speed_mps).tolist()
        for lat, lon in zip(lats.tolist(), lons.tolist(), strict=True)
    ]


def _point_arrays(points: Sequence[Point]) -> tuple[F64, F64]:
    for number, point in enumerate(points):
        if len(point) != 2 or not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
            raise ValueError(
                f"Point #{number} {point!r} is not (lat, lon) in degrees: latitude -90..90, longitude -180..180."
            )
    lats = np.array([float(point[0]) for point in points], dtype=np.float64)
    lons = np.array([float(point[1]) for point in points], dtype=np.float64)
    return lats, lons


# --- journeys ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TransitLeg:
    """A walk or a ride. Walk legs from the traveller's own point have from_name "" (to_name "" at the end)."""

    kind: Literal["walk", "ride"]
    depart: int
    arrive: int
    from_name: str
    from_lat: float
    from_lon: float
    to_name: str
    to_lat: float
    to_lon: float
    route_id: str | None = None
    route_name: str | None = None
    trip_id: str | None = None
    headsign: str | None = None
    from_stop_id: str | None = None
    to_stop_id: str | None = None
    feed: str | None = None


@dataclass(frozen=True)
class TransitJourney:
    depart: int  # leaving the origin point: as late as still catches the first ride
    arrive: int  # at the destination point
    legs: tuple[TransitLeg, ...]

    @property
    def walking_seconds(self) -> int:
        return sum(leg.arrive - leg.depart for leg in self.legs if leg.kind == "walk")

    @property
    def rides(self) -> int:
        return sum(1 for leg in self.legs if leg.kind == "ride")


@dataclass(frozen=True, eq=False)
class ConnectionTable(Mapping[tuple[int, int], tuple[Connection, ...]]):
    """What connections() returns, held as arrays and read as a mapping: the pair (o, d)'s connections are
    depart/arrive[ptr[o * points + d]:ptr[o * points + d + 1]]. Tuples are made when a pair is read, so a
    caller that only needs arrays (the engine turns connections into arrays again) makes no object per
    connection.
    """

    points: int
    ptr: I64
    depart: I64
    arrive: I64
    samples: I64  # the departures worked out, ascending
    sample: I64  # per connection: its departure's index in samples

    def _pair(self, key: tuple[int, int]) -> int:
        o, d = key
        if not (0 <= o < self.points and 0 <= d < self.points):
            raise KeyError(key)
        return o * self.points + d

    def __getitem__(self, key: tuple[int, int]) -> tuple[Connection, ...]:
        pair = self._pair(key)
        first, last = int(self.ptr[pair]), int(self.ptr[pair + 1])
        if first == last:
            raise KeyError(key)
        return tuple(
            Connection(depart, arrive)
            for depart, arrive in zip(
                self.depart[first:last].tolist(), self.arrive[first:last].tolist(), strict=True
            )
        )

    def __iter__(self) -> Iterator[tuple[int, int]]:
        for pair in np.flatnonzero(np.diff(self.ptr)).tolist():
            yield divmod(pair, self.points)

    def __len__(self) -> int:
        return int(np.count_nonzero(np.diff(self.ptr)))

    def as_dict(self) -> dict[tuple[int, int], tuple[Connection, ...]]:
        """Every pair at once. Equal connections are one shared object: pairs leaving at the same sample
        often arrive at the same second, and making a frozen dataclass costs far more than reusing one."""
        if len(self.depart) == 0:
            return {}
        # Number the distinct (sample, wait) pairs without sorting millions of keys: a presence table
        # over samples x waits is small (waits are below a few hours) and counting through it ranks them.
        wait = self.arrive - self.depart
        width = int(wait.max()) + 1
        keys = self.sample * width + wait
        if len(self.samples) * width <= 1 << 22:
            present = np.zeros(len(self.samples) * width, dtype=np.bool_)
            present[keys] = True
            unique = np.flatnonzero(present)
            inverse = (np.cumsum(present) - 1)[keys]
        else:
            unique, inverse = np.unique(keys, return_inverse=True)
        starts = self.samples[unique // width].tolist()
        made = np.empty(len(unique), dtype=object)
        for number, (start, waited) in enumerate(zip(starts, (unique % width).tolist(), strict=True)):
            made[number] = Connection(start, start + waited)
        objects = made[inverse].tolist()
        ptr = self.ptr.tolist()
        n = self.points
        # Tens of thousands of new tuples would set off the cyclic garbage collector again and again, each
        # time walking everything alive, for nothing: tuples of dataclasses make no cycles. It doubled the time.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return {
                divmod(pair, n): tuple(objects[ptr[pair] : ptr[pair + 1]])
                for pair in np.flatnonzero(np.diff(self.ptr)).tolist()
            }
        finally:
            if collecting:
                gc.enable()


class _Scan(NamedTuple):
    """The network as the compiled scan reads it, in the order of the kernel's parameters (`*scan`)."""

    foot_ptr: I64
    foot_to: I32
    foot_seconds: I64
    depart32: I32
    arrive32: I32
    from_stop: I32
    to_stop: I32
    trip: I32
    board: NDArray[np.bool_]
    alight: NDArray[np.bool_]


@dataclass(frozen=True)
class NetworkTrip:
    """A trip as the network runs it: its clock times are the trip's GTFS times + shift."""

    feed: int  # index into TransitNetwork.feeds
    trip: ScheduledTrip
    shift: int  # clock seconds of the service day's origin
    stops: tuple[int, ...]  # network stop indices of the calls kept


# --- the network ---------------------------------------------------------------------------------------


class TransitNetwork:
    """The trips of one day from one or more feeds, with footpaths, on the planner's clock."""

    def __init__(
        self,
        *,
        feeds: tuple[FeedData, ...],
        stops: tuple[StopPoint, ...],
        trips: tuple[NetworkTrip, ...],
        footpaths: tuple[Footpath, ...],
        walk_speed_mps: float,
        detour: float,
        max_access_m: float,
        max_transfer_m: float,
        skipped_trips: int,
    ) -> None:
        self.feeds = feeds
        self.stops = stops
        self.trips = trips
        self.footpaths = footpaths
        self.walk_speed_mps = walk_speed_mps
        self.detour = detour
        self.max_access_m = max_access_m
        self.max_transfer_m = max_transfer_m
        self.skipped_trips = skipped_trips  # trips whose times run backwards: left out
        self._lats = np.array([stop.lat for stop in stops], dtype=np.float64)
        self._lons = np.array([stop.lon for stop in stops], dtype=np.float64)
        self._timetable: Timetable | None = None
        self._scan: _Scan | None = None

    @classmethod
    def build(
        cls,
        feeds: Sequence[FeedData],
        *,
        day: date,
        clock_origin: datetime,
        walk_speed_mps: float = 1.2,
        detour: float = 1.25,
        max_access_m: float = 1000.0,
        max_transfer_m: float = 250.0,
    ) -> TransitNetwork:
        """The trips that run on `day` (and those of the day before that run past its midnight).

        `clock_origin` is an aware datetime; every time in the network counts seconds from it.
        """
        if clock_origin.tzinfo is None or clock_origin.utcoffset() is None:
            raise ValueError(
                f"clock_origin {clock_origin.isoformat()} has no time zone: give an aware datetime, e.g. "
                "local midnight of the trip's first day in the destination's zone."
            )
        if walk_speed_mps <= 0 or detour < 1 or max_access_m < 0 or max_transfer_m < 0:
            raise ValueError(
                "Walking needs walk_speed_mps > 0, detour >= 1 (streets are never shorter than a straight "
                "line) and non-negative max_access_m and max_transfer_m."
            )
        stops: list[StopPoint] = []
        trips: list[NetworkTrip] = []
        skipped = 0
        for feed_index, feed in enumerate(feeds):
            try:
                zone = ZoneInfo(feed.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"Feed {feed.name!r}: {feed.timezone!r} is not an IANA time zone (e.g. Europe/Helsinki)."
                ) from None
            index: dict[str, int] = {}
            for stop in feed.stops:
                if stop.stop_id in index:
                    raise ValueError(f"Feed {feed.name!r} lists stop {stop.stop_id!r} twice.")
                index[stop.stop_id] = len(stops)
                stops.append(stop)
            calendars = {calendar.service_id: calendar for calendar in feed.calendars}
            midnight = _clock(datetime.combine(day, time(0), tzinfo=zone), clock_origin)
            for service_day in (day - timedelta(days=1), day):
                running = {sid for sid, calendar in calendars.items() if calendar.runs_on(service_day)}
                shift = _clock(service_day_origin(service_day, zone), clock_origin)
                for trip in feed.trips:
                    if trip.service_id not in running or not _well_formed(trip):
                        continue
                    # The day before contributes only its trips that are still running after midnight.
                    if service_day < day and trip.arrivals[-1] + shift <= midnight:
                        continue
                    kept = [i for i, stop_id in enumerate(trip.stop_ids) if stop_id in index]
                    if len(kept) < 2:
                        continue
                    if not _runs_forward(trip, kept):
                        skipped += 1
                        continue
                    if len(kept) < len(trip.stop_ids):
                        trip = _only(trip, kept)
                    trips.append(
                        NetworkTrip(
                            feed_index, trip, shift, tuple(index[stop_id] for stop_id in trip.stop_ids)
                        )
                    )
        network = cls(
            feeds=tuple(feeds),
            stops=tuple(stops),
            trips=tuple(trips),
            footpaths=(),
            walk_speed_mps=walk_speed_mps,
            detour=detour,
            max_access_m=max_access_m,
            max_transfer_m=max_transfer_m,
            skipped_trips=skipped,
        )
        network.footpaths = network._footpaths()
        return network

    def prepare(self) -> TransitNetwork:
        """Build now what the first journey() and connections() would otherwise build on first use."""
        self._raptor()
        self._scan_arrays()
        return self

    # --- walking ---

    def _walk_from(self, lat: float, lon: float, radius: float) -> tuple[I64, I64]:
        """Stops within `radius` metres of a point and the seconds to walk there."""
        metres = distances_from(lat, lon, self._lats, self._lons)
        near = np.flatnonzero(metres <= radius)
        return near.astype(np.int64), _seconds(metres[near], self.detour, self.walk_speed_mps)

    def _footpaths(self) -> tuple[Footpath, ...]:
        """Walks between stops within max_transfer_m, both ways, found through a grid of cells at least
        max_transfer_m wide so that only the 3 x 3 cells around a stop need checking (not all stops)."""
        if len(self.stops) == 0 or self.max_transfer_m <= 0:
            return ()
        cell_lat = math.degrees(self.max_transfer_m / EARTH_RADIUS_M)
        # Degrees of longitude shrink towards the poles: size cells for the stop nearest a pole.
        widest = max(abs(float(self._lats.min())), abs(float(self._lats.max())))
        cell_lon = cell_lat / max(math.cos(math.radians(min(widest, 89.0))), 1e-6)
        rows = np.floor(self._lats / cell_lat).astype(np.int64)
        cols = np.floor(self._lons / cell_lon).astype(np.int64)
        cells: dict[tuple[int, int], list[int]] = {}
        for stop, key in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
            cells.setdefault(key, []).append(stop)
        members = {key: np.array(value, dtype=np.int64) for key, value in cells.items()}
        paths: list[Footpath] = []
        for (row, col), here in members.items():
            around = [
                members[key]
                for key in ((row + dr, col + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1))
                if key in members
            ]
            candidates = np.concatenate(around)
            for stop in here.tolist():
                metres = distances_from(
                    float(self._lats[stop]),
                    float(self._lons[stop]),
                    self._lats[candidates],
                    self._lons[candidates],
                )
                # Each pair once, from its lower index, and both ways with the very same seconds.
                close = (metres <= self.max_transfer_m) & (candidates > stop)
                seconds = _seconds(metres[close], self.detour, self.walk_speed_mps)
                for other, walk in zip(candidates[close].tolist(), seconds.tolist(), strict=True):
                    paths.append(Footpath(stop, other, walk))
                    paths.append(Footpath(other, stop, walk))
        return tuple(paths)

    # --- RAPTOR journeys ---

    def _raptor(self) -> Timetable:
        if self._timetable is None:
            self._timetable = Timetable.build(
                len(self.stops),
                [
                    TripTimes(
                        trip_id=str(number),
                        route_id=ref.trip.route_id,
                        stops=ref.stops,
                        arrivals=tuple(t + ref.shift for t in ref.trip.arrivals),
                        departures=tuple(t + ref.shift for t in ref.trip.departures),
                        no_pickup=ref.trip.no_pickup,
                        no_drop_off=ref.trip.no_drop_off,
                    )
                    for number, ref in enumerate(self.trips)
                ],
                self.footpaths,
            )
        return self._timetable

    def journey(
        self, origin: Point, destination: Point, depart: int, *, max_rides: int = 4
    ) -> TransitJourney | None:
        """The earliest arrival at `destination` leaving `origin` (lat, lon) at `depart` (clock seconds),
        or None when no ride beats walking (no stop near either end, nothing running, or just too close)."""
        (o_lat, d_lat), (o_lon, d_lon) = _point_arrays([origin, destination])
        o_lat_f, o_lon_f, d_lat_f, d_lon_f = float(o_lat), float(o_lon), float(d_lat), float(d_lon)
        access, access_walk = self._walk_from(o_lat_f, o_lon_f, self.max_access_m)
        egress, egress_walk = self._walk_from(d_lat_f, d_lon_f, self.max_access_m)
        if len(access) == 0 or len(egress) == 0:
            return None
        direct = int(
            _seconds(
                distances_from(o_lat_f, o_lon_f, np.array([d_lat_f]), np.array([d_lon_f])),
                self.detour,
                self.walk_speed_mps,
            )[0]
        )
        walked = depart + direct
        # The compiled scan finds the earliest arrival in about a millisecond; RAPTOR (pure Python), told
        # not to look past it, then only has to recover the legs, which prunes most of its work.
        # The scan looks at every ride leaving before one would have walked there, with no ride limit:
        # when it finds nothing faster than walking, nothing is.
        scanned = self._earliest(access, access_walk, egress, egress_walk, depart, horizon=direct)
        if scanned >= walked:
            return None
        origins = dict(zip(access.tolist(), (depart + access_walk).tolist(), strict=True))
        destinations = dict(zip(egress.tolist(), egress_walk.tolist(), strict=True))
        found = earliest_arrival(
            self._raptor(),
            origins=origins,
            destinations=destinations,
            max_rides=max_rides,
            arrive_before=scanned + 1,
        )
        if found is None or found.rides == 0:
            # The scan has no ride limit, so it may know a faster journey than max_rides allow.
            found = earliest_arrival(
                self._raptor(),
                origins=origins,
                destinations=destinations,
                max_rides=max_rides,
                arrive_before=walked,
            )
        if found is None or found.rides == 0 or found.arrive >= walked:
            return None

        first = next(i for i, leg in enumerate(found.legs) if leg.kind == "ride")
        to_first_stop = origins[found.origin_stop] - depart
        # Leave as late as still catches the first ride: the wait belongs at home, not at the stop.
        footpath = sum(leg.arrive - leg.depart for leg in found.legs[:first])
        leave = found.legs[first].depart - footpath - to_first_stop
        legs: list[TransitLeg] = [
            self._walk_leg(None, found.origin_stop, leave, leave + to_first_stop, origin=(o_lat_f, o_lon_f))
        ]
        for number, leg in enumerate(found.legs):
            if leg.kind == "walk":
                start = legs[-1].arrive if number < first else leg.depart
                legs.append(
                    self._walk_leg(leg.from_stop, leg.to_stop, start, start + leg.arrive - leg.depart)
                )
            else:
                assert leg.trip_id is not None
                ref = self.trips[int(leg.trip_id)]
                legs.append(self._ride_leg(ref, leg.from_stop, leg.to_stop, leg.depart, leg.arrive))
        clock = found.legs[-1].arrive
        legs.append(
            self._walk_leg(found.destination_stop, None, clock, found.arrive, destination=(d_lat_f, d_lon_f))
        )
        return TransitJourney(depart=leave, arrive=found.arrive, legs=tuple(legs))

    def _earliest(
        self, access: I64, access_walk: I64, egress: I64, egress_walk: I64, depart: int, *, horizon: int
    ) -> int:
        """The earliest arrival by the compiled scan (rides leaving within `horizon`), NEVER if none."""
        scan = self._scan_arrays()
        samples = np.array([depart], dtype=np.int64)
        out = np.empty((2, 2, 1), dtype=np.int64)
        _csa.scan_origins(
            0,
            1,
            samples,
            max(1, horizon),
            np.array([[0, 1], [1, 0]], dtype=np.int64),
            0,
            np.array([0, len(access), len(access) + len(egress)], dtype=np.int64),
            np.concatenate([access, egress]).astype(np.int32),
            np.concatenate([access_walk, egress_walk]).astype(np.int64),
            *scan,
            len(self.trips),
            out,
        )
        return int(out[0, 1, 0])

    def _walk_leg(
        self,
        from_stop: int | None,
        to_stop: int | None,
        depart: int,
        arrive: int,
        *,
        origin: Point | None = None,
        destination: Point | None = None,
    ) -> TransitLeg:
        start = self.stops[from_stop] if from_stop is not None else None
        end = self.stops[to_stop] if to_stop is not None else None
        from_lat, from_lon = (start.lat, start.lon) if start is not None else origin or (0.0, 0.0)
        to_lat, to_lon = (end.lat, end.lon) if end is not None else destination or (0.0, 0.0)
        return TransitLeg(
            kind="walk",
            depart=depart,
            arrive=arrive,
            from_name=start.name if start is not None else "",
            from_lat=from_lat,
            from_lon=from_lon,
            to_name=end.name if end is not None else "",
            to_lat=to_lat,
            to_lon=to_lon,
        )

    def _ride_leg(
        self, ref: NetworkTrip, from_stop: int, to_stop: int, depart: int, arrive: int
    ) -> TransitLeg:
        start, end = self.stops[from_stop], self.stops[to_stop]
        return TransitLeg(
            kind="ride",
            depart=depart,
            arrive=arrive,
            from_name=start.name,
            from_lat=start.lat,
            from_lon=start.lon,
            to_name=end.name,
            to_lat=end.lat,
            to_lon=end.lon,
            route_id=ref.trip.route_id,
            route_name=ref.trip.route_name,
            trip_id=ref.trip.trip_id,
            headsign=ref.trip.headsign,
            from_stop_id=start.stop_id,
            to_stop_id=end.stop_id,
            feed=self.feeds[ref.feed].name,
        )

    # --- connections for the solver ---

    def _scan_arrays(self) -> _Scan:
        """Elementary connections (one vehicle between consecutive calls) sorted by departure, and
        footpaths as compressed rows; built once per network."""
        if self._scan is None:
            total = sum(len(ref.stops) - 1 for ref in self.trips)
            depart = np.empty(total, dtype=np.int64)
            arrive = np.empty(total, dtype=np.int64)
            from_stop = np.empty(total, dtype=np.int32)
            to_stop = np.empty(total, dtype=np.int32)
            trip = np.empty(total, dtype=np.int32)
            board = np.ones(total, dtype=np.bool_)
            alight = np.ones(total, dtype=np.bool_)
            k = 0
            for number, ref in enumerate(self.trips):
                n = len(ref.stops) - 1
                calls = np.array(ref.stops, dtype=np.int32)
                depart[k : k + n] = np.array(ref.trip.departures[:-1], dtype=np.int64) + ref.shift
                arrive[k : k + n] = np.array(ref.trip.arrivals[1:], dtype=np.int64) + ref.shift
                from_stop[k : k + n] = calls[:-1]
                to_stop[k : k + n] = calls[1:]
                trip[k : k + n] = number
                for p in ref.trip.no_pickup:
                    if p < n:
                        board[k + p] = False
                for p in ref.trip.no_drop_off:
                    if p >= 1:
                        alight[k + p - 1] = False
                k += n
            # Departure first; then arrival, so that a zero-minute hop is scanned before what it feeds;
            # then the trip's own order (lexsort is stable on the original order).
            order = np.lexsort((arrive, depart))
            stop_count = len(self.stops)
            foot_from = np.array([path.from_stop for path in self.footpaths], dtype=np.int64)
            foot_to = np.array([path.to_stop for path in self.footpaths], dtype=np.int32)
            foot_seconds = np.array([path.seconds for path in self.footpaths], dtype=np.int64)
            foot_order = np.argsort(foot_from, kind="stable")
            foot_ptr = np.zeros(stop_count + 1, dtype=np.int64)
            np.cumsum(np.bincount(foot_from, minlength=stop_count), out=foot_ptr[1:])
            self._scan = _Scan(
                depart32=depart[order].astype(np.int32),
                arrive32=arrive[order].astype(np.int32),
                from_stop=from_stop[order],
                to_stop=to_stop[order],
                trip=trip[order],
                board=board[order],
                alight=alight[order],
                foot_ptr=foot_ptr,
                foot_to=foot_to[foot_order],
                foot_seconds=foot_seconds[foot_order],
            )
        return self._scan

    def connection_table(
        self,
        points: Sequence[Point],
        departures: Sequence[int],
        *,
        min_walk_seconds: int = 900,
        horizon_seconds: int = 7200,
        sample_budget: int | None = SAMPLE_BUDGET,
        threads: int | None = None,
    ) -> ConnectionTable:
        """connections() as arrays (see there); `threads`: how many cores scan (default: all)."""
        if min_walk_seconds < 0 or horizon_seconds <= 0:
            raise ValueError("min_walk_seconds cannot be negative and horizon_seconds must be above 0.")
        if sample_budget is not None and sample_budget < 1:
            raise ValueError(
                f"sample_budget must be at least 1 (or None for every departure), not {sample_budget}."
            )
        lats, lons = _point_arrays(points)
        n = len(points)
        samples = np.unique(np.array(list(departures), dtype=np.int64))
        if sample_budget is not None and n * len(samples) > sample_budget:
            # Coarser departures for big inputs: every step-th one, so points x departures fits the budget.
            samples = samples[:: math.ceil(n * len(samples) / sample_budget)]
        empty = np.zeros(0, dtype=np.int64)
        if n == 0 or len(samples) == 0 or len(self.trips) == 0:
            return ConnectionTable(n, np.zeros(n * n + 1, dtype=np.int64), empty, empty, empty, empty)
        point_walk = np.empty((n, n), dtype=np.int64)
        access_stops: list[I64] = []
        access_walks: list[I64] = []
        for i, (lat, lon) in enumerate(zip(lats.tolist(), lons.tolist(), strict=True)):
            point_walk[i] = _seconds(distances_from(lat, lon, lats, lons), self.detour, self.walk_speed_mps)
            near, walk = self._walk_from(lat, lon, self.max_access_m)
            access_stops.append(near)
            access_walks.append(walk)
        access_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum([len(near) for near in access_stops], out=access_ptr[1:])
        access_stop = np.concatenate(access_stops).astype(np.int32)
        access_walk = np.concatenate(access_walks).astype(np.int64)

        scan = self._scan_arrays()
        out = np.empty((n, n, len(samples)), dtype=np.int64)
        args = (
            samples,
            horizon_seconds,
            point_walk,
            min_walk_seconds,
            access_ptr,
            access_stop,
            access_walk,
            *scan,
            len(self.trips),
            out,
        )
        workers = max(1, min(threads or os.cpu_count() or 1, n))
        if workers == 1:
            _csa.scan_origins(0, n, *args)
        else:
            # The kernel releases the GIL: interleaved chunks keep the threads' loads even.
            bounds = np.linspace(0, n, workers * 4 + 1).astype(int).tolist()
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for future in [
                    pool.submit(_csa.scan_origins, first, last, *args)
                    for first, last in itertools.pairwise(bounds)
                    if last > first
                ]:
                    future.result()
        ptr, depart, arrive, sample = _csa.compress(samples, point_walk, min_walk_seconds, out)
        return ConnectionTable(n, ptr, depart, arrive, samples, sample)

    def connections(
        self,
        points: Sequence[Point],
        departures: Sequence[int],
        *,
        min_walk_seconds: int = 900,
        horizon_seconds: int = 7200,
        sample_budget: int | None = SAMPLE_BUDGET,
    ) -> dict[tuple[int, int], tuple[Connection, ...]]:
        """For every ordered pair (o, d) of points more than `min_walk_seconds` apart on foot: leaving o at
        a sampled departure, when one reaches d by transit (earliest arrival), sorted by departure.

        Only connections that beat walking from that departure are kept, and a sample is dropped when the
        next later one arrives as early (leaving later is then as good). Each is a real journey:
        `journey(points[o], points[d], depart)` arrives then (give or take the 4-ride limit of journey()).

        `horizon_seconds`: rides leaving more than this after the last departure are not looked at.
        `sample_budget`: the most points x departures worked out; beyond it every second (third...)
        departure is used, so a big input gets coarser departures (still real journeys: the solver only
        waits longer for them) instead of a slow answer. None: every departure, whatever the size.
        """
        return self.connection_table(
            points,
            departures,
            min_walk_seconds=min_walk_seconds,
            horizon_seconds=horizon_seconds,
            sample_budget=sample_budget,
        ).as_dict()


def _clock(instant: datetime, clock_origin: datetime) -> int:
    return int((instant - clock_origin).total_seconds())


def _well_formed(trip: ScheduledTrip) -> bool:
    return len(trip.stop_ids) == len(trip.arrivals) == len(trip.departures) >= 2


def _runs_forward(trip: ScheduledTrip, kept: list[int]) -> bool:
    arrivals, departures = trip.arrivals, trip.departures
    previous = None
    for i in kept:
        if departures[i] < arrivals[i] or (previous is not None and arrivals[i] < previous):
            return False
        previous = departures[i]
    return True


def _only(trip: ScheduledTrip, kept: list[int]) -> ScheduledTrip:
    """The trip without its calls at stops the network does not know (no coordinates)."""
    renumber = {old: new for new, old in enumerate(kept)}
    return ScheduledTrip(
        trip_id=trip.trip_id,
        route_id=trip.route_id,
        route_name=trip.route_name,
        headsign=trip.headsign,
        service_id=trip.service_id,
        stop_ids=tuple(trip.stop_ids[i] for i in kept),
        arrivals=tuple(trip.arrivals[i] for i in kept),
        departures=tuple(trip.departures[i] for i in kept),
        no_pickup=frozenset(renumber[i] for i in trip.no_pickup if i in renumber),
        no_drop_off=frozenset(renumber[i] for i in trip.no_drop_off if i in renumber),
    )


def warm_up() -> float:
    """Compile the Connection Scan on a two-stop network; the seconds it took (fast once cached)."""
    import time as clock

    started = clock.perf_counter()
    feed = FeedData(
        name="warm-up",
        timezone="UTC",
        stops=(StopPoint("a", "A", 0.0, 0.0), StopPoint("b", "B", 0.0, 0.1)),
        trips=(ScheduledTrip("t", "r", "r", "", "s", ("a", "b"), (3600, 4000), (3600, 4000)),),
        calendars=(
            ServiceCalendar(
                "s", frozenset(range(7)), date(2000, 1, 1), date(2000, 1, 1), frozenset(), frozenset()
            ),
        ),
        version="0",
    )
    network = TransitNetwork.build(
        [feed], day=date(2000, 1, 1), clock_origin=datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC"))
    )
    network.connection_table([(0.0, 0.0), (0.0, 0.1)], [3000], threads=1)
    return clock.perf_counter() - started
