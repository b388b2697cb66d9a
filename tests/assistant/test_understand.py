"""Understanding through the app: the CLI and the API read against the demo's places; the development set
stays above the issue's accuracy bar."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.test import Client

from tests.paths import HELSINKI
from tripwise.assistant.benchmark import DEV_SET, REFINE_SET, refinement_reader, score, score_refinements
from tripwise.assistant.selectors import understand_text
from tripwise.cli import main
from tripwise.places.osm_import import places_import_osm

pytestmark = pytest.mark.django_db


def test_the_cli_prints_the_understood_request(capsys: pytest.CaptureFixture[str]) -> None:
    text = "two days in Astana next week, history, no car, must see ALZHIR"
    assert main(["understand", text, "--today", "2026-11-28", "--json"]) == 0
    request = json.loads(capsys.readouterr().out)
    assert request["destination"] == "astana"
    assert request["must_see"] == ["alzhir-museum"]
    assert (request["start_date"], request["days"]) == ("2026-11-30", 2)
    assert main(["understand", text, "--today", "28.11.2026"]) == 2
    assert "is not a date" in capsys.readouterr().err


def test_the_api_answers_with_the_request_and_its_chips(client: Client) -> None:
    response = client.post(
        "/api/understand",
        {"text": "Астана завтра, без машины", "today": "2026-11-28"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["request"]["destination"] == "astana"
    assert body["request"]["start_date"] == "2026-11-29"
    assert {"field": "modes", "value": ["transit", "walk"], "evidence": "bez mashin"} in body["chips"]
    empty = client.post("/api/understand", {"text": ""}, content_type="application/json")
    assert empty.status_code == 422


@pytest.mark.skipif(not HELSINKI.exists(), reason=f"the Helsinki data is not at {HELSINKI}")
def test_the_development_set_is_read_above_the_bar() -> None:
    places_import_osm(path=HELSINKI / "helsinki-centre.osm.pbf", destination_name="Helsinki")
    cases = [
        json.loads(line) for line in Path(DEV_SET).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    result = score(cases, lambda text, today: understand_text(text=text, today=today).request)
    assert result["fields_share"] >= 0.95, result["misses"]
    assert result["requests_share"] >= 0.85, result["misses"]
    assert len(cases) >= 80
    assert understand_text(text="", today=date(2026, 1, 1)).request == {}
    refinements = [json.loads(line) for line in REFINE_SET.read_text(encoding="utf-8").splitlines() if line]
    refined = score_refinements(refinements, refinement_reader())
    assert refined["messages_share"] >= 0.9, refined["misses"]
    assert len(refinements) >= 80


def test_the_api_refuses_a_date_that_is_not_a_date(client: Client) -> None:
    number = client.post("/api/understand", {"text": "Astana", "today": 0}, content_type="application/json")
    assert number.status_code == 422
    impossible = client.post(
        "/api/understand", {"text": "Astana", "today": "2026-13-40"}, content_type="application/json"
    )
    assert impossible.status_code == 400
    assert impossible.json()["error"]["message"] == "today: 2026-13-40 is not a date: write YYYY-MM-DD."
