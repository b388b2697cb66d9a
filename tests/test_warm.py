"""The server's warm-up compiles (or loads) the planner's compiled parts and says so in the log."""

from __future__ import annotations

import logging

import pytest

from tripwise.config.warm import _warm


def test_warm_up_runs_the_engine_and_the_transit_scan(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="tripwise.config.warm"):
        _warm()
    assert any("planner warmed up: engine" in message for message in caplog.messages)
