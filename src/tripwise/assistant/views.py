"""The assistant's pages: start a conversation from words, then talk to refine the plan, or edit its chips."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tripwise.accounts.session import remember_conversation
from tripwise.assistant.chips import request_chips
from tripwise.assistant.models import Conversation
from tripwise.assistant.selectors import conversation_for, conversation_turns, session_conversations
from tripwise.assistant.services import (
    conversation_change,
    conversation_say,
    conversation_start,
    conversation_undo,
)
from tripwise.core.errors import TripwiseError
from tripwise.trips.forms import PACES
from tripwise.trips.permissions import access_for, request_tokens
from tripwise.trips.selectors import planner_places

EXAMPLES = (
    "Two days in Astana next week, we love history, no car, must see ALZHIR",
    "Хочу на выходные в Астану с детьми, без машины",
    "Three days in Helsinki from 22 February 2022, museums and architecture, by tram",
)


def _session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""


@require_http_methods(["GET", "POST"])
def assistant_home(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("text", "") if request.method == "POST" else ""
    if request.method == "POST":
        try:
            conversation = conversation_start(
                text=text, today=timezone.localdate(), session_key=_session_key(request)
            )
        except TripwiseError as error:
            messages.error(request, error.message)
        else:
            remember_conversation(request, conversation)
            return redirect("assistant:conversation", public_id=conversation.public_id)
    recent = session_conversations(session_key=request.session.session_key or "")
    return render(request, "assistant/home.html", {"examples": EXAMPLES, "recent": recent, "text": text})


def conversation_page(request: HttpRequest, public_id: str) -> HttpResponse:
    conversation = conversation_for(request, public_id, "view")
    plan = conversation.plan
    context: dict[str, Any] = {
        "conversation": conversation,
        "turns": conversation_turns(conversation=conversation),
        "plan": plan,
        "paces": PACES,
    }
    if plan is not None:
        places = planner_places(destination=plan.destination)
        context |= {
            "doc": plan.result,
            "chips": request_chips(plan.request, places),
            "change_url": reverse("assistant:change", kwargs={"public_id": public_id}),
            "can_edit": access_for(plan=plan, user=request.user, link_tokens=request_tokens(request)).can(
                "edit"
            ),
        }
    return render(request, "assistant/conversation.html", context)


def _back(conversation: Conversation) -> HttpResponse:
    return redirect(
        reverse("assistant:conversation", kwargs={"public_id": conversation.public_id}) + "#latest"
    )


@require_POST
def say(request: HttpRequest, public_id: str) -> HttpResponse:
    conversation = conversation_for(request, public_id, "edit")
    try:
        conversation_say(conversation=conversation, text=request.POST.get("text", ""))
    except TripwiseError as error:
        messages.error(request, error.message)
    return _back(conversation)


def change_from_form(data: QueryDict) -> tuple[list[dict[str, Any]], str]:
    """The structured changes an edited chip or a plan button sends, and how to say it in the conversation."""
    action = data.get("action", "")
    fields = ("place_id", "date", "pace", "start_date")
    change: dict[str, Any] = {"action": action, **{key: data[key] for key in fields if data.get(key)}}
    if action == "lock":
        change["start"] = data.get("start") or None
    if action == "day":
        day = str(data.get("day", ""))
        change["day"] = int(day) if day.isdigit() else day
        for key in ("start", "end", "pace"):
            change[key] = data.get(key) or None
        change["avoid_kinds"] = data.getlist("avoid_kinds")
        change["avoid_places"] = data.getlist("avoid_places")
    if action == "budget":
        amount = data.get("amount", "").strip()
        change["budget"] = {"amount": amount, "currency": data.get("currency", "")} if amount else None
    if action == "modes":
        change["modes"] = data.getlist("modes")
    if action == "interests":
        change["interests"] = [word.strip() for word in data.get("interests", "").split(",") if word.strip()]
    if action == "party":
        change["party"] = {"adults": data.get("adults", ""), "children": data.get("children", "0")}
    changes = [change]
    if action == "dates":
        changes.append({"action": "days", "days": data.get("days", "")})
    return changes, data.get("said") or f"Edited: {action}"


@require_POST
def change(request: HttpRequest, public_id: str) -> HttpResponse:
    conversation = conversation_for(request, public_id, "edit")
    changes, said = change_from_form(request.POST)
    try:
        conversation_change(conversation=conversation, changes=changes, said=said)
    except TripwiseError as error:
        messages.error(request, error.message)
    return _back(conversation)


@require_POST
def undo(request: HttpRequest, public_id: str) -> HttpResponse:
    conversation = conversation_for(request, public_id, "edit")
    conversation_undo(conversation=conversation)
    return _back(conversation)
