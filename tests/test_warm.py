"""The server's warm-up compiles (or loads) the planner's compiled parts."""

from __future__ import annotations

from tripwise.config.warm import _warm


def test_warm_up_runs_the_engine_and_the_transit_scan() -> None:
    seconds = _warm()
    assert seconds is not None
    assert all(value >= 0 for value in seconds)
