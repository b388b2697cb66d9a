"""A spatial cell code for "what is near here", searchable with a plain B-tree index on one integer column.

SQLite and PostgreSQL without PostGIS have no spatial index, but both index integers. A Z-order (Morton)
code interleaves the bits of quantised latitude and longitude, so that every aligned square of the grid
(a quadtree cell) is one contiguous run of codes. A circle is then a few code ranges
(``code BETWEEN low AND high``), and the exact distance is checked on the few rows that come back.

26 bits per axis give cells of about 0.3 m by 0.6 m at the equator, and codes below 2**52 that fit a
signed 64-bit column (Django's BigIntegerField).

>>> cell_of(-90.0, -180.0)
0
>>> cell_of(90.0, 180.0) == 2**52 - 1
True
>>> ranges = cell_ranges(51.0, 71.4, 500.0)
>>> any(low <= cell_of(51.001, 71.4) <= high for low, high in ranges)
True
"""

from __future__ import annotations

import math

from tripwise.core.errors import TripwiseError
from tripwise.core.geo import EARTH_RADIUS_M

__all__ = ["BITS", "bounding_box", "cell_of", "cell_ranges"]

BITS = 26
_SIZE = 1 << BITS
_TOP = _SIZE - 1
# The box is widened by this many degrees (about 1 cm) so that rounding in the trigonometry can never
# leave out a point that distance_m puts exactly on the circle; over-covering costs nothing.
_PAD_DEGREES = 1e-7
# How many quadtree cells a cover starts from before its narrowest gaps are closed: more cells give a
# tighter cover (fewer rows read) for a little more arithmetic.
_CELL_BUDGET = 64

# (min_lat, max_lat, min_lon, max_lon) in quantised grid units, inclusive.
_Rect = tuple[int, int, int, int]
# (level, x, y): the aligned square of side 2**(BITS - level) grid units whose corner is (x, y) at that level.
_Cell = tuple[int, int, int]


