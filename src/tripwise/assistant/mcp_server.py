"""The MCP server: Tripwise's tools for the traveller's own AI client, over stdio or streamable HTTP.

Thin wiring with the official `mcp` SDK: each tool declares the shape of its arguments (the JSON schema the
client sees) and calls one function of `tools.py`. A TripwiseError becomes a tool error carrying its message,
which the model reads and can act on. Run it with `tripwise mcp` (docs/mcp.md).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import BaseModel, ConfigDict, Field

__all__ = ["build_server", "run", "setup_django"]

T = TypeVar("T")

INSTRUCTIONS = """Tripwise plans trips that keep to the real rules: opening days and hours in each place's own
time zone, real departures from the timetable, prices against a budget. Every plan is re-read by an independent
checker. Never invent a place, a price or an opening hour: find places with search_places, read them with
place_facts or explain_rule, and plan with plan_trip (places by the ids search_places returns)."""

READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)

PlaceId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description='A place id (slug) such as "alzhir-museum", or its exact name.',
    ),
]
Query = Annotated[
    str, Field(min_length=1, max_length=200, description="Words of a name, an alias or a topic.")
]
Limit = Annotated[int, Field(ge=1, le=50, description="At most this many results.")]


def setup_django() -> None:
    """Set Django up when the server runs on its own (`python -m`); `tripwise mcp` has done it already."""
    from django.apps import apps

    if apps.ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tripwise.config.settings")
    # The server signs nothing that outlives the process: without a configured secret a one-off one will do.
    os.environ.setdefault("TRIPWISE_SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()


def _call(function: Callable[..., T], **arguments: Any) -> T:
    from django.db import DatabaseError, close_old_connections

    from tripwise.core.errors import TripwiseError

    # The SDK runs each call on a pooled worker thread, and Django keeps one connection per thread: like a
    # request, a call must neither start on a broken connection nor leave one open behind it.
    close_old_connections()
    try:
        return function(**arguments)
    except TripwiseError as error:
        raise ToolError(error.message) from error
    except DatabaseError as error:
        raise ToolError(
            f"The database cannot be used ({error}). Set it up with `tripwise manage migrate` and"
            " `tripwise demo load`, or check DATABASE_URL."
        ) from error
    finally:
        close_old_connections()


class Where(BaseModel):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Budget(BaseModel):
    amount: str | float = Field(description='The most the party may spend, e.g. "20000".')
    currency: str = Field(description="ISO 4217 code, e.g. KZT, EUR, USD.")


class Party(BaseModel):
    adults: int = Field(1, ge=0, le=50)
    children: int = Field(0, ge=0, le=50)


class LockIn(BaseModel):
    place_id: str
    date: str = Field(description="YYYY-MM-DD, a day of the trip.")
    start: str | None = Field(None, description="HH:MM local, or null for any time that day.")


class TripRequestIn(BaseModel):
    """The trip request of docs/plans.md. Fields left out take the documented defaults."""

    # New request fields (e.g. day_rules) pass through to the planner, which checks them.
    model_config = ConfigDict(extra="allow")

    destination: str = Field(description='Slug or name, aliases work: "astana", "Nur-Sultan".')
    start_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="First day, YYYY-MM-DD.")
    days: int | None = Field(None, ge=1, le=14, description="Number of days (default 1).")
    day_start: str | None = Field(None, description='When each day starts, "HH:MM" local (default 09:00).')
    day_end: str | None = Field(None, description='When each day ends, "HH:MM" local (default 20:00).')
    base: Where | str | None = Field(
        None, description="Where each day starts and ends: a point or a place id."
    )
    modes: list[Literal["walk", "transit", "car"]] | None = Field(
        None, description="Default walk and transit."
    )
    must_see: list[str] | None = Field(None, description="Place ids or names that must be planned.")
    avoid: list[str] | None = Field(None, description="Place ids or names never to plan.")
    interests: list[str] | None = Field(None, description='Words such as "history", "food".')
    budget: Budget | None = None
    party: Party | None = None
    pace: Literal["relaxed", "normal", "packed"] | None = None
    locks: list[LockIn] | None = Field(None, description="Visits fixed to a date and start time.")
    currency: str | None = Field(None, description="The traveller's currency for a second column of costs.")


def build_server() -> MCPServer:
    setup_django()
    from tripwise.assistant import tools

    server: MCPServer = MCPServer("tripwise", title="Tripwise", instructions=INSTRUCTIONS)

    @server.tool(annotations=READ_ONLY)
    def search_places(query: Query, destination: str | None = None, limit: Limit = 10) -> dict[str, Any]:
        """Find places (sights, museums, restaurants, ...) by name, alias or words, in any script and forgiving
        typos ("alzhir", "Байтерек", "alzhyr museum"). Optionally only in one destination (slug or name).
        Returns each place's id (use it in the other tools), name, kind, destination, lat, lon and
        opening_hours (OpenStreetMap syntax, null when unknown)."""
        return _call(tools.search_places, query=query, destination=destination, limit=limit)

    @server.tool(annotations=READ_ONLY)
    def search_guides(query: Query, limit: Limit = 10) -> dict[str, Any]:
        """Find published travel guides by title, words or the places they are about. Returns each guide's
        slug, title, destination, the place it is about, its page (url path on the Tripwise site) and summary."""
        return _call(tools.search_guides, query=query, limit=limit)

    @server.tool(annotations=READ_ONLY)
    def place_facts(place_id: PlaceId) -> dict[str, Any]:
        """Everything Tripwise knows about one place: name, aliases, kind, address, coordinates, time zone,
        opening_hours and closed days, ticket prices, typical visit minutes, visitor rules, ways to get there,
        nearby transit stops, tours and visits bookable nearby with their next departures, the source, and which
        fields are assumed rather than verified."""
        return _call(tools.place_facts, place_id=place_id)

    @server.tool(annotations=READ_ONLY)
    def explain_rule(
        place_id: PlaceId,
        date: Annotated[
            str | None, Field(description="YYYY-MM-DD, in the place's own calendar; default: today there.")
        ] = None,
    ) -> dict[str, Any]:
        """Explain a place's opening rule in plain words: whether it is open on that date and the hours that
        day (in the place's time zone), its usual week and closed days, the zone's public holidays when the
        rule or the date involves them, and visitor notes. E.g. ALZHIR Museum on Monday 2026-11-30: closed."""
        return _call(tools.explain_rule, place_id=place_id, date=date)

    @server.tool(
        annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)
    )
    def plan_trip(request: TripRequestIn) -> dict[str, Any]:
        """Plan a trip and save the plan. Give at least destination and start_date; must_see, avoid, modes,
        budget, party, pace, locks, base and day hours are optional. Returns the plan: its id and page url,
        days with visits and travel in time order (ISO times with UTC offsets; bus rides name the scheduled
        trip), must-see places that could not be fitted with the reason, costs, assumptions, and the
        independent checker's verdict ("check")."""
        return _call(tools.plan_trip, request=request.model_dump(mode="json", exclude_none=True))

    @server.tool(annotations=READ_ONLY)
    def check_plan(
        plan_id: Annotated[str, Field(min_length=1, max_length=64, description="The id plan_trip returned.")],
    ) -> dict[str, Any]:
        """Re-run the independent checker on a saved plan against the current facts and timetable: opening
        hours, real departures, walking speeds, day bounds, budget, locks, must-see places. Returns ok, the
        problems in plain words (none when it keeps every rule) and the verdict given when it was planned."""
        return _call(tools.check_plan, plan_id=plan_id)

    return server


def run(*, http: bool = False, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve until the client goes away (stdio) or the process is stopped (HTTP, at http://HOST:PORT/mcp)."""
    server = build_server()
    from tripwise.config.warm import warm_in_background

    warm_in_background()  # the planner's compiled parts, so the first plan_trip does not wait for them
    # Ctrl-C is how a server started by hand is stopped: not an error to report.
    with contextlib.suppress(KeyboardInterrupt):
        if http:
            server.run("streamable-http", host=host, port=port)
        else:
            server.run("stdio")


if __name__ == "__main__":
    run()
