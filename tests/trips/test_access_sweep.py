"""The access sweep: every page and API call of a shared trip, tried by each member of the cast.

alice owns the trip, bob is an editor, carol a viewer, dave has no access; an anonymous visitor has none
either; erin opened a viewer link; frank opened a link the owner then revoked. Nobody may read or change what
their role does not allow: a refused read is a 404 (nothing says the trip exists), a refused action by someone
who may read is a 403, and a refused write changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tripwise.trips.models import Comment, Membership, Plan, PlanEvent, ShareLink, WishItem
from tripwise.trips.services import plan_create

pytestmark = pytest.mark.django_db

CAST = ("alice", "bob", "carol", "dave", "anonymous", "erin", "frank")
REQUEST = {"destination": "astana", "start_date": "2026-12-01", "days": 1, "base": "asia-park"}


@pytest.fixture
def trip() -> Plan:
    alice = User.objects.create_user("alice-owner", "alice@example.org", "pw")
    plan = plan_create(request=REQUEST)
    plan.owner = alice
    plan.save()
    Membership.objects.create(
        plan=plan, user=User.objects.create_user("bob-e", "bob@example.org", "pw"), role="editor"
    )
    Membership.objects.create(
        plan=plan, user=User.objects.create_user("carol", "carol@example.org", "pw"), role="viewer"
    )
    User.objects.create_user("dave", "dave@example.org", "pw")
    return plan


def clients(plan: Plan) -> dict[str, Client]:
    """A signed-in (or link-holding) client per member of the cast."""
    made: dict[str, Client] = {}
    for name, username in (("alice", "alice-owner"), ("bob", "bob-e"), ("carol", "carol"), ("dave", "dave")):
        client = Client()
        client.force_login(User.objects.get(username=username))
        made[name] = client
    made["anonymous"] = Client()
    viewer_link = ShareLink.objects.create(plan=plan, role="viewer")
    made["erin"] = Client()
    assert made["erin"].get(f"/s/{viewer_link.token}/").status_code == 302
    revoked = ShareLink.objects.create(plan=plan, role="editor")
    made["frank"] = Client()
    assert made["frank"].get(f"/s/{revoked.token}/").status_code == 302
    assert made["frank"].get(f"/plans/{plan.public_id}/").status_code == 200  # it worked until revoked
    ShareLink.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    return made


# (what, how to call it, expected status per member of the cast, whether it writes)
Call = Callable[[Client, Plan], int]


def page(client: Client, plan: Plan) -> int:
    return client.get(f"/plans/{plan.public_id}/").status_code


def page_change(client: Client, plan: Plan) -> int:
    return client.post(f"/plans/{plan.public_id}/change", {"action": "pace", "pace": "relaxed"}).status_code


def page_share(client: Client, plan: Plan) -> int:
    return client.post(f"/plans/{plan.public_id}/share", {"op": "link", "role": "editor"}).status_code


def page_public(client: Client, plan: Plan) -> int:
    return client.post(f"/plans/{plan.public_id}/share", {"op": "public", "public": "on"}).status_code


def api_read(client: Client, plan: Plan) -> int:
    return client.get(f"/api/plans/{plan.public_id}").status_code


def api_change(client: Client, plan: Plan) -> int:
    change = {"action": "pace", "pace": "packed"}
    return client.post(
        f"/api/plans/{plan.public_id}/changes", change, content_type="application/json"
    ).status_code


def getter(suffix: str) -> Call:
    def call(client: Client, plan: Plan) -> int:
        return client.get(f"/plans/{plan.public_id}/{suffix}").status_code

    return call


def wish(client: Client, plan: Plan) -> int:
    return client.post(
        f"/plans/{plan.public_id}/group", {"op": "wish", "place_id": "khan-shatyr"}
    ).status_code


def comment(client: Client, plan: Plan) -> int:
    return client.post(f"/plans/{plan.public_id}/group", {"op": "comment", "text": "Great!"}).status_code


def api_post(path: str, data: dict[str, object] | None = None) -> Call:
    def call(client: Client, plan: Plan) -> int:
        url = path.format(id=plan.public_id)
        return client.post(url, data or {}, content_type="application/json").status_code

    return call


def api_get(path: str) -> Call:
    def call(client: Client, plan: Plan) -> int:
        return client.get(path.format(id=plan.public_id)).status_code

    return call


READ = {"alice": 200, "bob": 200, "carol": 200, "dave": 404, "anonymous": 404, "erin": 200, "frank": 404}
EDIT_PAGE = {"alice": 302, "bob": 302, "carol": 403, "dave": 404, "anonymous": 404, "erin": 403, "frank": 404}
EDIT_API = {**EDIT_PAGE, "alice": 200, "bob": 200}
GROUP = {"alice": 302, "bob": 302, "carol": 403, "dave": 404, "anonymous": 404, "erin": 403, "frank": 404}
GROUP_API = {**GROUP, "alice": 201, "bob": 201}
SHARE_API = {"alice": 200, "bob": 403, "carol": 403, "dave": 404, "anonymous": 404, "erin": 403, "frank": 404}
SHARE_API_READ = SHARE_API
SHARE = {"alice": 302, "bob": 403, "carol": 403, "dave": 404, "anonymous": 404, "erin": 403, "frank": 404}
SWEEP: list[tuple[str, Call, dict[str, int], bool]] = [
    ("plan page", page, READ, False),
    ("change on the page", page_change, EDIT_PAGE, True),
    ("make a share link", page_share, SHARE, True),
    ("make it public", page_public, SHARE, True),
    ("read through the API", api_read, READ, False),
    ("change through the API", api_change, EDIT_API, True),
    ("calendar", getter("calendar.ics"), READ, False),
    ("GPX", getter("plan.gpx"), READ, False),
    ("GeoJSON", getter("plan.geojson"), READ, False),
    ("print page", getter("print/"), READ, False),
    ("exports page", getter("exports/"), READ, False),
    ("wish for a place", wish, GROUP, True),
    ("comment", comment, GROUP, True),
    ("who it is shared with, API", api_get("/api/plans/{id}/sharing"), SHARE_API_READ, False),
    (
        "share through the API",
        api_post("/api/plans/{id}/sharing", {"op": "link", "role": "viewer"}),
        SHARE_API,
        True,
    ),
    ("group through the API", api_get("/api/plans/{id}/group"), READ, False),
    ("comment through the API", api_post("/api/plans/{id}/comments", {"text": "hi"}), GROUP_API, True),
    ("rename through the API", api_post("/api/trips/{id}/rename", {"title": "Our trip"}), EDIT_API, True),
    ("delete through the API", api_post("/api/trips/{id}/delete"), SHARE_API, True),
]


def _state(plan: Plan) -> tuple[int, bool, int, int, int, int, str, bool]:
    plan.refresh_from_db()
    return (
        plan.revision,
        plan.is_public,
        ShareLink.objects.filter(plan=plan).count(),
        PlanEvent.objects.filter(plan=plan).count(),
        WishItem.objects.filter(plan=plan).count(),
        Comment.objects.filter(plan=plan).count(),
        plan.title,
        plan.deleted_at is None,
    )


@pytest.mark.parametrize(("what", "call", "expected", "writes"), SWEEP, ids=[row[0] for row in SWEEP])
def test_every_member_of_the_cast_gets_exactly_what_their_role_allows(
    trip: Plan, what: str, call: Call, expected: dict[str, int], writes: bool
) -> None:
    cast = clients(trip)
    before_title = trip.title
    for name in CAST:
        before = _state(trip)
        status = call(cast[name], trip)
        assert status == expected[name], f"{what} as {name}: {status}, expected {expected[name]}"
        if writes and status >= 400:
            assert _state(trip) == before, f"{what} as {name} was refused but changed the trip"
        if name == "alice":  # the others are tried on the trip as it was: private, not deleted, its own title
            Plan.objects.filter(pk=trip.pk).update(is_public=False, deleted_at=None, title=before_title)


def test_a_public_trip_is_readable_by_anyone_but_changeable_only_by_its_editors(trip: Plan) -> None:
    Plan.objects.filter(pk=trip.pk).update(is_public=True)
    anonymous, dave = Client(), Client()
    dave.force_login(User.objects.get(username="dave"))
    assert anonymous.get(f"/plans/{trip.public_id}/").status_code == 200
    assert api_read(anonymous, trip) == 200
    assert page_change(dave, trip) == 403
    assert api_change(anonymous, trip) == 403
    html = anonymous.get(f"/plans/{trip.public_id}/").content.decode()
    assert 'data-testid="plan-edit"' not in html  # no edit controls for a reader
    assert 'data-testid="lock-' not in html


def test_revoking_a_link_or_a_membership_takes_effect_at_once(trip: Plan) -> None:
    link = ShareLink.objects.create(plan=trip, role="viewer")
    holder = Client()
    holder.get(f"/s/{link.token}/")
    assert page(holder, trip) == 200
    alice = Client()
    alice.force_login(trip.owner)  # type: ignore[arg-type]
    assert (
        alice.post(f"/plans/{trip.public_id}/share", {"op": "link_revoke", "token": link.token}).status_code
        == 302
    )
    assert page(holder, trip) == 404
    assert holder.get(f"/s/{link.token}/").status_code == 404
    bob = Client()
    bob_user = User.objects.get(username="bob-e")
    bob.force_login(bob_user)
    assert page(bob, trip) == 200
    alice.post(f"/plans/{trip.public_id}/share", {"op": "remove", "user": bob_user.pk})
    assert page(bob, trip) == 404


def test_a_deleted_trip_is_gone_for_everyone_but_its_owner(trip: Plan) -> None:
    cast = clients(trip)
    Plan.objects.filter(pk=trip.pk).update(deleted_at=timezone.now() - timedelta(minutes=1))
    assert page(cast["bob"], trip) == 404
    assert page(cast["erin"], trip) == 404
    assert page(cast["alice"], trip) == 200


def test_an_unclaimed_plan_is_open_to_whoever_holds_its_id() -> None:
    plan = plan_create(request=REQUEST)
    stranger = Client()
    assert page(stranger, plan) == 200
    assert api_change(stranger, plan) == 200
