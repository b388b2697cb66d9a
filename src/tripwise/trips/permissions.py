"""Who may do what with a trip: one place, used by the pages, the API, the exports and the live channel.

Roles rank viewer < commenter < editor < owner; each may do what the ones below may. A person's role on a
plan is the best of:
- owner: the signed-in owner;
- a membership (shared with them by email, accepted);
- a share link they opened (its token is kept in their session) or hold (`?share=TOKEN`, for the API and
  calendar apps), until it is revoked;
- viewer, when the owner made the plan public.
A plan nobody has claimed yet (made before signing in, or through the API without an account) is like an
unlisted document: whoever holds its unguessable id may edit it, until someone signs in with it and it
becomes theirs. A deleted plan is visible to its owner only (to restore it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.http import HttpRequest

from tripwise.core.errors import NotFound, TripwiseError
from tripwise.trips.models import Membership, Plan, Role, ShareLink

__all__ = [
    "ACTIONS",
    "SESSION_LINKS",
    "Access",
    "access_for",
    "plan_for",
    "request_tokens",
    "require",
    "signed_in",
]

RANK = {Role.VIEWER: 1, Role.COMMENTER: 2, Role.EDITOR: 3, Role.OWNER: 4}
ACTIONS = {
    "view": Role.VIEWER,
    "export": Role.VIEWER,
    "comment": Role.COMMENTER,
    "vote": Role.COMMENTER,
    "edit": Role.EDITOR,
    "share": Role.OWNER,
    "delete": Role.OWNER,
}
SESSION_LINKS = "trip_share_tokens"  # the share-link tokens this browser has opened


@dataclass(frozen=True)
class Access:
    role: Role | None
    via: str  # owner, member, link, public, unclaimed, or none

    def can(self, action: str) -> bool:
        return self.role is not None and RANK[self.role] >= RANK[ACTIONS[action]]


def _best(found: Iterable[tuple[Role, str]]) -> Access:
    best: Access = Access(None, "none")
    for role, via in found:
        if best.role is None or RANK[role] > RANK[best.role]:
            best = Access(role, via)
    return best


def access_for(
    *, plan: Plan, user: AbstractBaseUser | AnonymousUser, link_tokens: Iterable[str] = ()
) -> Access:
    """The role `user` (holding these share-link tokens) has on `plan`, and how they have it."""
    signed_in = bool(user.is_authenticated)
    if plan.owner_id is not None and signed_in and plan.owner_id == user.pk:
        return Access(Role.OWNER, "owner")
    if plan.deleted_at is not None:
        return Access(None, "none")
    if plan.owner_id is None:
        return Access(Role.EDITOR, "unclaimed")
    found: list[tuple[Role, str]] = []
    user_id = user.pk if signed_in else None
    if isinstance(user_id, int):
        membership = (
            Membership.objects.filter(plan=plan, user_id=user_id).values_list("role", flat=True).first()
        )
        if membership:
            found.append((Role(membership), "member"))
    tokens = [token for token in link_tokens if token]
    if tokens:
        for role in ShareLink.objects.filter(
            plan=plan, token__in=tokens, revoked_at__isnull=True
        ).values_list("role", flat=True):
            found.append((Role(role), "link"))
    if plan.is_public:
        found.append((Role.VIEWER, "public"))
    return _best(found)


def request_tokens(request: HttpRequest) -> list[str]:
    tokens = list(request.session.get(SESSION_LINKS, [])) if hasattr(request, "session") else []
    if share := request.GET.get("share"):
        tokens.append(share)
    return tokens


def require(request: HttpRequest, plan: Plan, action: str) -> Access:
    """The request's access to `plan`, if it allows `action`. Someone who may not even see the plan is told
    it does not exist (a 404, never a hint that it does); someone who may see it but not do this is refused
    with what role it needs."""
    access = access_for(plan=plan, user=request.user, link_tokens=request_tokens(request))
    if not access.can("view"):
        raise NotFound("plan", plan.public_id)
    if not access.can(action):
        needed = ACTIONS[action].label.lower()
        raise TripwiseError(
            "forbidden",
            f"You can {_verbs(access)} this trip; to {action} it you need to be {_article(needed)}.",
            status=403,
        )
    return access


def signed_in(request: HttpRequest, why: str) -> User:
    """The signed-in person, or a 401 saying `why` an account is needed."""
    if not isinstance(request.user, User):
        raise TripwiseError("sign_in", f"Sign in first: {why}.", status=401)
    return request.user


def plan_for(request: HttpRequest, public_id: str, action: str = "view") -> tuple[Plan, Access]:
    """The plan with this id, if the request may `action` it (see `require`)."""
    try:
        plan = Plan.objects.select_related("destination", "owner").get(public_id=public_id)
    except Plan.DoesNotExist:
        raise NotFound("plan", public_id) from None
    return plan, require(request, plan, action)


def _verbs(access: Access) -> str:
    allowed = [action for action in ("view", "comment", "edit") if access.can(action)]
    return " and ".join(allowed) if allowed else "not see"


def _article(role: str) -> str:
    return f"an {role}" if role[0] in "aeiou" else f"a {role}"
