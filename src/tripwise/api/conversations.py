"""Conversations with the assistant: a trip request in plain words, then refinements, questions and undo."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from tripwise.api.assistant import today_or
from tripwise.api.schemas import ERRORS
from tripwise.assistant.models import Conversation
from tripwise.assistant.selectors import conversation_for, conversation_turns
from tripwise.assistant.services import conversation_say, conversation_start, conversation_undo

router = Router()


class ConversationIn(Schema):
    text: str = Field(..., min_length=1, max_length=1000, examples=["two days in Astana next week, no car"])
    # The day "next week" is read from (YYYY-MM-DD); default: today on the server.
    today: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2026-11-28"])


class MessageIn(Schema):
    text: str = Field(..., min_length=1, max_length=1000, examples=["make day 2 more relaxed"])


class TurnOut(Schema):
    number: int
    said: str
    kind: str  # request, change, question, undo or unknown
    changes: list[dict[str, Any]]  # the structured changes applied (docs/plans.md)
    reply: str
    details: list[str]  # what changed and why, or the facts an answer stands on
    undone: bool


class ConversationOut(Schema):
    id: str
    plan: dict[str, Any] | None  # the plan document (docs/plans.md), with its id and revision
    turns: list[TurnOut]


def _out(conversation: Conversation) -> dict[str, Any]:
    conversation.refresh_from_db()
    plan = conversation.plan
    return {
        "id": conversation.public_id,
        "plan": None if plan is None else {**plan.result, "id": plan.public_id, "revision": plan.revision},
        "turns": [
            {field: getattr(turn, field) for field in TurnOut.model_fields}
            for turn in conversation_turns(conversation=conversation)
        ],
    }


@router.post("", response={201: ConversationOut, **ERRORS}, summary="Start a conversation")
def start(request: HttpRequest, payload: ConversationIn) -> Status[dict[str, Any]]:
    """Reads the words as a trip request and plans it; the last turn says what was understood."""
    return Status(201, _out(conversation_start(text=payload.text, today=today_or(payload.today))))


@router.get("/{conversation_id}", response={200: ConversationOut, **ERRORS}, summary="Read a conversation")
def detail(request: HttpRequest, conversation_id: str) -> dict[str, Any]:
    return _out(conversation_for(request, conversation_id, "view"))


@router.post(
    "/{conversation_id}/messages", response={200: ConversationOut, **ERRORS}, summary="Say something"
)
def say(request: HttpRequest, conversation_id: str, payload: MessageIn) -> dict[str, Any]:
    """A refinement ("swap the days"), a question ("is ALZHIR open on Monday?") or "undo"."""
    conversation = conversation_for(request, conversation_id, "edit")
    conversation_say(conversation=conversation, text=payload.text)
    return _out(conversation)


@router.post(
    "/{conversation_id}/undo", response={200: ConversationOut, **ERRORS}, summary="Undo the last change"
)
def undo(request: HttpRequest, conversation_id: str) -> dict[str, Any]:
    conversation = conversation_for(request, conversation_id, "edit")
    conversation_undo(conversation=conversation)
    return _out(conversation)
