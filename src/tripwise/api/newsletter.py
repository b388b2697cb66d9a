"""The newsletter: sign up (always the same answer), confirm, read and change preferences, unsubscribe. Every
call after the sign-up carries the token of an email's link: `confirm` for confirming, `manage` for the rest."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from tripwise.api.schemas import ERRORS, ErrorOut
from tripwise.newsletter import services
from tripwise.newsletter.models import Subscriber
from tripwise.newsletter.selectors import subscriber_by_token

router = Router()
SIGNUP_ANSWER = (
    "If the address can receive it, a message is on its way: a confirmation link to press, or, for an address "
    "already subscribed, a link to its preferences."
)


class SignupIn(Schema):
    email: str = Field(..., max_length=254)
    interests: list[str] = Field(default_factory=list, max_length=20)
    destinations: list[str] = Field(default_factory=list, max_length=50)


class SignupOut(Schema):
    detail: str


class TokenIn(Schema):
    token: str = Field(..., max_length=500)


class PreferencesIn(TokenIn):
    interests: list[str] = Field(default_factory=list, max_length=20)
    destinations: list[str] = Field(default_factory=list, max_length=50)


class SubscriptionOut(Schema):
    email: str
    status: str
    interests: list[str]
    destinations: list[str]


def _client(request: HttpRequest, source: str) -> services.Client:
    return services.Client(
        source=source,
        ip=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.headers.get("User-Agent", ""),
    )


def _out(subscriber: Subscriber) -> dict[str, Any]:
    return {
        "email": subscriber.email,
        "status": subscriber.status,
        "interests": list(subscriber.interests),
        "destinations": sorted(subscriber.destinations.values_list("slug", flat=True)),
    }


@router.post(
    "/subscriptions",
    response={202: SignupOut, 429: ErrorOut, **ERRORS},
    summary="Ask to subscribe an address",
)
def subscribe(request: HttpRequest, payload: SignupIn) -> Status[dict[str, str]]:
    """Double opt-in: nothing is sent to the address but a confirmation link until its owner confirms. The
    answer is the same whether the address is new, waiting or already subscribed."""
    services.subscription_request(
        email=payload.email,
        interests=payload.interests,
        destinations=payload.destinations,
        client=_client(request, "api"),
    )
    return Status(202, {"detail": SIGNUP_ANSWER})


@router.post(
    "/confirm", response={200: SubscriptionOut, 409: ErrorOut, **ERRORS}, summary="Confirm an address"
)
def confirm(request: HttpRequest, payload: TokenIn) -> dict[str, Any]:
    subscriber = subscriber_by_token(payload.token, "confirm")
    return _out(services.subscription_confirm(subscriber=subscriber, client=_client(request, "api")))


@router.get("/preferences", response={200: SubscriptionOut, **ERRORS}, summary="Read a subscription")
def preferences(request: HttpRequest, token: str) -> dict[str, Any]:
    return _out(subscriber_by_token(token, "manage"))


@router.put(
    "/preferences", response={200: SubscriptionOut, **ERRORS}, summary="Change interests and destinations"
)
def preferences_change(request: HttpRequest, payload: PreferencesIn) -> dict[str, Any]:
    """None of either means everything."""
    subscriber = subscriber_by_token(payload.token, "manage")
    changed = services.preferences_update(
        subscriber=subscriber,
        interests=payload.interests,
        destinations=payload.destinations,
        client=_client(request, "api"),
    )
    return _out(changed)


@router.post("/unsubscribe", response={200: SubscriptionOut, **ERRORS}, summary="Unsubscribe, at once")
def unsubscribe(request: HttpRequest, payload: TokenIn) -> dict[str, Any]:
    subscriber = subscriber_by_token(payload.token, "manage")
    return _out(services.unsubscribe(subscriber=subscriber, client=_client(request, "api")))
