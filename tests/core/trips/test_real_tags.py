"""Plans over places carrying every distinct real OpenStreetMap opening_hours value: none crashes the
planner, and the checker finds every visit inside what its tag says (or inside the stated assumption)."""

from __future__ import annotations

import math
import random

from tests.core.test_hours_real_tags import _csv_values
from tests.core.trips.world import HUB, check_facts, place, planning_input
from tripwise.core.trips.check import check_plan
from tripwise.core.trips.planner import make_plan


def test_a_city_of_six_hundred_real_opening_hours_plans_and_checks() -> None:
    rng = random.Random(4)
    places = []
    for number, value in enumerate(_csv_values()):
        # Scattered within about 1.5 km of the hub, so the walks stay short and many places compete.
        angle, radius = rng.uniform(0, 2 * math.pi), rng.uniform(0, 0.012)
        places.append(
            place(f"p{number}", HUB[0] + radius * math.sin(angle), HUB[1] + 2 * radius * math.cos(angle),
                  value, rng.choice([20, 45, 60, 90]), rng.choice(["museum", "park", "shop", "restaurant"]))
        )  # fmt: skip
    data = planning_input(
        {"start_date": "2026-03-27", "days": 3, "modes": ["walk"], "day_start": "08:00", "day_end": "22:00"},
        places=places,
        feeds=(),
    )
    document = make_plan(data, feeds=(), time_limit=0.5)
    assert check_plan(document, check_facts(data, feeds=())) == []
    assert document["check"]["ok"] is True
    visits = [item for day in document["days"] for item in day["items"] if item["type"] == "visit"]
    assert len(visits) >= 15  # three long days among 600 places are not left empty
