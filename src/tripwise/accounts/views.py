"""My trips: the trips a person owns or was given a role on, and what the owner can do with them.

Every action is a POST that checks the person's role on that one trip (tripwise.trips.permissions); someone
who may not see the trip gets a 404, never a hint that it exists.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tripwise.accounts.forms import TripRenameForm
from tripwise.core.errors import NotFound, TripwiseError
from tripwise.trips.models import Plan
from tripwise.trips.permissions import plan_for
from tripwise.trips.selectors import RESTORE_FOR, trips_of_user, trips_recently_deleted
from tripwise.trips.services import plan_delete, plan_duplicate, plan_rename, plan_restore


def _user(request: HttpRequest) -> User:
    # login_required has already sent anonymous visitors to sign in; this tells the type checker so.
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


@login_required
@require_GET
def my_trips(request: HttpRequest) -> HttpResponse:
    deleted = trips_recently_deleted(user=_user(request))
    wanted = request.GET.get("deleted", "")
    return render(
        request,
        "accounts/my_trips.html",
        {
            "rows": trips_of_user(user=_user(request)),
            "deleted": deleted,
            "just_deleted": next((plan for plan in deleted if plan.public_id == wanted), None),
            "restore_days": RESTORE_FOR.days,
        },
    )


def _plan(request: HttpRequest, public_id: str, action: str) -> Plan | None:
    """The trip, if the request may `action` it; None (with the reason shown) when their role is too low."""
    try:
        plan, _access = plan_for(request, public_id, action)
    except NotFound:
        raise
    except TripwiseError as error:
        messages.error(request, error.message)
        return None
    return plan


def _back() -> HttpResponse:
    return redirect("accounts:my_trips")


@login_required
@require_POST
def trip_rename(request: HttpRequest, public_id: str) -> HttpResponse:
    plan = _plan(request, public_id, "edit")
    form = TripRenameForm(request.POST)
    if plan is not None and not form.is_valid():
        messages.error(request, form.error_text())
    elif plan is not None:
        renamed = plan_rename(plan=plan, title=form.cleaned_data["title"], by=_user(request))
        messages.success(request, f"Renamed to {renamed.title}.")
    return _back()


@login_required
@require_POST
def trip_duplicate(request: HttpRequest, public_id: str) -> HttpResponse:
    plan = _plan(request, public_id, "view")
    if plan is not None:
        duplicate = plan_duplicate(plan=plan, owner=_user(request))
        messages.success(request, f"Made {duplicate.title}.")
    return _back()


@login_required
@require_POST
def trip_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    plan = _plan(request, public_id, "delete")
    if plan is None:
        return _back()
    plan_delete(plan=plan)
    # The undo notice is drawn from the address rather than a message, so it can carry its own form.
    return redirect(reverse("accounts:my_trips") + f"?deleted={plan.public_id}")


@login_required
@require_POST
def trip_restore(request: HttpRequest, public_id: str) -> HttpResponse:
    plan = _plan(request, public_id, "delete")
    if plan is not None:
        try:
            restored = plan_restore(plan=plan)
        except TripwiseError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Restored {restored.title}.")
    return _back()
