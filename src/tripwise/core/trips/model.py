"""What the planner is fed: plain facts about places, read from the database by the app."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tripwise.core.money import Money

__all__ = ["FOOD_KINDS", "PlaceFacts", "Point"]

FOOD_KINDS = frozenset({"restaurant", "cafe"})


@dataclass(frozen=True)
class Point:
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class PlaceFacts:
    id: str  # the place's slug: what requests and plans name it by
    name: str
    lat: float
    lon: float
    timezone: str
    opening_hours: str | None  # OpenStreetMap syntax; None when unknown
    visit_minutes: int
    kind: str
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    adult_price: Money | None = None  # per person; None: free or unknown
    child_price: Money | None = None  # None: children pay the adult price
    url: str = ""

    @property
    def point(self) -> Point:
        return Point(self.name, self.lat, self.lon)

    @property
    def is_food(self) -> bool:
        return self.kind in FOOD_KINDS


ZERO = Decimal(0)
