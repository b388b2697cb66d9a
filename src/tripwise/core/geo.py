"""Distances on the Earth's surface: one formula (haversine on the mean radius) for the whole project, so the
planner, the transit network and the checker never disagree about how far apart two points are.

>>> round(distance_m(60.1699, 24.9384, 60.1699, 24.9484))
553
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["EARTH_RADIUS_M", "distance_m", "distance_matrix", "distances_from"]

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)
F64 = NDArray[np.float64]


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def distances_from(lat: float, lon: float, lats: F64, lons: F64) -> F64:
    """Great-circle distances in metres from one point to many."""
    p1, p2 = math.radians(lat), np.radians(lats)
    a = np.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(a, 1.0))), dtype=np.float64)


def distance_matrix(points: Sequence[tuple[float, float]]) -> F64:
    """Great-circle distances in metres between every pair of (lat, lon) points."""
    coords = np.array(points, dtype=np.float64).reshape(-1, 2)
    lats, lons = coords[:, 0], coords[:, 1]
    return np.array([distances_from(lat, lon, lats, lons) for lat, lon in coords.tolist()]).reshape(
        len(coords), len(coords)
    )
