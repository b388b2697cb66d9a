"""Sharing a trip and planning it as a group, through the API: the same rules as the pages
(trips/permissions.py), the same writes (trips/sharing.py, trips/group.py)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from tripwise.api.schemas import ERRORS
from tripwise.trips.group import comment_add, wish_add, wish_vote
from tripwise.trips.models import Plan
from tripwise.trips.permissions import plan_for, signed_in
from tripwise.trips.selectors import plan_comments, plan_history, sharing_state, wish_list
from tripwise.trips.sharing import share_apply

router = Router()

GROUP_WHY = "the group sees who did what"
SharedRole = Literal["viewer", "commenter", "editor"]


class ShareIn(Schema):
    op: Literal["link", "link_revoke", "invite", "invite_revoke", "role", "remove", "public"]
    role: SharedRole | None = None
    email: str | None = Field(None, max_length=254)
    token: str | None = Field(None, max_length=64)
    invitation: int | None = None
    user: int | None = None
    public: bool = False


class SharingOut(Schema):
    done: str
    links: list[dict[str, Any]]  # {token, role, url}
    invitations: list[dict[str, Any]]  # {id, email, role}
    members: list[dict[str, Any]]  # {user, email, role}
    public: bool


class WishIn(Schema):
    place_id: str = Field(..., max_length=120)


class VoteIn(Schema):
    value: Literal[1, -1]


class CommentIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000)
    place_id: str = Field("", max_length=120)


class GroupOut(Schema):
    wishes: list[dict[str, Any]]  # {id, place_id, name, for, against, score}
    comments: list[dict[str, Any]]  # {place_id, author, text, at}
    history: list[dict[str, Any]]  # {action, summary, actor, revision, at}


def _sharing(plan: Plan, request: HttpRequest, done: str) -> dict[str, Any]:
    state = sharing_state(plan=plan)
    base = request.build_absolute_uri("/s/")
    return {
        "done": done,
        "links": [
            {"token": link.token, "role": link.role, "url": f"{base}{link.token}/"} for link in state.links
        ],
        "invitations": [
            {"id": item.pk, "email": item.email, "role": item.role} for item in state.invitations
        ],
        "members": [
            {"user": item.user_id, "email": item.user.email, "role": item.role} for item in state.members
        ],
        "public": state.public,
    }


def _group(plan: Plan, request: HttpRequest) -> dict[str, Any]:
    user_id = request.user.pk if request.user.is_authenticated else None
    return {
        "wishes": [
            {
                "id": row.wish.pk,
                "place_id": row.wish.place.slug,
                "name": row.wish.place.name,
                "for": row.votes_for,
                "against": row.votes_against,
                "score": row.score,
            }
            for row in wish_list(plan=plan, user_id=user_id)
        ],
        "comments": [
            {"place_id": place, "author": c.author.email, "text": c.text, "at": c.created_at.isoformat()}
            for place, comments in plan_comments(plan=plan).items()
            for c in comments
        ],
        "history": [
            {
                "action": event.action,
                "summary": event.summary,
                "actor": event.actor.email if event.actor else None,
                "revision": event.revision,
                "at": event.created_at.isoformat(),
            }
            for event in plan_history(plan=plan)
        ],
    }


@router.get("/{plan_id}/sharing", response={200: SharingOut, **ERRORS}, summary="Who the trip is shared with")
def sharing(request: HttpRequest, plan_id: str) -> dict[str, Any]:
    plan, _access = plan_for(request, plan_id, "share")
    return _sharing(plan, request, "")


@router.post(
    "/{plan_id}/sharing", response={200: SharingOut, **ERRORS}, summary="Share, revoke, change roles"
)
def share(request: HttpRequest, plan_id: str, payload: ShareIn) -> dict[str, Any]:
    """Owner only. op: link (role), link_revoke (token), invite (email, role), invite_revoke (invitation),
    role (user, role), remove (user), public (public). Revoking takes effect at once."""
    plan, _access = plan_for(request, plan_id, "share")
    owner = signed_in(request, GROUP_WHY)
    fields = payload.model_dump(exclude_none=True)
    done = share_apply(plan=plan, by=owner, **fields)
    return _sharing(plan, request, done)


@router.get("/{plan_id}/group", response={200: GroupOut, **ERRORS}, summary="Wish list, comments, history")
def group(request: HttpRequest, plan_id: str) -> dict[str, Any]:
    plan, _access = plan_for(request, plan_id, "view")
    return _group(plan, request)


@router.post("/{plan_id}/wishes", response={201: GroupOut, **ERRORS}, summary="Wish for a place")
def wish(request: HttpRequest, plan_id: str, payload: WishIn) -> Status[dict[str, Any]]:
    plan, _access = plan_for(request, plan_id, "vote")
    wish_add(plan=plan, place_slug=payload.place_id, by=signed_in(request, GROUP_WHY))
    return Status(201, _group(plan, request))


@router.post("/{plan_id}/wishes/{wish_id}/vote", response={200: GroupOut, **ERRORS}, summary="Vote on a wish")
def vote(request: HttpRequest, plan_id: str, wish_id: int, payload: VoteIn) -> dict[str, Any]:
    """The same vote again takes it back."""
    plan, _access = plan_for(request, plan_id, "vote")
    wish_vote(plan=plan, wish_id=wish_id, value=payload.value, by=signed_in(request, GROUP_WHY))
    return _group(plan, request)


@router.post(
    "/{plan_id}/comments", response={201: GroupOut, **ERRORS}, summary="Comment on the trip or a place"
)
def comment(request: HttpRequest, plan_id: str, payload: CommentIn) -> Status[dict[str, Any]]:
    plan, _access = plan_for(request, plan_id, "comment")
    comment_add(plan=plan, text=payload.text, place_id=payload.place_id, by=signed_in(request, GROUP_WHY))
    return Status(201, _group(plan, request))
