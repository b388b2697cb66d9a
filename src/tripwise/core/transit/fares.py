"""Transit fares from a GTFS feed's fare_attributes.txt and fare_rules.txt ("fares v1"), as plain data.

A fare product (fare_attributes.txt) is a ticket with a price; its rules (fare_rules.txt) say which rides it
is good for. Each rule names a route, an origin zone, a destination zone or a zone passed through
(`contains_id`); a blank field matches anything. How the rules are read here:

- A rule without `contains_id` matches a ride when its route, origin zone and destination zone match.
- Rules with `contains_id` are taken together, per fare and per (route, origin, destination): they list the
  zones that ticket may pass through, and a ride matches when every zone it passes is among them. The
  reference's example reads as "must pass all the listed zones", but zone-ticket feeds are written for
  "among": HSL's has no ticket for zone A alone, and its AB ticket (A and B listed) is the one for a ride
  that never leaves A. Taking the cheapest matching ticket keeps a ride from paying for zones it skips.
- A fare that no rule names applies to every ride, but only in a feed with no fare rules at all (one flat
  fare and no fare_rules.txt); in a feed with rules, such a fare is for something we cannot see.
- Zones come from stops.txt `zone_id`. A stop without one adds no zone to a ride, and a ride with no zone at
  all matches no `contains_id` rule (its zones are unknown, not empty).

Not supported (fares v1 features the planner does not use, or cannot know):

- `agency_id` in fare_attributes.txt: every fare is considered for every ride of its feed.
- `payment_method` (on board or before boarding) does not change the price and is ignored.
- A journey across two feeds: fares belong to one feed, and the caller prices each feed's rides.
- Prices are compared as numbers, so a feed mixing currencies gets its cheapest ticket by number; the sum of
  tickets of different currencies is not made (see journey_fare).
- Fares v2 (fare_products.txt, fare_leg_rules.txt, ...) is another set of files, not read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from tripwise.core.money import Money

if TYPE_CHECKING:  # feed.py imports this module for FeedData: no import back at run time
    from tripwise.core.transit.feed import ScheduledTrip

__all__ = ["FareProduct", "FareRuleData", "RideZones", "journey_fare", "ride_zones"]


@dataclass(frozen=True)
class FareProduct:
    """A fare_attributes.txt row: one ticket."""

    fare_id: str
    price: Decimal
    currency: str  # ISO 4217, as currency_type
    transfers: int | None = None  # transfers allowed on the ticket; None: unlimited (a blank in GTFS)
    transfer_duration: int | None = None  # seconds from first departure to last arrival; None: no limit

    @property
    def money(self) -> Money:
        """The price as Money, for budgets."""
        return Money(self.price, self.currency)


@dataclass(frozen=True)
class FareRuleData:
    """A fare_rules.txt row; a blank field ("") matches anything."""

    fare_id: str
    route_id: str = ""
    origin_id: str = ""
    destination_id: str = ""
    contains_id: str = ""


@dataclass(frozen=True)
class RideZones:
    """One ride of a journey, as the fare rules see it."""

    route_id: str
    origin_zone: str  # zone of the boarding stop; "" when it has none
    destination_zone: str  # zone of the alighting stop; "" when it has none
    zones: frozenset[str]  # every zone the ride passes, boarding and alighting stops included


def ride_zones(
    trip: ScheduledTrip, from_position: int, to_position: int, zone_of: Mapping[str, str]
) -> RideZones:
    """The zones of riding `trip` from its call at `from_position` to its call at `to_position`.

    `zone_of` maps stop_id to zone_id (stops without a zone may be left out or map to ""). Every call in
    between counts: a bus that leaves zone A and comes back has passed through the other zone too.
    """
    if not 0 <= from_position < to_position < len(trip.stop_ids):
        raise ValueError(
            f"Positions {from_position}..{to_position} are not a ride on trip {trip.trip_id} "
            f"({len(trip.stop_ids)} calls): boarding must come before alighting, both on the trip."
        )
    calls = trip.stop_ids[from_position : to_position + 1]
    return RideZones(
        route_id=trip.route_id,
        origin_zone=zone_of.get(calls[0], ""),
        destination_zone=zone_of.get(calls[-1], ""),
        zones=frozenset(zone for zone in (zone_of.get(stop, "") for stop in calls) if zone),
    )


@dataclass(frozen=True)
class _Where:
    """What a rule asks of a ride besides its zones passed: blank fields match anything."""

    route_id: str
    origin_id: str
    destination_id: str

    def matches(self, ride: RideZones) -> bool:
        return (
            (not self.route_id or self.route_id == ride.route_id)
            and (not self.origin_id or self.origin_id == ride.origin_zone)
            and (not self.destination_id or self.destination_id == ride.destination_zone)
        )


@dataclass(frozen=True)
class _FareMatcher:
    plain: tuple[_Where, ...]  # rules without contains_id: any one matching is enough
    contained: tuple[tuple[_Where, frozenset[str]], ...]  # per (route, origin, destination): zones allowed

    def matches(self, ride: RideZones) -> bool:
        if any(where.matches(ride) for where in self.plain):
            return True
        return bool(ride.zones) and any(
            ride.zones <= allowed and where.matches(ride) for where, allowed in self.contained
        )


def _matchers(fares: Sequence[FareProduct], rules: Sequence[FareRuleData]) -> dict[str, _FareMatcher]:
    plain: dict[str, list[_Where]] = defaultdict(list)
    contained: dict[str, dict[_Where, set[str]]] = defaultdict(lambda: defaultdict(set))
    for rule in rules:
        where = _Where(rule.route_id, rule.origin_id, rule.destination_id)
        if rule.contains_id:
            contained[rule.fare_id][where].add(rule.contains_id)
        else:
            plain[rule.fare_id].append(where)
    everywhere = _FareMatcher(plain=(_Where("", "", ""),), contained=())
    return {
        fare.fare_id: (
            everywhere
            if not rules
            else _FareMatcher(
                plain=tuple(plain.get(fare.fare_id, ())),
                contained=tuple(
                    (where, frozenset(zones)) for where, zones in contained.get(fare.fare_id, {}).items()
                ),
            )
        )
        for fare in fares
    }


def _cheapest(candidates: Sequence[FareProduct]) -> FareProduct | None:
    # By price, then fare_id, so that equal prices give the same answer every time.
    return min(candidates, key=lambda fare: (fare.price, fare.fare_id), default=None)


def journey_fare(
    rides: Sequence[RideZones],
    depart: int,
    arrive: int,
    fares: Sequence[FareProduct],
    rules: Sequence[FareRuleData],
) -> FareProduct | None:
    """The cheapest fare of a journey: one ticket for all its rides, or one ticket per ride when cheaper.

    One ticket covers the journey when it applies to every ride (see the module's reading of the rules), its
    `transfers` allow len(rides) - 1 transfers, and, with more than one ride, `arrive - depart` (seconds, the
    first departure to the last arrival) is within its `transfer_duration`. A single ride needs no transfer,
    so its length does not count.

    When no single ticket covers the journey, or buying one per ride costs less (a cheap route-only ticket
    that allows no transfer, say), the answer is the cheapest ticket of each ride, bought one after the
    other: a FareProduct whose fare_id joins theirs with "+" ("AB+AB"), whose price is their sum and which
    allows no transfer. At the same price the single ticket wins. Tickets that would cover some consecutive
    rides together are not looked for (rides carry no times to check their transfer_duration against).

    None when the feed has no fares, the journey has no ride, or no single ticket covers it and either some
    ride has no ticket that applies to it or the tickets per ride are priced in different currencies (they
    cannot be added): the fare is unknown.
    """
    if not fares or not rides:
        return None
    matchers = _matchers(fares, rules)
    transfers = len(rides) - 1
    one_ticket = _cheapest(
        [
            fare
            for fare in fares
            if all(matchers[fare.fare_id].matches(ride) for ride in rides)
            and (fare.transfers is None or transfers <= fare.transfers)
            and (
                transfers == 0 or fare.transfer_duration is None or arrive - depart <= fare.transfer_duration
            )
        ]
    )
    if transfers == 0:
        return one_ticket
    per_ride = _ticket_per_ride(rides, fares, matchers)
    if per_ride is None or (one_ticket is not None and one_ticket.price <= per_ride.price):
        return one_ticket
    return per_ride


def _ticket_per_ride(
    rides: Sequence[RideZones], fares: Sequence[FareProduct], matchers: Mapping[str, _FareMatcher]
) -> FareProduct | None:
    """The cheapest ticket of each ride as one FareProduct; None when a ride has none or currencies differ."""
    tickets: list[FareProduct] = []
    for ride in rides:
        ticket = _cheapest([fare for fare in fares if matchers[fare.fare_id].matches(ride)])
        if ticket is None:
            return None
        tickets.append(ticket)
    if len({ticket.currency for ticket in tickets}) > 1:
        return None
    return FareProduct(
        fare_id="+".join(ticket.fare_id for ticket in tickets),
        price=sum((ticket.price for ticket in tickets), Decimal(0)),
        currency=tickets[0].currency,
        transfers=0,
        transfer_duration=None,
    )
