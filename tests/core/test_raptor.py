import heapq

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tripwise.core.transit.raptor import Footpath, Journey, Leg, Timetable, TripTimes, earliest_arrival

A, B, HUB, C, D, E, F = range(7)


def hms(hours: int, minutes: int = 0) -> int:
    return hours * 3600 + minutes * 60


def trip(trip_id: str, route_id: str, stops: tuple[int, ...], times: tuple[int, ...]) -> TripTimes:
    """A trip that dwells no time at its stops."""
    return TripTimes(trip_id, route_id, stops, times, times)


# Red runs A-B-HUB, blue HUB-C-D and crosses red at HUB; D and E are a short walk apart; green reaches E from
# HUB directly but slowly; on the coast route the slow train leaves A before the express and arrives after it;
# the night bus leaves HUB after midnight of the first service day.
NETWORK = Timetable.build(
    7,
    [
        trip("red-8", "red", (A, B, HUB), (hms(8), hms(8, 10), hms(8, 20))),
        trip("red-9", "red", (A, B, HUB), (hms(9), hms(9, 10), hms(9, 20))),
        trip("blue-825", "blue", (HUB, C, D), (hms(8, 25), hms(8, 35), hms(8, 45))),
        trip("blue-925", "blue", (HUB, C, D), (hms(9, 25), hms(9, 35), hms(9, 45))),
        trip("green-830", "green", (HUB, E), (hms(8, 30), hms(9, 15))),
        trip("coast-slow", "coast", (A, F), (hms(7, 50), hms(10))),
        trip("coast-fast", "coast", (A, F), (hms(8, 5), hms(8, 25))),
        trip("night-1", "night", (HUB, F), (hms(24, 10), hms(24, 30))),
    ],
    [Footpath(D, E, 300), Footpath(E, D, 300)],
)


def test_transfer_at_the_hub() -> None:
    journey = earliest_arrival(NETWORK, origins={A: hms(7, 55)}, destinations={D: 0})
    assert journey == Journey(
        arrive=hms(8, 45),
        rides=2,
        legs=(
            Leg("ride", A, HUB, hms(8), hms(8, 20), "red", "red-8"),
            Leg("ride", HUB, D, hms(8, 25), hms(8, 45), "blue", "blue-825"),
        ),
        origin_stop=A,
        destination_stop=D,
    )


def test_footpath_beats_the_slow_direct_line() -> None:
    journey = earliest_arrival(NETWORK, origins={A: hms(7, 55)}, destinations={E: 60})
    assert journey is not None
    assert journey.arrive == hms(8, 50) + 60
    assert journey.legs[-1] == Leg("walk", D, E, hms(8, 45), hms(8, 50), None, None)
    assert [leg.route_id for leg in journey.legs] == ["red", "blue", None]


def test_direct_line_when_it_is_the_only_way_within_the_ride_limit() -> None:
    journey = earliest_arrival(NETWORK, origins={HUB: hms(8, 26)}, destinations={E: 0})
    assert journey is not None
    assert [leg.trip_id for leg in journey.legs] == ["green-830"]
    assert journey.arrive == hms(9, 15)


def test_fast_train_leaving_later_arrives_first() -> None:
    journey = earliest_arrival(NETWORK, origins={A: hms(7, 45)}, destinations={F: 0})
    assert journey is not None
    assert journey.arrive == hms(8, 25)
    assert [leg.trip_id for leg in journey.legs] == ["coast-fast"]


def test_missed_connection_waits_for_the_next_trip() -> None:
    late = earliest_arrival(NETWORK, origins={A: hms(8, 1)}, destinations={D: 0})
    assert late is not None
    assert late.arrive == hms(9, 45)
    assert [leg.trip_id for leg in late.legs] == ["red-9", "blue-925"]


def test_transfer_time_makes_a_tight_change_miss() -> None:
    # With 10 minutes to change, blue at 8:25 is missed; green at 8:30 to E and the walk back to D beat
    # waiting for blue at 9:25.
    journey = earliest_arrival(NETWORK, origins={A: hms(7, 55)}, destinations={D: 0}, transfer_seconds=600)
    assert journey is not None
    assert [leg.trip_id for leg in journey.legs] == ["red-8", "green-830", None]
    assert journey.arrive == hms(9, 20)


