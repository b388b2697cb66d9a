"""Writes for the assistant: a conversation about one trip, turn by turn.

The first message is read as a trip request and planned. Later messages are read as refinements (structured
changes to the request, applied by the trips service and explained by comparing the plans), as questions
(answered from the data), or as "undo". Every turn is stored with what it changed, so the conversation can
be shown, undone step by step, and replayed from its first request (`selectors.replayed_request`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import transaction

from tripwise.assistant.answers import answer_question
from tripwise.assistant.llm import phrase_answer, provider_from_settings
from tripwise.assistant.models import Conversation, Turn
from tripwise.assistant.selectors import place_names, understand_text
from tripwise.core.errors import TripwiseError
from tripwise.core.trips.explain import swap_days, what_changed
from tripwise.core.trips.request import parse_request
from tripwise.core.understand.refine import Message, read_message
from tripwise.places.models import Destination
from tripwise.trips.models import Plan
from tripwise.trips.selectors import planning_facts
from tripwise.trips.services import plan_apply, plan_create, plan_replace

__all__ = ["conversation_change", "conversation_say", "conversation_start", "conversation_undo"]

MAX_MESSAGE = 1000
CHEAPER_SHARE = Decimal("0.75")  # "cheaper" sets the budget to three quarters of what the plan costs now
HELP = (
    'Try "make day 2 more relaxed", "swap the days", "add Khan Shatyr", "no museums on Sunday", "we arrive'
    ' at 14:00 on the first day", "cheaper", "what if we go on Monday?", "is ALZHIR open on Monday?", "when is'
    ' the last bus back?" or "undo".'
)


def _record(conversation: Conversation, *, plan: Plan | None = None, **fields: Any) -> Turn:
    # Numbers are taken under the conversation's row lock: two messages sent at once get 1 and 2, not 1 twice.
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        number = (locked.turns.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        revision = plan.revision if plan is not None else None
        turn = Turn.objects.create(conversation=locked, number=number, revision=revision, **fields)
        if plan is not None:
            locked.plan = plan
        locked.save()
    conversation.refresh_from_db()
    return turn


def _checked(text: str) -> str:
    text = text.strip()
    if not text:
        raise TripwiseError("empty_message", "Write what you would like, e.g. two days in Astana next week.")
    if len(text) > MAX_MESSAGE:
        raise TripwiseError("message_too_long", f"Keep a message under {MAX_MESSAGE} characters.")
    return text


def _summary(plan: Plan) -> list[str]:
    result = plan.result
    lines = []
    for day in result["days"]:
        sights = [item["name"] for item in day["items"] if item["type"] == "visit" and not item.get("meal")]
        lines.append(f"{day['weekday']}: {', '.join(sights) or 'a free day'}.")
    lines += [f"Could not fit: {entry['reason']}" for entry in result.get("unscheduled", [])]
    return lines


def _new_trip(conversation: Conversation, text: str, pending: Mapping[str, Any]) -> Turn:
    understanding = understand_text(text=text, today=conversation.today)
    request: dict[str, Any] = {**pending, **understanding.request}
    details = [f"{chip.field}: {chip.value} (from “{chip.evidence}”)" for chip in understanding.chips]
    if "destination" not in request:
        known = ", ".join(Destination.objects.order_by("name").values_list("name", flat=True))
        reply = f"Where would you like to go? Tripwise knows {known}."
        return _record(conversation, said=text, kind=Turn.Kind.REQUEST, request_after=request, reply=reply,
                       details=details)  # fmt: skip
    if "start_date" not in request:
        request["start_date"] = (conversation.today + timedelta(days=1)).isoformat()
        details.append(
            f"No dates given: planned from tomorrow, {conversation.today + timedelta(days=1):%A %d %B}."
        )
    try:
        plan = plan_create(request=request)
    except TripwiseError as error:
        return _record(conversation, said=text, kind=Turn.Kind.REQUEST, request_after=request,
                       reply=f"I could not plan that: {error.message}", details=details)  # fmt: skip
    reply = f"Here is your plan: {plan.title}." + (
        "" if plan.result["check"]["ok"] else " (The checker found problems.)"
    )
    return _record(conversation, said=text, kind=Turn.Kind.REQUEST, request_after=plan.request, reply=reply,
                   details=details + _summary(plan), plan=plan)  # fmt: skip


def _cheaper(plan: Plan) -> dict[str, Any] | None:
    total = plan.result.get("cost", {}).get("total")
    if not total or Decimal(total["amount"]) <= 0:
        return None
    target = Decimal(total["amount"]) * CHEAPER_SHARE
    step = Decimal(10) ** max(0, len(str(int(target))) - 2)  # 17,812 -> 17,000: a budget a person would set
    amount = (target / step).quantize(Decimal(1), rounding=ROUND_DOWN) * step
    return {"action": "budget", "budget": {"amount": str(amount), "currency": total["currency"]}}


def _changes(message: Message, plan: Plan) -> tuple[list[dict[str, Any]], list[str]]:
    """The message's changes with the plan-dependent ones worked out: swapping days becomes locks to the
    other day (a place closed there stays), "cheaper" a budget under today's cost."""
    changes: list[dict[str, Any]] = list(message.changes)
    notes: list[str] = []
    if message.swap is not None:
        places = {place.id: place for place in planning_facts(destination=plan.destination)}
        locks, notes = swap_days(plan.result, parse_request(plan.request), places, *message.swap)
        changes += locks
    if message.cheaper:
        budget = _cheaper(plan)
        if budget is None:
            notes.append("The plan costs nothing already.")
        else:
            changes.append(budget)
    return changes, notes


