"""TransitNetwork: one day of trips on the planner's clock, journeys (RAPTOR) and connections (compiled CSA)."""

from __future__ import annotations

import bisect
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from tripwise.core.geo import distances_from
from tripwise.core.transit.calendar import ServiceCalendar
from tripwise.core.transit.feed import FeedData, ScheduledTrip, StopPoint, scheduled_trips
from tripwise.core.transit.network import TransitNetwork, walking_seconds
from tripwise.core.transit.raptor import Timetable, TripTimes, earliest_arrival

HELSINKI = ZoneInfo("Europe/Helsinki")
TUESDAY = date(2024, 6, 4)
MIDNIGHT = datetime(2024, 6, 4, tzinfo=HELSINKI)
DAILY = ServiceCalendar(
    "daily", frozenset(range(7)), date(2024, 1, 1), date(2024, 12, 31), frozenset(), frozenset()
)
# About 111 m per 0.001 degree of latitude; at 60 degrees north 0.001 of longitude is about 56 m.
NORTH_M = 111.2


def hms(hours: int, minutes: int = 0, seconds: int = 0) -> int:
    return hours * 3600 + minutes * 60 + seconds


def trip(
    trip_id: str,
    stops: tuple[str, ...],
    times: tuple[int, ...],
    *,
    route: str = "R1",
    service: str = "daily",
    no_pickup: frozenset[int] = frozenset(),
    no_drop_off: frozenset[int] = frozenset(),
) -> ScheduledTrip:
    return ScheduledTrip(
        trip_id,
        route,
        f"line {route}",
        f"to {stops[-1]}",
        service,
        stops,
        times,
        times,
        no_pickup,
        no_drop_off,
    )


def feed(
    *trips: ScheduledTrip, stops: tuple[StopPoint, ...] | None = None, timezone: str = "Europe/Helsinki"
) -> FeedData:
    return FeedData(
        name="test",
        timezone=timezone,
        stops=stops if stops is not None else LINE_STOPS,
        trips=trips,
        calendars=(DAILY,),
        version="1",
    )


# A straight line north: A, B, C, D 2 km apart; A2 is 100 m east of A (a footpath away).
LINE_STOPS = (
    StopPoint("A", "Alpha", 60.0, 25.0),
    StopPoint("A2", "Alpha east", 60.0, 25.0018),
    StopPoint("B", "Bravo", 60.018, 25.0),
    StopPoint("C", "Charlie", 60.036, 25.0),
    StopPoint("D", "Delta", 60.054, 25.0),
)


def build(data: FeedData, day: date = TUESDAY, origin: datetime = MIDNIGHT) -> TransitNetwork:
    return TransitNetwork.build([data], day=day, clock_origin=origin)


# --- plain data --------------------------------------------------------------------------------------


def test_untimed_calls_are_interpolated_and_untimed_ends_dropped() -> None:
    [made] = scheduled_trips(
        trip_id="T",
        route_id="R",
        route_name="5",
        headsign="Museum",
        service_id="daily",
        calls=[
            ("S0", None, None, 0, 0),
            ("S1", hms(7), hms(7), 0, 1),
            ("S2", None, None, 1, 0),
            ("S3", None, None, 0, 0),
            ("S4", hms(7, 30), None, 0, 0),
            ("S5", None, None, 0, 0),
        ],
    )
    assert made.stop_ids == ("S1", "S2", "S3", "S4")
    assert made.arrivals == (hms(7), hms(7, 10), hms(7, 20), hms(7, 30))
    assert made.departures == made.arrivals
    assert (made.no_pickup, made.no_drop_off) == (frozenset({1}), frozenset({0}))


def test_frequencies_repeat_the_template_from_each_start() -> None:
    made = scheduled_trips(
        trip_id="F",
        route_id="R",
        route_name="9",
        headsign="",
        service_id="daily",
        calls=[("S1", hms(10), hms(10), 0, 0), ("S2", hms(10, 30), hms(10, 31), 0, 0)],
        frequencies=[(hms(6), hms(7), 1200), (hms(24), hms(24, 10), 600)],
    )
    assert [t.trip_id for t in made] == ["F@06:00:00", "F@06:20:00", "F@06:40:00", "F@24:00:00"]
    assert made[1].arrivals == (hms(6, 20), hms(6, 50))
    assert made[1].departures == (hms(6, 20), hms(6, 51))
    with pytest.raises(ValueError, match="headway above 0"):
        scheduled_trips(
            trip_id="F",
            route_id="R",
            route_name="9",
            headsign="",
            service_id="daily",
            calls=[("S1", 0, 0, 0, 0), ("S2", 60, 60, 0, 0)],
            frequencies=[(0, 60, 0)],
        )


