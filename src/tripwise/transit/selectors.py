"""Reads for transit: finding routes and stops, service calendars, next departures between two stops."""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Q

from tripwise.core.errors import TripwiseError
from tripwise.core.transit.calendar import ServiceCalendar
from tripwise.core.transit.departures import Departure, ScheduledDeparture, next_departures
from tripwise.core.transit.fares import FareProduct, FareRuleData
from tripwise.core.transit.feed import Call, FeedData, ScheduledTrip, StopPoint, scheduled_trips
from tripwise.core.transit.network import TransitNetwork
from tripwise.places.models import Destination
from tripwise.transit.models import (
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

__all__ = [
    "feed_data_for",
    "route_and_stops_find",
    "route_next_departures",
    "service_calendars",
    "transit_network_for",
]


def _not_found(message: str) -> TripwiseError:
    return TripwiseError("not_found", message, status=404)


def route_and_stops_find(
    *, destination: Destination, route: str, from_stop: str, to_stop: str
) -> tuple[Route, Stop, Stop]:
    """The route (by route_id, else short name) of the destination, and two stops (stop_id) of its feed."""
    routes = Route.objects.filter(feed__destination=destination).select_related("feed")
    found = list(routes.filter(route_id=route)) or list(routes.filter(short_name__iexact=route))
    if not found:
        if not Feed.objects.filter(destination=destination).exists():
            raise _not_found(
                f"{destination} has no timetable yet, so route {route!r} cannot be found. "
                f"Import one first: tripwise import gtfs FEED.zip --destination {destination.name!r}."
            )
        raise _not_found(
            f"No route {route!r} in the timetables of {destination}: give its route_id or short name "
            "as written in routes.txt."
        )
    if len(found) > 1:
        listed = ", ".join(f"{r.route_id} ({r.long_name or r.feed.name})" for r in found[:5])
        raise TripwiseError(
            "ambiguous_route",
            f"Route {route!r} matches {len(found)} routes in {destination}: {listed}. Give a route_id.",
        )
    chosen = found[0]
    stops = {
        stop.stop_id: stop for stop in Stop.objects.filter(feed=chosen.feed, stop_id__in=[from_stop, to_stop])
    }
    for stop_id in (from_stop, to_stop):
        if stop_id not in stops:
            raise _not_found(
                f"No stop {stop_id!r} in feed {chosen.feed.name!r} of {destination} (route {chosen}): "
                "give the stop_id as written in stops.txt."
            )
    return chosen, stops[from_stop], stops[to_stop]


def service_calendars(feed: Feed, *, service_ids: Iterable[str] | None = None) -> dict[str, ServiceCalendar]:
    """The feed's services as the core's ServiceCalendar, by service_id (only `service_ids` when given)."""
    services = Service.objects.filter(feed=feed)
    if service_ids is not None:
        services = services.filter(service_id__in=list(service_ids))
    added: dict[int, set[date]] = defaultdict(set)
    removed: dict[int, set[date]] = defaultdict(set)
    exceptions = ServiceException.objects.filter(service__in=services).values_list(
        "service_id", "date", "kind"
    )
    for service_pk, day, kind in exceptions:
        (added if kind == ServiceException.Kind.ADDED else removed)[service_pk].add(day)
    return {
        service.service_id: ServiceCalendar(
            service_id=service.service_id,
            weekdays=frozenset(index for index, flag in enumerate(service.weekdays) if flag == "1"),
            start=service.start_date,
            end=service.end_date,
            added=frozenset(added[service.pk]),
            removed=frozenset(removed[service.pk]),
        )
        for service in services
    }


@dataclass(frozen=True)
class _Call:
    trip_pk: int
    sequence: int
    arrival: int | None
    departure: int | None


def _stop_and_children(stop: Stop) -> list[int]:
    """A station's platforms ride for it: stop_times name platforms (location_type 0), not the station."""
    children = Stop.objects.filter(feed_id=stop.feed_id, parent_station=stop.stop_id, location_type=0)
    return [stop.pk, *children.values_list("pk", flat=True)]


def _calls(route: Route, stop: Stop, *, boarding: bool) -> dict[int, list[_Call]]:
    """Calls of the route's trips at the stop where one may board (or alight), by trip, in sequence order."""
    no_service = Q(pickup_type=1) if boarding else Q(drop_off_type=1)
    rows = (
        StopTime.objects.filter(trip__route=route, stop_id__in=_stop_and_children(stop))
        .exclude(no_service)
        .order_by()
        .values_list("trip_id", "stop_sequence", "arrival_seconds", "departure_seconds")
    )
    calls: dict[int, list[_Call]] = defaultdict(list)
    for row in rows:
        calls[row[0]].append(_Call(*row))
    for trip_calls in calls.values():
        trip_calls.sort(key=lambda call: call.sequence)
    return calls


def _first_departures(trip_pks: Iterable[int]) -> dict[int, int]:
    """Each trip's departure from its first timed stop: what its frequency-based times are relative to."""
    first: dict[int, int] = {}
    rows = (
        StopTime.objects.filter(trip_id__in=list(trip_pks), departure_seconds__isnull=False)
        .order_by("trip_id", "stop_sequence")
        .values_list("trip_id", "departure_seconds")
    )
    for trip_pk, departure in rows:
        if departure is not None:
            first.setdefault(trip_pk, departure)
    return first


def route_next_departures(
    *, route: Route, from_stop: Stop, to_stop: Stop, after: datetime, limit: int = 3
) -> list[Departure]:
    """The next `limit` departures of `route` from `from_stop` that later call at `to_stop`, from `after` on.

    Times are in the feed's zone; `arrives` is the arrival at `to_stop`. Trips of frequencies.txt run every
    headway from each period's start (inclusive) to its end (exclusive), their stop times shifted accordingly.
    A trip whose time at `from_stop` is not given (an untimed intermediate stop) is left out.
    """
    feed = route.feed
    boards = _calls(route, from_stop, boarding=True)
    alights = _calls(route, to_stop, boarding=False)
    # (trip pk, departure at from_stop, arrival at to_stop): the first call at to_stop after each boarding.
    legs: list[tuple[int, int, int | None]] = []
    for trip_pk, trip_boards in boards.items():
        for board in trip_boards:
            if board.departure is None:
                continue
            alight = next((call for call in alights.get(trip_pk, ()) if call.sequence > board.sequence), None)
            if alight is None:
                continue
            legs.append((trip_pk, board.departure, alight.arrival))
    if not legs:
        return []

    trips = {
        pk: (trip_id, service_id, headsign)
        for pk, trip_id, service_id, headsign in route.trips.filter(
            pk__in={leg[0] for leg in legs}
        ).values_list("pk", "trip_id", "service__service_id", "headsign")
    }
    periods: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for trip_pk, start, end, headway in Frequency.objects.filter(trip_id__in=list(trips)).values_list(
        "trip_id", "start_seconds", "end_seconds", "headway_seconds"
    ):
        periods[trip_pk].append((start, end, headway))
    origins = _first_departures(periods)

    scheduled: list[ScheduledDeparture] = []
    for trip_pk, departure, arrival in legs:
        trip_id, service_id, headsign = trips[trip_pk]
        if trip_pk not in periods:
            scheduled.append(ScheduledDeparture(trip_id, service_id, departure, arrival, headsign))
            continue
        origin = origins.get(trip_pk, departure)
        for start, end, headway in periods[trip_pk]:
            for trip_start in range(start, end, headway):
                shift = trip_start - origin
                scheduled.append(
                    ScheduledDeparture(
                        trip_id,
                        service_id,
                        departure + shift,
                        arrival + shift if arrival is not None else None,
                        headsign,
                    )
                )
    calendars = service_calendars(feed, service_ids={trip[1] for trip in trips.values()})
    return next_departures(scheduled, calendars, after, ZoneInfo(feed.timezone), limit=limit)


# --- feeds for the planner's routing -----------------------------------------------------------------------


def _feed_data(feed: Feed) -> FeedData:
    """One feed as plain data: a handful of values_list queries, no model instance per row."""
    stop_rows = list(
        Stop.objects.filter(feed=feed).values_list("pk", "stop_id", "name", "lat", "lon", "zone_id")
    )
    stop_ids = {pk: stop_id for pk, stop_id, *_ in stop_rows}
    routes = {
        pk: (route_id, short_name or long_name or route_id)
        for pk, route_id, short_name, long_name in Route.objects.filter(feed=feed).values_list(
            "pk", "route_id", "short_name", "long_name"
        )
    }
    calls: dict[int, list[Call]] = defaultdict(list)
    used: set[int] = set()
    rows = (
        StopTime.objects.filter(trip__feed=feed)
        .order_by("trip_id", "stop_sequence")
        .values_list(
            "trip_id", "stop_id", "arrival_seconds", "departure_seconds", "pickup_type", "drop_off_type"
        )
    )
    for trip_pk, stop_pk, arrival, departure, pickup, drop_off in rows.iterator(chunk_size=20_000):
        calls[trip_pk].append((stop_ids[stop_pk], arrival, departure, pickup, drop_off))
        used.add(stop_pk)
    periods: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for trip_pk, start, end, headway in Frequency.objects.filter(trip__feed=feed).values_list(
        "trip_id", "start_seconds", "end_seconds", "headway_seconds"
    ):
        periods[trip_pk].append((start, end, headway))
    trips: list[ScheduledTrip] = []
    for trip_pk, trip_id, route_pk, service_id, headsign in (
        Trip.objects.filter(feed=feed)
        .order_by("pk")
        .values_list("pk", "trip_id", "route_id", "service__service_id", "headsign")
    ):
        route_id, route_name = routes[route_pk]
        trips += scheduled_trips(
            trip_id=trip_id,
            route_id=route_id,
            route_name=route_name,
            headsign=headsign,
            service_id=service_id,
            calls=calls.get(trip_pk, ()),
            frequencies=sorted(periods.get(trip_pk, ())),
        )
    # Stops that trips call at and that have a position (stations and entrances are not ridden to).
    stops = tuple(
        StopPoint(stop_id=stop_id, name=name, lat=lat, lon=lon, zone_id=zone_id)
        for pk, stop_id, name, lat, lon, zone_id in stop_rows
        if pk in used and lat is not None and lon is not None
    )
    return FeedData(
        name=feed.name,
        timezone=feed.timezone,
        stops=stops,
        trips=tuple(trips),
        calendars=tuple(service_calendars(feed).values()),
        version=f"{feed.pk}:{feed.imported_at.isoformat()}",
        fares=tuple(
            FareProduct(fare_id, price, currency, transfers, duration)
            for fare_id, price, currency, transfers, duration in Fare.objects.filter(feed=feed)
            .order_by("fare_id")
            .values_list("fare_id", "price", "currency", "transfers", "transfer_duration")
        ),
        fare_rules=tuple(
            FareRuleData(*row)
            for row in FareRule.objects.filter(fare__feed=feed)
            .order_by("fare__fare_id", "pk")
            .values_list("fare__fare_id", "route_id", "origin_id", "destination_id", "contains_id")
        ),
    )


_FEEDS_KEPT = 4
_feeds: OrderedDict[tuple[int, datetime], FeedData] = OrderedDict()
_feeds_lock = threading.Lock()


def feed_data_for(*, destination: Destination) -> tuple[FeedData, ...]:
    """Every feed of the destination as plain data (frequencies expanded, untimed calls interpolated).

    The last few feeds read are kept per process, by primary key and import time, so the days of one trip
    read a feed once.
    """
    result: list[FeedData] = []
    for feed in Feed.objects.filter(destination=destination).order_by("name"):
        key = (feed.pk, feed.imported_at)
        with _feeds_lock:
            data = _feeds.get(key)
            if data is not None:
                _feeds.move_to_end(key)
        if data is None:
            data = _feed_data(feed)
            with _feeds_lock:
                _feeds[key] = data
                while len(_feeds) > _FEEDS_KEPT:
                    _feeds.popitem(last=False)
        result.append(data)
    return tuple(result)


_NETWORKS_KEPT = 8
_networks: OrderedDict[tuple[object, ...], TransitNetwork] = OrderedDict()
_networks_lock = threading.Lock()


def transit_network_for(
    *, destination: Destination, day: date, clock_origin: datetime
) -> TransitNetwork | None:
    """The destination's transit network of `day` on the clock starting at `clock_origin`; None without feeds.

    Networks are kept per process (the last few used): a second plan for the same destination and day does
    not read the feeds again. A re-import changes the feed's imported_at, and so the key.
    """
    feeds = tuple(
        Feed.objects.filter(destination=destination).order_by("name").values_list("pk", "imported_at")
    )
    if not feeds:
        return None
    key = (destination.pk, feeds, day, clock_origin)
    with _networks_lock:
        network = _networks.get(key)
        if network is not None:
            _networks.move_to_end(key)
            return network
    # Built outside the lock: two requests may build the same network at once, which is only wasted work.
    network = TransitNetwork.build(
        feed_data_for(destination=destination), day=day, clock_origin=clock_origin
    ).prepare()
    with _networks_lock:
        _networks[key] = network
        while len(_networks) > _NETWORKS_KEPT:
            _networks.popitem(last=False)
    return network
