from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from tripwise.api.schemas import ERRORS, DestinationOut
from tripwise.places.models import Destination
from tripwise.places.selectors import destination_get, destinations_list

router = Router()


def destination_out(destination: Destination) -> DestinationOut:
    return DestinationOut(
        slug=destination.slug,
        name=destination.name,
        country=destination.country,
        timezone=destination.timezone,
        currency=destination.currency,
        lat=destination.lat,
        lon=destination.lon,
        aliases=list(destination.aliases),
        summary=destination.summary,
    )


@router.get("", response={200: list[DestinationOut], **ERRORS}, summary="List destinations")
def list_destinations(request: HttpRequest) -> list[DestinationOut]:
    return [destination_out(destination) for destination in destinations_list()]


@router.get("/{name}", response={200: DestinationOut, **ERRORS}, summary="One destination by name or alias")
def get_destination(request: HttpRequest, name: str) -> DestinationOut:
    return destination_out(destination_get(name))
