"""The plans API: POST a trip request, GET the plan back, POST changes; one error format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from tripwise.cli import main
from tripwise.trips.models import Plan

pytestmark = pytest.mark.django_db

REQUEST = {
    "destination": "astana",
    "start_date": "2026-11-30",
    "days": 2,
    "base": "asia-park",
    "must_see": ["alzhir-museum"],
}


def test_post_plans_returns_a_checked_plan_that_get_reads_back(client: Client) -> None:
    response = client.post("/api/plans", REQUEST, content_type="application/json")
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["check"]["ok"]
    assert plan["revision"] == 1
    assert [day["date"] for day in plan["days"]] == ["2026-11-30", "2026-12-01"]
    again = client.get(f"/api/plans/{plan['id']}")
    assert again.status_code == 200
    assert again.json()["days"] == plan["days"]


def test_changes_replan_and_bump_the_revision(client: Client) -> None:
    plan = client.post("/api/plans", REQUEST, content_type="application/json").json()
    change = {"action": "lock", "place_id": "bayterek-tower", "date": "2026-11-30", "start": "15:00"}
    response = client.post(f"/api/plans/{plan['id']}/changes", change, content_type="application/json")
    assert response.status_code == 200
    edited = response.json()
    assert edited["revision"] == 2
    assert edited["request"]["locks"] == [
        {"place_id": "bayterek-tower", "date": "2026-11-30", "start": "15:00"}
    ]


def test_errors_use_the_one_error_format(client: Client) -> None:
    missing = client.get("/api/plans/not-a-plan")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    bad = client.post("/api/plans", {**REQUEST, "day_end": "07:00"}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["error"] == {
        "code": "invalid_request",
        "message": "day_end: 07:00 is not after day_start 09:00.",
    }
    invalid = client.post("/api/plans", {"destination": "astana"}, content_type="application/json")
    assert invalid.status_code == 422
    assert "start_date" in invalid.json()["error"]["message"]
    assert not Plan.objects.exists()


def test_the_cli_prints_the_plan_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    request = tmp_path / "trip.json"
    request.write_text(json.dumps(REQUEST), encoding="utf-8")
    assert main(["plan", "--request", str(request), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["check"]["ok"]
    assert len(document["days"]) == 2
    assert not Plan.objects.exists()  # printing a plan does not store it; --save does
    assert main(["plan", "--request", str(request), "--save"]) == 0
    assert "Tuesday 2026-12-01" in capsys.readouterr().out
    assert Plan.objects.count() == 1


def test_the_cli_explains_a_bad_request_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "trip.json"
    broken.write_text("{not json", encoding="utf-8")
    assert main(["plan", "--request", str(broken)]) == 2
    assert "is not JSON" in capsys.readouterr().err
    assert main(["plan", "--request", str(tmp_path / "missing.json")]) == 2
    assert "Cannot read" in capsys.readouterr().err


def test_a_body_that_is_not_json_gets_the_one_error_format(client: Client) -> None:
    response = client.post("/api/plans", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_json"
    nul = client.post("/api/plans", "\x00{", content_type="application/json")
    assert nul.status_code == 400
    assert nul.json()["error"]["code"] == "bad_characters"  # refused before it is even read as JSON


def test_the_api_takes_the_assistants_changes_and_clears_with_null(client: Client) -> None:
    plan = client.post(
        "/api/plans",
        {**REQUEST, "budget": {"amount": "50000", "currency": "KZT"}},
        content_type="application/json",
    ).json()
    url = f"/api/plans/{plan['id']}/changes"
    arrive = {"action": "day", "day": 1, "start": "14:00"}
    changed = client.post(url, arrive, content_type="application/json").json()
    assert changed["request"]["day_rules"][0]["start"] == "14:00"
    assert changed["days"][0]["start"].startswith("2026-11-30T14:00")
    assert changed["check"]["ok"]
    cleared = client.post(url, {"action": "budget", "budget": None}, content_type="application/json").json()
    assert cleared["request"]["budget"] is None
    bad = client.post(url, {"action": "day", "day": 5, "pace": "relaxed"}, content_type="application/json")
    assert bad.status_code == 400
    assert "give the day's number, from 1 to 2" in bad.json()["error"]["message"]