def test_a_trip_with_fewer_than_two_timed_calls_is_not_a_trip() -> None:
    assert (
        scheduled_trips(
            trip_id="T",
            route_id="R",
            route_name="",
            headsign="",
            service_id="d",
            calls=[("S1", 60, 60, 0, 0)],
        )
        == []
    )


# --- building one day --------------------------------------------------------------------------------


def test_trips_past_midnight_of_the_day_before_count_and_others_do_not() -> None:
    data = feed(
        trip("late-yesterday", ("A", "B"), (hms(24, 30), hms(24, 40))),  # Monday's 00:30 is Tuesday's
        trip("day", ("A", "B"), (hms(8), hms(8, 10))),
    )
    network = build(data)
    times = sorted((ref.trip.trip_id, ref.trip.departures[0] + ref.shift) for ref in network.trips)
    # Monday's copy of the 24:30 trip runs at 00:30 Tuesday; Tuesday's own copy runs at 00:30 Wednesday.
    assert times == [("day", hms(8)), ("late-yesterday", hms(0, 30)), ("late-yesterday", hms(24, 30))]


def test_a_service_not_running_that_day_is_left_out() -> None:
    weekdays = ServiceCalendar(
        "weekdays",
        frozenset(range(5)),
        date(2024, 1, 1),
        date(2024, 12, 31),
        frozenset(),
        frozenset({TUESDAY}),
    )
    data = FeedData(
        "f",
        "Europe/Helsinki",
        LINE_STOPS,
        (trip("t", ("A", "B"), (hms(8), hms(9)), service="weekdays"),),
        (weekdays,),
        "1",
    )
    assert build(data).trips == ()
    assert len(build(data, TUESDAY + timedelta(days=1), MIDNIGHT).trips) == 1


def test_gtfs_times_count_from_noon_minus_12_hours_on_a_dst_day() -> None:
    # 31 March 2024: Helsinki moves from +02:00 to +03:00 at 03:00, the day has 23 hours.
    spring = date(2024, 3, 31)
    network = build(
        feed(trip("t", ("A", "B"), (hms(10), hms(10, 30)))), spring, datetime(2024, 3, 31, tzinfo=HELSINKI)
    )
    [ref] = network.trips
    leaves = ref.trip.departures[0] + ref.shift
    assert leaves == hms(9)  # 10:00 wall clock is 9 hours after that midnight
    midnight = datetime(2024, 3, 31, tzinfo=HELSINKI).astimezone(UTC)
    assert midnight + timedelta(seconds=leaves) == datetime(2024, 3, 31, 10, tzinfo=HELSINKI)


def test_footpaths_join_close_stops_both_ways_only() -> None:
    network = build(feed(trip("t", ("A", "B"), (hms(8), hms(8, 10)))))
    pairs = {
        (network.stops[p.from_stop].stop_id, network.stops[p.to_stop].stop_id): p.seconds
        for p in network.footpaths
    }
    assert set(pairs) == {("A", "A2"), ("A2", "A")}
    # About 100 m x 1.25 detour / 1.2 m/s, rounded up.
    assert pairs[("A", "A2")] == pairs[("A2", "A")] == walking_seconds([(60.0, 25.0), (60.0, 25.0018)])[0][1]


def test_footpath_grid_finds_what_comparing_every_pair_finds() -> None:
    rng = random.Random(4)
    stops = tuple(
        StopPoint(f"S{i}", "", 60.17 + rng.uniform(-0.01, 0.01), 24.94 + rng.uniform(-0.02, 0.02))
        for i in range(150)
    )
    network = build(feed(trip("t", ("S0", "S1"), (hms(8), hms(8, 10))), stops=stops))
    found = {(p.from_stop, p.to_stop): p.seconds for p in network.footpaths}
    walks = walking_seconds([(s.lat, s.lon) for s in stops])
    lats, lons = np.array([s.lat for s in stops]), np.array([s.lon for s in stops])
    expected = {}
    for i, stop in enumerate(stops):
        for j in np.flatnonzero(distances_from(stop.lat, stop.lon, lats, lons) <= 250.0).tolist():
            if j != i:
                expected[(i, j)] = walks[i][j]
    assert found == expected
    assert expected  # the sample does have close stops


