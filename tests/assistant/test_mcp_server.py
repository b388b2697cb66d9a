"""The MCP server as a traveller's AI client meets it: the SDK's own client talks to `tripwise mcp` running in
a subprocess, over stdio and over streamable HTTP, on a throw-away SQLite database holding the demo.

Every wait is bounded (anyio.fail_after, subprocess timeouts), so a server that hangs fails the test instead of
hanging the suite.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp_types import CallToolResult, TextContent

from tests.paths import REPO

TRIPWISE = Path(sys.executable).with_name("tripwise")
# The first plan of a fresh process may compile the planner (numba) when its disk cache is cold.
CONVERSATION_S = 180
START_S = 60
TOOLS = {"search_places", "search_guides", "place_facts", "plan_trip", "check_plan", "explain_rule"}


@pytest.fixture(scope="module")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The server's environment: its own SQLite file with the demo loaded (whatever database the suite uses)."""
    folder = tmp_path_factory.mktemp("mcp-server")
    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "TRIPWISE_VAR_DIR": str(folder),  # demo images and anything else written go here, not to the checkout
        "TRIPWISE_DEBUG": "1",
        "TRIPWISE_SECRET_KEY": "tests-only-secret-key",
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(folder)),
    }
    for command in (["manage", "migrate", "--noinput"], ["demo", "load"]):
        subprocess.run(
            [str(TRIPWISE), *command], env=env, cwd=REPO, check=True, capture_output=True, timeout=300
        )
    return env


def structured(result: CallToolResult) -> dict[str, Any]:
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


def text_of(result: CallToolResult) -> str:
    return " ".join(block.text for block in result.content if isinstance(block, TextContent))


async def converse(client: Client) -> None:
    """What a client does on the traveller's behalf, with what the traveller cares about checked."""
    listed = await client.list_tools()
    assert {tool.name for tool in listed.tools} == TOOLS
    assert all(tool.description for tool in listed.tools)

    found = structured(await client.call_tool("search_places", {"query": "alzhir"}))
    assert found["places"][0]["id"] == "alzhir-museum"
    assert found["places"][0]["opening_hours"] == "Tu-Su 10:00-17:00"

    facts = structured(await client.call_tool("place_facts", {"place_id": "alzhir-museum"}))
    assert facts["closed_days"] == "Closed on Mondays"
    assert facts["nearby_stops"][0]["id"] == "akmol-alzhir"

    rule = structured(
        await client.call_tool("explain_rule", {"place_id": "alzhir-museum", "date": "2026-11-30"})
    )
    assert rule["open"] is False
    assert "closed on Monday 30 November 2026" in rule["explanation"]

    request = {"destination": "astana", "start_date": "2026-11-30", "days": 2, "must_see": ["alzhir-museum"]}
    plan = structured(await client.call_tool("plan_trip", {"request": request}))
    assert plan["check"]["ok"], plan["check"]
    assert plan["url"] == f"/plans/{plan['id']}/"
    alzhir_days = [
        day["weekday"]
        for day in plan["days"]
        for item in day["items"]
        if item.get("place_id") == "alzhir-museum"
    ]
    assert alzhir_days == ["Tuesday"]  # closed on Mondays, so never on the Monday

    verdict = structured(await client.call_tool("check_plan", {"plan_id": plan["id"]}))
    assert (verdict["ok"], verdict["problems"]) == (True, [])

    # Errors arrive as tool errors the model can read and act on, never as a broken connection.
    missing = await client.call_tool("place_facts", {"place_id": "Atlantis museum"})
    assert missing.is_error
    assert "No place 'Atlantis museum'" in text_of(missing)
    assert "search_places finds a place's id" in text_of(missing)
    bad_limit = await client.call_tool("search_places", {"query": "alzhir", "limit": 0})
    assert bad_limit.is_error
    assert "limit" in text_of(bad_limit)
    bad_request = await client.call_tool("plan_trip", {"request": {**request, "day_end": "07:00"}})
    assert bad_request.is_error
    assert "day_end: 07:00 is not after day_start 09:00" in text_of(bad_request)


def talk_to(server: StdioServerParameters | str) -> None:
    async def session() -> None:
        with anyio.fail_after(CONVERSATION_S):
            async with Client(server, read_timeout_seconds=CONVERSATION_S) as client:
                await converse(client)

    anyio.run(session)


def test_a_client_plans_a_trip_over_stdio(server_env: dict[str, str]) -> None:
    talk_to(StdioServerParameters(command=str(TRIPWISE), args=["mcp"], env=server_env, cwd=str(REPO)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def http_server(server_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(TRIPWISE), "mcp", "--http", "--port", str(port)],
            env=server_env,
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"tripwise mcp --http exited with {process.returncode}:\n{log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"tripwise mcp --http did not listen within {START_S} s:\n{log.read_text()}")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def test_a_client_plans_a_trip_over_streamable_http(http_server: str) -> None:
    talk_to(http_server)
