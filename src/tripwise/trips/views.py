"""The planner page (a trip request form) and the plan page (the plan, its map and its edit controls)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.forms import MultipleChoiceField
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tripwise.accounts.session import remember_plan
from tripwise.assistant.selectors import understand_text
from tripwise.core.errors import TripwiseError
from tripwise.places.models import Destination
from tripwise.places.selectors import destination_find, destinations_list
from tripwise.trips.forms import PACES, PlanChangeForm, PlannerForm, ShareForm, initial_from_request
from tripwise.trips.group import comment_add, comment_delete, wish_add, wish_remove, wish_vote
from tripwise.trips.permissions import SESSION_LINKS, plan_for
from tripwise.trips.selectors import (
    plan_comments,
    plan_history,
    planner_places,
    share_link_open,
    sharing_state,
    wish_list,
)
from tripwise.trips.services import plan_change, plan_create
from tripwise.trips.sharing import invitation_accept, share_apply
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
            remember_plan(request, plan)
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
    plan, access = plan_for(request, public_id, "view")
    return render(
        request,
        "trips/plan.html",
        {
            "plan": plan,
            "doc": plan.result,
            "places": planner_places(destination=plan.destination),
            "paces": PACES,
            "change_url": reverse("trips:change", kwargs={"public_id": plan.public_id}),
            "access": access,
            "can_edit": access.can("edit"),
            "can_share": access.can("share") and request.user.is_authenticated,
            "sharing": sharing_state(plan=plan) if access.can("share") else None,
            "share_roles": ShareForm.ROLES,
            "can_comment": access.can("comment"),
            "wishes": wish_list(
                plan=plan, user_id=request.user.pk if request.user.is_authenticated else None
            ),
            "comments": plan_comments(plan=plan),
            "history": plan_history(plan=plan),
            "vote_choices": ((1, "👍"), (-1, "👎")),
            "login_url": settings.LOGIN_URL,
        },
    )


@require_POST
def plan_change_view(request: HttpRequest, public_id: str) -> HttpResponse:
    # Imported here so that this view's part in live editing stays within it (trips/live.py).
    from tripwise.trips.live import changed_meanwhile

    plan, _access = plan_for(request, public_id, "edit")
    form = PlanChangeForm(request.POST)
    # The revision the editor's page showed (a hidden field of each edit form); absent from older pages.
    seen = request.POST.get("revision", "")
    if not form.is_valid():
        messages.error(request, form.error_text())
    else:
        change = form.change()
        try:
            saved = plan_change(plan=plan, change=change, actor=request.user)
        except TripwiseError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, CHANGE_DONE[change["action"]])
            # The service applied the edit on top of whatever was saved meanwhile (never a lost update);
            # say so, with who it was, so the editor looks again at a plan they did not see.
            if seen.isdigit() and int(seen) < saved.revision - 1:
                who = changed_meanwhile(plan=saved, after=int(seen), before=saved.revision)
                messages.info(
                    request, f"{who} changed the plan meanwhile; your change was applied on top of it."
                )
    return redirect(reverse("trips:plan", kwargs={"public_id": plan.public_id}))


def share_link_view(request: HttpRequest, token: str) -> HttpResponse:
    """A share link: remember it in this browser's session (its role lasts until the link is revoked)."""
    link = share_link_open(token=token)
    tokens = list(request.session.get(SESSION_LINKS, []))
    if token not in tokens:
        request.session[SESSION_LINKS] = [*tokens, token][-50:]
    return redirect("trips:plan", public_id=link.plan.public_id)


@require_http_methods(["GET", "POST"])
def invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation from an email: shown on GET (mail scanners open links), accepted on POST, signed in."""
    if not request.user.is_authenticated:
        messages.info(
            request, "Sign in (or sign up) with the address the invitation was sent to, then accept it."
        )
        return redirect(f"{settings.LOGIN_URL}?next={request.path}")
    if request.method == "POST":
        assert isinstance(request.user, User)
        plan = invitation_accept(token=token, user=request.user)
        messages.success(request, "You joined the trip.")
        return redirect("trips:plan", public_id=plan.public_id)
    return render(request, "trips/invitation.html", {"token": token})


@require_POST
def share_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """The share dialog's buttons: links, invitations, members' roles, the public page."""
    plan, _access = plan_for(request, public_id, "share")
    owner = request.user
    if not isinstance(
        owner, User
    ):  # the owner of a claimed plan is signed in; an unclaimed one is not shared
        messages.error(request, "Sign in to share a trip: it becomes yours, and you choose who sees it.")
        return redirect(reverse("trips:plan", kwargs={"public_id": plan.public_id}))
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.error_text())
    else:
        try:
            done = share_apply(plan=plan, by=owner, **form.cleaned_data)
        except TripwiseError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
    return redirect(reverse("trips:plan", kwargs={"public_id": plan.public_id}) + "#share")


GROUP_ACTIONS = {
    "wish": "vote",
    "unwish": "edit",
    "vote": "vote",
    "comment": "comment",
    "uncomment": "comment",
}


@require_POST
def group_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """The group's buttons: wish for a place, vote on it, comment on the trip or a place."""
    op = request.POST.get("op", "")
    if op not in GROUP_ACTIONS:
        messages.error(request, f"{op!r} is not something to do here.")
        return redirect("trips:plan", public_id=public_id)
    plan, _access = plan_for(request, public_id, GROUP_ACTIONS[op])
    user = request.user
    if not isinstance(user, User):
        messages.error(request, "Sign in to wish, vote and comment: the group sees who said what.")
        return redirect("trips:plan", public_id=plan.public_id)
    number = request.POST.get("id", "")
    try:
        if op == "wish":
            wish_add(plan=plan, place_slug=request.POST.get("place_id", ""), by=user)
        elif op == "unwish":
            wish_remove(plan=plan, wish_id=int(number or 0), by=user)
        elif op == "vote":
            wish_vote(plan=plan, wish_id=int(number or 0), value=int(request.POST.get("value", "0")), by=user)
        elif op == "comment":
            place = request.POST.get("place_id", "")
            comment_add(plan=plan, text=request.POST.get("text", ""), by=user, place_id=place)
        else:
            comment_delete(plan=plan, comment_id=int(number or 0), by=user)
    except (TripwiseError, ValueError) as error:
        messages.error(request, getattr(error, "message", "That number is not one of ours."))
    anchor = "#wishes" if op in {"wish", "unwish", "vote"} else "#comments"
    return redirect(reverse("trips:plan", kwargs={"public_id": plan.public_id}) + anchor)


@require_POST
def add_to_trip_view(request: HttpRequest) -> HttpResponse:
    """Add to my trip, from a place or guide page: the place joins the trip's wish list."""
    plan, _access = plan_for(request, request.POST.get("plan", ""), "vote")
    user = request.user
    if not isinstance(user, User):
        return redirect(f"{settings.LOGIN_URL}?next={request.path}")
    try:
        wish = wish_add(plan=plan, place_slug=request.POST.get("place_id", ""), by=user)
    except TripwiseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Added {wish.place.name} to the wish list of {plan.title}.")
    return redirect(reverse("trips:plan", kwargs={"public_id": plan.public_id}) + "#wishes")