def test_bad_inputs_are_refused_with_what_to_do() -> None:
    data = feed(trip("t", ("A", "B"), (hms(8), hms(8, 10))))
    with pytest.raises(ValueError, match="has no time zone"):
        TransitNetwork.build([data], day=TUESDAY, clock_origin=datetime(2024, 6, 4))
    with pytest.raises(ValueError, match="not an IANA time zone"):
        build(feed(timezone="Mars/Olympus"))
    with pytest.raises(ValueError, match=r"latitude -90\.\.90"):
        build(data).journey((91.0, 0.0), (60.0, 25.0), hms(8))
    with pytest.raises(ValueError, match="walk_speed_mps > 0"):
        TransitNetwork.build([data], day=TUESDAY, clock_origin=MIDNIGHT, walk_speed_mps=0)
    with pytest.raises(ValueError, match="twice"):
        build(feed(stops=(LINE_STOPS[0], LINE_STOPS[0])))


def test_trips_running_backwards_are_skipped_and_counted() -> None:
    network = build(feed(trip("bad", ("A", "B"), (hms(9), hms(8))), trip("ok", ("A", "B"), (hms(8), hms(9)))))
    assert [ref.trip.trip_id for ref in network.trips] == ["ok"]
    assert network.skipped_trips == 1


# --- journeys ----------------------------------------------------------------------------------------

NEAR_A = (60.0009, 25.0)  # 100 m north of A
NEAR_D = (60.0531, 25.0)  # 100 m south of D


def line() -> TransitNetwork:
    return build(
        feed(
            trip("r-800", ("A", "B", "C", "D"), (hms(8), hms(8, 5), hms(8, 10), hms(8, 15))),
            trip("r-830", ("A", "B", "C", "D"), (hms(8, 30), hms(8, 35), hms(8, 40), hms(8, 45))),
        )
    )


def test_journey_walks_rides_and_walks_leaving_just_in_time() -> None:
    network = line()
    journey = network.journey(NEAR_A, NEAR_D, hms(7, 40))
    assert journey is not None
    walk_in, ride, walk_out = journey.legs
    assert (walk_in.kind, ride.kind, walk_out.kind) == ("walk", "ride", "walk")
    # No waiting at the stop: leave home so as to reach A at 08:00 sharp.
    assert walk_in.arrive == ride.depart == hms(8)
    assert journey.depart == walk_in.depart == hms(8) - (walk_in.arrive - walk_in.depart)
    assert (walk_in.from_name, walk_in.to_name, walk_out.from_name, walk_out.to_name) == (
        "",
        "Alpha",
        "Delta",
        "",
    )
    assert (walk_in.from_lat, walk_in.from_lon) == NEAR_A
    assert (walk_out.to_lat, walk_out.to_lon) == NEAR_D
    assert (ride.route_id, ride.route_name, ride.trip_id, ride.headsign) == ("R1", "line R1", "r-800", "to D")
    assert (ride.from_stop_id, ride.to_stop_id, ride.feed, ride.arrive) == ("A", "D", "test", hms(8, 15))
    assert journey.arrive == walk_out.arrive > hms(8, 15)
    assert journey.walking_seconds == (walk_in.arrive - walk_in.depart) + (walk_out.arrive - walk_out.depart)
    assert journey.rides == 1


def test_journey_takes_the_next_trip_once_the_first_has_gone() -> None:
    journey = line().journey(NEAR_A, NEAR_D, hms(8, 1))
    assert journey is not None
    assert journey.legs[1].trip_id == "r-830"


def test_no_journey_when_walking_is_as_fast_or_no_stop_is_near() -> None:
    network = line()
    assert network.journey(NEAR_A, (60.002, 25.0), hms(7, 50)) is None  # 200 m apart
    assert network.journey((61.0, 25.0), NEAR_D, hms(7, 50)) is None  # no stop within 1 km
    assert network.journey(NEAR_A, NEAR_D, hms(9)) is None  # nothing runs any more


