"""Writes for trips: make a plan from a trip request, and re-plan it after an edit.

The app's part is small on purpose: resolve names against the database, load the facts and the timetable,
hand plain data to the core planner, store what comes back. Nothing is stored unless the plan was made.
"""

from __future__ import annotations

import copy
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from tripwise.core.errors import TripwiseError
from tripwise.core.transit.feed import FeedData
from tripwise.core.transit.network import TransitNetwork
from tripwise.core.trips.build import PlanningInput
from tripwise.core.trips.changes import apply_changes
from tripwise.core.trips.clock import Clock
from tripwise.core.trips.model import PlaceFacts, Point
from tripwise.core.trips.planner import make_plan
from tripwise.core.trips.request import Lock, TripRequest, parse_request, request_to_json
from tripwise.places.models import Destination
from tripwise.places.selectors import destination_find
from tripwise.transit.selectors import feed_data_for, transit_network_for
from tripwise.trips.models import Plan, PlanEvent
from tripwise.trips.selectors import RESTORE_FOR, place_resolve, planning_facts, wish_scores

Actor = User | AnonymousUser | None
MAX_REPLAN_ATTEMPTS = 5

__all__ = [
    "event_record",
    "plan_apply",
    "plan_change",
    "plan_create",
    "plan_delete",
    "plan_document",
    "plan_duplicate",
    "plan_rename",
    "plan_replace",
    "plan_restore",
    "plans_claim",
]


def event_record(
    *, plan: Plan, actor: Actor, action: str, summary: str, data: dict[str, Any] | None = None
) -> None:
    """One line of the trip's change log (who did what, at which revision); live updates broadcast it."""
    PlanEvent.objects.create(
        plan=plan, actor=actor if isinstance(actor, User) else None, action=action, summary=summary[:300],
        revision=plan.revision, data=data or {},
    )  # fmt: skip


def _destination(name: str) -> Destination:
    destination = destination_find(name)
    if destination is None:
        known = ", ".join(Destination.objects.values_list("slug", flat=True)[:10]) or "none yet"
        raise TripwiseError("unknown_destination", f"No destination {name!r}. Known destinations: {known}.")
    return destination


def plan_document(
    *, trip: TripRequest, wished: Mapping[str, int] | None = None
) -> tuple[Destination, dict[str, Any]]:
    """The plan for `trip` (not stored): resolve it, load what it needs, plan, check. `wished` is the
    group's wish list (place id -> net votes), which the planner favours without requiring it."""
    destination = _destination(trip.destination)
    places = planning_facts(destination=destination)
    moved = [name for rule in trip.day_rules for name in rule.avoid_places]
    ids = {
        name: place_resolve(name, places, destination).id for name in (*trip.must_see, *trip.avoid, *moved)
    }
    locks = tuple(
        replace(lock, place=place_resolve(lock.place, places, destination).id) for lock in trip.locks
    )
    if isinstance(trip.base, str):
        base_place = place_resolve(trip.base, places, destination)
        base, base_id = Point(base_place.name, base_place.lat, base_place.lon), base_place.id
    elif trip.base is not None:
        base, base_id = Point("Your base", *trip.base), None
    else:
        base, base_id = _middle_of(destination, places), None
    trip = replace(
        trip,
        destination=destination.slug,
        must_see=tuple(dict.fromkeys(ids[name] for name in trip.must_see)),
        avoid=tuple(dict.fromkeys(ids[name] for name in trip.avoid)),
        locks=_unique_locks(locks),
        day_rules=tuple(
            replace(rule, avoid_places=tuple(dict.fromkeys(ids[name] for name in rule.avoid_places)))
            for rule in trip.day_rules
        ),
        base=base_id if base_id is not None else trip.base,
    )
    both = set(trip.must_see) & set(trip.avoid)
    if both:
        raise TripwiseError(
            "invalid_request", f"avoid: {', '.join(sorted(both))} is also a must-see: choose one."
        )
    if trip.budget is not None and trip.budget[1] not in settings.CURRENCY_RATES:
        raise TripwiseError(
            "invalid_request",
            f"budget: no exchange rate for {trip.budget[1]}; use one of {', '.join(settings.CURRENCY_RATES)}.",
        )
    if trip.currency is not None and trip.currency not in settings.CURRENCY_RATES:
        raise TripwiseError(
            "invalid_request",
            f"currency: no exchange rate for {trip.currency}; use one of {', '.join(settings.CURRENCY_RATES)}.",
        )
    if destination.currency not in settings.CURRENCY_RATES:
        raise TripwiseError(
            "no_exchange_rate",
            f"{destination} counts its prices in {destination.currency}, which has no exchange rate: add it to"
            " TRIPWISE_CURRENCY_RATES.",
        )
    clock = Clock(trip.start_date, ZoneInfo(destination.timezone))
    networks: tuple[TransitNetwork | None, ...] = ()
    feeds: tuple[FeedData, ...] = ()
    if "transit" in trip.modes:
        feeds = feed_data_for(destination=destination)
        networks = tuple(
            transit_network_for(destination=destination, day=day, clock_origin=clock.origin)
            for day in trip.dates
        )
    data = PlanningInput(
        request=trip,
        destination_id=destination.slug,
        destination_name=destination.name,
        timezone=destination.timezone,
        currency=destination.currency,
        places=tuple(places),
        base=base,
        must_see=trip.must_see + tuple(lock.place for lock in trip.locks if lock.place not in trip.must_see),
        avoid=frozenset(trip.avoid),
        locks=trip.locks,
        networks=networks,
        rates=settings.CURRENCY_RATES,
        wished=dict(wished or {}),
    )
    return destination, make_plan(data, feeds=feeds, time_limit=settings.PLAN_TIME_LIMIT)