def _check_point(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise TripwiseError(
            "bad_coordinates",
            f"({lat!r}, {lon!r}) is not a point on Earth: latitude must be -90..90 and longitude -180..180, "
            "e.g. (51.1283, 71.4304).",
        )


def _quantise(value: float, low: float, span: float) -> int:
    # floor of a monotonic float expression is monotonic: a point between two box edges is quantised
    # between the quantised edges, which is what makes the covering safe.
    return min(_TOP, max(0, math.floor((value - low) / span * _SIZE)))


def _spread(value: int) -> int:
    """The bits of a 26-bit integer moved to the even positions of a 52-bit one."""
    value &= 0xFFFFFFFF
    value = (value | (value << 16)) & 0x0000FFFF0000FFFF
    value = (value | (value << 8)) & 0x00FF00FF00FF00FF
    value = (value | (value << 4)) & 0x0F0F0F0F0F0F0F0F
    value = (value | (value << 2)) & 0x3333333333333333
    return (value | (value << 1)) & 0x5555555555555555


def _interleave(q_lat: int, q_lon: int) -> int:
    return _spread(q_lon) | (_spread(q_lat) << 1)


def cell_of(lat: float, lon: float) -> int:
    """The Z-order code of a point: 0 <= code < 2**52. Longitude 180 and -180 get different codes."""
    _check_point(lat, lon)
    return _interleave(_quantise(lat, -90.0, 180.0), _quantise(lon, -180.0, 360.0))


def _box(lat: float, lon: float, radius_m: float) -> tuple[float, float, list[tuple[float, float]]]:
    """(min_lat, max_lat, longitude intervals within -180..180) of the circle, padded."""
    _check_point(lat, lon)
    if not (math.isfinite(radius_m) and radius_m >= 0):
        raise TripwiseError(
            "bad_radius", f"The radius must be 0 metres or more (got {radius_m!r}), e.g. 5000."
        )
    angle = radius_m / EARTH_RADIUS_M
    if angle >= math.pi:
        return -90.0, 90.0, [(-180.0, 180.0)]
    spread_lat = math.degrees(angle) + _PAD_DEGREES
    min_lat, max_lat = lat - spread_lat, lat + spread_lat
    if min_lat <= -90 or max_lat >= 90:
        # The circle reaches a pole: every longitude is within it there.
        return max(min_lat, -90.0), min(max_lat, 90.0), [(-180.0, 180.0)]
    # Widest longitude of a spherical cap that leaves out the poles: sin(dlon) = sin(angle) / cos(lat).
    ratio = math.sin(angle) / math.cos(math.radians(lat))
    if ratio >= 1:
        return min_lat, max_lat, [(-180.0, 180.0)]
    spread_lon = math.degrees(math.asin(ratio)) + _PAD_DEGREES
    min_lon, max_lon = lon - spread_lon, lon + spread_lon
    if max_lon - min_lon >= 360:
        return min_lat, max_lat, [(-180.0, 180.0)]
    lons = [(max(min_lon, -180.0), min(max_lon, 180.0))]
    if min_lon <= -180:  # across the antimeridian, westwards
        lons.append((min(min_lon + 360, 180.0), 180.0))
    if max_lon >= 180:  # eastwards
        lons.append((-180.0, max(max_lon - 360, -180.0)))
    return min_lat, max_lat, lons


def bounding_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of every point within ``radius_m``, slightly padded.

    Latitudes are clamped at the poles; a circle that reaches a pole spans every longitude (-180, 180).
    Across the antimeridian ``min_lon > max_lon`` (as in GeoJSON): keep lon >= min_lon OR lon <= max_lon.

    >>> [round(v, 3) for v in bounding_box(0.0, 179.99, 5000.0)]
    [-0.045, 0.045, 179.945, -179.965]
    """
    min_lat, max_lat, lons = _box(lat, lon, radius_m)
    if len(lons) == 1:
        return min_lat, max_lat, lons[0][0], lons[0][1]
    main, wrapped = lons[0], lons[1]
    if wrapped[1] == 180.0:  # the western part wrapped to the far east
        return min_lat, max_lat, wrapped[0], main[1]
    return min_lat, max_lat, main[0], wrapped[1]


def _cell_range(level: int, x: int, y: int) -> tuple[int, int]:
    shift = 2 * (BITS - level)
    low = _interleave(y, x) << shift
    return low, low + (1 << shift) - 1


def _merged(cells: set[_Cell]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for low, high in sorted(_cell_range(*cell) for cell in cells):
        if ranges and low <= ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], high))
        else:
            ranges.append((low, high))
    return ranges


def _level(rects: list[_Rect], budget: int) -> int:
    """The finest quadtree level at which the rectangles touch at most ``budget`` cells (level 0 is one)."""
    level = 0
    for candidate in range(1, BITS + 1):
        shift = BITS - candidate
        touched = sum(
            ((lat1 >> shift) - (lat0 >> shift) + 1) * ((lon1 >> shift) - (lon0 >> shift) + 1)
            for lat0, lat1, lon0, lon1 in rects
        )
        if touched > budget:
            break
        level = candidate
    return level


def cell_ranges(lat: float, lon: float, radius_m: float, *, max_ranges: int = 8) -> list[tuple[int, int]]:
    """Sorted, disjoint, inclusive code ranges whose union holds ``cell_of`` every point within ``radius_m``.

    The circle's bounding box is covered by the cells of the finest quadtree level at which it touches at
    most ``_CELL_BUDGET`` cells; the cells' code ranges are merged where they touch, and then, while there are
    more than ``max_ranges``, the two ranges with the narrowest gap between them are joined (the fewest extra
    codes for one range less). It is a few dozen integer operations, however large or small the circle.
    The ranges cover the box, so they over-cover the circle; filter the rows by
    ``tripwise.core.geo.distance_m`` afterwards.
    """
    if isinstance(max_ranges, bool) or not isinstance(max_ranges, int) or max_ranges < 1:
        raise ValueError(f"max_ranges must be 1 or more (got {max_ranges!r}).")
    min_lat, max_lat, lons = _box(lat, lon, radius_m)
    lat0, lat1 = _quantise(min_lat, -90.0, 180.0), _quantise(max_lat, -90.0, 180.0)
    rects = [
        (lat0, lat1, _quantise(west, -180.0, 360.0), _quantise(east, -180.0, 360.0)) for west, east in lons
    ]
    level = _level(rects, max(_CELL_BUDGET, 4 * max_ranges))
    shift = BITS - level
    cells = {
        (level, x, y)
        for r_lat0, r_lat1, r_lon0, r_lon1 in rects
        for y in range(r_lat0 >> shift, (r_lat1 >> shift) + 1)
        for x in range(r_lon0 >> shift, (r_lon1 >> shift) + 1)
    }
    ranges = _merged(cells)
    while len(ranges) > max_ranges:
        narrowest = min(range(len(ranges) - 1), key=lambda i: ranges[i + 1][0] - ranges[i][1])
        ranges[narrowest : narrowest + 2] = [(ranges[narrowest][0], ranges[narrowest + 1][1])]
    return ranges
