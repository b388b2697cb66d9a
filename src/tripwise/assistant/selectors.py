"""Reads for the assistant: what a request in plain words says, against the destinations and places we know."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from django.http import HttpRequest

from tripwise.assistant.llm import ChatProvider, propose_request, provider_from_settings
from tripwise.assistant.models import Conversation, Turn
from tripwise.core.errors import NotFound
from tripwise.core.trips.changes import apply_changes
from tripwise.core.trips.request import parse_request, request_to_json
from tripwise.core.understand.names import Named
from tripwise.core.understand.understand import Understanding, understand
from tripwise.places.models import Destination, Place
from tripwise.trips.permissions import require

__all__ = [
    "conversation_for",
    "conversation_get",
    "conversation_turns",
    "place_names",
    "replayed_request",
    "session_conversations",
    "understand_text",
]


def _names() -> tuple[list[Named], list[Named]]:
    destinations = [
        Named(id=slug, names=(name, slug, *aliases), currency=currency)
        for slug, name, aliases, currency in Destination.objects.values_list(
            "slug", "name", "aliases", "currency"
        )
    ]
    places = [
        Named(id=slug, names=(name, *aliases), destination=destination)
        for slug, name, aliases, destination in Place.objects.exclude(
            kind__in=["restaurant", "cafe"]
        ).values_list("slug", "name", "aliases", "destination__slug")
    ]
    return destinations, places


def place_names(*, destination: Destination) -> list[Named]:
    """The destination's sights by every name they go by, for reading what a traveller says about a plan."""
    return [
        Named(id=slug, names=(name, *aliases), destination=destination.slug)
        for slug, name, aliases in Place.objects.filter(destination=destination)
        .exclude(kind__in=["restaurant", "cafe"])
        .values_list("slug", "name", "aliases")
    ]


class _FromSettings(Enum):
    PROVIDER = "the provider configured in settings (none unless TRIPWISE_LLM_BASE_URL is set)"


FROM_SETTINGS = _FromSettings.PROVIDER


def understand_text(
    *, text: str, today: date, provider: ChatProvider | _FromSettings | None = FROM_SETTINGS
) -> Understanding:
    """The request the words settle: the language model's proposal when one is configured and its proposal
    holds, else (and by default) the offline understanding."""
    destinations, places = _names()
    if provider is FROM_SETTINGS:
        provider = provider_from_settings()
    if provider is not None and text.strip():
        proposed = propose_request(provider, text=text, today=today, destinations=destinations, places=places)
        if proposed is not None:
            return proposed
    return understand(text, today=today, destinations=destinations, places=places)


def conversation_get(*, public_id: str) -> Conversation:
    try:
        return Conversation.objects.select_related("plan", "plan__destination").get(public_id=public_id)
    except Conversation.DoesNotExist:
        raise NotFound("conversation", public_id) from None


def conversation_for(request: HttpRequest, public_id: str, action: str) -> Conversation:
    """The conversation, if the request may `action` its plan: the plan's sharing rules apply to it."""
    conversation = conversation_get(public_id=public_id)
    if conversation.plan is not None:
        require(request, conversation.plan, action)
    return conversation


def conversation_turns(*, conversation: Conversation) -> list[Turn]:
    return list(conversation.turns.order_by("number"))


def replayed_request(*, conversation: Conversation) -> dict[str, Any] | None:
    """The request got by replaying the conversation: the last trip request that made a plan, then every
    change since that was not undone, in order. It equals the plan's request; a test holds it to that."""
    turns = conversation_turns(conversation=conversation)
    planned = [turn for turn in turns if turn.kind == Turn.Kind.REQUEST and turn.revision is not None]
    first = planned[-1] if planned else None
    if first is None or not isinstance(first.request_after, dict):
        return None
    first_request: dict[str, Any] = first.request_after
    changes = [
        change
        for turn in turns
        if turn.number > first.number and turn.kind == Turn.Kind.CHANGE and not turn.undone
        for change in turn.changes
    ]
    return request_to_json(apply_changes(parse_request(first_request), changes))


def session_conversations(*, session_key: str, limit: int = 10) -> list[Conversation]:
    if not session_key:
        return []
    return list(Conversation.objects.filter(session_key=session_key).select_related("plan")[:limit])
