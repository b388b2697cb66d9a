"""A conversation with the assistant on the Astana demo: a request, refinements, questions, undo, replay.

Every plan along the way is checked by the independent checker; the conversation's stored changes replay to
the plan's request.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from tripwise.assistant.models import Conversation, Turn
from tripwise.assistant.selectors import replayed_request
from tripwise.assistant.services import conversation_say, conversation_start, conversation_undo
from tripwise.core.errors import TripwiseError

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)  # a Saturday: "next week" is Monday 30 November
REQUEST = "two days in Astana next week, we love history, no car, must see ALZHIR"


def sights(plan: Any, day: int) -> list[str]:
    items = plan.result["days"][day]["items"]
    return [item["place_id"] for item in items if item["type"] == "visit" and not item.get("meal")]


def say(conversation: Conversation, text: str) -> Turn:
    turn = conversation_say(conversation=conversation, text=text)
    conversation.refresh_from_db()
    assert conversation.plan is None or conversation.plan.result["check"]["ok"], conversation.plan.result[
        "check"
    ]
    return turn


@pytest.fixture
def conversation() -> Conversation:
    started = conversation_start(text=REQUEST, today=TODAY, session_key="s1")
    assert started.plan is not None
    return started


def test_the_first_message_makes_a_checked_plan_and_says_what_was_understood(
    conversation: Conversation,
) -> None:
    (turn,) = conversation.turns.all()
    assert turn.kind == Turn.Kind.REQUEST
    assert turn.reply == "Here is your plan: 2 days in Astana from Mon 30 Nov 2026."
    assert "must_see: ['alzhir-museum'] (from “alzhir”)" in turn.details
    assert conversation.plan is not None
    assert "alzhir-museum" in sights(conversation.plan, 1)  # Tuesday: ALZHIR is closed on Mondays


def test_swapping_the_days_keeps_alzhir_on_tuesday_and_says_why(conversation: Conversation) -> None:
    assert conversation.plan is not None
    monday = set(sights(conversation.plan, 0))
    turn = say(conversation, "swap the days")
    assert turn.kind == Turn.Kind.CHANGE
    assert "ALZHIR Museum is closed on Monday 30 November, so it stays on Tuesday." in turn.details
    assert "alzhir-museum" in sights(conversation.plan, 1)
    assert not monday & set(sights(conversation.plan, 0)), "Monday's sights should have left Monday"


def test_refinements_change_the_plan_and_replay_to_the_same_request(conversation: Conversation) -> None:
    turn = say(conversation, "we arrive at 14:00 on the first day")
    assert "Day 1 now runs 14:00-20:00 (was 09:00-20:00)." in turn.details
    turn = say(conversation, "make day 2 more relaxed")
    assert "Day 2 now runs 10:00-18:00 (was 09:00-20:00)." in turn.details
    turn = say(conversation, "add Khan Shatyr")
    assert conversation.plan is not None
    assert "khan-shatyr" in sights(conversation.plan, 0) + sights(conversation.plan, 1)
    assert any(line.startswith("Added Khan Shatyr") for line in turn.details) or "khan-shatyr" in str(
        turn.request_before
    )
    total = conversation.plan.result["cost"]["total"]
    turn = say(conversation, "cheaper")
    budget = conversation.plan.request["budget"]
    assert float(budget["amount"]) <= float(total["amount"]) * 0.75
    assert float(conversation.plan.result["cost"]["total"]["amount"]) <= float(budget["amount"])
    assert replayed_request(conversation=conversation) == conversation.plan.request


def test_what_if_monday_moves_the_trip_and_alzhir_stays_off_monday(conversation: Conversation) -> None:
    say(conversation, "what if we go on Saturday?")
    assert conversation.plan is not None
    assert conversation.plan.request["start_date"] == "2026-12-05"
    turn = say(conversation, "what if we go on Monday?")
    assert conversation.plan.request["start_date"] == "2026-11-30"
    assert "The trip now runs Mon 30 Nov to Tue 01 Dec." in turn.details
    assert "alzhir-museum" not in sights(conversation.plan, 0)


def test_undo_puts_the_previous_plan_back(conversation: Conversation) -> None:
    assert conversation.plan is not None
    original = conversation.plan.request
    say(conversation, "make day 2 more relaxed")
    say(conversation, "no museums on Tuesday")
    turn = conversation_undo(conversation=conversation)
    conversation.refresh_from_db()
    assert turn.reply == "Undone: “no museums on Tuesday”."
    assert conversation.plan.request["day_rules"] == [
        {"day": 2, "start": None, "end": None, "pace": "relaxed", "avoid_kinds": [], "avoid_places": []}
    ]
    say(conversation, "undo")
    assert conversation.plan.request == original
    assert say(conversation, "undo").reply == "There is nothing to undo."
    assert replayed_request(conversation=conversation) == original


@pytest.mark.parametrize(
    ("question", "answer", "source"),
    [
        (
            "is ALZHIR open on Monday?",
            "ALZHIR Museum is closed on Monday 30 November.",
            'opening_hours "Tu-Su',
        ),
        (
            "Открыт ли АЛЖИР во вторник?",
            "ALZHIR Museum is open 10:00-17:00 on Tuesday 01 December.",
            "opening_hours",
        ),
        (
            "when is the last bus back from ALZHIR?",
            "the last ride from ALZHIR Museum back to",
            "timetable: trip 300-back-",
        ),
        ("how much is ALZHIR?", "ALZHIR Museum: adults", "price list"),
    ],
)
def test_questions_are_answered_from_the_data_with_the_source(
    conversation: Conversation, question: str, answer: str, source: str
) -> None:
    assert conversation.plan is not None
    revision = conversation.plan.revision
    turn = say(conversation, question)
    assert turn.kind == Turn.Kind.QUESTION
    assert answer in turn.reply
    assert any(source in line for line in turn.details)
    assert conversation.plan.revision == revision, "a question must not change the plan"


def test_a_request_without_a_destination_asks_for_one_and_remembers_the_rest() -> None:
    conversation = conversation_start(text="three days next week with the kids", today=TODAY)
    (turn,) = conversation.turns.all()
    assert turn.reply.startswith("Where would you like to go? Tripwise knows")
    assert conversation.plan is None
    page = Client().get(f"/assistant/{conversation.public_id}/").content.decode()
    assert "Where to?" in page
    assert "Tripwise knows" in page
    say(conversation, "Astana")
    assert conversation.plan is not None
    assert conversation.plan.request["days"] == 3
    assert conversation.plan.request["party"]["children"] >= 1


def test_a_change_the_planner_refuses_changes_nothing(conversation: Conversation) -> None:
    assert conversation.plan is not None
    before = (conversation.plan.request, conversation.plan.revision)
    turn = say(conversation, "we arrive at 21:00 on the first day")
    assert turn.kind == Turn.Kind.UNKNOWN
    assert "I could not make that change: day_rules: day 1 would end at 20:00" in turn.reply
    assert (conversation.plan.request, conversation.plan.revision) == before


@pytest.mark.parametrize(("text", "code"), [("   ", "empty_message"), ("x" * 1001, "message_too_long")])
def test_an_empty_or_huge_message_is_refused(text: str, code: str) -> None:
    with pytest.raises(TripwiseError) as error:
        conversation_start(text=text, today=TODAY)
    assert error.value.code == code
    assert not Conversation.objects.exists()


def test_the_api_runs_a_whole_conversation(client: Client) -> None:
    response = client.post(
        "/api/conversations", {"text": REQUEST, "today": "2026-11-28"}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["plan"]["check"]["ok"]
    url = f"/api/conversations/{body['id']}"
    response = client.post(
        f"{url}/messages", {"text": "make day 2 more relaxed"}, content_type="application/json"
    )
    turn = response.json()["turns"][-1]
    assert turn["kind"] == "change"
    assert turn["changes"] == [{"action": "day", "day": 2, "pace": "relaxed"}]
    assert response.json()["plan"]["revision"] == 2
    response = client.post(f"{url}/undo")
    assert response.json()["plan"]["revision"] == 3
    assert response.json()["turns"][1]["undone"] is True
    assert client.get(url).json()["turns"][-1]["kind"] == "undo"
    missing = client.get("/api/conversations/nope")
    assert missing.status_code == 404
    assert "error" in missing.json()


def test_the_pages_start_refine_and_edit_chips(client: Client) -> None:
    response = client.post("/assistant/", {"text": REQUEST})
    assert response.status_code == 302
    page = response["Location"]
    html = client.get(page).content.decode()
    assert 'data-testid="chip-dates"' in html
    assert "ALZHIR Museum" in html
    client.post(f"{page}say", {"text": "make day 2 more relaxed"})
    client.post(
        f"{page}change", {"action": "party", "adults": "2", "children": "1", "said": "Changed who is coming"}
    )
    conversation = Conversation.objects.get()
    assert conversation.plan is not None
    assert conversation.plan.request["party"] == {"adults": 2, "children": 1}
    assert [turn.kind for turn in conversation.turns.all()] == ["request", "change", "change"]
    client.post(f"{page}change", {"action": "dates", "start_date": "2026-12-01", "days": "99"})
    assert "give a whole number from 1 to 14" in client.get(page).content.decode()
    assert conversation.turns.count() == 3