def test_a_footpath_before_the_first_ride_is_walked_just_in_time_too() -> None:
    # With a 120 m reach to and from stops, A2 (156 m from the origin) is reached through A's footpath.
    data = feed(trip("east", ("A2", "D"), (hms(8), hms(8, 20))))
    network = TransitNetwork.build([data], day=TUESDAY, clock_origin=MIDNIGHT, max_access_m=120)
    journey = network.journey((60.0, 24.999), NEAR_D, hms(7, 30))
    assert journey is not None
    to_a, footpath, ride, walk_out = journey.legs
    assert [leg.kind for leg in journey.legs] == ["walk", "walk", "ride", "walk"]
    assert (to_a.to_name, footpath.from_name, footpath.to_name) == ("Alpha", "Alpha", "Alpha east")
    assert journey.depart == to_a.depart
    assert to_a.arrive == footpath.depart
    assert footpath.arrive == ride.depart == hms(8)
    assert walk_out.depart == ride.arrive


def test_no_pickup_and_no_drop_off_are_honoured() -> None:
    network = build(
        feed(
            trip(
                "express",
                ("A", "B", "C", "D"),
                (hms(8), hms(8, 5), hms(8, 10), hms(8, 15)),
                no_pickup=frozenset({1}),
                no_drop_off=frozenset({2}),
            )
        )
    )
    near_b = (60.0189, 25.0)
    near_c = (60.0369, 25.0)
    assert network.journey(near_b, NEAR_D, hms(7, 50)) is None  # cannot board at B
    assert network.journey(NEAR_A, near_c, hms(7, 50)) is None  # cannot alight at C
    assert network.journey(NEAR_A, NEAR_D, hms(7, 50)) is not None
    table = network.connections([near_b, near_c, NEAR_D, NEAR_A], [hms(7, 50)])
    assert (0, 2) not in table
    assert (3, 1) not in table
    assert (3, 2) in table


# --- connections --------------------------------------------------------------------------------------


def test_connections_are_real_journeys_faster_than_walking() -> None:
    network = line()
    points = [NEAR_A, NEAR_D, (60.0011, 25.0)]  # the last is 20 m from the first: never a pair
    departures = [hms(7, 30), hms(7, 45), hms(8), hms(8, 15), hms(8, 40)]
    table = network.connections(points, departures)
    assert set(table) == {(0, 1), (2, 1)}  # the line runs north only
    options = table[(0, 1)]
    # 07:30 is implied by 07:45 (both catch the 08:00: wait at home) and 08:00 by 08:15 (both catch the
    # 08:30), so they are dropped; from 08:40 nothing beats walking.
    assert [c.depart for c in options] == [hms(7, 45), hms(8, 15)]
    for option in options:
        journey = network.journey(points[0], points[1], option.depart)
        assert journey is not None
        assert journey.arrive == option.arrive
    walk = walking_seconds(points)[0][1]
    assert all(c.arrive < c.depart + walk for c in options)
    assert [c.depart for c in options] == sorted(c.depart for c in options)


def random_network(seed: int) -> TransitNetwork:
    """A few lines across a 4 x 4 km city, every 7 to 20 minutes, with some dwell times."""
    rng = random.Random(seed)
    stops = tuple(
        StopPoint(f"S{i}", f"Stop {i}", 60.15 + rng.uniform(0, 0.036), 24.90 + rng.uniform(0, 0.072))
        for i in range(70)
    )
    trips = []
    for line_number in range(9):
        calls = rng.sample(range(len(stops)), rng.randint(4, 12))
        hops = [rng.randint(60, 300) for _ in calls[1:]]
        headway = rng.randint(7, 20) * 60
        for start in range(hms(6) + rng.randint(0, 600), hms(22), headway):
            times, t = [start], start
            for hop in hops:
                t += hop
                times.append(t)
            dwell = rng.choice([0, 30])
            trips.append(
                ScheduledTrip(
                    f"L{line_number}-{start}",
                    f"L{line_number}",
                    f"{line_number}",
                    "",
                    "daily",
                    tuple(f"S{c}" for c in calls),
                    tuple(times),
                    tuple(x + dwell if 0 < i < len(times) - 1 else x for i, x in enumerate(times)),
                )
            )
    data = FeedData("random", "Europe/Helsinki", stops, tuple(trips), (DAILY,), "1")
    return TransitNetwork.build([data], day=TUESDAY, clock_origin=MIDNIGHT, max_transfer_m=400)


