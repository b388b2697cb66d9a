"""GTFS fares v1 in the core: which ticket a journey needs, on a made-up zone table and on HSL's own files."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

import pytest

from tests.paths import HELSINKI
from tripwise.core.money import Money
from tripwise.core.transit.fares import FareProduct, FareRuleData, RideZones, journey_fare, ride_zones
from tripwise.core.transit.feed import ScheduledTrip

HSL_FEED = HELSINKI / "hsl-helsinki-gtfs-20220222.zip"
MINUTE = 60

# Three rings like HSL's: tickets AB and BC for two neighbouring zones, ABC for all three; a shuttle ticket
# good on route S only and without transfers; a cheaper C -> A commuter ticket (origin and destination).
FARES = (
    FareProduct("AB", Decimal("2.80"), "EUR", None, 80 * MINUTE),
    FareProduct("BC", Decimal("2.80"), "EUR", None, 80 * MINUTE),
    FareProduct("ABC", Decimal("4.10"), "EUR", None, 90 * MINUTE),
    FareProduct("SHUTTLE", Decimal("1.00"), "EUR", 0, None),
    FareProduct("COMMUTER", Decimal("3.00"), "EUR", 1, 60 * MINUTE),
)
RULES = (
    FareRuleData("AB", contains_id="A"),
    FareRuleData("AB", contains_id="B"),
    FareRuleData("BC", contains_id="B"),
    FareRuleData("BC", contains_id="C"),
    FareRuleData("ABC", contains_id="A"),
    FareRuleData("ABC", contains_id="B"),
    FareRuleData("ABC", contains_id="C"),
    FareRuleData("SHUTTLE", route_id="S"),
    FareRuleData("COMMUTER", origin_id="C", destination_id="A"),
)


def ride(origin: str, destination: str, *through: str, route: str = "550") -> RideZones:
    return RideZones(route, origin, destination, frozenset({origin, destination, *through} - {""}))


def fare_of(*rides: RideZones, minutes: int = 30) -> tuple[str, Decimal] | None:
    fare = journey_fare(rides, 8 * 3600, 8 * 3600 + minutes * MINUTE, FARES, RULES)
    return None if fare is None else (fare.fare_id, fare.price)


def test_a_ride_pays_for_the_zones_it_passes_and_no_more() -> None:
    assert fare_of(ride("A", "A")) == ("AB", Decimal("2.80"))
    assert fare_of(ride("B", "C")) == ("BC", Decimal("2.80"))
    assert fare_of(ride("A", "C", "B")) == ("ABC", Decimal("4.10"))
    # Zone B alone is in AB and in BC at the same price: the first by fare_id, every time.
    assert fare_of(ride("B", "B")) == ("AB", Decimal("2.80"))
    # Leaving A and coming back through C still crosses every ring.
    assert fare_of(ride("A", "A", "B", "C")) == ("ABC", Decimal("4.10"))


def test_route_and_origin_destination_rules() -> None:
    assert fare_of(ride("A", "B", route="S")) == ("SHUTTLE", Decimal("1.00"))
    # The commuter ticket is for C -> A only; the other way round needs ABC.
    assert fare_of(ride("C", "A", "B")) == ("COMMUTER", Decimal("3.00"))
    assert fare_of(ride("A", "C", "B")) == ("ABC", Decimal("4.10"))


def test_one_ticket_covers_transfers_within_its_duration() -> None:
    two_in_a = (ride("A", "A"), ride("A", "B"))
    assert fare_of(*two_in_a, minutes=80) == ("AB", Decimal("2.80"))
    # 85 minutes: AB has expired, ABC (90 minutes) covers both and costs less than two AB.
    assert fare_of(*two_in_a, minutes=85) == ("ABC", Decimal("4.10"))
    # Past 90 minutes no ticket lasts: one per ride.
    assert fare_of(*two_in_a, minutes=95) == ("AB+AB", Decimal("5.60"))


def test_a_ticket_per_ride_when_that_is_cheaper_or_the_only_way() -> None:
    # SHUTTLE allows no transfer, yet two shuttles (2.00) cost less than AB (2.80) for both rides.
    assert fare_of(ride("A", "A", route="S"), ride("A", "A", route="S")) == (
        "SHUTTLE+SHUTTLE",
        Decimal("2.00"),
    )
    # The commuter ticket allows one transfer, not two.
    commute = (ride("C", "B"), ride("B", "A"), ride("A", "A"))
    assert fare_of(*commute) == ("ABC", Decimal("4.10"))
    assert fare_of(*commute[:1], ride("B", "A", route="S")) == ("BC+SHUTTLE", Decimal("3.80"))
    by_route = journey_fare(
        (ride("A", "A"), ride("A", "A")),
        0,
        10_000,
        (FareProduct("AB", Decimal("2.80"), "EUR", 0), FareProduct("TENGE", Decimal("200"), "KZT", 0)),
        (FareRuleData("AB", route_id="550"), FareRuleData("TENGE", route_id="X")),
    )
    assert by_route is not None
    assert (by_route.fare_id, by_route.price, by_route.currency, by_route.transfers) == (
        "AB+AB",
        Decimal("5.60"),
        "EUR",
        0,
    )


def test_unknown_fares_are_none() -> None:
    assert journey_fare([ride("A", "A")], 0, 600, (), ()) is None  # the feed has no fares
    assert journey_fare([], 0, 600, FARES, RULES) is None  # no ride, nothing to price
    assert fare_of(ride("D", "D")) is None  # zone D is in no ticket
    assert fare_of(ride("A", "A"), ride("D", "D")) is None
    # A ride between stops without zones matches no contains_id rule (its zones are unknown).
    assert fare_of(ride("", "")) is None
    assert fare_of(ride("", "", route="S")) == ("SHUTTLE", Decimal("1.00"))
    # Per-ride tickets in two currencies cannot be added.
    two_currencies = (FareProduct("R1", Decimal("1"), "EUR", 0), FareProduct("R2", Decimal("1"), "USD", 0))
    rules = (FareRuleData("R1", route_id="1"), FareRuleData("R2", route_id="2"))
    assert (
        journey_fare([ride("A", "A", route="1"), ride("A", "A", route="2")], 0, 60, two_currencies, rules)
        is None
    )


def test_a_feed_without_fare_rules_has_flat_fares() -> None:
    flat = (
        FareProduct("single", Decimal("1.50"), "USD", None, 7200),
        FareProduct("day", Decimal("5"), "USD"),
    )
    fare = journey_fare([ride("", ""), ride("", "")], 0, 3600, flat, ())
    assert fare == flat[0]
    assert fare.money == Money(Decimal("1.50"), "USD")
    # With rules in the feed, a fare that none names is not assumed to apply everywhere.
    assert journey_fare([ride("", "")], 0, 60, flat, (FareRuleData("day", route_id="1"),)) is None


def test_ride_zones_follow_the_stops_between_boarding_and_alighting() -> None:
    trip = ScheduledTrip(
        "t1",
        "550",
        "550",
        "Itäkeskus",
        "weekday",
        ("s1", "s2", "s3", "s4", "s5"),
        (0, 60, 120, 180, 240),
        (0, 60, 120, 180, 240),
    )
    zone_of = {"s1": "A", "s2": "A", "s3": "", "s4": "B", "s5": "C"}  # s3 has no zone
    assert ride_zones(trip, 0, 1, zone_of) == RideZones("550", "A", "A", frozenset({"A"}))
    assert ride_zones(trip, 1, 3, zone_of) == RideZones("550", "A", "B", frozenset({"A", "B"}))
    assert ride_zones(trip, 2, 4, zone_of) == RideZones("550", "", "C", frozenset({"B", "C"}))
    assert ride_zones(trip, 0, 4, {}) == RideZones("550", "", "", frozenset())
    for bad in ((2, 2), (3, 1), (-1, 2), (0, 5)):
        with pytest.raises(ValueError, match="not a ride on trip t1"):
            ride_zones(trip, *bad, zone_of)


def hsl_fares() -> tuple[tuple[FareProduct, ...], tuple[FareRuleData, ...]]:
    if not HSL_FEED.exists():
        pytest.skip(f"the HSL feed is not at {HSL_FEED} (../shared is not beside this checkout)")

    def rows(name: str) -> list[dict[str, str]]:
        with zipfile.ZipFile(HSL_FEED) as feed, feed.open(name) as raw:
            return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig")))

    def whole(value: str) -> int | None:
        return int(value) if value else None

    fares = tuple(
        FareProduct(
            row["fare_id"],
            Decimal(row["price"]),
            row["currency_type"],
            whole(row["transfers"]),
            whole(row["transfer_duration"]),
        )
        for row in rows("fare_attributes.txt")
    )
    rules = tuple(
        FareRuleData(
            row["fare_id"], row["route_id"], row["origin_id"], row["destination_id"], row["contains_id"]
        )
        for row in rows("fare_rules.txt")
    )
    return fares, rules


def test_hsl_zone_tickets() -> None:
    fares, rules = hsl_fares()

    def price(*rides: RideZones, minutes: int = 30) -> tuple[str, Decimal] | None:
        fare = journey_fare(rides, 0, minutes * MINUTE, fares, rules)
        return None if fare is None else (fare.fare_id, fare.price)

    assert price(ride("A", "A")) == ("AB", Decimal("2.8"))
    assert price(ride("A", "C", "B")) == ("ABC", Decimal("4.1"))
    assert price(ride("C", "D")) == ("CD", Decimal("3.2"))
    assert price(ride("A", "D", "B", "C")) == ("ABCD", Decimal("5.7"))
    # Transfers are unlimited; AB lasts 80 minutes, ABC 90.
    assert price(ride("A", "B"), ride("B", "A"), ride("A", "A"), minutes=80) == ("AB", Decimal("2.8"))
    assert price(ride("A", "B"), ride("B", "A"), minutes=81) == ("ABC", Decimal("4.1"))
    # Route 9665A to outside HSL's zones is priced by origin and destination: the D ticket.
    assert price(ride("D", "Ei HSL", route="9665A")) == ("D", Decimal("2.8"))
    assert price(ride("D", "Ei HSL", route="550")) is None
