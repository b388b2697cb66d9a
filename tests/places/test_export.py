from __future__ import annotations

import json

import pytest

from tripwise.cli import main

pytestmark = pytest.mark.django_db


def test_places_export_prints_the_fixed_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["places", "export", "--json"]) == 0
    places = json.loads(capsys.readouterr().out)
    assert len(places) >= 21
    alzhir = next(place for place in places if place["id"] == "alzhir-museum")
    assert {"id", "name", "lat", "lon", "timezone", "opening_hours"} <= alzhir.keys()
    assert alzhir["timezone"] == "Asia/Almaty"
    assert alzhir["opening_hours"].startswith("Tu-Su")


def test_export_by_any_name_of_the_destination(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["places", "export", "--json", "--destination", "Нур-Султан"]) == 0
    assert all(place["destination"] == "astana" for place in json.loads(capsys.readouterr().out))


def test_an_unknown_destination_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["places", "export", "--json", "--destination", "Atlantis"]) == 2
    assert "No destination 'Atlantis'" in capsys.readouterr().err