def _change(conversation: Conversation, plan: Plan, text: str, changes: Sequence[Mapping[str, Any]],
            heard: Sequence[str], notes: Sequence[str]) -> Turn:  # fmt: skip
    before, request_before = plan.result, plan.request
    try:
        plan = plan_apply(plan=plan, changes=changes)
    except TripwiseError as error:
        return _record(conversation, said=text, kind=Turn.Kind.UNKNOWN,
                       reply=f"I could not make that change: {error.message}", details=list(notes))  # fmt: skip
    details = [*notes, *what_changed(before, plan.result)]
    reply = f"Done: {'; '.join(heard)}." if heard else "Done."
    return _record(conversation, said=text, kind=Turn.Kind.CHANGE, changes=list(changes),
                   request_before=request_before, request_after=plan.request, reply=reply, details=details,
                   plan=plan)  # fmt: skip


def conversation_say(*, conversation: Conversation, text: str) -> Turn:
    """Read one message in the conversation and act on it; the turn says what was done."""
    text = _checked(text)
    plan = conversation.plan
    if plan is None:
        last = conversation.turns.order_by("-number").first()
        return _new_trip(conversation, text, (last.request_after or {}) if last else {})
    request = parse_request(plan.request)
    message = read_message(text, today=conversation.today, request=request,
                           places=place_names(destination=plan.destination), currency=plan.destination.currency)  # fmt: skip
    if message.kind == "undo":
        return conversation_undo(conversation=conversation, said=text)
    if message.kind == "question" and message.question is not None:
        reply, sources = answer_question(question=message.question, plan=plan)
        provider = provider_from_settings()
        if provider is not None:  # the model may phrase the answer, never change its facts
            reply = phrase_answer(provider, facts="\n".join([reply, *sources]), question=text) or reply
        return _record(conversation, said=text, kind=Turn.Kind.QUESTION, reply=reply,
                       details=[f"Source: {source}" for source in sources])  # fmt: skip
    if message.kind == "changes":
        changes, notes = _changes(message, plan)
        notes = [*message.notes, *notes]
        if not changes:
            return _record(conversation, said=text, kind=Turn.Kind.UNKNOWN, reply=" ".join(notes) or HELP)
        return _change(conversation, plan, text, changes, message.heard, notes)
    if message.notes:
        return _record(conversation, said=text, kind=Turn.Kind.UNKNOWN, reply=" ".join(message.notes))
    understanding = understand_text(text=text, today=conversation.today)
    if "destination" in understanding.request:  # a new trip, somewhere else or the same place afresh
        return _new_trip(conversation, text, {})
    return _record(conversation, said=text, kind=Turn.Kind.UNKNOWN, reply=f"I did not catch a change. {HELP}")


def conversation_start(*, text: str, today: date, session_key: str = "") -> Conversation:
    """A new conversation from its first message (a trip request in plain words)."""
    text = _checked(text)
    conversation = Conversation.objects.create(session_key=session_key, today=today)
    conversation_say(conversation=conversation, text=text)
    return conversation


def conversation_change(
    *, conversation: Conversation, changes: Sequence[Mapping[str, Any]], said: str
) -> Turn:
    """Structured changes made on the page (an edited chip, a plan button), recorded like words; a change
    refused is an error and records nothing."""
    if conversation.plan is None:
        raise TripwiseError("no_plan", "This conversation has no plan yet: say where and when first.")
    before, request_before = conversation.plan.result, conversation.plan.request
    plan = plan_apply(plan=conversation.plan, changes=changes)
    return _record(conversation, said=said, kind=Turn.Kind.CHANGE, changes=list(changes),
                   request_before=request_before, request_after=plan.request, reply="Done.",
                   details=what_changed(before, plan.result), plan=plan)  # fmt: skip


def conversation_undo(*, conversation: Conversation, said: str = "undo") -> Turn:
    """Put back the request from before the last change still in force, and plan it again."""
    last = conversation.turns.filter(kind=Turn.Kind.CHANGE, undone=False).order_by("-number").first()
    plan = conversation.plan
    if last is None or plan is None or last.request_before is None:
        return _record(conversation, said=said, kind=Turn.Kind.UNDO, reply="There is nothing to undo.")
    before = plan.result
    plan = plan_replace(plan=plan, request=last.request_before)
    Turn.objects.filter(pk=last.pk).update(undone=True)
    return _record(conversation, said=said, kind=Turn.Kind.UNDO, request_before=last.request_after,
                   request_after=plan.request, reply=f"Undone: “{last.said}”.",
                   details=what_changed(before, plan.result), plan=plan)  # fmt: skip
