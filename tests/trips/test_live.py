"""The live channel (/ws/plans/<id>/): who may listen, and that every saved change reaches the listeners.

The cast of the access sweep: alice owns the trip, bob is an editor, carol a viewer, dave has no access; frank
opened a link that was then revoked. The consumer's database work runs in another thread, so these tests
commit for real (transaction=True) and load the demo destination themselves (a flush removes it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.test import Client

from tests.paths import DEMO
from tripwise.demo import demo_load
from tripwise.trips.live import CLOSE_NOT_FOUND, websocket_urlpatterns
from tripwise.trips.models import Membership, Plan, ShareLink
from tripwise.trips.services import plan_change, plan_create
from tripwise.trips.sharing import share_link_revoke

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]

REQUEST = {"destination": "astana", "start_date": "2026-12-01", "days": 1, "base": "asia-park"}
TIMEOUT = 30  # seconds: re-planning on two slow cores, never a fixed wait
APPLICATION = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def fresh_channel_layer() -> Iterator[None]:
    # The in-memory layer's queues belong to one event loop; each test runs its own.
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def trip() -> Plan:
    demo_load(path=DEMO)
    alice = User.objects.create_user("alice", "alice@example.org", "pw")
    plan = plan_create(request=REQUEST)
    plan.owner = alice
    plan.save()
    for name, role in (("bob", "editor"), ("carol", "viewer")):
        user = User.objects.create_user(name, f"{name}@example.org", "pw")
        Membership.objects.create(plan=plan, user=user, role=role)
    User.objects.create_user("dave", "dave@example.org", "pw")
    return plan


def session_cookie(client: Client) -> list[tuple[bytes, bytes]]:
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    return [(b"cookie", cookies.encode())] if cookies else []


def signed_in(username: str) -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return session_cookie(client)


def listener(plan: Plan, headers: list[tuple[bytes, bytes]], query: str = "") -> WebsocketCommunicator:
    return WebsocketCommunicator(APPLICATION, f"/ws/plans/{plan.public_id}/{query}", headers=headers)


async def assert_refused(communicator: WebsocketCommunicator) -> None:
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected  # accepted, then closed with a code the page understands
    closed = await communicator.receive_output(timeout=TIMEOUT)
    assert closed == {"type": "websocket.close", "code": CLOSE_NOT_FOUND}


async def hello(communicator: WebsocketCommunicator) -> dict[str, Any]:
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    message: dict[str, Any] = await communicator.receive_json_from(timeout=TIMEOUT)
    assert message["type"] == "hello"
    return message


async def test_a_viewer_hears_an_editors_change_with_who_made_it(trip: Plan) -> None:
    carol = listener(trip, await database_sync_to_async(signed_in)("carol"))
    greeting = await hello(carol)
    assert greeting == {"type": "hello", "revision": trip.revision}

    bob = await database_sync_to_async(User.objects.get)(username="bob")
    await database_sync_to_async(plan_change)(
        plan=trip, change={"action": "pace", "pace": "relaxed"}, actor=bob
    )

    event = await carol.receive_json_from(timeout=TIMEOUT)
    assert event["type"] == "event"
    assert event["revision"] == trip.revision + 1
    assert event["action"] == "change"
    assert event["summary"] == "pace"
    assert event["actor"] == "bob@example.org"
    assert event["at"]
    assert await carol.receive_nothing(timeout=0.2)  # one change, one message
    await carol.disconnect()


async def test_the_socket_takes_no_writes(trip: Plan) -> None:
    carol = listener(trip, await database_sync_to_async(signed_in)("carol"))
    await hello(carol)
    await carol.send_json_to({"action": "remove", "place_id": "asia-park"})
    assert await carol.receive_nothing(timeout=0.5)
    refreshed = await database_sync_to_async(Plan.objects.get)(pk=trip.pk)
    assert refreshed.revision == trip.revision
    await carol.disconnect()


async def test_someone_without_access_is_told_the_trip_does_not_exist(trip: Plan) -> None:
    await assert_refused(listener(trip, await database_sync_to_async(signed_in)("dave")))
    await assert_refused(listener(trip, []))  # anonymous
    missing = WebsocketCommunicator(APPLICATION, "/ws/plans/no-such-plan/", headers=[])
    await assert_refused(missing)


def _link_holder(plan: Plan, *, revoked: bool) -> tuple[list[tuple[bytes, bytes]], ShareLink]:
    link = ShareLink.objects.create(plan=plan, role="viewer")
    client = Client()
    assert client.get(f"/s/{link.token}/").status_code == 302  # the token is now in the session
    if revoked:
        share_link_revoke(link=link, by=plan.owner)  # type: ignore[arg-type]
    return session_cookie(client), link


async def test_a_link_holder_listens_until_the_link_is_revoked(trip: Plan) -> None:
    frank, _ = await database_sync_to_async(_link_holder)(trip, revoked=True)
    await assert_refused(listener(trip, frank))

    erin, link = await database_sync_to_async(_link_holder)(trip, revoked=False)
    erin_socket = listener(trip, erin)
    await hello(erin_socket)
    # Revocation takes effect at once: the open socket is closed, not just the next one refused.
    await database_sync_to_async(share_link_revoke)(link=link, by=trip.owner)
    closed = await erin_socket.receive_output(timeout=TIMEOUT)
    assert closed == {"type": "websocket.close", "code": CLOSE_NOT_FOUND}


async def test_a_share_token_in_the_address_opens_the_socket_too(trip: Plan) -> None:
    link = await database_sync_to_async(ShareLink.objects.create)(plan=trip, role="viewer")
    await hello(listener(trip, [], f"?share={link.token}"))
    await assert_refused(listener(trip, [], "?share=not-a-token"))


async def test_anyone_with_the_id_of_an_unclaimed_plan_may_listen() -> None:
    def unclaimed() -> Plan:
        demo_load(path=DEMO)
        return plan_create(request=REQUEST)

    plan = await database_sync_to_async(unclaimed)()
    anonymous = listener(plan, [])
    assert (await hello(anonymous))["revision"] == plan.revision

    await database_sync_to_async(plan_change)(plan=plan, change={"action": "pace", "pace": "packed"})
    event = await anonymous.receive_json_from(timeout=TIMEOUT)
    assert (event["revision"], event["actor"]) == (plan.revision + 1, "Someone")
    await anonymous.disconnect()


def test_an_edit_made_on_an_old_revision_lands_on_top_and_says_so(trip: Plan) -> None:
    bob = Client()
    bob.force_login(User.objects.get(username="bob"))
    page = bob.get(f"/plans/{trip.public_id}/").content.decode()
    assert f'name="revision" value="{trip.revision}"' in page  # the forms carry what bob saw
    assert f'data-revision="{trip.revision}"' in page  # and so does the live script
    # alice changes the pace while bob's page is open...
    plan_change(plan=trip, change={"action": "pace", "pace": "packed"}, actor=trip.owner)
    # ...then bob removes a visit from the page he loaded before.
    visit = next(
        item["place_id"]
        for day in Plan.objects.get(pk=trip.pk).result["days"]
        for item in day["items"]
        if item["type"] == "visit"
    )
    answer = bob.post(
        f"/plans/{trip.public_id}/change",
        {"action": "remove", "place_id": visit, "revision": str(trip.revision)},
        follow=True,
    )
    text = answer.content.decode()
    assert "alice@example.org changed the plan meanwhile; your change was applied on top of it." in text
    saved = Plan.objects.get(pk=trip.pk)
    assert saved.revision == trip.revision + 2
    assert saved.request["pace"] == "packed"  # alice's change kept, bob's on top of it

    # An edit made on the current revision says nothing of the kind.
    again = bob.post(
        f"/plans/{trip.public_id}/change",
        {"action": "pace", "pace": "relaxed", "revision": str(saved.revision)},
        follow=True,
    )
    assert "meanwhile" not in again.content.decode()


async def test_a_reader_of_a_public_trip_is_not_told_who_edited_it(trip: Plan) -> None:
    trip.is_public = True
    await database_sync_to_async(trip.save)(update_fields=["is_public"])
    dave = listener(trip, await database_sync_to_async(signed_in)("dave"))  # no role: public reader only
    await hello(dave)
    bob = await database_sync_to_async(User.objects.get)(username="bob")
    await database_sync_to_async(plan_change)(
        plan=trip, change={"action": "pace", "pace": "relaxed"}, actor=bob
    )
    event = await dave.receive_json_from(timeout=TIMEOUT)
    assert (event["summary"], event["actor"]) == ("pace", "Someone")
    await dave.disconnect()
