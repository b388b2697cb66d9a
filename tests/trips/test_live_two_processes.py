"""Production mode: two server processes share Redis and one database; a change posted to the first reaches a
page listening on the second. (With the in-memory layer it could not: each process would hear only itself.)
"""

from __future__ import annotations

import asyncio
import contextlib
import http.cookiejar
import json
import os
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

from tripwise.trips.live_benchmark import PageClient, prepare_database, redis_reachable, serve, trip_in

# A spare Redis database, so that nothing else on the server is touched (channels keys expire by themselves).
REDIS_URL = os.environ.get("TRIPWISE_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
T = TypeVar("T")
TIMEOUT = 60  # seconds: re-planning while both servers warm up, on two slow cores


def run_apart(coroutine: Coroutine[Any, Any, T]) -> T:
    # In a thread of its own: in the same session as the browser tests, Playwright's loop runs in this one.
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


@pytest.fixture
def redis_url() -> str:
    if not redis_reachable(REDIS_URL):
        pytest.skip(f"Redis is not reachable at {REDIS_URL} (CI runs it; set TRIPWISE_TEST_REDIS_URL)")
    return REDIS_URL


def test_a_change_through_one_process_reaches_a_page_on_the_other(redis_url: str, tmp_path: Path) -> None:
    env = prepare_database(tmp_path / "shared.sqlite3")
    env["TRIPWISE_REDIS_URL"] = redis_url
    trip = trip_in(env, owner="alice@example.org", editors=["bob@example.org"], password="pw-alice-bob")
    with contextlib.ExitStack() as servers:
        first = servers.enter_context(serve(env, log_dir=tmp_path, name="first"))
        second = servers.enter_context(serve(env, log_dir=tmp_path, name="second"))
        # bob posts to the first server; alice's page listens on the second.
        alice = trip["sessions"]["alice@example.org"]
        bob_base, alice_base = first, second
        hello, event = run_apart(_hear_change_as(alice_base, bob_base, trip, alice))
        refused = run_apart(_refused(second, trip["plan"]))

    assert hello["type"] == "hello"
    assert event["type"] == "event"
    assert event["revision"] == hello["revision"] + 1
    assert event["actor"] == "bob@example.org"
    assert event["summary"] == "pace"
    assert refused == 4404  # the same permissions on every process: no session, no trip


async def _hear_change_as(
    listen_on: str, post_to: str, trip: dict[str, Any], listener_session: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    public_id = trip["plan"]
    url = listen_on.replace("http://", "ws://", 1) + f"/ws/plans/{public_id}/"
    cookie = {"Cookie": f"sessionid={listener_session}"}
    async with connect(
        url,
        origin=Origin(listen_on),
        additional_headers=cookie,
        proxy=None,
        open_timeout=TIMEOUT,
    ) as socket:
        hello = json.loads(await asyncio.wait_for(socket.recv(), TIMEOUT))
        poster = PageClient(post_to)
        poster.cookies.set_cookie(_cookie("sessionid", trip["sessions"]["bob@example.org"]))
        status = await asyncio.to_thread(
            poster.post, f"/plans/{public_id}/change", {"action": "pace", "pace": "relaxed"}
        )
        assert status == 302  # done; back to the plan page
        event = json.loads(await asyncio.wait_for(socket.recv(), TIMEOUT))
        return hello, event


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, False, None, None, {}
    )


async def _refused(listen_on: str, public_id: str) -> int | None:
    """The close code a listener without a session gets (the trip is alice's, not public)."""
    url = listen_on.replace("http://", "ws://", 1) + f"/ws/plans/{public_id}/"
    async with connect(url, origin=Origin(listen_on), proxy=None, open_timeout=TIMEOUT) as socket:
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(socket.recv(), TIMEOUT)
        return socket.close_code
