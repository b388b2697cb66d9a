"""A small made-up city for planner tests: a steppe town with a memorial 38 km out, reached by an hourly bus.

Its shape follows the Astana demo (closed on Mondays, bus every hour until 20:00) so that the rules the
product promises are tested in the pure core, without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tripwise.core.money import Money
from tripwise.core.transit.calendar import ServiceCalendar
from tripwise.core.transit.feed import FeedData, ScheduledTrip, StopPoint
from tripwise.core.transit.network import TransitNetwork
from tripwise.core.trips.build import PlanningInput
from tripwise.core.trips.check import CheckFacts
from tripwise.core.trips.clock import Clock
from tripwise.core.trips.model import PlaceFacts, Point
from tripwise.core.trips.request import TripRequest, parse_request

TZ = "Asia/Almaty"
RATES = {"KZT": Decimal(1), "USD": Decimal(480), "EUR": Decimal(520)}
HUB = (51.12805, 71.41155)
MEMORIAL_STOP = (51.06590, 70.97800)


def place(id: str, lat: float, lon: float, hours: str | None, minutes: int = 60, kind: str = "museum",
          tags: Sequence[str] = (), price: Money | None = None) -> PlaceFacts:  # fmt: skip
    return PlaceFacts(id=id, name=id.replace("-", " ").title(), lat=lat, lon=lon, timezone=TZ,
                      opening_hours=hours, visit_minutes=minutes, kind=kind, tags=tuple(tags),
                      adult_price=price, url=f"/places/{id}/")  # fmt: skip


PLACES = (
    place("memorial", 51.06568, 70.97777, "Tu-Su 10:00-17:00", 90, "memorial", ("history", "soviet"),
          Money(Decimal("1.50"), "USD")),
    place("tower", 51.1283, 71.4305, "Mo-Su 10:00-21:00", 60, "viewpoint", ("architecture", "views"),
          Money(Decimal(700), "KZT")),
    place("city-museum", 51.1250, 71.4200, "Tu-Su 10:00-18:00", 120, "museum", ("history", "art"),
          Money(Decimal(700), "KZT")),
    place("old-mosque", 51.1300, 71.4150, "Mo-Su 09:00-19:00", 45, "mosque", ("religion", "architecture")),
    place("river-park", 51.1320, 71.4100, "24/7", 45, "park", ("nature",)),
    place("opera", 51.1330, 71.4180, None, 60, "theatre", ("music", "culture")),
    place("steppe-grill", 51.1290, 71.4130, "Mo-Su 11:00-23:00", 75, "restaurant", ("food",),
          Money(Decimal(4000), "KZT")),
    place("tea-house", 51.1270, 71.4170, "Mo-Su 12:00-23:00", 75, "cafe", ("food",),
          Money(Decimal(3000), "KZT")),
)  # fmt: skip


def _trips() -> tuple[ScheduledTrip, ...]:
    trips = []
    for hour in range(7, 21):
        for direction, stops in (("out", ("hub", "memorial-stop")), ("back", ("memorial-stop", "hub"))):
            start = hour * 3600
            trips.append(
                ScheduledTrip(trip_id=f"300-{direction}-{hour:02d}00", route_id="300", route_name="300",
                              headsign="Memorial" if direction == "out" else "Town", service_id="daily",
                              stop_ids=stops, arrivals=(start, start + 2700), departures=(start, start + 2700))
            )  # fmt: skip
    return tuple(trips)


DAILY = ServiceCalendar(
    "daily", frozenset(range(7)), date(2024, 1, 1), date(2030, 12, 31), frozenset(), frozenset()
)
FEED = FeedData(
    name="bus300",
    timezone=TZ,
    stops=(StopPoint("hub", "Hub", *HUB), StopPoint("memorial-stop", "Memorial", *MEMORIAL_STOP)),
    trips=_trips(),
    calendars=(DAILY,),
    version="1",
)


def planning_input(request: dict[str, Any], *, places: Sequence[PlaceFacts] = PLACES,
                   feeds: Sequence[FeedData] = (FEED,), timezone: str = TZ) -> PlanningInput:  # fmt: skip
    trip: TripRequest = parse_request({"destination": "steppe-town", **request})
    clock = Clock(trip.start_date, ZoneInfo(timezone))
    networks = tuple(
        TransitNetwork.build(feeds, day=day, clock_origin=clock.origin) if feeds and "transit" in trip.modes
        else None
        for day in trip.dates
    )  # fmt: skip
    base = Point("Hotel by the hub", HUB[0] + 0.0003, HUB[1])
    return PlanningInput(
        request=trip, destination_id="steppe-town", destination_name="Steppe Town", timezone=timezone, currency="KZT",
        places=tuple(places), base=base, must_see=trip.must_see, avoid=frozenset(trip.avoid), locks=trip.locks,
        networks=networks, rates=RATES,
    )  # fmt: skip


def check_facts(data: PlanningInput, feeds: Sequence[FeedData] = (FEED,)) -> CheckFacts:
    return CheckFacts(
        request=data.request, timezone=data.timezone, currency="KZT", places={p.id: p for p in data.places},
        base=data.base, must_see=frozenset(data.must_see) | {lock.place for lock in data.locks},
        avoid=data.avoid, feeds=tuple(feeds), rates=RATES,
    )  # fmt: skip
