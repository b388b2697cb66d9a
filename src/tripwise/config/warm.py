"""Warm the compiled parts of the planner when a server starts, so the first traveller does not wait.

numba compiles the engine's search and the transit scan on first use (or loads them from its on-disk cache):
seconds that would otherwise land on the first plan. A daemon thread does it while the server starts taking
requests; a request that arrives first simply compiles for itself, numba keeps that safe.
"""

from __future__ import annotations

import logging
import threading

logger = logging.getLogger(__name__)


def _warm() -> tuple[float, float] | None:
    """(engine seconds, transit seconds), or None when it failed (and was logged). The assistant's
    sentence model is loaded too (about 3 s: it embeds its interest phrases once per process)."""
    from tripwise.core.engine.solver import warm_up as warm_engine
    from tripwise.core.transit.network import warm_up as warm_transit
    from tripwise.core.understand.meaning import default_model

    try:
        seconds = warm_engine(), warm_transit()
        if not default_model().available:  # a property: reading it loads the model
            logger.info(
                "the assistant's sentence model is not available here: interests come from words alone"
            )
    except Exception:  # a failed warm-up only costs the first request its time; never stop the server
        logger.exception("planner warm-up failed; the first plan will compile it instead")
        return None
    logger.info("planner warmed up: engine %.2f s, transit %.2f s", *seconds)
    return seconds


def warm_in_background() -> None:
    threading.Thread(target=_warm, name="tripwise-warm-up", daemon=True).start()
