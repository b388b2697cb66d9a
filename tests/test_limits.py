"""The bound on requests in flight: a burst waits its turn instead of opening a connection per request."""

from __future__ import annotations

import asyncio
from typing import Any

from tripwise.config.limits import RequestsInFlight


def test_a_burst_of_requests_runs_at_most_the_limit_at_once_and_sockets_pass() -> None:
    running = 0
    most = 0
    served: list[str] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        nonlocal running, most
        if scope["type"] == "websocket":
            # A socket lives long: if it took a request's turn, the requests below would wait for ever.
            await asyncio.sleep(0.2)
            served.append("websocket")
            return
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        running -= 1
        served.append("http")

    bounded = RequestsInFlight(app, limit=3)

    async def burst() -> None:
        calls = [bounded({"type": "websocket"}, None, None) for _ in range(5)]
        calls += [bounded({"type": "http"}, None, None) for _ in range(40)]
        await asyncio.gather(*calls)

    asyncio.run(burst())
    assert served.count("http") == 40  # every request is answered, none dropped
    assert served.count("websocket") == 5
    assert most == 3  # never more than three at once, and the three turns are used
    assert served.index("websocket") > served.index("http")  # the requests did not wait for the sockets
