"""The planner page (a trip request form) and the plan page (the plan, its map and its edit controls)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import MultipleChoiceField
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tripwise.assistant.selectors import understand_text
from tripwise.core.errors import TripwiseError
from tripwise.places.models import Destination
from tripwise.places.selectors import destination_find, destinations_list
from tripwise.trips.forms import PACES, PlanChangeForm, PlannerForm, initial_from_request
from tripwise.trips.selectors import plan_get, planner_places
from tripwise.trips.services import plan_change, plan_create
from tripwise.web.visitor import visitor_currency

CHANGE_DONE = {
    "lock": "Locked the visit at that time; the rest of the plan was made again around it.",
    "unlock": "Unlocked the visit; the planner may move it again.",
    "remove": "Removed the place and made the plan again without it.",
    "add": "Added the place as a must-see and made the plan again.",
    "pace": "Changed the pace and made the plan again.",
}


def _initial_from_query(query: QueryDict) -> dict[str, Any]:
    """Prefill from the address, e.g. /plan/?destination=astana&must_see=alzhir-museum from a place page.

    Also what the "Show this destination's places" button sends (the whole form by GET), so nothing typed is
    lost when the destination changes without JavaScript.
    """
    initial: dict[str, Any] = {}
    for name, field in PlannerForm.base_fields.items():
        if name not in query:
            continue
        initial[name] = query.getlist(name) if isinstance(field, MultipleChoiceField) else query[name]
    return initial


def _chosen_destination(slug: str, destinations: list[Destination]) -> Destination:
    # An unknown name falls back to the first destination rather than a 404: the form then offers the list.
    return (destination_find(slug) if slug else None) or destinations[0]


@require_http_methods(["GET", "POST"])
def planner(request: HttpRequest) -> HttpResponse:
    destinations = list(destinations_list())
    if not destinations:
        return render(request, "trips/planner.html", {"form": None})
    data = request.POST if request.method == "POST" else None
    ask = request.GET.get("ask", "").strip()[:2000]
    # The assistant: words in, the form filled with what they say, for the traveller to check and change.
    understood = understand_text(text=ask, today=timezone.localdate()) if ask and data is None else None
    initial = _initial_from_query(request.GET)
    if understood is not None:
        initial.update(initial_from_request(understood.request))
    wanted = understood.request.get("destination", "") if understood is not None else ""
    destination = _chosen_destination(wanted or (data or request.GET).get("destination", ""), destinations)
    places = planner_places(destination=destination)
    form = PlannerForm(
        data,
        initial=initial,
        destination=destination,
        places=places,
        visitor_currency=visitor_currency(request),
    )
    if data is not None and form.is_valid():
        try:
            plan = plan_create(request=form.trip_request())
        except TripwiseError as error:
            # The planner says what to change (a closed must-see, a budget too small); show it above the form.
            form.add_error(None, error.message)
        else:
            return redirect("trips:plan", public_id=plan.public_id)
    return render(
        request,
        "trips/planner.html",
        {
            "form": form,
            "destination": destination,
            "destinations": destinations,
            "ask": ask,
            "chips": understood.chips if understood is not None else (),
        },
    )


def plan_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    plan = plan_get(public_id=public_id)
    return render(
        request,
        "trips/plan.html",
        {
            "plan": plan,
            "doc": plan.result,
            "places": planner_places(destination=plan.destination),
            "paces": PACES,
            "change_url": reverse("trips:change", kwargs={"public_id": plan.public_id}),
        },
    )


@require_POST
def plan_change_view(request: HttpRequest, public_id: str) -> HttpResponse:
    plan = plan_get(public_id=public_id)
    form = PlanChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.error_text())
    else:
        change = form.change()
        try:
            plan_change(plan=plan, change=change)
        except TripwiseError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, CHANGE_DONE[change["action"]])
    return redirect(reverse("trips:plan", kwargs={"public_id": plan.public_id}))
