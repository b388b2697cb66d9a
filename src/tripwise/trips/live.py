"""Live updates: the open pages of a trip hear about each change within a second, with who made it.

The channel only tells; it never takes writes. Edits go through the ordinary POST endpoints and the API, which
check permissions and apply the edit on top of whatever revision is current (services.plan_apply), and each
of them writes a PlanEvent. Once that event's transaction commits, `broadcast_event` sends it to the trip's
group, and every open page that sees a newer revision reloads the parts that changed (static/tripwise/live.js).

Who may listen is decided by `permissions.access_for`, exactly as for the pages: the signed-in user of the
socket's session and the share-link tokens that session holds (or `?share=TOKEN`). Someone who may not see the
trip is told what the pages tell them, that it does not exist: the socket closes with code 4404.

The channel layer is in memory in the embedded default and Redis with TRIPWISE_REDIS_URL (several server
processes must share one; see settings.CHANNEL_LAYERS).
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import parse_qs

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models.signals import post_save
from django.urls import path

from tripwise.trips.models import Plan, PlanEvent
from tripwise.trips.permissions import SESSION_LINKS, access_for

__all__ = [
    "CLOSE_NOT_FOUND",
    "PlanConsumer",
    "broadcast_event",
    "changed_meanwhile",
    "event_message",
    "group_for",
]

logger = logging.getLogger(__name__)

CLOSE_NOT_FOUND = 4404  # an application close code (4000-4999): "no such trip, or not yours to see"
# Edits to the plan's content cannot change who may see it; anything else (a link revoked, a member removed,
# the trip deleted) may, so each listener's access is checked again before such an event reaches them.
CONTENT_ACTIONS = frozenset({"change", "replace"})


def group_for(public_id: str) -> str:
    # Group names allow letters, digits, '-', '_' and '.': exactly the alphabet of a public id.
    return f"plan.{public_id}"


def event_message(event: PlanEvent) -> dict[str, Any]:
    """What an open page is told about a change (never the plan's content: it reloads that itself)."""
    actor = event.actor
    return {
        "type": "event",
        "revision": event.revision,
        "action": event.action,
        "summary": event.summary,
        "actor": (actor.email if actor is not None and actor.email else "Someone"),
        "at": event.created_at.isoformat(),
        # Wall-clock seconds when the change was committed and sent: the benchmark measures from here.
        "sent": time.time(),
    }


def changed_meanwhile(*, plan: Plan, after: int, before: int) -> str:
    """Who made the revisions of `plan` after `after` and before `before` (an editor's page showed `after`,
    their own change made `before`): "bob@example.org", "bob@example.org and carol@example.org", "Someone"."""
    emails = (
        # Comments and votes are logged with the revision they were made at; they did not change the plan.
        PlanEvent.objects.filter(
            plan=plan, revision__gt=after, revision__lt=before, action__in=CONTENT_ACTIONS
        ).values_list("actor__email", flat=True)
    )
    names = list(dict.fromkeys(email or "Someone" for email in emails))
    return " and ".join(names) if names else "Someone"


def broadcast_event(event: PlanEvent) -> None:
    """Tell the trip's open pages about `event`. Called after its transaction committed: a page that reloads
    on hearing it must find the change saved. A channel layer that is down costs the live view, never the
    edit, which is already saved: it is logged and the pages catch up on their next load or reconnect."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        message = event_message(event)
        async_to_sync(layer.group_send)(
            group_for(event.plan.public_id), {"type": "plan.event", "event": message}
        )
    except Exception:
        logger.exception("could not broadcast change %s of plan %s", event.revision, event.plan_id)


def _on_event_saved(sender: type[PlanEvent], instance: PlanEvent, created: bool, **kwargs: Any) -> None:
    if created:
        transaction.on_commit(lambda: broadcast_event(instance), robust=True)


def connect_signals() -> None:
    post_save.connect(_on_event_saved, sender=PlanEvent, dispatch_uid="tripwise.trips.live.broadcast")


class PlanConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]  # channels ships no type hints
    """/ws/plans/<public_id>/: sends {"type": "hello", "revision"} on connect, then one {"type": "event", ...}
    per change (see `event_message`)."""

    group: str | None = None
    # A reader of a public trip is anyone at all: they hear that the trip changed, not the email of who did.
    anonymous_actors = False

    async def connect(self) -> None:
        public_id = str(self.scope["url_route"]["kwargs"]["public_id"])
        revision = await self._visible_revision(public_id)
        # Accept before closing: a socket refused during the handshake reaches the browser as a bare 1006,
        # while a close code after accepting tells live.js to stop retrying. Nothing is sent in between.
        await self.accept()
        if revision is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.group = group_for(public_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json({"type": "hello", "revision": revision})

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        # Writes go through the POST endpoints (permissions, versions); the socket only listens.
        return

    async def plan_event(self, message: dict[str, Any]) -> None:
        event = message["event"]
        if (
            event.get("action") not in CONTENT_ACTIONS
            and self.group is not None
            and await self._visible_revision(self.group.removeprefix("plan.")) is None
        ):
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None
            await self.close(code=CLOSE_NOT_FOUND)
            return
        if self.anonymous_actors:
            event = {**event, "actor": "Someone"}
        await self.send_json(event)

    async def _visible_revision(self, public_id: str) -> int | None:
        revision: int | None = await database_sync_to_async(self._visible_revision_now)(public_id)
        return revision

    def _visible_revision_now(self, public_id: str) -> int | None:
        """The plan's revision, if this socket's user (and session's links) may see it; None otherwise."""
        plan = Plan.objects.filter(public_id=public_id).first()
        if plan is None:
            return None
        user = self.scope.get("user") or AnonymousUser()
        session = self.scope.get("session")
        tokens = [str(token) for token in session.get(SESSION_LINKS, [])] if session is not None else []
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        tokens += query.get("share", [])[:1]
        access = access_for(plan=plan, user=user, link_tokens=tokens)
        if not access.can("view"):
            return None
        self.anonymous_actors = access.via == "public"
        return plan.revision


websocket_urlpatterns = [path("ws/plans/<str:public_id>/", PlanConsumer.as_asgi())]
