"""The last journey of the day: the latest one can leave a point by transit and still arrive by a time.

"When is the last bus back from ALZHIR?" Leaving later never arrives earlier, so whether a departure time
still works is monotone in that time, and a binary search over the minutes of the evening finds the last
one with a dozen earliest-arrival queries instead of one per minute.
"""

from __future__ import annotations

from tripwise.core.transit.network import Point, TransitJourney, TransitNetwork

__all__ = ["last_journey"]


def _arrives_by(network: TransitNetwork, origin: Point, destination: Point, depart: int, latest: int) -> TransitJourney | None:  # fmt: skip
    journey = network.journey(origin, destination, depart)
    if journey is None or journey.rides == 0 or journey.arrive > latest:
        return None
    return journey


def last_journey(
    network: TransitNetwork, origin: Point, destination: Point, *, earliest: int, latest: int
) -> TransitJourney | None:
    """The journey leaving `origin` as late as possible (not before `earliest`, clock seconds) that reaches
    `destination` by `latest`; None when no ride does."""
    best = _arrives_by(network, origin, destination, earliest, latest)
    if best is None:
        return None
    low, high = best.depart, latest  # leaving at `low` works; at `high` nothing can arrive in time
    while high - low > 60:
        middle = (low + high) // 2
        found = _arrives_by(network, origin, destination, middle, latest)
        if found is None:
            high = middle
        else:
            best, low = found, max(found.depart, middle)
    return best
