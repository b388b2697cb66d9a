"""Walking and driving times from straight-line distance.

Streets are not straight, so distances are stretched by a detour factor measured in cities (about 1.3 for
walking on a street grid); a drive adds the minutes lost finding a place to park and walking to the door.
These are estimates, and plans say so; transit times, by contrast, come from the timetable.

>>> walk_seconds(distance_m(51.128, 71.43, 51.128, 71.44))
727
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "CAR_OVERHEAD_S",
    "MAX_WALK_S",
    "SAME_SPOT_M",
    "car_seconds",
    "distance_m",
    "distance_matrix",
    "walk_seconds",
]

EARTH_RADIUS_M = 6_371_000.0
WALK_SPEED_MPS = 1.2  # 4.3 km/h: a sightseer's pace, not a commuter's
WALK_DETOUR = 1.25
CAR_SPEED_MPS = 30 / 3.6  # average city speed with lights and traffic
CAR_DETOUR = 1.35
CAR_OVERHEAD_S = 10 * 60  # parking and walking to the door
MAX_WALK_S = 45 * 60  # the longest walk between two stops of a plan
SAME_SPOT_M = 30.0  # closer than this, two points are the same place: no travel item
# No person walks faster than this for long: the checker's floor for a walking leg, whatever the detour.
FASTEST_WALK_MPS = 2.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def distance_matrix(points: Sequence[tuple[float, float]]) -> NDArray[np.float64]:
    """Great-circle distances in metres between every pair of (lat, lon) points."""
    coords = np.radians(np.array(points, dtype=np.float64).reshape(-1, 2))
    lat, lon = coords[:, 0][:, None], coords[:, 1][:, None]
    a = np.sin((lat - lat.T) / 2) ** 2 + np.cos(lat) * np.cos(lat.T) * np.sin((lon - lon.T) / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), dtype=np.float64)


def walk_seconds(metres: float) -> int:
    return math.ceil(metres * WALK_DETOUR / WALK_SPEED_MPS)


def car_seconds(metres: float) -> int:
    return math.ceil(metres * CAR_DETOUR / CAR_SPEED_MPS) + CAR_OVERHEAD_S
