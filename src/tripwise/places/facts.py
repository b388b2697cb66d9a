"""The facts panel of a place: where, when open (now, in the place's own zone), prices, rules, how to get there.

Plain data built from the database and the pure core, shared by the guide page, the place page and the API.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from tripwise.core.hours import (
    DaySchedule,
    OpeningHoursError,
    OpenState,
    describe_closed_days,
    state_at,
    weekly_schedule,
)
from tripwise.core.money import Money, convert, format_money
from tripwise.core.transit.departures import Departure
from tripwise.places.models import Access, Place
from tripwise.transit.selectors import route_next_departures


@dataclass(frozen=True)
class PriceFact:
    label: str
    local: str  # in the destination's currency (tenge in Astana), converted when quoted in another
    visitor: str | None  # None when the visitor reads prices in the local currency
    quoted: str | None  # the price as the source quotes it, when not in the local currency
    assumed: bool


@dataclass(frozen=True)
class AccessFact:
    mode: str
    text: str
    minutes: int | None
    km: float | None
    route: str | None
    from_stop: str | None
    to_stop: str | None
    departures: list[Departure]


@dataclass(frozen=True)
class HoursFact:
    known: bool
    value: str
    assumed: bool
    state: OpenState | None
    closed_days: str | None
    week: list[DaySchedule]


@dataclass(frozen=True)
class PlaceFacts:
    place: Place
    local_time: datetime
    hours: HoursFact
    prices: list[PriceFact]
    visitor_currency: str
    rules: list[str]
    access: list[AccessFact]
    assumed_fields: list[str]


def _hours(place: Place, now: datetime, tz: zoneinfo.ZoneInfo) -> HoursFact:
    assumed = place.is_assumed("opening_hours")
    if not place.opening_hours:
        return HoursFact(known=False, value="", assumed=assumed, state=None, closed_days=None, week=[])
    try:
        return HoursFact(
            known=True,
            value=place.opening_hours,
            assumed=assumed,
            state=state_at(place.opening_hours, now, tz),
            closed_days=describe_closed_days(place.opening_hours, tz, now.date()),
            week=weekly_schedule(place.opening_hours, tz, now.date()),
        )
    except OpeningHoursError:
        # Stored values are validated on save; a library upgrade could still refuse an old one. Show it raw.
        return HoursFact(
            known=False, value=place.opening_hours, assumed=assumed, state=None, closed_days=None, week=[]
        )


def _in(money: Money, currency: str) -> Money | None:
    if money.currency == currency:
        return money
    if {money.currency, currency} <= settings.CURRENCY_RATES.keys():
        return convert(money, currency, settings.CURRENCY_RATES)
    return None  # no rate for it: show the quoted price only


def _prices(place: Place, visitor_currency: str) -> list[PriceFact]:
    local_currency = place.destination.currency
    facts = []
    for price in place.prices.all():
        quoted = Money(price.amount, price.currency)
        local = _in(quoted, local_currency) or quoted
        # The visitor's currency is shown unless the price already reads in it (local or as quoted).
        visitor = (
            _in(quoted, visitor_currency)
            if visitor_currency not in (local.currency, quoted.currency)
            else None
        )
        facts.append(
            PriceFact(
                label=price.label,
                local=format_money(local),
                visitor=format_money(visitor) if visitor else None,
                quoted=format_money(quoted) if quoted.currency != local.currency else None,
                assumed=price.assumed,
            )
        )
    return facts


def _access(place: Place, now: datetime) -> list[AccessFact]:
    facts = []
    for option in place.access.select_related("route", "from_stop", "to_stop"):
        departures: list[Departure] = []
        if option.mode == Access.Mode.TRANSIT and option.route and option.from_stop and option.to_stop:
            departures = route_next_departures(
                route=option.route, from_stop=option.from_stop, to_stop=option.to_stop, after=now, limit=3
            )
        facts.append(
            AccessFact(
                mode=option.mode,
                text=option.text,
                minutes=option.minutes,
                km=float(option.km) if option.km is not None else None,
                route=str(option.route) if option.route else None,
                from_stop=str(option.from_stop) if option.from_stop else None,
                to_stop=str(option.to_stop) if option.to_stop else None,
                departures=departures,
            )
        )
    return facts


def place_facts(*, place: Place, now: datetime, visitor_currency: str) -> PlaceFacts:
    """Facts as of `now` (aware). Times shown are in the place's zone, whatever the visitor's."""
    tz = zoneinfo.ZoneInfo(place.timezone)
    local_now = now.astimezone(tz)
    return PlaceFacts(
        place=place,
        local_time=local_now,
        hours=_hours(place, local_now, tz),
        prices=_prices(place, visitor_currency),
        visitor_currency=visitor_currency,
        rules=list(place.rules),
        access=_access(place, local_now),
        assumed_fields=list(place.assumed_fields),
    )
