from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from tripwise.api.schemas import (
    ERRORS,
    AccessOut,
    DepartureOut,
    OpenNowOut,
    PlaceDetailOut,
    PlaceOut,
    PriceOut,
)
from tripwise.core.errors import TripwiseError
from tripwise.places.facts import place_facts
from tripwise.places.models import Place
from tripwise.places.selectors import destination_get, place_get, places_list

router = Router()


class PlaceFilters(Schema):
    destination: str | None = None
    kind: Place.Kind | None = None


def place_out(place: Place) -> PlaceOut:
    return PlaceOut(
        id=place.slug,
        name=place.name,
        kind=place.kind,
        destination=place.destination.slug,
        lat=place.lat,
        lon=place.lon,
        timezone=place.timezone,
        address=place.address,
        opening_hours=place.opening_hours or None,
        visit_minutes=place.visit_minutes,
        tags=list(place.tags),
        aliases=list(place.aliases),
        summary=place.summary,
        assumed_fields=list(place.assumed_fields),
        url=place.get_absolute_url(),
    )


@router.get("", response={200: list[PlaceOut], **ERRORS}, summary="List places")
def list_places(request: HttpRequest, filters: Query[PlaceFilters]) -> list[PlaceOut]:
    destination = destination_get(filters.destination) if filters.destination else None
    places = places_list(destination=destination)
    if filters.kind:
        places = places.filter(kind=filters.kind)
    return [place_out(place) for place in places]


@router.get(
    "/{place_id}",
    response={200: PlaceDetailOut, **ERRORS},
    summary="One place with its facts",
)
def get_place(request: HttpRequest, place_id: str, currency: str | None = None) -> PlaceDetailOut:
    place = place_get(place_id)
    visitor_currency = (currency or settings.DEFAULT_VISITOR_CURRENCY).upper()
    if visitor_currency not in settings.CURRENCY_RATES:
        known = ", ".join(sorted(settings.CURRENCY_RATES))
        raise TripwiseError(
            "unknown_currency", f"Currency {visitor_currency!r} has no rate; use one of {known}.", status=422
        )
    facts = place_facts(place=place, now=timezone.now(), visitor_currency=visitor_currency)
    state = facts.hours.state
    return PlaceDetailOut(
        **place_out(place).dict(),
        rules=facts.rules,
        prices=[
            PriceOut(label=p.label, amount=str(p.amount), currency=p.currency, assumed=p.assumed)
            for p in place.prices.all()
        ],
        open_now=OpenNowOut(
            is_open=state.is_open,
            unknown=state.unknown,
            next_change=state.next_change,
            closed_days=facts.hours.closed_days,
            local_time=facts.local_time,
        )
        if state is not None
        else None,
        access=[
            AccessOut(
                mode=a.mode,
                text=a.text,
                minutes=a.minutes,
                km=a.km,
                route=a.route,
                from_stop=a.from_stop,
                to_stop=a.to_stop,
                next_departures=[
                    DepartureOut(trip_id=d.trip_id, departs=d.departs, arrives=d.arrives, headsign=d.headsign)
                    for d in a.departures
                ],
            )
            for a in facts.access
        ],
    )
