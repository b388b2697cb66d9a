from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from tripwise.config.env import env_bool, env_rates


def test_booleans_accept_the_usual_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X", "yes")
    assert env_bool("X") is True
    monkeypatch.setenv("X", "0")
    assert env_bool("X", default=True) is False


def test_a_typo_in_a_boolean_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIPWISE_DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match="TRIPWISE_DEBUG='ture' is not a boolean"):
        env_bool("TRIPWISE_DEBUG")


def test_rates_are_read_and_a_bad_pair_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("R", "kzt=1, USD=480")
    assert {code: str(value) for code, value in env_rates("R", "").items()} == {"KZT": "1", "USD": "480"}
    monkeypatch.setenv("R", "USD=lots")
    with pytest.raises(ImproperlyConfigured, match="write it like KZT=1,USD=480"):
        env_rates("R", "")
