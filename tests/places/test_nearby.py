"""The nearby search on the database (SQLite or PostgreSQL, whichever DATABASE_URL names): nearest first,
the radius exact to the metre, rings that widen to a lone far row, and the antimeridian."""

from __future__ import annotations

import math
from itertools import count

import pytest

from tripwise.core.geo import EARTH_RADIUS_M, distance_m
from tripwise.places.models import Destination, Place
from tripwise.places.nearby import FIRST_RING_M, NearestSearch, nearest

# The South Atlantic, far from the demo's Astana: only this file's places are anywhere near.
HERE = (-45.0, -20.0)
_numbers = count()


def _towards(lat: float, lon: float, bearing_deg: float, metres: float) -> tuple[float, float]:
    """The point `metres` from (lat, lon) along the initial bearing, on the sphere distance_m uses."""
    angle, bearing = metres / EARTH_RADIUS_M, math.radians(bearing_deg)
    phi = math.radians(lat)
    end = math.asin(math.sin(phi) * math.cos(angle) + math.cos(phi) * math.sin(angle) * math.cos(bearing))
    lam = math.radians(lon) + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(phi), math.cos(angle) - math.sin(phi) * math.sin(end)
    )
    return math.degrees(end), (math.degrees(lam) + 180.0) % 360.0 - 180.0


@pytest.fixture
def sea(db: None) -> Destination:
    return Destination.objects.create(slug="sea", name="Sea", timezone="UTC", lat=HERE[0], lon=HERE[1])


def _place(destination: Destination, lat: float, lon: float, **extra: object) -> Place:
    number = next(_numbers)
    return Place.objects.create(
        destination=destination,
        slug=f"near-{number}",
        name=f"Near {number}",
        lat=lat,
        lon=lon,
        timezone="UTC",
        **extra,
    )


def test_nearest_comes_first_with_exact_distances(sea: Destination) -> None:
    made = {}
    for metres, bearing in [(4_000, 10), (150, 200), (2_500, 90), (900, 300), (30, 45), (4_900, 270)]:
        made[metres] = _place(sea, *_towards(*HERE, bearing, metres))
    found = nearest(Place.objects.all(), lat=HERE[0], lon=HERE[1], radius_m=5_000, limit=4)
    assert [near.id for near in found] == [made[m].id for m in (30, 150, 900, 2_500)]
    for near, metres in zip(found, (30, 150, 900, 2_500), strict=True):
        assert near.distance_m == pytest.approx(metres, abs=0.01)
        place = made[metres]
        assert near.distance_m == distance_m(*HERE, place.lat, place.lon)


def test_the_radius_is_exact(sea: Destination) -> None:
    inside = _place(sea, *_towards(*HERE, 30, 999.0))
    _place(sea, *_towards(*HERE, 30, 1_001.0))
    _place(sea, *_towards(*HERE, 200, 1_050.0))
    found = nearest(Place.objects.all(), lat=HERE[0], lon=HERE[1], radius_m=1_000, limit=10)
    assert [near.id for near in found] == [inside.id]


def test_rings_widen_to_a_lone_far_row(sea: Destination) -> None:
    near_row = _place(sea, *_towards(*HERE, 0, 500))
    far_row = _place(sea, *_towards(*HERE, 135, 180_000))
    assert FIRST_RING_M > 500  # the first ring holds one row: the rings widen (on density) to 180 km
    found = nearest(Place.objects.all(), lat=HERE[0], lon=HERE[1], radius_m=200_000, limit=2)
    assert [near.id for near in found] == [near_row.id, far_row.id]
    assert found[1].distance_m == pytest.approx(180_000, abs=0.01)
    assert nearest(Place.objects.all(), lat=HERE[0], lon=HERE[1], radius_m=179_000, limit=2) == found[:1]


def test_every_ring_keeps_what_the_narrower_ones_read(sea: Destination) -> None:
    # One row in each ring: a wider ring reads only the new ranges, and must still return the inner rows.
    rows = [
        _place(sea, *_towards(*HERE, 40 * index, metres))
        for index, metres in enumerate((800, 4_000, 20_000, 90_000))
    ]
    found = nearest(Place.objects.all(), lat=HERE[0], lon=HERE[1], radius_m=100_000, limit=10)
    assert [near.id for near in found] == [row.id for row in rows]


def test_asking_for_more_goes_on_from_where_the_search_stopped(sea: Destination) -> None:
    places = [_place(sea, *_towards(*HERE, bearing_deg=37.0 * n, metres=700.0 * n + 50)) for n in range(40)]
    query = Place.objects.filter(destination=sea)
    search = NearestSearch(query, lat=HERE[0], lon=HERE[1], radius_m=50_000)

    first = search.take(5)
    more = search.take(30)

    assert [near.id for near in first] == [place.pk for place in places[:5]]
    assert more[:5] == first  # the same nearest, then the next ones
    assert more == nearest(query, lat=HERE[0], lon=HERE[1], radius_m=50_000, limit=30)
    read = [row[0] for row in search.rows]
    assert len(read) == len(set(read))  # nothing read twice


def test_across_the_antimeridian(db: None) -> None:
    fiji = Destination.objects.create(
        slug="fiji", name="Fiji", timezone="Pacific/Fiji", lat=-17.0, lon=179.99
    )
    east = _place(fiji, *_towards(-17.0, 179.99, 90, 3_000))  # past 180: a negative longitude
    west = _place(fiji, *_towards(-17.0, 179.99, 270, 1_500))
    assert east.lon < 0 < west.lon
    found = nearest(Place.objects.all(), lat=-17.0, lon=179.99, radius_m=5_000, limit=5)
    assert [near.id for near in found] == [west.id, east.id]
    found = nearest(Place.objects.all(), lat=east.lat, lon=east.lon, radius_m=5_000, limit=5)
    assert [near.id for near in found] == [east.id, west.id]


def test_filters_are_part_of_the_search_so_the_rings_widen_until_enough_qualify(sea: Destination) -> None:
    for metres in (100, 200, 300):
        _place(sea, *_towards(*HERE, 0, metres), tags=["food"])
    museum = _place(sea, *_towards(*HERE, 0, 30_000), kind=Place.Kind.MUSEUM)
    found = nearest(
        Place.objects.filter(kind=Place.Kind.MUSEUM), lat=HERE[0], lon=HERE[1], radius_m=50_000, limit=1
    )
    assert [near.id for near in found] == [museum.id]


def test_the_query_filters_still_apply(sea: Destination) -> None:
    museum = _place(sea, *_towards(*HERE, 0, 700), kind=Place.Kind.MUSEUM)
    _place(sea, *_towards(*HERE, 0, 100), kind=Place.Kind.CAFE)
    found = nearest(
        Place.objects.filter(kind=Place.Kind.MUSEUM), lat=HERE[0], lon=HERE[1], radius_m=1_000, limit=5
    )
    assert [near.id for near in found] == [museum.id]


@pytest.mark.parametrize(("radius_m", "limit"), [(0, 5), (-1, 5), (1_000, 0)])
def test_nothing_asked_nothing_found(sea: Destination, radius_m: float, limit: int) -> None:
    _place(sea, *HERE)
    assert nearest(Place.objects.all(), lat=HERE[0], lon=HERE[1], radius_m=radius_m, limit=limit) == []
