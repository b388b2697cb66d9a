"""Walking and driving times from straight-line distance.

Streets are not straight, so distances are stretched by a detour factor measured in cities (about 1.3 for
walking on a street grid); a drive adds the minutes lost finding a place to park and walking to the door.
These are estimates, and plans say so; transit times, by contrast, come from the timetable.

>>> walk_seconds(700)  # 700 m as the crow flies: about 12 minutes on the streets
730
"""

from __future__ import annotations

import math

__all__ = [
    "CAR_OVERHEAD_S",
    "MAX_WALK_S",
    "SAME_SPOT_M",
    "car_seconds",
    "walk_seconds",
]

WALK_SPEED_MPS = 1.2  # 4.3 km/h: a sightseer's pace, not a commuter's
WALK_DETOUR = 1.25
CAR_SPEED_MPS = 30 / 3.6  # average city speed with lights and traffic
CAR_DETOUR = 1.35
CAR_OVERHEAD_S = 10 * 60  # parking and walking to the door
MAX_WALK_S = 45 * 60  # the longest walk between two stops of a plan
SAME_SPOT_M = 30.0  # closer than this, two points are the same place: no travel item
# No person walks faster than this for long: the checker's floor for a walking leg, whatever the detour.
FASTEST_WALK_MPS = 2.0


def walk_seconds(metres: float) -> int:
    return math.ceil(metres * WALK_DETOUR / WALK_SPEED_MPS)


def car_seconds(metres: float) -> int:
    return math.ceil(metres * CAR_DETOUR / CAR_SPEED_MPS) + CAR_OVERHEAD_S
