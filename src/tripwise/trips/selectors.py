"""Reads for trips: stored plans, and the facts of places in the plain form the planner core takes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.urls import reverse
from django.utils import timezone

from tripwise.core.errors import NotFound, TripwiseError
from tripwise.core.money import Money
from tripwise.core.text import fold
from tripwise.core.trips.model import PlaceFacts
from tripwise.places.models import Destination, Place, Price
from tripwise.trips.models import Comment, Invitation, Membership, Plan, PlanEvent, Role, ShareLink, WishItem

__all__ = [
    "RESTORE_FOR",
    "TripRow",
    "place_resolve",
    "plan_comments",
    "plan_get",
    "plan_history",
    "planner_places",
    "planning_facts",
    "share_link_open",
    "sharing_state",
    "trips_of_user",
    "trips_recently_deleted",
    "wish_list",
    "wish_scores",
]

_CHILD_WORDS = ("child", "kid", "under ")


def plan_get(*, public_id: str) -> Plan:
    try:
        return Plan.objects.select_related("destination").get(public_id=public_id)
    except Plan.DoesNotExist:
        raise NotFound("plan", public_id) from None


def planner_places(*, destination: Destination) -> list[Place]:
    return list(Place.objects.filter(destination=destination).order_by("name"))


def _prices(prices: list[Price]) -> tuple[Money | None, Money | None]:
    """The adult and child prices from a place's price list (first non-child line is the adult's)."""
    adult = child = None
    for price in prices:
        money = Money(Decimal(price.amount), price.currency)
        if any(word in price.label.lower() for word in _CHILD_WORDS):
            child = child or money
        elif adult is None:
            adult = money
    return adult, child


def planning_facts(*, destination: Destination) -> list[PlaceFacts]:
    """Every place of the destination as plain facts (plain rows: a city has thousands of places)."""
    prices: dict[int, list[Price]] = {}
    for price in Price.objects.filter(place__destination=destination).order_by("position", "id"):
        prices.setdefault(price.place_id, []).append(price)
    url = reverse("places:place", kwargs={"slug": "-"})[:-2]  # "/places/"; one reverse() for all places
    facts = []
    rows = (
        Place.objects.filter(destination=destination)
        .order_by("slug")
        .values_list(
            "id",
            "slug",
            "name",
            "lat",
            "lon",
            "timezone",
            "opening_hours",
            "visit_minutes",
            "kind",
            "tags",
            "aliases",
        )
    )
    for pk, slug, name, lat, lon, zone, hours, minutes, kind, tags, aliases in rows:
        adult, child = _prices(prices.get(pk, []))
        facts.append(
            PlaceFacts(
                id=slug,
                name=name,
                lat=lat,
                lon=lon,
                timezone=zone or destination.timezone,
                opening_hours=hours or None,
                visit_minutes=minutes,
                kind=kind,
                tags=tuple(tags),
                aliases=tuple(aliases),
                adult_price=adult,
                child_price=child,
                url=f"{url}{slug}/",
            )
        )
    return facts


def place_resolve(name: str, places: list[PlaceFacts], destination: Destination) -> PlaceFacts:
    """A place of the destination by id (slug), name or alias, in any script; a clear error otherwise."""
    for place in places:
        if place.id == name:
            return place
    wanted = fold(name)
    matches = [p for p in places if wanted in {fold(n) for n in (p.name, p.id, *p.aliases)}]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        listed = ", ".join(p.id for p in matches[:5])
        raise TripwiseError(
            "ambiguous_place", f"{name!r} matches several places in {destination}: {listed}. Give one id."
        )
    raise TripwiseError(
        "unknown_place",
        f"No place {name!r} in {destination}: give a place id or name from /destinations/{destination.slug}/.",
    )


def share_link_open(*, token: str) -> ShareLink:
    """The share link with this token, unless it was revoked (then it is as if it never existed)."""
    link = ShareLink.objects.select_related("plan").filter(token=token, revoked_at__isnull=True).first()
    if link is None or link.plan.deleted_at is not None:
        raise NotFound("share link", "(this link)")
    return link


@dataclass(frozen=True)
class SharingState:
    """What the owner's share dialog shows."""

    members: list[Membership]
    invitations: list[Invitation]  # open: neither accepted nor withdrawn
    links: list[ShareLink]  # live: not revoked
    public: bool