def _middle_of(destination: Destination, places: list[PlaceFacts]) -> Point:
    """Where a day starts when the traveller gives no base: the median of the sights, which a far-off one
    (ALZHIR, 38 km out) cannot drag into the steppe; the destination's own point when it has no places."""
    if not places:
        return Point(f"{destination.name} centre", destination.lat, destination.lon)
    lat = statistics.median(place.lat for place in places)
    lon = statistics.median(place.lon for place in places)
    return Point(f"{destination.name} centre", lat, lon)


def _unique_locks(locks: tuple[Lock, ...]) -> tuple[Lock, ...]:
    # The last lock of a place wins: locking again moves the visit.
    return tuple({lock.place: lock for lock in locks}.values())


def _title(trip: TripRequest, destination: Destination) -> str:
    days = "1 day" if trip.days == 1 else f"{trip.days} days"
    return f"{days} in {destination.name} from {trip.start_date:%a %d %b %Y}"


def plan_create(*, request: Mapping[str, Any]) -> Plan:
    """Plan a trip request (docs/plans.md) and store the plan; TripwiseError says what to fix."""
    trip = parse_request(request)
    destination, document = plan_document(trip=trip)
    with transaction.atomic():
        plan = Plan.objects.create(
            destination=destination, title=_title(trip, destination), request=document["request"], result={}
        )
        plan.result = {"id": plan.public_id, **document}
        plan.save(update_fields=["result"])
    return plan


def plan_change(*, plan: Plan, change: Mapping[str, Any], actor: Actor = None) -> Plan:
    """Apply one edit (docs/plans.md: lock, unlock, remove, add, pace, day, ...) and re-plan around the locks."""
    return plan_apply(plan=plan, changes=[change], actor=actor)


def _summary(changes: Sequence[Mapping[str, Any]]) -> str:
    parts = [
        " ".join(str(change.get(key)) for key in ("action", "place_id", "day") if change.get(key))
        for change in changes
    ]
    return "; ".join(parts)[:300]


def plan_apply(*, plan: Plan, changes: Sequence[Mapping[str, Any]], actor: Actor = None) -> Plan:
    """Apply several edits at once (one re-plan, one revision); nothing is stored if any is refused.

    Edits are operations on the request, so two people editing at once both keep their edit: planning is slow
    and runs outside the lock, and when someone else saved a revision meanwhile, the edits are applied again to
    their request and planned again, instead of overwriting it (a lost update)."""
    for _attempt in range(MAX_REPLAN_ATTEMPTS):
        current = Plan.objects.get(pk=plan.pk)
        request = request_to_json(apply_changes(parse_request(current.request), changes))
        saved = _save_replan(current, request, actor, "change", _summary(changes))
        if saved is not None:
            return saved
    raise TripwiseError(
        "busy", "The trip changed several times while this edit was made: try again.", status=409
    )


