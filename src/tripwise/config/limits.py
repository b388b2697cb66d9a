"""A bound on the HTTP requests one server process works on at once.

Django's ASGI handler runs each request's view in a thread of its own, with a database connection of its own,
and sets no limit: a burst of 500 bookings would open 500 connections (PostgreSQL refuses them past
max_connections, and SQLite writers starve each other past the busy timeout). Requests beyond the bound wait
here, in the event loop, for their turn; WebSockets are long-lived and idle mostly, so they pass untouched.
"""

from __future__ import annotations

import asyncio
from typing import Any

Scope = dict[str, Any]
Receive = Any
Send = Any


class RequestsInFlight:
    def __init__(self, app: Any, *, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._turns: asyncio.Semaphore | None = None  # made in the server's event loop, on first use

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.limit <= 0:
            await self.app(scope, receive, send)
            return
        if self._turns is None:
            self._turns = asyncio.Semaphore(self.limit)
        async with self._turns:
            await self.app(scope, receive, send)
