"""Writes for the newsletter: sign-up (double opt-in), confirmation, preferences, unsubscribing.

The answer to a sign-up is the same whether the address is new, waiting for confirmation or already
subscribed, so the form never tells who is subscribed: only the mailbox's owner learns it, from the email
(a confirmation link, or "you are already subscribed" with a link to the preferences). Every step writes a
Consent row, in the same transaction as the change it proves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from tripwise.core.errors import TripwiseError
from tripwise.newsletter import emails
from tripwise.newsletter.models import INTEREST_CHOICES, Consent, Subscriber
from tripwise.places.models import Destination

__all__ = [
    "Client",
    "checked_destinations",
    "checked_interests",
    "preferences_update",
    "subscription_confirm",
    "subscription_request",
    "unsubscribe",
]

INTERESTS = frozenset(name for name, _label in INTEREST_CHOICES)


@dataclass(frozen=True)
class Client:
    """Who made the request, for the consent record and the rate limits."""

    source: str
    ip: str | None = None
    user_agent: str = ""


def _normalised(email: str) -> str:
    address = email.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise TripwiseError(
            "invalid_email", f"{email.strip()!r} is not an email address: check it and try again.", status=422
        ) from None
    return address


def checked_interests(chosen: Sequence[str]) -> list[str]:
    unknown = sorted(set(chosen) - INTERESTS)
    if unknown:
        raise TripwiseError(
            "unknown_interest",
            f"Unknown interest {', '.join(unknown)}: choose among {', '.join(sorted(INTERESTS))}.",
            status=422,
        )
    return sorted(set(chosen))


def checked_destinations(slugs: Sequence[str]) -> list[Destination]:
    found = list(Destination.objects.filter(slug__in=set(slugs)))
    missing = sorted(set(slugs) - {destination.slug for destination in found})
    if missing:
        raise TripwiseError(
            "unknown_destination",
            f"No destination {', '.join(missing)}: choose one the site covers.",
            status=422,
        )
    return found


def _within_limit(kind: str, key: str, limit: int) -> bool:
    """Count one more attempt of `kind` by `key` in this hour; False once `limit` is passed (shared between
    server processes through the cache: Redis in production)."""
    name = f"newsletter:{kind}:{key}"
    cache.add(name, 0, timeout=3600)
    try:
        count = cache.incr(name)
    except ValueError:  # it expired between add and incr
        cache.set(name, 1, timeout=3600)
        count = 1
    return count <= limit


def _consent(subscriber: Subscriber, action: str, client: Client) -> None:
    Consent.objects.create(
        subscriber=subscriber,
        action=action,
        source=client.source[:100],
        ip=client.ip,
        user_agent=client.user_agent[:300],
        interests=list(subscriber.interests),
        destinations=sorted(subscriber.destinations.values_list("slug", flat=True)),
    )


def subscription_request(
    *, email: str, interests: Sequence[str], destinations: Sequence[str], client: Client
) -> None:
    """Someone asks to subscribe `email`. Sends a confirmation link (new or waiting address, or one that had
    unsubscribed), or, to an address already confirmed, a note with a link to its preferences. Answers
    nothing about which: the caller shows the same page in every case.

    Limits: NEWSLETTER_SIGNUPS_PER_CLIENT an hour from one client address (refused, 429), and
    NEWSLETTER_SIGNUPS_PER_ADDRESS an hour for one email address (quietly not sent again: a refusal would
    tell that the address was tried before)."""
    address = _normalised(email)
    chosen = checked_interests(interests)
    places = checked_destinations(destinations)
    if client.ip and not _within_limit("client", client.ip, settings.NEWSLETTER_SIGNUPS_PER_CLIENT):
        raise TripwiseError(
            "too_many_signups",
            "Too many sign-ups from your network in the last hour. Please try again later.",
            status=429,
        )
    if not _within_limit("address", address, settings.NEWSLETTER_SIGNUPS_PER_ADDRESS):
        return
    with transaction.atomic():
        try:
            with transaction.atomic():
                subscriber, _created = Subscriber.objects.get_or_create(email=address)
        except IntegrityError:  # the same address signed up at the same moment elsewhere
            subscriber = Subscriber.objects.get(email=address)
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == Subscriber.Status.CONFIRMED:
            # The choices wait for the owner: someone else may be typing this address.
            emails.already_subscribed(subscriber)
            return
        subscriber.status = Subscriber.Status.PENDING
        subscriber.interests = chosen
        subscriber.save(update_fields=["status", "interests", "updated_at"])
        subscriber.destinations.set(places)
        _consent(subscriber, Consent.Action.REQUESTED, client)
        emails.confirm_address(subscriber)


def subscription_confirm(*, subscriber: Subscriber, client: Client) -> Subscriber:
    """The owner of the address pressed "Confirm" (a POST: mail scanners that open links confirm nothing).
    Confirming twice is harmless; a subscriber who unsubscribed since must sign up again."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == Subscriber.Status.CONFIRMED:
            return subscriber
        if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            raise TripwiseError(
                "unsubscribed",
                "This address was unsubscribed after the link was sent. Sign up again to get the newsletter.",
                status=409,
            )
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at", "updated_at"])
        _consent(subscriber, Consent.Action.CONFIRMED, client)
    return subscriber


def preferences_update(
    *, subscriber: Subscriber, interests: Sequence[str], destinations: Sequence[str], client: Client
) -> Subscriber:
    """New interests and destinations; none of either means "everything"."""
    chosen = checked_interests(interests)
    places = checked_destinations(destinations)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        subscriber.interests = chosen
        subscriber.save(update_fields=["interests", "updated_at"])
        subscriber.destinations.set(places)
        _consent(subscriber, Consent.Action.CHANGED, client)
    return subscriber


def unsubscribe(*, subscriber: Subscriber, client: Client) -> Subscriber:
    """At once: no newsletter is sent to this address from this moment (a campaign already sending checks the
    status before each message). Unsubscribing twice is harmless."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            return subscriber
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at", "updated_at"])
        _consent(subscriber, Consent.Action.UNSUBSCRIBED, client)
    return subscriber
