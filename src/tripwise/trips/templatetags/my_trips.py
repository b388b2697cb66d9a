"""`{% add_to_trip place %}`: the "Add to my trip" form, for the signed-in person's trips in the place's
destination where they may wish for places (commenter and up)."""

from __future__ import annotations

from typing import Any

from django import template

from tripwise.places.models import Place
from tripwise.trips.models import Role
from tripwise.trips.selectors import trips_of_user

register = template.Library()


@register.inclusion_tag("trips/_add_to_trip.html", takes_context=True)
def add_to_trip(context: dict[str, Any], place: Place | None) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    rows = []
    if place is not None and user is not None and user.is_authenticated:
        rows = [
            row
            for row in trips_of_user(user=user)
            if row.plan.destination_id == place.destination_id and row.role != Role.VIEWER
        ]
    return {"add_trips": rows, "add_place": place, "csrf_token": context.get("csrf_token")}
