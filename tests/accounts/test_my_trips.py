"""My trips: trips made before signing in become yours, and the owner renames, duplicates, deletes and restores.

The cast: alice owns trips, bob is shared one, dave has no access to anything of theirs.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.accounts.conftest import sign_in, signed_in_as, verified_user
from tests.assistant.test_conversation import REQUEST as ASSISTANT_REQUEST
from tests.trips.test_views import valid_post
from tripwise.accounts.session import MY_PLANS
from tripwise.assistant.models import Conversation
from tripwise.places.models import Destination
from tripwise.trips.models import Membership, Plan, Role

pytestmark = pytest.mark.django_db


def make_plan(owner: User | None, title: str = "Two days in Astana", **fields: Any) -> Plan:
    """A stored plan without running the planner: these tests are about who holds it, not what is in it."""
    plan = Plan.objects.create(
        destination=Destination.objects.get(slug="astana"),
        title=title,
        request={"destination": "astana", "start_date": "2026-12-01", "days": 2},
        result={"days": [{"date": "2026-12-01", "items": []}, {"date": "2026-12-02", "items": []}]},
        owner=owner,
        **fields,
    )
    plan.result = {"id": plan.public_id, **plan.result}
    plan.save(update_fields=["result"])
    return plan


@pytest.fixture
def dave(db: None) -> User:
    return User.objects.create_user("dave", "dave@example.org", "dave-password")


@pytest.fixture
def dave_client(dave: User) -> Client:
    client = Client()
    client.force_login(dave)
    return client


# Keeping the trips made before signing in


def test_signing_in_claims_the_trips_this_browser_made_and_never_someone_elses(
    client: Client, bob: User
) -> None:
    planned = client.post("/plan/", valid_post())
    assert planned.status_code == 302
    mine = Plan.objects.get(public_id=planned["Location"].rstrip("/").rsplit("/", 1)[-1])
    talked = client.post("/assistant/", {"text": ASSISTANT_REQUEST})
    assert talked.status_code == 302
    conversation = Conversation.objects.get(public_id=talked["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert conversation.plan is not None
    assert conversation.plan.owner is None
    # bob's trip (and an unknown id) in the session's list, as if the list had been tampered with: never taken.
    bobs = make_plan(bob, title="Bob's trip")
    session = client.session
    session[MY_PLANS] = [*session[MY_PLANS], bobs.public_id, "no-such-plan"]
    session.save()
    old_key = session.session_key

    carol = verified_user("carol", "carol-password")
    assert sign_in(client, "carol@example.org", "carol-password").status_code == 302

    mine.refresh_from_db()
    conversation.refresh_from_db()
    bobs.refresh_from_db()
    assert mine.owner == carol
    assert conversation.plan is not None
    assert conversation.plan.owner == carol
    assert bobs.owner == bob
    # The session got a new key at sign-in; the assistant still lists this browser's conversation.
    assert conversation.session_key != old_key
    assert conversation.session_key == client.session.session_key
    assert conversation.public_id in client.get("/assistant/").content.decode()
    page = client.get("/trips/").content.decode()
    assert mine.title in page
    assert "Bob&#x27;s trip" not in page


def test_a_trip_made_while_signed_in_is_yours_at_once(bob_client: Client, bob: User) -> None:
    planned = bob_client.post("/plan/", valid_post())
    plan = Plan.objects.get(public_id=planned["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert plan.owner == bob


def test_a_trip_someone_else_claimed_first_stays_theirs(client: Client, bob: User) -> None:
    plan = make_plan(None)
    session = client.session
    session[MY_PLANS] = [plan.public_id]
    session.save()
    plan.owner = bob
    plan.save()
    verified_user("carol", "carol-password")
    sign_in(client, "carol@example.org", "carol-password")
    plan.refresh_from_db()
    assert plan.owner == bob


# The list


def test_my_trips_needs_signing_in(client: Client) -> None:
    response = client.get("/trips/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/trips/"
    assert client.post(f"/trips/{make_plan(None).public_id}/delete").status_code == 302


def test_the_header_offers_sign_in_or_my_trips(client: Client, alice_client: Client) -> None:
    anonymous = client.get("/").content.decode()
    assert 'href="/accounts/login/"' in anonymous
    assert 'href="/accounts/signup/"' in anonymous
    assert "My trips" not in anonymous
    signed_in = alice_client.get("/").content.decode()
    assert 'href="/trips/"' in signed_in
    assert 'action="/accounts/logout/"' in signed_in
    assert signed_in_as(alice_client) == "alice@example.org"
    assert ">alice<" not in signed_in  # the username is never shown


def test_the_list_shows_owned_and_shared_trips_newest_first_with_the_role(
    alice: User, bob: User, bob_client: Client
) -> None:
    older = make_plan(bob, title="Bob's older trip")
    Plan.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=3))
    shared = make_plan(alice, title="Alice's trip")
    Membership.objects.create(plan=shared, user=bob, role=Role.EDITOR)
    make_plan(alice, title="Alice's private trip")
    gone = make_plan(alice, title="Alice's deleted trip", deleted_at=timezone.now())
    Membership.objects.create(plan=gone, user=bob, role=Role.VIEWER)

    page = bob_client.get("/trips/").content.decode()
    assert page.index("Alice&#x27;s trip") < page.index("Bob&#x27;s older trip")
    assert "Alice&#x27;s private trip" not in page
    assert "Alice&#x27;s deleted trip" not in page
    assert '<span class="tag" data-testid="role">Editor</span>' in page
    assert '<span class="tag" data-testid="role">Owner</span>' in page
    assert "Astana · Tue 1 Dec 2026 – Wed 2 Dec 2026" in " ".join(page.split())
    assert f'href="/plans/{shared.public_id}/"' in page


# Rename, duplicate, delete and undo


def test_rename_duplicate_delete_and_undo(alice: User, alice_client: Client) -> None:
    plan = make_plan(alice)

    response = alice_client.post(f"/trips/{plan.public_id}/rename", {"title": "  Astana with   the kids "})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Astana with the kids"
    alice_client.post(f"/trips/{plan.public_id}/rename", {"title": "   "})
    plan.refresh_from_db()
    assert plan.title == "Astana with the kids"

    alice_client.post(f"/trips/{plan.public_id}/duplicate")
    copy = Plan.objects.exclude(pk=plan.pk).get(owner=alice)
    assert copy.title == "Copy of Astana with the kids"
    assert copy.request == plan.request
    assert copy.result == {**plan.result, "id": copy.public_id}
    assert copy.public_id != plan.public_id

    response = alice_client.post(f"/trips/{plan.public_id}/delete")
    assert response["Location"] == f"/trips/?deleted={plan.public_id}"
    plan.refresh_from_db()
    assert plan.deleted_at is not None
    page = " ".join(alice_client.get(response["Location"]).content.decode().split())
    assert (
        '<span>Deleted Astana with the kids —</span> <button type="submit" class="secondary">Undo</button>'
        in page
    )
    assert f'action="/trips/{plan.public_id}/restore"' in page
    assert "Recently deleted" in page
    assert f'href="/plans/{plan.public_id}/"' not in page

    alice_client.post(f"/trips/{plan.public_id}/restore")
    plan.refresh_from_db()
    assert plan.deleted_at is None
    assert f'href="/plans/{plan.public_id}/"' in alice_client.get("/trips/").content.decode()


def test_a_deleted_trip_is_restorable_for_30_days_then_gone(alice: User, alice_client: Client) -> None:
    recent = make_plan(alice, title="Deleted last week", deleted_at=timezone.now() - timedelta(days=29))
    old = make_plan(alice, title="Deleted long ago", deleted_at=timezone.now() - timedelta(days=31))
    page = alice_client.get("/trips/").content.decode()
    assert "Deleted last week" in page
    assert "Deleted long ago" not in page

    alice_client.post(f"/trips/{old.public_id}/restore")
    old.refresh_from_db()
    assert old.deleted_at is not None
    assert "more than 30 days ago" in alice_client.get("/trips/").content.decode()

    # The owner's next delete removes what is past restoring for good.
    alice_client.post(f"/trips/{make_plan(alice).public_id}/delete")
    assert not Plan.objects.filter(pk=old.pk).exists()
    assert Plan.objects.filter(pk=recent.pk).exists()


def test_someone_without_access_gets_404_and_changes_nothing(alice: User, dave_client: Client) -> None:
    plan = make_plan(alice)
    for action in ("rename", "duplicate", "delete", "restore"):
        response = dave_client.post(f"/trips/{plan.public_id}/{action}", {"title": "Mine now"})
        assert response.status_code == 404, action
    assert dave_client.post("/trips/no-such-plan/delete").status_code == 404
    plan.refresh_from_db()
    assert plan.title == "Two days in Astana"
    assert plan.deleted_at is None
    assert Plan.objects.count() == 1 + Plan.objects.exclude(pk=plan.pk).count()
    assert not Plan.objects.filter(title__startswith="Copy of").exists()


def test_roles_decide_what_a_shared_person_may_do(alice: User, bob: User, bob_client: Client) -> None:
    plan = make_plan(alice)
    membership = Membership.objects.create(plan=plan, user=bob, role=Role.VIEWER)

    bob_client.post(f"/trips/{plan.public_id}/rename", {"title": "Bob's name"})
    plan.refresh_from_db()
    assert plan.title == "Two days in Astana"  # a viewer may not rename

    membership.role = Role.EDITOR
    membership.save()
    bob_client.post(f"/trips/{plan.public_id}/rename", {"title": "Bob's name"})
    plan.refresh_from_db()
    assert plan.title == "Bob's name"  # renaming is an edit

    bob_client.post(f"/trips/{plan.public_id}/delete")
    plan.refresh_from_db()
    assert plan.deleted_at is None  # only the owner deletes

    bob_client.post(f"/trips/{plan.public_id}/duplicate")
    copy = Plan.objects.get(title="Copy of Bob's name")
    assert copy.owner == bob  # anyone who can see a trip can copy it into their own
    assert not copy.memberships.exists()