@pytest.mark.parametrize("seed", [1, 2])
def test_compiled_scan_agrees_with_raptor(seed: int) -> None:
    network = random_network(seed)
    rng = random.Random(seed)
    points = [(60.15 + rng.uniform(0, 0.036), 24.90 + rng.uniform(0, 0.072)) for _ in range(16)]
    departures = [hms(7) + 1200 * i for i in range(6)]
    table = network.connections(points, departures, min_walk_seconds=300)
    walks = walking_seconds(points)
    compared = 0
    for o in range(len(points)):
        for d in range(len(points)):
            if o == d or walks[o][d] <= 300:
                assert (o, d) not in table
                continue
            options = table.get((o, d), ())
            for leave in departures:
                first = bisect.bisect_left([c.depart for c in options], leave)
                by_scan = min([c.arrive for c in options[first:]] + [leave + walks[o][d]])
                journey = network.journey(points[o], points[d], leave, max_rides=12)
                by_raptor = min(journey.arrive if journey else leave + walks[o][d], leave + walks[o][d])
                assert by_scan == by_raptor, (o, d, leave)
                compared += 1
    assert compared > 600
    assert sum(len(options) for options in table.values()) > 100  # transit does help in this city


def test_connections_of_nothing_are_empty() -> None:
    network = line()
    assert network.connections([], [hms(8)]) == {}
    assert network.connections([NEAR_A, NEAR_D], []) == {}
    with pytest.raises(ValueError, match="min_walk_seconds"):
        network.connections([NEAR_A], [hms(8)], min_walk_seconds=-1)


def test_threads_do_not_change_the_answer() -> None:
    network = random_network(3)
    rng = random.Random(3)
    points = [(60.15 + rng.uniform(0, 0.036), 24.90 + rng.uniform(0, 0.072)) for _ in range(20)]
    departures = [hms(8) + 600 * i for i in range(10)]
    one = network.connection_table(points, departures, threads=1)
    two = network.connection_table(points, departures, threads=2)
    assert one.as_dict() == two.as_dict()
    assert dict(one.items()) == one.as_dict()


# --- the RAPTOR additions this module relies on -----------------------------------------------------------


def test_raptor_honours_no_pickup_and_no_drop_off_positions() -> None:
    # One trip 0 -> 1 -> 2 -> 3: no boarding at 1, no alighting at 2.
    timetable = Timetable.build(
        4,
        [
            TripTimes(
                "t", "r", (0, 1, 2, 3), (0, 60, 120, 180), (0, 60, 120, 180), frozenset({1}), frozenset({2})
            )
        ],
        [],
    )
    assert earliest_arrival(timetable, origins={1: 0}, destinations={3: 0}) is None
    assert earliest_arrival(timetable, origins={0: 0}, destinations={2: 0}) is None
    found = earliest_arrival(timetable, origins={0: 0}, destinations={2: 100, 3: 0})
    assert found is not None
    assert (found.arrive, found.destination_stop) == (180, 3)


def test_raptor_arrive_before_keeps_only_earlier_journeys() -> None:
    timetable = Timetable.build(2, [TripTimes("t", "r", (0, 1), (0, 600), (0, 600))], [])
    assert earliest_arrival(timetable, origins={0: 0}, destinations={1: 0}, arrive_before=600) is None
    found = earliest_arrival(timetable, origins={0: 0}, destinations={1: 0}, arrive_before=601)
    assert found is not None
    assert found.arrive == 600


def test_a_sample_budget_coarsens_the_departures_of_big_inputs() -> None:
    network = random_network(5)
    rng = random.Random(5)
    points = [(60.15 + rng.uniform(0, 0.036), 24.90 + rng.uniform(0, 0.072)) for _ in range(10)]
    departures = [hms(8) + 300 * i for i in range(12)]
    exact = network.connections(points, departures, sample_budget=None)
    coarse = network.connections(points, departures, sample_budget=40)  # 10 x 12 > 40: every third
    kept = set(departures[::3])
    assert {c.depart for options in coarse.values() for c in options} <= kept
    assert {c.depart for options in exact.values() for c in options} - kept  # the others do show up
    # The coarse answers are still true earliest arrivals from their departures.
    for pair, options in coarse.items():
        for option in options:
            first = bisect.bisect_left([c.depart for c in exact.get(pair, ())], option.depart)
            assert option.arrive == min(c.arrive for c in exact[pair][first:])
    with pytest.raises(ValueError, match="sample_budget must be at least 1"):
        network.connections(points, departures, sample_budget=0)
