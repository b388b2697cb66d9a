"""The newsletter's own emails: the confirmation link of a sign-up, and the note to an address that is already
subscribed. Stored in the outbox in the sign-up's transaction and written by the sender (tripwise.mail)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from tripwise.mail.composing import Composed, mail_composer
from tripwise.mail.services import mail_enqueue_composed
from tripwise.newsletter.models import Subscriber
from tripwise.newsletter.tokens import CONFIRM_DAYS, token_for


def _link(name: str, token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs={"token": token})


def links(subscriber: Subscriber) -> dict[str, str]:
    """The preferences and unsubscribe links of every email to this subscriber."""
    manage = token_for(subscriber.pk, subscriber.email, "manage")
    return {
        "manage_url": _link("newsletter:manage", manage),
        "unsubscribe_url": _link("newsletter:unsubscribe", manage),
        "one_click_url": _link("newsletter:one_click", manage),
    }


def _context(subscriber: Subscriber) -> dict[str, Any]:
    return {
        "subscriber": subscriber,
        "interests": ", ".join(subscriber.interests) or "everything",
        "destinations": ", ".join(d.name for d in subscriber.destinations.all()) or "every destination",
        **links(subscriber),
    }


@mail_composer
def compose_confirm(*, subscriber_id: int) -> Composed:
    subscriber = Subscriber.objects.get(pk=subscriber_id)
    token = token_for(subscriber.pk, subscriber.email, "confirm")
    return Composed(
        template="newsletter/email/confirm",
        context={
            **_context(subscriber),
            "confirm_url": _link("newsletter:confirm", token),
            "days": CONFIRM_DAYS,
        },
    )


@mail_composer
def compose_already_subscribed(*, subscriber_id: int) -> Composed:
    subscriber = Subscriber.objects.get(pk=subscriber_id)
    return Composed(template="newsletter/email/already_subscribed", context=_context(subscriber))


def confirm_address(subscriber: Subscriber) -> None:
    mail_enqueue_composed(
        kind="newsletter_confirm",
        to=[subscriber.email],
        composer=compose_confirm,
        params={"subscriber_id": subscriber.pk},
    )


def already_subscribed(subscriber: Subscriber) -> None:
    mail_enqueue_composed(
        kind="newsletter_already_subscribed",
        to=[subscriber.email],
        composer=compose_already_subscribed,
        params={"subscriber_id": subscriber.pk},
    )