def sharing_state(*, plan: Plan) -> SharingState:
    return SharingState(
        members=list(Membership.objects.filter(plan=plan).select_related("user").order_by("user__email")),
        invitations=list(
            Invitation.objects.filter(plan=plan, accepted_at__isnull=True, revoked_at__isnull=True).order_by(
                "email"
            )
        ),
        links=list(ShareLink.objects.filter(plan=plan, revoked_at__isnull=True).order_by("created_at")),
        public=plan.is_public,
    )


# ---- My trips (tripwise.accounts): the trips a person owns or was given a role on. ----

# How long a deleted trip can be restored. Past it the trip is not shown nor restorable, and the owner's next
# delete removes it for good (tripwise.trips.services.plan_delete): no scheduled job is needed.
RESTORE_FOR = dt.timedelta(days=30)


@dataclass(frozen=True)
class TripRow:
    plan: Plan
    role: Role
    first_day: dt.date | None
    last_day: dt.date | None


def _days(plan: Plan) -> tuple[dt.date | None, dt.date | None]:
    try:
        first = dt.date.fromisoformat(str(plan.request["start_date"]))
        days = int(plan.request.get("days", 1))
    except (KeyError, TypeError, ValueError):
        return None, None
    return first, first + dt.timedelta(days=max(days, 1) - 1)


def trips_of_user(*, user: AbstractBaseUser) -> list[TripRow]:
    """The user's trips and the ones shared with them (with their role), newest first; deleted ones left out."""
    owned = Plan.objects.filter(owner_id=user.pk, deleted_at__isnull=True).select_related("destination")
    rows = [TripRow(plan, Role.OWNER, *_days(plan)) for plan in owned]
    shared = (
        Membership.objects.filter(user_id=user.pk, plan__deleted_at__isnull=True)
        .exclude(plan__owner_id=user.pk)  # an owner listed as a member too is shown once, as the owner
        .select_related("plan__destination")
    )
    rows += [TripRow(member.plan, Role(member.role), *_days(member.plan)) for member in shared]
    rows.sort(key=lambda row: row.plan.created_at, reverse=True)
    return rows


def trips_recently_deleted(*, user: AbstractBaseUser, now: dt.datetime | None = None) -> list[Plan]:
    """The user's trips deleted less than RESTORE_FOR ago, the latest deleted first."""
    since = (now or timezone.now()) - RESTORE_FOR
    return list(
        Plan.objects.filter(owner_id=user.pk, deleted_at__gte=since)
        .select_related("destination")
        .order_by("-deleted_at")
    )


def wish_scores(*, plan: Plan) -> dict[str, int]:
    """The wish list as the planner takes it: place id -> votes for minus votes against."""
    scores: dict[str, int] = {}
    for slug, value in WishItem.objects.filter(plan=plan).values_list("place__slug", "votes__value"):
        scores[slug] = scores.get(slug, 0) + (value or 0)
    return scores


@dataclass(frozen=True)
class WishRow:
    wish: WishItem
    votes_for: int
    votes_against: int
    mine: int  # the vote of the person looking: 1, -1 or 0

    @property
    def score(self) -> int:
        return self.votes_for - self.votes_against


def wish_list(*, plan: Plan, user_id: int | None) -> list[WishRow]:
    """The wish list for the page, the group's favourites first, with how the person looking voted."""
    rows: list[WishRow] = []
    for wish in WishItem.objects.filter(plan=plan).select_related("place").prefetch_related("votes"):
        votes = list(wish.votes.all())
        rows.append(
            WishRow(
                wish=wish,
                votes_for=sum(1 for vote in votes if vote.value > 0),
                votes_against=sum(1 for vote in votes if vote.value < 0),
                mine=next((vote.value for vote in votes if vote.user_id == user_id), 0),
            )
        )
    rows.sort(key=lambda row: (-row.score, row.wish.place.name))
    return rows


def plan_comments(*, plan: Plan) -> dict[str, list[Comment]]:
    """Comments by place id ("" for the trip as a whole), oldest first."""
    grouped: dict[str, list[Comment]] = {}
    for comment in Comment.objects.filter(plan=plan).select_related("author").order_by("created_at"):
        grouped.setdefault(comment.place_id, []).append(comment)
    return grouped


def plan_history(*, plan: Plan, limit: int = 30) -> list[PlanEvent]:
    """The newest entries of the trip's change log."""
    return list(PlanEvent.objects.filter(plan=plan).select_related("actor").order_by("-id")[:limit])
