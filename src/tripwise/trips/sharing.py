"""Writes for sharing a trip: links, invitations by email, members and their roles, the public page.

Only the owner shares (the views and the API check `permissions.require(..., "share")` first); these functions
trust that and keep the data consistent: one membership per person, a link or invitation revoked at once and
for good, an invitation used once. Emails go out after the transaction commits, never inside it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tripwise.core.errors import TripwiseError
from tripwise.trips.models import Invitation, Membership, Plan, Role, ShareLink
from tripwise.trips.services import event_record

__all__ = [
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
    "member_remove",
    "member_set_role",
    "plan_set_public",
    "share_apply",
    "share_link_create",
    "share_link_revoke",
]

SHARED_ROLES = (Role.VIEWER, Role.COMMENTER, Role.EDITOR)  # the owner is one person and is not shared


def _role(value: str) -> Role:
    if value not in SHARED_ROLES:
        raise TripwiseError(
            "invalid_role", f"{value!r} is not a role to share with: use viewer, commenter or editor."
        )
    return Role(value)


def share_link_create(*, plan: Plan, role: str, by: User) -> ShareLink:
    with transaction.atomic():
        link = ShareLink.objects.create(plan=plan, role=_role(role), created_by=by)
        event_record(plan=plan, actor=by, action="share_link", summary=f"made a {role} link")
    return link


def share_link_revoke(*, link: ShareLink, by: User) -> None:
    # A conditional update: revoking twice, or at the same time twice, revokes once.
    with transaction.atomic():
        if ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
            event_record(
                plan=link.plan, actor=by, action="share_link_revoked", summary=f"revoked a {link.role} link"
            )


def _invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("trips:invitation", kwargs={"token": invitation.token})


def invitation_create(*, plan: Plan, email: str, role: str, by: User) -> Invitation:
    """Invite someone by email with a role; they accept by opening the link while signed in."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except Exception:
        raise TripwiseError("invalid_email", f"{email!r} is not an email address.") from None
    with transaction.atomic():
        invitation = Invitation.objects.create(plan=plan, email=email, role=_role(role), invited_by=by)
        event_record(plan=plan, actor=by, action="invitation", summary=f"invited {email} as {role}")
        who = getattr(by, "email", "") or "Someone"
        transaction.on_commit(
            lambda: send_mail(
                subject=f"{who} shared a trip with you: {plan.title}",
                message=(
                    f"{who} invited you to the trip “{plan.title}” as {role}.\n\n"
                    f"Open it here (sign in or sign up with this address first):\n{_invitation_url(invitation)}\n\n"
                    "If you did not expect this, ignore this email."
                ),
                from_email=None,
                recipient_list=[email],
            )
        )
    return invitation


def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    with transaction.atomic():
        if Invitation.objects.filter(
            pk=invitation.pk, revoked_at__isnull=True, accepted_at__isnull=True
        ).update(revoked_at=timezone.now()):
            event_record(
                plan=invitation.plan,
                actor=by,
                action="invitation_revoked",
                summary=f"withdrew the invitation to {invitation.email}",
            )


def invitation_accept(*, token: str, user: User) -> Plan:
    """Turn an open invitation into a membership for the signed-in `user` (once; a better role is kept)."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("plan").filter(token=token).first()
        if invitation is None or invitation.revoked_at is not None:
            raise TripwiseError(
                "invitation_invalid", "This invitation was withdrawn or never existed.", status=404
            )
        if invitation.accepted_at is not None:
            raise TripwiseError("invitation_used", "This invitation has already been used.", status=404)
        email = str(getattr(user, "email", "")).strip().lower()
        if email != invitation.email:
            # A forwarded invitation does not let someone else in: it is for one address.
            raise TripwiseError(
                "invitation_other_email",
                f"This invitation is for {invitation.email}: sign in with that address to accept it.",
                status=403,
            )
        plan = invitation.plan
        if plan.owner_id != user.pk:
            membership, created = Membership.objects.get_or_create(
                plan=plan, user=user, defaults={"role": invitation.role}
            )
            ranks = {Role.VIEWER: 1, Role.COMMENTER: 2, Role.EDITOR: 3}
            if not created and ranks[Role(invitation.role)] > ranks[Role(membership.role)]:
                membership.role = invitation.role
                membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        event_record(plan=plan, actor=user, action="joined", summary=f"joined as {invitation.role}")
    return plan


def member_set_role(*, plan: Plan, user_id: int, role: str, by: User) -> Membership:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(plan=plan, user_id=user_id).first()
        if membership is None:
            raise TripwiseError("not_a_member", "That person is not on this trip.", status=404)
        membership.role = _role(role)
        membership.save(update_fields=["role"])
        event_record(plan=plan, actor=by, action="role", summary=f"made {membership.user} {role}")
    return membership


def member_remove(*, plan: Plan, user_id: int, by: User) -> None:
    with transaction.atomic():
        deleted, _ = Membership.objects.filter(plan=plan, user_id=user_id).delete()
        if deleted:
            event_record(
                plan=plan, actor=by, action="member_removed", summary="removed someone from the trip"
            )


def plan_set_public(*, plan: Plan, public: bool, by: User) -> None:
    with transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(is_public=public)
        plan.is_public = public
        event_record(
            plan=plan,
            actor=by,
            action="public",
            summary="made the trip public" if public else "made the trip private",
        )


def share_apply(
    *, plan: Plan, by: User, op: str, role: str = "", email: str = "", token: str = "",
    invitation: int | None = None, user: int | None = None, public: bool = False,
) -> str:  # fmt: skip
    """One operation of the share dialog (or the API) on `plan`; returns what was done, in words."""
    if op == "link":
        share_link_create(plan=plan, role=role, by=by)
        return f"Made a {role} link: copy it from the list."
    if op == "link_revoke":
        link = ShareLink.objects.filter(plan=plan, token=token).first()
        if link is None:
            raise TripwiseError("not_found", "No such link on this trip.", status=404)
        share_link_revoke(link=link, by=by)
        return "Revoked the link: it no longer opens the trip."
    if op == "invite":
        invitation_create(plan=plan, email=email, role=role, by=by)
        return f"Invited {email} as {role}."
    if op == "invite_revoke":
        found = Invitation.objects.filter(plan=plan, pk=invitation or 0).first()
        if found is None:
            raise TripwiseError("not_found", "No such invitation on this trip.", status=404)
        invitation_revoke(invitation=found, by=by)
        return f"Withdrew the invitation to {found.email}."
    if op == "role" and user is not None:
        membership = member_set_role(plan=plan, user_id=user, role=role, by=by)
        return f"{membership.user} is now {role}."
    if op == "remove" and user is not None:
        member_remove(plan=plan, user_id=user, by=by)
        return "Removed them from the trip."
    if op == "public":
        plan_set_public(plan=plan, public=public, by=by)
        return "Anyone can now read this trip at its address." if public else "The trip is private again."
    raise TripwiseError("invalid_request", f"{op!r} is not a sharing operation.")
