"""What a transit journey of a plan costs, from the fare tables of the feeds its rides belong to.

The planner prices each transit item it writes, and the plan checker prices the same rides again from the
document: both go through `FareTables.fare`, fed only the rides' feed, trip and stops, so neither trusts a
price the other wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tripwise.core.money import Money
from tripwise.core.transit.fares import RideZones, journey_fare, ride_zones
from tripwise.core.transit.feed import FeedData

__all__ = ["FareTables", "RideRef"]


@dataclass(frozen=True)
class RideRef:
    feed: str
    trip_id: str
    from_stop_id: str
    to_stop_id: str
    depart: int  # seconds on any one clock: only differences are used
    arrive: int


class FareTables:
    def __init__(self, feeds: Sequence[FeedData]) -> None:
        self._feeds = {feed.name: feed for feed in feeds if feed.fares}
        self._zones: dict[str, dict[str, str]] = {
            name: {stop.stop_id: stop.zone_id for stop in feed.stops if stop.zone_id}
            for name, feed in self._feeds.items()
        }

    def _zones_of(self, ride: RideRef) -> RideZones | None:
        feed = self._feeds.get(ride.feed)
        trip = feed.trip_by_id.get(ride.trip_id) if feed is not None else None
        if trip is None or ride.from_stop_id not in trip.stop_ids:
            return None
        board = trip.stop_ids.index(ride.from_stop_id)
        if ride.to_stop_id not in trip.stop_ids[board + 1 :]:
            return None
        alight = trip.stop_ids.index(ride.to_stop_id, board + 1)
        return ride_zones(trip, board, alight, self._zones[ride.feed])

    def fare(self, rides: Sequence[RideRef]) -> Money | None:
        """One person's fare for the journey made of `rides`; None when some feed has no fares for it.

        Rides of different feeds pay separately (one operator's ticket is no good on another's vehicles).
        """
        if not rides:
            return None
        total: Money | None = None
        for name in dict.fromkeys(ride.feed for ride in rides):
            feed = self._feeds.get(name)
            if feed is None:
                return None
            mine = [ride for ride in rides if ride.feed == name]
            zones = [self._zones_of(ride) for ride in mine]
            if any(zone is None for zone in zones):
                return None
            product = journey_fare(
                [zone for zone in zones if zone is not None],
                mine[0].depart,
                mine[-1].arrive,
                feed.fares,
                feed.fare_rules,
            )
            if product is None:
                return None
            if total is not None and total.currency != product.currency:
                return None
            base = total.amount if total is not None else Decimal(0)
            total = Money(base + product.price, product.currency)
        return total
