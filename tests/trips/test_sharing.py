"""Sharing a trip: an invitation by email (received by a real SMTP server) accepted by its address only, links
and roles through the API, the wish list steering the planner, comments and the change log."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.test import Client

from tests.smtp import Inbox, body, smtp_inbox
from tripwise.trips.models import Membership, Plan, PlanEvent
from tripwise.trips.services import plan_change, plan_create

pytestmark = pytest.mark.django_db
__all__ = ["smtp_inbox"]

REQUEST = {"destination": "astana", "start_date": "2026-12-01", "days": 1, "base": "asia-park"}


def person(name: str) -> tuple[User, Client]:
    user = User.objects.create_user(name, f"{name}@example.org", "pw")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def owned() -> tuple[Plan, Client]:
    alice, client = person("alice-s")
    plan = plan_create(request=REQUEST)
    plan.owner = alice
    plan.save()
    return plan, client


def api(client: Client, plan: Plan, path: str, data: dict[str, Any] | None = None) -> Any:
    url = f"/api/plans/{plan.public_id}/{path}"
    if data is None:
        return client.get(url)
    return client.post(url, data, content_type="application/json")


def test_an_invitation_arrives_by_email_and_only_its_address_can_accept_it(
    owned: tuple[Plan, Client], smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    plan, alice = owned
    with django_capture_on_commit_callbacks(execute=True):  # the email goes out after the commit
        response = api(
            alice, plan, "sharing", {"op": "invite", "email": "Bob-S@Example.org", "role": "editor"}
        )
    assert response.status_code == 200, response.content
    assert response.json()["invitations"] == [
        {"id": response.json()["invitations"][0]["id"], "email": "bob-s@example.org", "role": "editor"}
    ]
    message = smtp_inbox.last()
    assert message["To"] == "bob-s@example.org"
    assert plan.title in message["Subject"]
    link = re.search(r"https?://\S+/invitations/\S+/", body(message))
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]

    _mallory, mallory_client = person("mallory")  # someone the email was forwarded to
    assert mallory_client.get(path).status_code == 200  # the page shows; accepting is a POST
    refused = mallory_client.post(path)
    assert refused.status_code == 403
    assert not Membership.objects.filter(plan=plan).exists()

    bob, bob_client = person("bob-s")
    assert bob_client.post(path).status_code == 302
    assert Membership.objects.get(plan=plan, user=bob).role == "editor"
    assert bob_client.get(f"/plans/{plan.public_id}/").status_code == 200
    assert bob_client.post(path).status_code == 404  # used once


def test_links_and_roles_through_the_api(owned: tuple[Plan, Client]) -> None:
    plan, alice = owned
    made = api(alice, plan, "sharing", {"op": "link", "role": "commenter"}).json()
    (link,) = made["links"]
    assert link["url"].endswith(f"/s/{link['token']}/")
    holder = Client()
    assert api(holder, plan, "", None).status_code == 404
    assert holder.get(f"/api/plans/{plan.public_id}?share={link['token']}").status_code == 200
    bob, _ = person("bob-t")
    Membership.objects.create(plan=plan, user=bob, role="viewer")
    api(alice, plan, "sharing", {"op": "role", "user": bob.pk, "role": "editor"})
    assert Membership.objects.get(plan=plan, user=bob).role == "editor"
    after = api(alice, plan, "sharing", {"op": "link_revoke", "token": link["token"]}).json()
    assert after["links"] == []
    assert holder.get(f"/api/plans/{plan.public_id}?share={link['token']}").status_code == 404
    not_owner = Client()
    not_owner.force_login(bob)
    assert api(not_owner, plan, "sharing", {"op": "link", "role": "editor"}).status_code == 403


def test_the_wish_list_steers_the_planner_and_everything_is_in_the_history(
    owned: tuple[Plan, Client],
) -> None:
    plan, alice = owned
    carol, carol_client = person("carol-s")
    Membership.objects.create(plan=plan, user=carol, role="commenter")
    # A place the plan leaves out today: the group wishes for it, and the next plan takes it in.
    planned = {item.get("place_id") for day in plan.result["days"] for item in day["items"]}
    # (sights within reach of Asia Park on foot and by bus; Mega Silk Way, say, is not)
    reachable = (
        "palace-of-peace-and-reconciliation",
        "hazrat-sultan-mosque",
        "kazakh-eli-monument",
        "presidential-park",
    )
    wanted = next(slug for slug in reachable if slug not in planned)
    group = api(carol_client, plan, "wishes", {"place_id": wanted}).json()
    (wish,) = group["wishes"]
    api(carol_client, plan, f"wishes/{wish['id']}/vote", {"value": 1})
    assert api(alice, plan, "group").json()["wishes"][0]["for"] == 1
    replanned = plan_change(plan=plan, change={"action": "pace", "pace": "normal"}, actor=carol)
    visits = [
        item for day in replanned.result["days"] for item in day["items"] if item.get("place_id") == wanted
    ]
    assert visits, f"{wanted} should be planned once the group wishes for it"
    assert visits[0]["why"] == "On your group's wish list"
    api(carol_client, plan, "comments", {"text": "Bring warm clothes", "place_id": ""})
    history = api(alice, plan, "group").json()["history"]
    assert {entry["action"] for entry in history} >= {"wish", "comment", "change"}
    assert PlanEvent.objects.filter(plan=plan, actor=carol, action="change").exists()
    viewer_only = Client()
    viewer, _ = person("viewer-s")
    Membership.objects.create(plan=plan, user=viewer, role="viewer")
    viewer_only.force_login(viewer)
    assert api(viewer_only, plan, "comments", {"text": "hi"}).status_code == 403


def test_a_place_page_adds_the_place_to_one_of_my_trips(owned: tuple[Plan, Client]) -> None:
    plan, alice = owned
    page = alice.get("/places/khan-shatyr/").content.decode()
    assert 'data-testid="add-to-trip"' in page
    assert plan.title in page
    response = alice.post("/trips/add", {"plan": plan.public_id, "place_id": "khan-shatyr"})
    assert response.status_code == 302
    assert api(alice, plan, "group").json()["wishes"][0]["place_id"] == "khan-shatyr"
    _stranger, stranger_client = person("stranger-s")
    assert 'data-testid="add-to-trip"' not in stranger_client.get("/places/khan-shatyr/").content.decode()
    assert (
        stranger_client.post("/trips/add", {"plan": plan.public_id, "place_id": "bayterek-tower"}).status_code
        == 404
    )
    assert 'data-testid="add-to-trip"' not in Client().get("/places/khan-shatyr/").content.decode()


def test_a_comment_on_a_visit_shows_under_that_visit(owned: tuple[Plan, Client]) -> None:
    plan, alice = owned
    visit = next(item for item in plan.result["days"][0]["items"] if item["type"] == "visit")
    alice.post(
        f"/plans/{plan.public_id}/group",
        {"op": "comment", "text": "Book ahead!", "place_id": visit["place_id"]},
    )
    html = alice.get(f"/plans/{plan.public_id}/").content.decode()
    block = html.split(f'data-testid="comments-{visit["place_id"]}"', 1)[1].split("</div>", 1)[0]
    assert "Book ahead!" in block


def test_my_trips_through_the_api(owned: tuple[Plan, Client]) -> None:
    plan, alice = owned
    mine = alice.get("/api/trips").json()
    assert [trip["id"] for trip in mine["trips"]] == [plan.public_id]
    assert mine["trips"][0]["role"] == "owner"
    copy = alice.post(f"/api/trips/{plan.public_id}/duplicate").json()
    assert copy["title"] == f"Copy of {plan.title}"
    renamed = alice.post(
        f"/api/trips/{plan.public_id}/rename", {"title": "Steppe and stars"}, content_type="application/json"
    )
    assert renamed.json()["title"] == "Steppe and stars"
    alice.post(f"/api/trips/{plan.public_id}/delete")
    listed = alice.get("/api/trips").json()
    assert [trip["id"] for trip in listed["recently_deleted"]] == [plan.public_id]
    assert alice.post(f"/api/trips/{plan.public_id}/restore").json()["deleted_at"] is None
    assert Client().get("/api/trips").status_code == 401
