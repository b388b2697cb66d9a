"""Understanding a trip request written in plain words (English or Russian), offline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from tripwise.api.schemas import ERRORS
from tripwise.assistant.selectors import understand_text
from tripwise.core.errors import TripwiseError

router = Router()


def today_or(given: str | None) -> dt.date:
    """The day relative dates are read from: the one given (YYYY-MM-DD), else today on the server."""
    if given is None:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(given)
    except ValueError:
        raise TripwiseError("invalid_request", f"today: {given} is not a date: write YYYY-MM-DD.") from None


class UnderstandIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000)
    # The date the words are relative to (YYYY-MM-DD); default: today on the server. A string with a pattern,
    # not a date field: the latter would also take a number as seconds since 1970.
    today: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2026-11-28"])


class ChipOut(Schema):
    field: str
    value: Any
    evidence: str


class UnderstandOut(Schema):
    request: dict[str, Any]  # only the fields the words settle; see docs/plans.md
    chips: list[ChipOut]


@router.post("", response={200: UnderstandOut, **ERRORS}, summary="Understand a request in plain words")
def understand(request: HttpRequest, payload: UnderstandIn) -> dict[str, Any]:
    understood = understand_text(text=payload.text, today=today_or(payload.today))
    return {
        "request": understood.request,
        "chips": [{"field": c.field, "value": c.value, "evidence": c.evidence} for c in understood.chips],
    }