def test_trip_past_midnight() -> None:
    journey = earliest_arrival(NETWORK, origins={HUB: hms(23)}, destinations={F: 0})
    assert journey is not None
    assert journey.arrive == hms(24, 30)
    assert journey.arrive > 86400
    assert journey.legs == (Leg("ride", HUB, F, hms(24, 10), hms(24, 30), "night", "night-1"),)


def test_no_route_gives_none() -> None:
    assert earliest_arrival(NETWORK, origins={D: hms(8)}, destinations={A: 0}) is None
    assert earliest_arrival(NETWORK, origins={A: hms(25)}, destinations={D: 0}) is None


def test_max_rides_is_respected() -> None:
    assert earliest_arrival(NETWORK, origins={A: hms(7, 55)}, destinations={D: 0}, max_rides=1) is None
    one_ride = earliest_arrival(NETWORK, origins={A: hms(7, 55)}, destinations={HUB: 0}, max_rides=1)
    assert one_ride is not None
    assert one_ride.rides == 1


def test_a_round_adds_one_ride_only() -> None:
    # Stop 3's line is scanned in the first round (3 is an origin) and passes stop 1 after "first" reaches it:
    # boarding there in the same round would make a two-ride journey within max_rides=1.
    timetable = Timetable.build(
        4,
        [trip("first", "x", (0, 1), (100, 150)), trip("second", "y", (3, 1, 2), (100, 200, 300))],
        [],
    )
    origins = {0: 0, 3: 500}
    assert earliest_arrival(timetable, origins=origins, destinations={2: 0}, max_rides=1) is None
    two = earliest_arrival(timetable, origins=origins, destinations={2: 0}, max_rides=2)
    assert two is not None
    assert (two.arrive, two.rides) == (300, 2)


def test_transfer_time_is_not_added_after_a_footpath() -> None:
    timetable = Timetable.build(
        4, [trip("x", "x", (0, 1), (0, 100)), trip("y", "y", (2, 3), (160, 200))], [Footpath(1, 2, 60)]
    )
    journey = earliest_arrival(timetable, origins={0: 0}, destinations={3: 0}, transfer_seconds=30)
    assert journey is not None
    assert journey.arrive == 200


def test_origin_at_the_destination_needs_no_ride() -> None:
    journey = earliest_arrival(NETWORK, origins={D: hms(8)}, destinations={D: 120, E: 0}, max_rides=0)
    assert journey == Journey(hms(8) + 120, 0, (), D, D)


def test_equal_arrival_prefers_fewer_rides() -> None:
    timetable = Timetable.build(
        3,
        [
            trip("direct", "x", (0, 2), (100, 300)),
            trip("first", "y", (0, 1), (100, 150)),
            trip("second", "z", (1, 2), (200, 300)),
        ],
        [],
    )
    journey = earliest_arrival(timetable, origins={0: 0}, destinations={2: 0})
    assert journey is not None
    assert journey.rides == 1


def test_invalid_input_is_refused() -> None:
    with pytest.raises(ValueError, match="before arriving"):
        TripTimes("t", "r", (0, 1), (10, 20), (5, 20))
    with pytest.raises(ValueError, match="outside"):
        earliest_arrival(NETWORK, origins={99: 0}, destinations={A: 0})


# Property test: RAPTOR against a plain Dijkstra over a time-expanded graph, arrival and ride count alike.

STOPS = 6


@st.composite
def timetables(draw: st.DrawFn) -> tuple[list[TripTimes], list[Footpath]]:
    sequences = draw(
        st.lists(
            st.lists(st.integers(0, STOPS - 1), min_size=2, max_size=4, unique=True).map(tuple),
            min_size=1,
            max_size=3,
        )
    )
    trips = []
    for number in range(draw(st.integers(0, 8))):
        stops = draw(st.sampled_from(sequences))
        time = draw(st.integers(0, 100))
        arrivals, departures = [], []
        for _ in stops:
            arrivals.append(time)
            time += draw(st.integers(0, 5))
            departures.append(time)
            time += draw(st.integers(1, 40))
        trips.append(
            TripTimes(f"t{number}", f"r{sequences.index(stops)}", stops, tuple(arrivals), tuple(departures))
        )
    paths = draw(
        st.lists(
            st.builds(Footpath, st.integers(0, STOPS - 1), st.integers(0, STOPS - 1), st.integers(0, 30)),
            max_size=6,
        )
    )
    return trips, paths


