"""Cell codes for "near here": a point within the radius must never be missed."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from tripwise.core.errors import TripwiseError
from tripwise.core.experiences import bounding_box, cell_of, cell_ranges
from tripwise.core.geo import EARTH_RADIUS_M, distance_m

ALZHIR = (51.0486, 71.1586)


def _destination(lat: float, lon: float, bearing_deg: float, distance: float) -> tuple[float, float]:
    """The point ``distance`` metres from (lat, lon) along the initial bearing, on the same sphere."""
    angle = distance / EARTH_RADIUS_M
    phi1, lambda1, theta = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    sin_phi2 = math.sin(phi1) * math.cos(angle) + math.cos(phi1) * math.sin(angle) * math.cos(theta)
    phi2 = math.asin(max(-1.0, min(1.0, sin_phi2)))
    lambda2 = lambda1 + math.atan2(
        math.sin(theta) * math.sin(angle) * math.cos(phi1), math.cos(angle) - math.sin(phi1) * sin_phi2
    )
    lon2 = (math.degrees(lambda2) + 180.0) % 360.0 - 180.0
    return math.degrees(phi2), lon2


def _covered(code: int, ranges: list[tuple[int, int]]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _well_formed(ranges: list[tuple[int, int]], max_ranges: int) -> None:
    assert 1 <= len(ranges) <= max_ranges
    for low, high in ranges:
        assert 0 <= low <= high < 2**52
    for (_low, high), (next_low, _high) in itertools.pairwise(ranges):
        assert high + 1 < next_low  # sorted, disjoint and not touching (touching ones are merged)


latitudes = st.one_of(
    st.floats(-90, 90),
    st.floats(84, 90),
    st.floats(-90, -84),
)
longitudes = st.one_of(
    st.floats(-180, 180),
    st.floats(178, 180),
    st.floats(-180, -178),
)


@settings(max_examples=300, deadline=None)
@given(
    lat=latitudes,
    lon=longitudes,
    radius=st.floats(10, 200_000),
    bearing=st.floats(0, 360),
    fraction=st.floats(0, 1),
    max_ranges=st.integers(1, 16),
)
@example(lat=0.0, lon=179.999, radius=1000.0, bearing=90.0, fraction=1.0, max_ranges=8)
@example(lat=0.0, lon=-179.999, radius=1000.0, bearing=270.0, fraction=1.0, max_ranges=8)
@example(lat=89.99, lon=0.0, radius=5000.0, bearing=180.0, fraction=1.0, max_ranges=8)
@example(lat=-89.9, lon=120.0, radius=200_000.0, bearing=0.0, fraction=0.7, max_ranges=3)
@example(lat=70.0, lon=180.0, radius=150_000.0, bearing=45.0, fraction=1.0, max_ranges=8)
def test_every_point_within_the_radius_is_covered(
    lat: float, lon: float, radius: float, bearing: float, fraction: float, max_ranges: int
) -> None:
    point = _destination(lat, lon, bearing, radius * fraction)
    assume(distance_m(lat, lon, *point) <= radius)
    ranges = cell_ranges(lat, lon, radius, max_ranges=max_ranges)
    _well_formed(ranges, max_ranges)
    assert _covered(cell_of(*point), ranges)


@settings(max_examples=200, deadline=None)
@given(
    lat=latitudes,
    lon=longitudes,
    radius=st.floats(10, 200_000),
    bearing=st.floats(0, 360),
    fraction=st.floats(0, 1),
)
def test_any_point_within_the_radius_is_inside_the_bounding_box(
    lat: float, lon: float, radius: float, bearing: float, fraction: float
) -> None:
    point_lat, point_lon = _destination(lat, lon, bearing, radius * fraction)
    assume(distance_m(lat, lon, point_lat, point_lon) <= radius)
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius)
    assert min_lat <= point_lat <= max_lat
    if min_lon <= max_lon:
        assert min_lon <= point_lon <= max_lon
    else:
        assert point_lon >= min_lon or point_lon <= max_lon


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(-90.0, -180.0), (90.0, 180.0), (0.0, 0.0), ALZHIR, (-33.9, 151.2), (89.999999, -179.999999)],
)
def test_codes_fit_a_signed_64_bit_column(lat: float, lon: float) -> None:
    assert 0 <= cell_of(lat, lon) < 2**52


def test_nearby_points_share_high_bits_and_far_ones_do_not() -> None:
    here = cell_of(*ALZHIR)
    next_door = cell_of(ALZHIR[0] + 0.0001, ALZHIR[1] + 0.0001)
    helsinki = cell_of(60.1699, 24.9384)
    assert (here ^ next_door).bit_length() < (here ^ helsinki).bit_length()


def test_a_small_radius_gives_a_tight_cover() -> None:
    ranges = cell_ranges(*ALZHIR, 500.0)
    _well_formed(ranges, 8)
    covered = sum(high - low + 1 for low, high in ranges)
    assert covered < 2**52 // 1_000_000
    assert _covered(cell_of(*ALZHIR), ranges)
    assert not _covered(cell_of(51.1283, 71.4304), ranges)  # Astana centre, about 20 km away


def test_antimeridian_box_is_split() -> None:
    _min_lat, _max_lat, min_lon, max_lon = bounding_box(-17.0, 179.99, 5000.0)
    assert min_lon > max_lon  # it crosses: keep lon >= min_lon or lon <= max_lon
    assert 179.9 < min_lon < 180
    assert -180 < max_lon < -179.9
    ranges = cell_ranges(-17.0, 179.99, 5000.0)
    assert _covered(cell_of(-17.0, -179.99), ranges)
    assert _covered(cell_of(-17.0, 179.95), ranges)


def test_a_circle_around_the_pole_spans_every_longitude() -> None:
    _min_lat, max_lat, min_lon, max_lon = bounding_box(89.95, 10.0, 10_000.0)
    assert max_lat == 90.0
    assert (min_lon, max_lon) == (-180.0, 180.0)
    ranges = cell_ranges(89.95, 10.0, 10_000.0)
    assert _covered(cell_of(89.99, -170.0), ranges)


def test_one_range_is_allowed() -> None:
    ranges = cell_ranges(*ALZHIR, 1000.0, max_ranges=1)
    _well_formed(ranges, 1)
    assert _covered(cell_of(*ALZHIR), ranges)


@pytest.mark.parametrize(("lat", "lon"), [(91.0, 0.0), (0.0, 180.5), (math.nan, 0.0), (0.0, math.inf)])
def test_impossible_points_are_refused(lat: float, lon: float) -> None:
    with pytest.raises(TripwiseError) as caught:
        cell_of(lat, lon)
    assert caught.value.code == "bad_coordinates"


def test_negative_radius_and_zero_ranges_are_refused() -> None:
    with pytest.raises(TripwiseError):
        cell_ranges(*ALZHIR, -1.0)
    with pytest.raises(ValueError, match="max_ranges"):
        cell_ranges(*ALZHIR, 100.0, max_ranges=0)