def plan_replace(
    *, plan: Plan, request: Mapping[str, Any], actor: Actor = None, summary: str = "re-planned"
) -> Plan:
    """Plan `request` afresh in place of the plan's (an undo puts an earlier request back this way). The
    request replaces whatever is there: the caller decided it (an undo of the caller's own last change)."""
    current = Plan.objects.get(pk=plan.pk)
    saved = _save_replan(current, request, actor, "replace", summary, check_revision=False)
    assert saved is not None
    return saved


def _save_replan(current: Plan, request: Mapping[str, Any], actor: Actor, action: str, summary: str,
                 *, check_revision: bool = True) -> Plan | None:  # fmt: skip
    trip = parse_request(request)
    destination, document = plan_document(trip=trip, wished=wish_scores(plan=current))
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=current.pk)
        if check_revision and locked.revision != current.revision:
            return None  # someone saved first: the caller applies its edits to theirs
        automatic = locked.title == _title(parse_request(locked.request), destination)
        locked.request = document["request"]
        locked.result = {"id": locked.public_id, **document}
        locked.revision += 1
        if automatic:  # a title the traveller chose stays; one we made follows the dates
            locked.title = _title(trip, destination)
        locked.save()
        event_record(
            plan=locked, actor=actor, action=action, summary=summary, data={"request": locked.request}
        )
    return locked


# ---- My trips (tripwise.accounts): claim, rename, duplicate, delete and restore. ----

TITLE_MAX = 200  # Plan.title's max_length


def plans_claim(*, user: AbstractBaseUser, plan_ids: Iterable[str]) -> int:
    """Make the unclaimed plans among `plan_ids` the user's; returns how many became theirs."""
    ids = list(dict.fromkeys(str(public_id) for public_id in plan_ids))
    if not ids:
        return 0
    # One UPDATE guarded by "owner IS NULL": a plan someone owns is never taken, and of two people signing in
    # at the same moment with the same plan, only the first gets it.
    return Plan.objects.filter(public_id__in=ids, owner__isnull=True, deleted_at__isnull=True).update(
        owner=user, updated_at=timezone.now()
    )


def plan_rename(*, plan: Plan, title: str, by: User | None = None) -> Plan:
    """Give the trip a name of the traveller's own (logged, so open pages hear of it)."""
    title = " ".join(title.split())
    if not title or len(title) > TITLE_MAX:
        raise TripwiseError(
            "invalid_title", f"A trip needs a name of 1 to {TITLE_MAX} characters: type one and save again."
        )
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        locked.title = title
        locked.save(update_fields=["title", "updated_at"])
        event_record(plan=locked, actor=by, action="rename", summary=f"renamed it {title}")
    return locked


def plan_duplicate(*, plan: Plan, owner: User) -> Plan:
    """A copy of the trip (its request and its plan as they are now) owned by `owner`, shared with nobody."""
    title = f"Copy of {plan.title}"
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1] + "…"
    with transaction.atomic():
        duplicate = Plan.objects.create(
            destination=plan.destination,
            title=title,
            request=copy.deepcopy(plan.request),
            result={},
            owner=owner,
        )
        # The plan document names its plan; the copy's must name the copy.
        duplicate.result = {**copy.deepcopy(plan.result), "id": duplicate.public_id}
        duplicate.save(update_fields=["result"])
    return duplicate


def plan_delete(*, plan: Plan) -> Plan:
    """Delete the trip, restorable for RESTORE_FOR; the owner's trips deleted before that go for good."""
    now = timezone.now()
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.deleted_at is None:
            locked.deleted_at = now
            locked.save(update_fields=["deleted_at", "updated_at"])
        if locked.owner_id is not None:
            Plan.objects.filter(owner_id=locked.owner_id, deleted_at__lt=now - RESTORE_FOR).delete()
    return locked


def plan_restore(*, plan: Plan) -> Plan:
    """Undo a delete made less than RESTORE_FOR ago."""
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.deleted_at is None:
            return locked
        if locked.deleted_at < timezone.now() - RESTORE_FOR:
            raise TripwiseError(
                "restore_expired",
                f"{locked.title} was deleted more than {RESTORE_FOR.days} days ago and cannot be restored.",
            )
        locked.deleted_at = None
        locked.save(update_fields=["deleted_at", "updated_at"])
    return locked