def brute_force(
    trips: list[TripTimes],
    paths: list[Footpath],
    origins: dict[int, int],
    destinations: dict[int, int],
    transfer: int,
    max_rides: int,
) -> tuple[int, int] | None:
    """(Earliest arrival, fewest rides for it) by Dijkstra over a time-expanded graph.

    A state is standing at a stop (having come from the origin, a ride or a walk) or sitting aboard a trip at
    one of its stops, each with the number of rides so far.
    """
    queue: list[tuple[int, tuple[object, ...]]] = [
        (time, ("stop", stop, "origin", 0)) for stop, time in origins.items()
    ]
    heapq.heapify(queue)
    settled: set[tuple[object, ...]] = set()
    best: tuple[int, int] | None = None
    while queue:
        time, state = heapq.heappop(queue)
        if state in settled:
            continue
        settled.add(state)
        if state[0] == "aboard":
            _, number, position, rides = state
            assert isinstance(number, int)
            assert isinstance(position, int)
            ridden = trips[number]
            heapq.heappush(queue, (time, ("stop", ridden.stops[position], "ride", rides)))
            if position + 1 < len(ridden.stops):
                heapq.heappush(
                    queue, (ridden.arrivals[position + 1], ("aboard", number, position + 1, rides))
                )
            continue
        _, stop, came_by, rides = state
        assert isinstance(rides, int)
        if stop in destinations:
            reached = (time + destinations[stop], rides)
            best = reached if best is None else min(best, reached)
        if came_by != "walk":
            for path in paths:
                if path.from_stop == stop and path.to_stop != stop:
                    heapq.heappush(queue, (time + path.seconds, ("stop", path.to_stop, "walk", rides)))
        if rides == max_rides:
            continue
        ready = time + (transfer if came_by == "ride" else 0)
        for number, candidate in enumerate(trips):
            for position, called in enumerate(candidate.stops[:-1]):
                if called == stop and candidate.departures[position] >= ready:
                    boarded = ("aboard", number, position + 1, rides + 1)
                    heapq.heappush(queue, (candidate.arrivals[position + 1], boarded))
    return best


def check_legs(journey: Journey, trips: list[TripTimes], paths: list[Footpath], transfer: int) -> None:
    by_id = {t.trip_id: t for t in trips}
    previous: Leg | None = None
    for leg in journey.legs:
        if leg.kind == "ride":
            assert leg.trip_id is not None
            ridden = by_id[leg.trip_id]
            board = ridden.stops.index(leg.from_stop)
            alight = ridden.stops.index(leg.to_stop, board + 1)
            assert (ridden.departures[board], ridden.arrivals[alight]) == (leg.depart, leg.arrive)
            if previous is not None:
                assert leg.from_stop == previous.to_stop
                extra = transfer if previous.kind == "ride" else 0
                assert leg.depart >= previous.arrive + extra
        else:
            assert any(
                (p.from_stop, p.to_stop, p.seconds) == (leg.from_stop, leg.to_stop, leg.arrive - leg.depart)
                for p in paths
            )
            assert previous is None or previous.kind == "ride"
        previous = leg
    assert journey.rides == sum(1 for leg in journey.legs if leg.kind == "ride")


@settings(max_examples=300, deadline=None)
@given(
    network=timetables(),
    origins=st.dictionaries(st.integers(0, STOPS - 1), st.integers(0, 120), min_size=1, max_size=2),
    destinations=st.dictionaries(st.integers(0, STOPS - 1), st.integers(0, 30), min_size=1, max_size=2),
    transfer=st.sampled_from([0, 0, 10]),
    max_rides=st.sampled_from([0, 1, 2, 3, 20]),
)
def test_matches_brute_force(
    network: tuple[list[TripTimes], list[Footpath]],
    origins: dict[int, int],
    destinations: dict[int, int],
    transfer: int,
    max_rides: int,
) -> None:
    trips, paths = network
    timetable = Timetable.build(STOPS, trips, paths)
    journey = earliest_arrival(
        timetable, origins=origins, destinations=destinations, max_rides=max_rides, transfer_seconds=transfer
    )
    expected = brute_force(trips, paths, origins, destinations, transfer, max_rides)
    assert ((journey.arrive, journey.rides) if journey else None) == expected
    if journey is not None:
        check_legs(journey, trips, paths, transfer)
        start = journey.legs[0].depart if journey.legs else origins[journey.origin_stop]
        assert start >= origins[journey.origin_stop]
        last = journey.legs[-1].arrive if journey.legs else origins[journey.origin_stop]
        assert journey.arrive == last + destinations[journey.destination_stop]
