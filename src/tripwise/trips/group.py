"""Writes for planning as a group: the wish list, votes on it, and comments on the trip and its places.

Who may do these is checked before (`permissions.require(..., "comment")` or "vote"); here the rules of the
data: one wish per place, one vote per person and wish (voting again changes it, the same vote again takes
it back), comments only from their author or removed by the trip's owner.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from tripwise.core.errors import TripwiseError
from tripwise.places.models import Place
from tripwise.trips.models import Comment, Plan, Vote, WishItem
from tripwise.trips.services import event_record

__all__ = ["comment_add", "comment_delete", "wish_add", "wish_remove", "wish_vote"]

MAX_COMMENT = 2000


def wish_add(*, plan: Plan, place_slug: str, by: User) -> WishItem:
    place = Place.objects.filter(destination=plan.destination, slug=place_slug).first()
    if place is None:
        raise TripwiseError(
            "unknown_place", f"No place {place_slug!r} in {plan.destination}: pick one from the list."
        )
    try:
        with transaction.atomic():
            wish = WishItem.objects.create(plan=plan, place=place, added_by=by)
            event_record(plan=plan, actor=by, action="wish", summary=f"wished for {place.name}")
    except IntegrityError:  # already on the list (maybe added a moment ago by someone else): that is fine
        return WishItem.objects.get(plan=plan, place=place)
    return wish


def wish_remove(*, plan: Plan, wish_id: int, by: User) -> None:
    with transaction.atomic():
        wish = WishItem.objects.filter(plan=plan, pk=wish_id).select_related("place").first()
        if wish is None:
            raise TripwiseError("not_found", "That place is not on the wish list.", status=404)
        wish.delete()
        event_record(
            plan=plan, actor=by, action="wish_removed", summary=f"took {wish.place.name} off the wish list"
        )


def wish_vote(*, plan: Plan, wish_id: int, value: int, by: User) -> int:
    """Vote +1 or -1; the same vote again takes it back. Returns the vote now in force (0: none)."""
    if value not in (1, -1):
        raise TripwiseError("invalid_vote", "Vote 1 (for) or -1 (against).")
    with transaction.atomic():
        wish = WishItem.objects.filter(plan=plan, pk=wish_id).first()
        if wish is None:
            raise TripwiseError("not_found", "That place is not on the wish list.", status=404)
        vote, created = Vote.objects.select_for_update().get_or_create(
            wish=wish, user=by, defaults={"value": value}
        )
        if not created and vote.value == value:
            vote.delete()
            return 0
        if not created:
            vote.value = value
            vote.save(update_fields=["value"])
    return value


def comment_add(*, plan: Plan, text: str, by: User, place_id: str = "") -> Comment:
    text = text.strip()
    if not text:
        raise TripwiseError("empty_comment", "Write something to comment.")
    if len(text) > MAX_COMMENT:
        raise TripwiseError("comment_too_long", f"Keep a comment under {MAX_COMMENT} characters.")
    with transaction.atomic():
        comment = Comment.objects.create(plan=plan, place_id=place_id[:120], author=by, text=text)
        event_record(
            plan=plan, actor=by, action="comment", summary=f"commented{' on ' + place_id if place_id else ''}"
        )
    return comment


def comment_delete(*, plan: Plan, comment_id: int, by: User) -> None:
    comment = Comment.objects.filter(plan=plan, pk=comment_id).first()
    if comment is None:
        raise TripwiseError("not_found", "No such comment.", status=404)
    if comment.author_id != by.pk and plan.owner_id != by.pk:
        raise TripwiseError(
            "forbidden", "Only its author or the trip's owner can delete a comment.", status=403
        )
    comment.delete()
